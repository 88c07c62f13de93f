// Counterexample patients: one value (or unknown) per fact slot, printed in the
// author's `given` syntax and as the runtime's patient JSON. Before a finding
// prints one, it is replayed through the runtime evaluator (verify_replay.cpp).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/graph.hpp"

namespace rubric::compiler::verify_detail {

struct cx_value {
  bool known = false;
  bool boolean = false;    // bool facts
  double number = 0;       // number; durations in days
  std::int64_t index = 0;  // enum member; text: index into graph.strings (size() = other text)
  std::uint64_t mask = 0;  // set members
};

using cx_patient = std::vector<cx_value>;  // parallel to graph.facts

// `age = 55 years, symptom_duration = 12 weeks, red_flags = {}` (known facts only).
std::string given_syntax(const runtime::graph& g, const cx_patient& p);
// `{"age": "55 years", "red_flags": []}`: the runtime's patient JSON (known facts only).
std::string patient_json(const runtime::graph& g, const cx_patient& p);
// A duration in days as the author would write it: whole years, months or weeks when exact.
std::string duration_text(double days);
// A text value that differs from every text constant in the graph.
std::string other_text(const runtime::graph& g);

// What a counterexample must show when the runtime evaluates it.
struct claim {
  enum class kind : std::uint8_t {
    no_variant,   // no guard holds: status no_criteria_apply
    both_hold,    // guards of `a` and `b` are both true
    a_wins_over_b,// `a` is selected and `b`'s guard is true too
    a_selected,   // `a` is selected
  };
  kind what = kind::no_variant;
  std::size_t a = 0, b = 0;  // variant indices as written
  // Nodes that must also have these values (a gap's region): node, true/false.
  std::vector<std::pair<std::uint32_t, bool>> region;
};

// Decodes the patient JSON with the runtime, evaluates it, and checks that the
// claim holds and that no `assume` is false. `why` says what failed.
bool replay(const runtime::graph& g, const cx_patient& p, const claim& c, std::string& why);

// Makes a counterexample easier to read without losing its claim: rounds
// numbers to whole years, months, weeks or days, and (unless `keep_known`)
// forgets facts the claim does not need. Every step is checked by replay.
cx_patient simplify(const runtime::graph& g, cx_patient p, const claim& c, bool keep_known);

}  // namespace rubric::compiler::verify_detail
