// The batch engine on version-2 graphs (language v1: quantities with units,
// integer ranges, scores, values, counts) agrees with the reference path byte
// for byte: decode → evaluate() → result_formatter, line by line. Random
// patients for tests/v1/wells.rubric and the Low Back Pain guideline, each
// value written in one of the forms users write (bare numbers, quantity
// strings in other units, FHIR Quantities with unit or system and code), many
// of them wrong (out of range, fractional integers, wrong dimension, unknown
// units, negative or infinite durations, malformed JSON); 1 and 2 threads.
// Also: whenever the fast reader accepts a line, it decodes the same patient
// as the full decoder.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "compiler/pipeline/pipeline.hpp"
#include "runtime/batch.hpp"
#include "runtime/patient_fast.hpp"

namespace rt = rubric::runtime;

namespace {

rt::graph compile(const std::string& path) {
  rubric::compiler::compile_options o;
  o.verify = false;
  auto r = rubric::compiler::compile_file(std::string(RUBRIC_SOURCE_DIR) + "/" + path, o);
  REQUIRE(r.graph);
  return std::move(*r.graph);
}

template <class T>
const T& pick(std::mt19937_64& rng, const std::vector<T>& v) {
  return v[rng() % v.size()];
}

// Numbers near the thresholds of both test rules, fractions, extremes.
std::string number(std::mt19937_64& rng) {
  static const std::vector<std::string> common = {"0", "1", "2", "3", "4", "5", "14", "15", "24", "30", "50", "51",
                                                  "62", "95", "99", "100", "101", "500", "620", "700", "0.5", "14.5",
                                                  "99.9", "0.61", "12", "6", "-0", "1e2", "2.5e1"};
  static const std::vector<std::string> odd = {"-1", "-3.5", "1e308", "1e400", "1e-320", "16", "0.0001", "123456789"};
  if (rng() % 12 == 0) return pick(rng, odd);
  if (rng() % 5 == 0) return fmt::format("{}", rng() % 2000);
  return pick(rng, common);
}

// Units of every dimension the rules use, and some that are wrong or unknown.
std::string unit_for(const rt::fact& f, std::mt19937_64& rng) {
  static const std::vector<std::string> time = {"s", "min", "h", "d", "wk", "mo", "a", "seconds", "minutes", "hours",
                                                "days", "weeks", "months", "years", "Hours", "day"};
  static const std::vector<std::string> other = {"ng/mL", "mg/L", "ug/L", "/min", "/s", "%", "1", "{score}", "kg",
                                                 "mmHg", "furlong", "10*3", "mm[Hg]"};
  if (f.type == rt::value_type::duration) return rng() % 10 ? pick(rng, time) : pick(rng, other);
  if (!f.unit.empty() && rng() % 2) return f.unit;
  return rng() % 5 ? pick(rng, other) : pick(rng, time);
}

std::string quantity(const rt::fact& f, std::mt19937_64& rng) {
  std::string n = number(rng), u = unit_for(f, rng);
  switch (rng() % 6) {
    case 0:
    case 1: return n;  // bare: the declared unit (a duration needs one)
    case 2: return fmt::format("\"{} {}\"", n, u);
    case 3: return fmt::format("\"{}{}\"", n, u);
    case 4: return fmt::format("{{\"value\":{},\"unit\":\"{}\"}}", n, u);
    default:
      return rng() % 4 ? fmt::format("{{\"system\":\"http://unitsofmeasure.org\",\"code\":\"{}\",\"value\":{},\"unit\":\"shown\"}}", u, n)
                       : fmt::format("{{\"value\":{},\"system\":\"urn:other\",\"code\":\"{}\"}}", n, u);
  }
}

// A value the decoder accepts: inside the declared range, in the declared
// unit (or a time unit for durations), in any of the forms.
std::string clean_quantity(const rt::fact& f, std::mt19937_64& rng) {
  static const std::vector<std::string> time = {"s", "min", "h", "d", "wk", "mo", "a", "hours", "days", "years"};
  double lo = f.min.value_or(0), hi = f.max.value_or(lo + 1000);
  double v = lo + static_cast<double>(rng() % static_cast<std::uint64_t>(hi - lo + 1));
  if (!f.integer && rng() % 4 == 0 && v + 0.5 <= hi) v += 0.5;
  std::string n = fmt::format("{}", v);
  if (f.type == rt::value_type::number && (f.unit.empty() || rng() % 2)) return n;
  std::string u = f.type == rt::value_type::duration ? pick(rng, time) : f.unit;
  switch (rng() % 3) {
    case 0: return fmt::format("\"{} {}\"", n, u);
    case 1: return fmt::format("{{\"value\":{},\"unit\":\"{}\"}}", n, u);
    default: return fmt::format("{{\"value\":{},\"system\":\"http://unitsofmeasure.org\",\"code\":\"{}\"}}", n, u);
  }
}

std::string value_of(const rt::graph& g, const rt::fact& f, std::mt19937_64& rng, bool clean) {
  if (rng() % 15 == 0) return "null";
  if (clean && (f.type == rt::value_type::number || f.type == rt::value_type::duration)) return clean_quantity(f, rng);
  if (clean && f.type == rt::value_type::boolean) return rng() % 2 ? "true" : "false";
  switch (f.type) {
    case rt::value_type::boolean: return rng() % 20 ? (rng() % 2 ? "true" : "false") : "\"yes\"";
    case rt::value_type::number:
    case rt::value_type::duration: return quantity(f, rng);
    case rt::value_type::text: return "\"some text\"";
    case rt::value_type::enumeration:
    case rt::value_type::set: {
      const auto& members = g.enumerations[static_cast<std::size_t>(f.enumeration)].members;
      std::vector<std::string> chosen;
      std::size_t count = f.type == rt::value_type::set ? rng() % 3 : 1;
      for (std::size_t i = 0; i < count; ++i)
        chosen.push_back(clean || rng() % 25 ? "\"" + members[rng() % members.size()].id + "\"" : "\"no_such_member\"");
      std::string list;
      for (const auto& c : chosen) list += (list.empty() ? "" : ",") + c;
      return f.type == rt::value_type::set ? "[" + list + "]" : list;
    }
  }
  return "null";
}

// A line: most facts given, keys shuffled; half the lines have only valid
// values, the others many wrong ones; a few lines malformed as a whole.
std::string patient_line(const rt::graph& g, std::mt19937_64& rng, std::size_t i) {
  bool clean = i % 2 == 0;
  std::vector<std::string> parts;
  if (i % 4) parts.push_back(fmt::format("\"id\":{}", i % 3 ? fmt::format("\"p{}\"", i) : std::to_string(i)));
  for (const rt::fact& f : g.facts)
    if (rng() % 6) parts.push_back(fmt::format("\"{}\":{}{}", f.id, rng() % 9 ? "" : " ", value_of(g, f, rng, clean)));
  std::shuffle(parts.begin(), parts.end(), rng);
  std::string line = "{";
  for (std::size_t k = 0; k < parts.size(); ++k) line += (k ? "," : "") + parts[k];
  line += "}";
  switch (rng() % 60) {
    case 0: return line + " x";
    case 1: return line.substr(0, line.size() / 2);
    case 2: return "\xef\xbb\xbf" + line;
    case 3: return line.size() > 2 ? "{\"unknown\":1," + line.substr(1) : line;
    default: return line;
  }
}

std::string reference_output(const rt::graph& g, const std::vector<std::string>& lines) {
  rt::patient_decoder d(g);
  rt::result_formatter f(g);
  rt::patient p;
  rt::evaluation e;
  std::string error, out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!d.decode(lines[i], p, error)) {
      f.write_error(p.id, fmt::format("line {}: {}", i + 1, error), out);
    } else {
      rt::evaluate(g, p, e);
      f.write(p, e, out);
    }
    out.push_back('\n');
  }
  return out;
}

