// The batch engine's fast paths agree with the reference path byte for byte:
// the fast patient reader with the full decoder, and every batch output line
// (bit-sliced evaluation, precomputed per-variant JSON) with decode →
// evaluate() → result_formatter. Random patients on the Low Back Pain graph
// and on random graphs under each selection policy, with assumptions and
// conditional advice, mixed with hostile and unusual lines; 1 and 3 threads.
// Also: compact lines, --on-error=fail, and the ordered-procedure column.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "runtime/batch.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/line_writer.hpp"
#include "runtime/patient_fast.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"
#include "tests/runtime_only/random_graph.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {

graph lbp() {
  graph_load_result r = load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json");
  REQUIRE(r);
  return std::move(*r.value);
}

// A patient as the JSON line a user would write; durations as text or as a
// FHIR quantity, keys in a shuffled order, sometimes with spaces.
std::string to_json(const graph& g, const patient& p, std::mt19937_64& rng, std::size_t i) {
  std::vector<std::string> parts;
  if (i % 5 != 0) parts.push_back(i % 2 ? fmt::format("\"id\":\"p{}\"", i) : fmt::format("\"id\":{}", i));
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) {
    const fact& f = g.facts[s];
    const slot_value& v = p.slots[s];
    std::string value;
    if (!v.known) {
      if (rng() % 2) continue;
      value = "null";
    } else {
      switch (f.type) {
        case value_type::boolean: value = v.bits ? "true" : "false"; break;
        case value_type::number: value = fmt::format("{}", v.number); break;
        case value_type::duration:
          value = rng() % 2 ? fmt::format("\"{} days\"", v.number) : fmt::format("{{\"value\": {}, \"unit\": \"d\"}}", v.number);
          break;
        case value_type::text: value = "\"" + p.text[s] + "\""; break;
        case value_type::enumeration:
        case value_type::set: {
          const auto& members = g.enumerations[static_cast<std::size_t>(f.enumeration)].members;
          std::string list;
          for (std::size_t m = 0; m < members.size(); ++m)
            if (v.bits >> m & 1) list += (list.empty() ? "\"" : ",\"") + members[m].id + "\"";
          value = f.type == value_type::set ? "[" + list + "]" : list;
          break;
        }
      }
    }
    parts.push_back("\"" + f.id + "\":" + (rng() % 7 == 0 ? " " : "") + value);
  }
  std::shuffle(parts.begin(), parts.end(), rng);
  std::string out = "{";
  for (std::size_t k = 0; k < parts.size(); ++k) out += (k ? "," : "") + parts[k];
  return out + "}";
}

// Lines the fast reader must hand to the full decoder (or get exactly right).
std::vector<std::string> unusual_lines(const graph& g) {
  std::string f0 = g.facts[0].id;
  std::vector<std::string> lines = {
      // Whole-number ids take a shortcut: digits, then ',' or '}' (at most 300 of them).
      "{\"id\":12 }", "{\"id\":7,\"id\":7}", "{\"id\":5", "{\"id\":9}x", "{\"id\":1.5}", "{\"id\":2e3}",
      "{\"id\":123456789012345678901234567890}", "{\"id\":" + std::string(300, '9') + "}",
      "{\"id\":" + std::string(301, '9') + "}", "{\"id\":1" + std::string(308, '0') + "}"};
  // "N word" below 128 is a table lookup, from 128 on the conversion itself;
  // both with the fact's range checks.
  for (const fact& f : g.facts) {
    if (f.type != value_type::duration) continue;
    for (const char* v : {"0 weeks", "127 weeks", "128 weeks", "99999 weeks", "127 years", "128 years", "200 years", "12 weeks"})
      lines.push_back("{\"" + f.id + "\":\"" + v + "\"}");
    lines.push_back("{\"" + f.id + "\":{\"value\":127,\"unit\":\"wk\"}}");
    lines.push_back("{\"" + f.id + "\":{\"value\":128,\"unit\":\"wk\"}}");
  }
  for (const fact& f : g.facts)
    if (f.type == value_type::boolean) {
      for (const char* v : {"true", "false", "true ", "false\t", "null ", "truex", "nul", "True"})
        lines.push_back("{\"" + f.id + "\":" + v + "}");
      break;
    }
  std::vector<std::string> more = {"",
          "   ",
          "not json",
          "{",
          "{}",
          "  { }  ",
          "{\"id\":\"a\\\"b\"}",
          "{\"id\":\"caf\xc3\xa9\"}",
          "{\"id\":\"x\"} trailing",
          "{\"id\":1,\"id\":2}",
          "{\"id\":null}",
          "{\"id\":01}",
          "{\"id\":1e999}",
          "{\"id\":-0}",
          "{\"unknown_key\":1}",
          "{\"" + f0 + "\":null,\"" + f0 + "\":null}",
          "{\"" + f0 + "\":[]}",
          "{\"" + f0 + "\":\"\"}",
          "{\"" + f0 + "\":{\"value\":1}}",
          "{\"" + f0 + "\":tru}",
          "{\"" + f0 + "\":truex}",
          "[1,2]",
          "{\"id\":\"tab\there\"}",
          "\xef\xbb\xbf{\"id\":1}"};
  lines.insert(lines.end(), more.begin(), more.end());
  return lines;
}

