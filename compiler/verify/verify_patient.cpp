// Counterexample patients: printing them as `given` lines and patient JSON,
// replaying them through the runtime, and making them easier to read.
#include "compiler/verify/verify_patient.hpp"

#include <fmt/format.h>

#include <cmath>

#include "runtime/evaluate.hpp"
#include "runtime/json_writer.hpp"
#include "runtime/patient.hpp"

namespace rubric::compiler::verify_detail {

using runtime::value_type;

namespace {

std::string number_text(double v) {
  if (v == std::floor(v) && std::fabs(v) < 1e15) return fmt::format("{}", static_cast<long long>(v));
  return fmt::format("{}", v);
}

const runtime::enumeration* enum_of(const runtime::graph& g, const runtime::fact& f) {
  if (f.enumeration < 0 || static_cast<std::size_t>(f.enumeration) >= g.enumerations.size()) return nullptr;
  return &g.enumerations[static_cast<std::size_t>(f.enumeration)];
}

std::string member_id(const runtime::graph& g, const runtime::fact& f, std::int64_t k) {
  const runtime::enumeration* e = enum_of(g, f);
  if (e == nullptr || k < 0 || static_cast<std::size_t>(k) >= e->members.size()) return "?";
  return e->members[static_cast<std::size_t>(k)].id;
}

std::vector<std::string> set_members(const runtime::graph& g, const runtime::fact& f, std::uint64_t mask) {
  std::vector<std::string> out;
  for (int k = 0; k < 64; ++k)
    if (mask & (std::uint64_t{1} << k)) out.push_back(member_id(g, f, k));
  return out;
}

std::string text_value(const runtime::graph& g, std::int64_t index) {
  if (index >= 0 && static_cast<std::size_t>(index) < g.strings.size()) return g.strings[static_cast<std::size_t>(index)];
  return other_text(g);
}

}  // namespace

std::string duration_text(double days) { return runtime::format_duration(days); }

std::string other_text(const runtime::graph& g) {
  std::string t = "other";
  for (bool clash = true; clash;) {
    clash = false;
    for (const std::string& s : g.strings)
      if (s == t) clash = true;
    if (clash) t += "*";
  }
  return t;
}

std::string given_syntax(const runtime::graph& g, const cx_patient& p) {
  std::vector<std::string> parts;
  for (std::size_t i = 0; i < g.facts.size() && i < p.size(); ++i) {
    const cx_value& v = p[i];
    if (!v.known) continue;
    const runtime::fact& f = g.facts[i];
    std::string value;
    switch (f.type) {
      case value_type::boolean: value = v.boolean ? "true" : "false"; break;
      case value_type::number: value = number_text(v.number); break;
      case value_type::duration: value = duration_text(v.number); break;
      case value_type::enumeration: value = member_id(g, f, v.index); break;
      case value_type::set: value = fmt::format("{{{}}}", fmt::join(set_members(g, f, v.mask), ", ")); break;
      case value_type::text: {
        std::string quoted;
        runtime::append_json_string(quoted, text_value(g, v.index));  // same escapes as Rubric strings
        value = quoted;
        break;
      }
    }
    parts.push_back(fmt::format("{} = {}", f.id, value));
  }
  return fmt::format("{}", fmt::join(parts, ", "));
}

std::string patient_json(const runtime::graph& g, const cx_patient& p) {
  runtime::json_writer w;
  w.begin_object();
  for (std::size_t i = 0; i < g.facts.size() && i < p.size(); ++i) {
    const cx_value& v = p[i];
    if (!v.known) continue;
    const runtime::fact& f = g.facts[i];
    w.key(f.id);
    switch (f.type) {
      case value_type::boolean: w.value(v.boolean); break;
      case value_type::number: w.value(v.number); break;
      case value_type::duration: w.value(duration_text(v.number)); break;
      case value_type::enumeration: w.value(member_id(g, f, v.index)); break;
      case value_type::set:
        w.begin_array();
        for (const std::string& m : set_members(g, f, v.mask)) w.value(m);
        w.end_array();
        break;
      case value_type::text: w.value(text_value(g, v.index)); break;
    }
  }
  w.end_object();
  return w.str();
}

bool replay(const runtime::graph& g, const cx_patient& p, const claim& c, std::string& why) {
  // Replay what the author would paste: the JSON text, decoded by the runtime.
  runtime::patient_decoder decoder(g);
  runtime::patient patient;
  std::string error;
  if (!decoder.decode(patient_json(g, p), patient, error)) {
    why = "the runtime rejects the patient: " + error;
    return false;
  }
  runtime::evaluation ev;
  runtime::evaluate(g, patient, ev);
  if (!ev.violated.empty()) {
    why = "the patient breaks an `assume`";
    return false;
  }
  for (const auto& [node, value] : c.region) {
    if (node < ev.values.size() && ev.values[node] != (value ? runtime::truth::yes : runtime::truth::no)) {
      why = "the patient is outside the region it illustrates";
      return false;
    }
  }
  auto guard_true = [&](std::size_t v) {
    std::int32_t gd = g.variants[v].guard;
    return gd < 0 || ev.values[static_cast<std::size_t>(gd)] == runtime::truth::yes;
  };
  auto selected = [&](std::size_t v) {
    if (ev.result != runtime::status::matched) return false;
    for (std::uint32_t s : ev.selected)
      if (s == v) return true;
    return false;
  };
  switch (c.what) {
    case claim::kind::no_variant:
      if (ev.result == runtime::status::no_criteria_apply) return true;
      why = fmt::format("the runtime's status is {}", runtime::status_name(ev.result));
      return false;
    case claim::kind::both_hold:
      if (guard_true(c.a) && guard_true(c.b)) return true;
      why = "the runtime does not find both guards true";
      return false;
    case claim::kind::a_wins_over_b:
      if (selected(c.a) && guard_true(c.b)) return true;
      why = "the runtime does not select the earlier variant with the later guard true";
      return false;
    case claim::kind::a_selected:
      if (selected(c.a)) return true;
      why = "the runtime does not select the variant";
      return false;
  }
  return false;
}

cx_patient simplify(const runtime::graph& g, cx_patient p, const claim& c, bool keep_known) {
  std::string why;
  auto holds = [&](const cx_patient& q) { return replay(g, q, c, why); };
  if (!holds(p)) return p;
  // Round one number to a value an author would write, coarsest unit first.
  auto round_slot = [&](std::size_t i) {
    value_type t = g.facts[i].type;
    if (!p[i].known || (t != value_type::duration && t != value_type::number)) return;
    std::vector<double> steps = t == value_type::duration
                                    ? std::vector<double>{runtime::units::days_per_year, runtime::units::days_per_month,
                                                          runtime::units::days_per_week, 1.0}
                                    : std::vector<double>{10.0, 1.0};
    double original = p[i].number;
    for (double step : steps) {
      for (double r : {std::round(original / step), std::floor(original / step), std::ceil(original / step)}) {
        p[i].number = r * step;
        // A coarse unit only when it stays close: 42 days is "6 weeks", not "1 year".
        bool close = step <= 1.0 || std::fabs(p[i].number - original) <= 0.25 * std::fabs(original);
        if (close && (p[i].number >= 0 || t == value_type::number) && holds(p)) return;
      }
    }
    p[i].number = original;
  };
  // Twice: one rounding can make room for another (therapy <= duration).
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < p.size() && i < g.facts.size(); ++i) round_slot(i);
  // Forget facts the claim does not need.
  if (!keep_known) {
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (!p[i].known) continue;
      cx_value saved = p[i];
      p[i] = cx_value{};
      if (!holds(p)) p[i] = saved;
    }
  }
  return p;
}

}  // namespace rubric::compiler::verify_detail
