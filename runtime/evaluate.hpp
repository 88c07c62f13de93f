// Three-valued (Kleene) evaluation of a decision graph for one patient, and the
// selection policies. Nodes are topologically ordered, so evaluation is one
// linear sweep writing a truth value per node into a caller-provided buffer;
// nothing allocates once the buffers have their size.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runtime/arith.hpp"
#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

// Kleene connectives: false dominates `and`, true dominates `or`.
constexpr truth kleene_not(truth a) {
  return a == truth::unknown ? truth::unknown : (a == truth::yes ? truth::no : truth::yes);
}
constexpr truth kleene_and(truth a, truth b) {
  if (a == truth::no || b == truth::no) return truth::no;
  if (a == truth::unknown || b == truth::unknown) return truth::unknown;
  return truth::yes;
}
constexpr truth kleene_or(truth a, truth b) {
  if (a == truth::yes || b == truth::yes) return truth::yes;
  if (a == truth::unknown || b == truth::unknown) return truth::unknown;
  return truth::no;
}
std::string_view truth_name(truth t);  // "true" | "false" | "unknown"

// Writes the truth of every node of `g` into `values` (size ≥ g.nodes.size())
// and the interval of every numeric node into `numbers` (same size).
void evaluate_nodes(const graph& g, const patient& p, std::span<truth> values, std::span<interval> numbers);
// The same with a per-thread interval buffer (it grows once, then is reused).
void evaluate_nodes(const graph& g, const patient& p, std::span<truth> values);

enum class status : std::uint8_t { matched, undetermined, no_criteria_apply };
std::string_view status_name(status s);  // "matched" | "undetermined" | "no_criteria_apply"

// The result of evaluating one patient. Reuse one per thread: its vectors keep
// their capacity, so evaluate() does not allocate after the first patients.
struct evaluation {
  std::vector<truth> values;                // per node
  std::vector<interval> numbers;            // per node: the interval of a numeric node
  status result = status::no_criteria_apply;
  // matched: the chosen variant (first/unique) or every true one (all).
  // undetermined under `all`: the variants already known to hold.
  std::vector<std::uint32_t> selected;
  // undetermined: the variants that could still be chosen, in selection order
  // (first: the unknown guards up to and including the first true one).
  std::vector<std::uint32_t> candidates;
  std::vector<std::uint32_t> missing;       // fact slots whose values would decide it, ascending
  std::vector<std::uint32_t> violated;      // assumptions (indices) the patient violates
  std::vector<std::uint32_t> conflicts;     // under `unique`: further true variants (a guideline bug)
  std::vector<std::uint8_t> scratch;        // per node and per fact, for the missing-facts walk
  std::vector<std::uint32_t> roots;         // the unknown guards, for the missing-facts walk
};

// Evaluates all nodes, applies the graph's selection policy, fills `missing`
// (only when undetermined) and checks the assumptions.
void evaluate(const graph& g, const patient& p, evaluation& out);

// The facts under the `roots` that are unknown and keep them unknown (a
// subtree whose value is known is not entered). Appends slots to `slots`
// (unsorted, unique, none listed twice). Linear in the graph. Under a
// comparison of a sum (a score), only the terms that can still move the sum
// across the threshold are entered (see docs/language.md, "Unknowns").
void unknown_facts_under(const graph& g, const patient& p, std::span<const std::uint32_t> roots,
                         const std::vector<truth>& values, const std::vector<interval>& numbers,
                         std::vector<std::uint8_t>& scratch,
                         std::vector<std::uint32_t>& slots);

// The level index (into the rating scale) the selected variant gives
// `procedure`, or -1 when it is not rated or nothing was selected. Under
// `select all`, the most favourable level any matched variant gives it, and
// `variant` (when given) names that variant.
int rating_level(const graph& g, const evaluation& e, std::uint32_t procedure, std::int32_t* variant = nullptr);

// Index of a procedure by display name or id (exact, then case-insensitive); -1 if none.
int find_procedure(const graph& g, std::string_view name);

}  // namespace rubric::runtime