std::string reference_output(const graph& g, const std::vector<std::string>& lines) {
  patient_decoder d(g);
  result_formatter f(g);
  patient p;
  evaluation e;
  std::string error, out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!d.decode(lines[i], p, error)) {
      f.write_error(p.id, fmt::format("line {}: {}", i + 1, error), out);
    } else {
      evaluate(g, p, e);
      f.write(p, e, out);
    }
    out.push_back('\n');
  }
  return out;
}

// Every line through both readers: when the fast one accepts, same patient.
int check_fast_reader(const graph& g, const std::vector<std::string>& lines) {
  fast_patient_decoder fast(g);
  patient_decoder full(g);
  patient a, b;
  std::string error;
  int accepted = 0;
  for (const std::string& line : lines) {
    // As the batch engine reads it: inside a buffer, up to its newline.
    const std::string framed = line + "\r\n{\"id\":\"next\"}\n";
    const char* next = fast.decode_line(framed.data(), framed.data() + framed.size(), b);
    if (!fast.decode(line, a)) {
      INFO(line);
      CHECK(next == nullptr);
      continue;
    }
    ++accepted;
    INFO(line);
    CHECK(next == framed.data() + line.size() + 2);
    CHECK(a.id == b.id);
    for (std::size_t s = 0; s < g.facts.size(); ++s) {
      CHECK(a.slots[s].known == b.slots[s].known);
      CHECK(a.slots[s].bits == b.slots[s].bits);
      CHECK(a.slots[s].decided == b.slots[s].decided);
      CHECK(a.slots[s].number == b.slots[s].number);
      CHECK(a.text[s] == b.text[s]);
    }
    REQUIRE(full.decode(line, b, error));
    CHECK(a.id == b.id);
    CHECK(b.warnings.empty());
    for (std::size_t s = 0; s < g.facts.size(); ++s) {
      CHECK(a.slots[s].known == b.slots[s].known);
      CHECK(a.slots[s].bits == b.slots[s].bits);
      CHECK(a.slots[s].number == b.slots[s].number);
      CHECK(a.text[s] == b.text[s]);
    }
  }
  return accepted;
}

void check_batch_equals_reference(const graph& g, std::vector<std::string> lines, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto extra = unusual_lines(g);
  for (std::size_t k = 0; k < extra.size(); ++k) lines.insert(lines.begin() + static_cast<std::ptrdiff_t>(rng() % lines.size()), extra[k]);
  std::string input;
  for (const auto& l : lines) input += l + "\n";
  const std::string want = reference_output(g, lines);
  for (unsigned threads : {1u, 3u}) {
    batch_options o;
    o.threads = threads;
    std::string got;
    batch_stats s = run_batch(g, input, got, o);
    INFO("threads " << threads);
    CHECK(s.lines == lines.size());
    REQUIRE(got.size() == want.size());
    CHECK(got == want);
  }
}

}  // namespace