// Returns how many lines the fast reader took; each must equal the full decode.
std::size_t check_fast_reader(const rt::graph& g, const std::vector<std::string>& lines) {
  rt::fast_patient_decoder fast(g);
  rt::patient_decoder full(g);
  rt::patient a, b;
  std::string error;
  std::size_t accepted = 0;
  for (const std::string& line : lines) {
    if (!fast.decode(line, a)) continue;
    ++accepted;
    INFO(line);
    REQUIRE(full.decode(line, b, error));
    CHECK(a.id == b.id);
    CHECK(b.warnings.empty());
    for (std::size_t s = 0; s < g.facts.size(); ++s) {
      CHECK(a.slots[s].known == b.slots[s].known);
      CHECK(a.slots[s].bits == b.slots[s].bits);
      CHECK(fmt::format("{}", a.slots[s].number) == fmt::format("{}", b.slots[s].number));  // -0 too
      CHECK(a.text[s] == b.text[s]);
    }
  }
  return accepted;
}

// Every line of both outputs, compared one by one so a failure shows the line.
void check_batch_equals_reference(const rt::graph& g, const std::vector<std::string>& lines) {
  std::string input;
  for (const auto& l : lines) input += l + "\n";
  const std::string want = reference_output(g, lines);
  for (unsigned threads : {1u, 2u}) {
    rt::batch_options o;
    o.threads = threads;
    std::string got;
    rt::batch_stats s = rt::run_batch(g, input, got, o);
    INFO("threads " << threads);
    CHECK(s.lines == lines.size());
    if (got == want) continue;
    std::size_t at = 0, line = 0;
    while (at < got.size() && at < want.size() && got[at] == want[at]) line += got[at++] == '\n';
    INFO("first difference in output line " << line + 1 << ": input " << lines[std::min(line, lines.size() - 1)]);
    CHECK(got.substr(got.rfind('\n', at) + 1, 400) == want.substr(want.rfind('\n', at) + 1, 400));
  }
}

}  // namespace

TEST_CASE("batch lines on version-2 graphs equal the reference path, malformed values included") {
  for (const char* path : {"tests/v1/wells.rubric", "guidelines/acr/low_back_pain.rubric"}) {
    INFO(path);
    rt::graph g = compile(path);
    // Version-2 node kinds are what this test is about (wells has scores,
    // values and counts; LBP is checked as a version-2 graph with units).
    if (std::string(path).find("wells") != std::string::npos)
      CHECK(std::any_of(g.nodes.begin(), g.nodes.end(), [](const rt::node& n) { return rt::is_v2_kind(n.kind); }));
    std::mt19937_64 rng(2026);
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < 6000; ++i) lines.push_back(patient_line(g, rng, i));
    // The fast reader carries most valid lines (the rest are errors or
    // unusual forms), and never disagrees with the full decoder.
    CHECK(check_fast_reader(g, lines) > 2000);
    check_batch_equals_reference(g, lines);
  }
}