TEST_CASE("batch lines equal the reference path on the Low Back Pain graph") {
  graph g = lbp();
  std::mt19937_64 rng(11);
  auto patients = t::random_patients(g, 4000, 3);
  std::vector<std::string> lines;
  for (std::size_t i = 0; i < patients.size(); ++i) lines.push_back(to_json(g, patients[i], rng, i));
  CHECK(check_fast_reader(g, lines) > 3000);  // the fast path carries most lines
  check_fast_reader(g, unusual_lines(g));
  check_batch_equals_reference(g, lines, 5);
}

TEST_CASE("batch lines equal the reference path on random graphs with assumptions and conditional advice") {
  std::mt19937_64 rng(13);
  for (select_policy policy : {select_policy::first, select_policy::unique, select_policy::all}) {
    for (int round = 0; round < 8; ++round) {
      graph g = t::random_graph(rng, policy, round % 2 == 0);
      // An assumption over a random node, advice with and without a condition.
      auto node_count = static_cast<std::uint32_t>(g.nodes.size());
      g.assumptions.push_back({static_cast<std::uint32_t>(rng() % node_count), "data check", "b0 or b1", {}});
      for (auto& v : g.variants) {
        v.advice.push_back({"always " + v.id, -1, {}});
        v.advice.push_back({"sometimes \"" + v.id + "\"", static_cast<std::int32_t>(rng() % node_count), {}});
      }
      g.otherwise.present = round % 3 != 0;
      g.otherwise.label = "nothing fits";
      g.otherwise.advice.push_back({"reassess", static_cast<std::int32_t>(rng() % node_count), {}});
      auto patients = t::random_patients(g, 500, 200 + static_cast<std::uint64_t>(round));
      std::vector<std::string> lines;
      for (std::size_t i = 0; i < patients.size(); ++i) lines.push_back(to_json(g, patients[i], rng, i));
      INFO("policy " << static_cast<int>(policy) << " round " << round);
      CHECK(check_fast_reader(g, lines) > 250);
      check_batch_equals_reference(g, lines, 17 + static_cast<std::uint64_t>(round));
    }
  }
}

TEST_CASE("compact lines carry only the fields asked, and the ordered procedure's category") {
  graph g = lbp();
  std::string error;
  auto fields = parse_fields("id,status,variant,ordered,missing", error);
  REQUIRE(fields);
  batch_options o;
  o.fields = *fields;
  o.procedure = find_procedure(g, "MRI lumbar spine without IV contrast");
  REQUIRE(o.procedure >= 0);
  std::string input =
      R"L({"id":"seed","age":"55 years","symptom_duration":"12 weeks","radiculopathy":true,"red_flags":[],"conservative_therapy":"0 weeks","prior_lumbar_surgery":false,"new_or_progressing_symptoms":false})L" "\n"
      R"L({"id":"u","age":"55 years","symptom_duration":"12 weeks","red_flags":[],"conservative_therapy":"0 weeks","prior_lumbar_surgery":true})L" "\n"
      R"L({"id":"c","age":"55 years","red_flags":["saddle_anesthesia"]})L" "\n"
      "oops\n";
  std::string out;
  batch_stats s = run_batch(g, input, out, o);
  CHECK(s.errors == 1);
  CHECK(out ==
        R"L({"id":"seed","status":"matched","variant":"2","ordered":"usually_not_appropriate","missing":[]})L" "\n"
        R"L({"id":"u","status":"undetermined","variant":null,"ordered":null,"missing":["new_or_progressing_symptoms"]})L" "\n"
        R"L({"id":"c","status":"matched","variant":"4","ordered":"usually_appropriate","missing":[]})L" "\n"
        R"L({"id":null,"status":"error","variant":null,"ordered":null,"missing":[]})L" "\n");

  CHECK_FALSE(parse_fields("id,colour", error));
  CHECK(error == "unknown field `colour`; the fields are id, status, variant, title, ratings, advice, next, missing, "
                 "candidates, otherwise, warnings, error, procedure, ordered");
  CHECK_FALSE(parse_fields("id,id", error));
  CHECK(error == "field `id` is given twice");
}

TEST_CASE("the ordered procedure can come from a column: name, id or code; unknown ones are error lines") {
  graph g = lbp();
  std::string error;
  batch_options o;
  o.fields = *parse_fields("id,procedure,ordered,error", error);
  o.procedure_key = "cpt";
  const std::string seed = R"L("age":"55 years","symptom_duration":"12 weeks","radiculopathy":true,"red_flags":[],"conservative_therapy":"0 weeks","prior_lumbar_surgery":false,"new_or_progressing_symptoms":false})L";
  const procedure& mri = g.procedures[static_cast<std::size_t>(find_procedure(g, "MRI lumbar spine without IV contrast"))];
  std::string code = mri.codes.empty() ? mri.id : mri.codes.front().value;
  std::string input = "{\"id\":1,\"cpt\":\"" + code + "\"," + seed + "\n" +
                      "{\"id\":2,\"cpt\":\"MRI lumbar spine without IV contrast\"," + seed + "\n" +
                      "{\"id\":3,\"cpt\":\"99999\"," + seed + "\n" +
                      "{\"id\":4,\"cpt\":null," + seed + "\n" +
                      "{\"id\":5," + seed + "\n";
  std::string out;
  for (unsigned threads : {1u, 2u}) {
    o.threads = threads;
    out.clear();
    run_batch(g, input, out, o);
    CHECK(out ==
          R"L({"id":1,"procedure":"MRI lumbar spine without IV contrast","ordered":"usually_not_appropriate","error":null})L" "\n"
          R"L({"id":2,"procedure":"MRI lumbar spine without IV contrast","ordered":"usually_not_appropriate","error":null})L" "\n"
          R"L({"id":3,"procedure":null,"ordered":null,"error":"line 3: \"99999\" is not a procedure of this guideline (give its name, id or a code)"})L" "\n"
          R"L({"id":4,"procedure":null,"ordered":null,"error":null})L" "\n"
          R"L({"id":5,"procedure":null,"ordered":null,"error":null})L" "\n");
  }
}

TEST_CASE("on_error::fail stops after the first error line; line mode goes on") {
  graph g = lbp();
  std::string good = R"L({"id":1,"age":"55 years"})L";
  std::string input;
  for (int i = 0; i < 1000; ++i) input += (i == 700 ? std::string("{bad") : good) + "\n";
  for (unsigned threads : {1u, 2u}) {
    batch_options o;
    o.threads = threads;
    o.errors = on_error::fail;
    std::string out;
    batch_stats s = run_batch(g, input, out, o);
    CHECK(s.stopped);
    CHECK(s.lines == 701);
    CHECK(s.errors == 1);
    CHECK(std::count(out.begin(), out.end(), '\n') == 701);
    CHECK(s.first_error.rfind("line 701: malformed JSON", 0) == 0);
    o.errors = on_error::line;
    out.clear();
    s = run_batch(g, input, out, o);
    CHECK_FALSE(s.stopped);
    CHECK(s.lines == 1000);
    CHECK(std::count(out.begin(), out.end(), '\n') == 1000);
  }
}

TEST_CASE("a read error with blocks in flight ends the run cleanly with threads") {
  // The first read fills a whole chunk (hundreds of blocks, more than the
  // ring holds), the second fails: the run reports the error, and the
  // workers still reading the chunk are joined before it is freed (ASan
  // found the buffers freed under them when a run stopped early).
  struct failing_source final : batch_source {
    std::string data;
    int reads = 0;
    std::ptrdiff_t read(char* buf, std::size_t size) override {
      if (reads++ > 0) return -1;
      std::size_t n = std::min(size, data.size());
      std::memcpy(buf, data.data(), n);
      return static_cast<std::ptrdiff_t>(n);
    }
  };
  struct null_sink final : batch_sink {
    std::size_t bytes = 0;
    bool write(const char*, std::size_t size) override {
      bytes += size;
      return true;
    }
  };
  graph g = lbp();
  std::string line = R"L({"id":1,"age":"55 years","symptom_duration":"12 weeks","red_flags":[]})L" "\n";
  for (unsigned threads : {1u, 2u, 3u}) {
    failing_source in;
    while (in.data.size() < (8u << 20)) in.data += line;
    null_sink out;
    batch_options o;
    o.threads = threads;
    batch_stats s = run_batch(g, in, out, o);
    INFO("threads " << threads);
    CHECK(s.io_error == "cannot read the input");
  }
}
