// Why-not / what-if: for a procedure, the smallest sets of fact changes under
// which it gets a better category. Candidate values come from the thresholds
// and members the graph tests; `fixed` facts never change; a change that lands
// in an earlier variant counts as that variant (selection runs as usual);
// results that violate an `assume` are dropped; only minimal sets are kept.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

// One changed fact, described as a condition: "conservative_therapy ≥ 6 weeks",
// "intervention_candidate = true", "red_flags include any of {fever}".
struct fact_change {
  std::uint32_t slot = 0;
  std::string condition;     // with fact ids
  std::string label_text;    // with the fact's label (for clinicians)
  slot_value value;          // the representative value tried
  // For a set: the members the change names ("include any of {a, b}": a and
  // b, each giving the same result); 0 for "= {} (none)" and other types.
  std::uint64_t members = 0;
};

struct why_not_option {
  std::vector<fact_change> changes;
  std::uint32_t variant = 0;  // the variant that rates it after the changes (under `all`: the best of the matched)
  std::uint32_t level = 0;    // the procedure's category there
  std::vector<std::string> scores;  // scores the changes move, with their new value: "wells 6"
};

struct why_not_result {
  std::string error;          // unknown procedure, …
  std::int32_t procedure = -1;
  std::int32_t current_level = -1;   // -1: not rated (undetermined, no criteria apply)
  std::int32_t current_variant = -1;
  std::vector<why_not_option> options;  // by size, then selection order of the variant
  bool truncated = false;               // more than max_options were found; the rest are not shown
  bool incomplete = false;              // the search stopped after max_trials evaluations
};

struct why_not_options {
  int max_changes = 3;        // largest change set tried
  std::size_t max_options = 20;
  // Evaluations tried at most: change sets grow combinatorially with the
  // facts a graph tests, so the search has a budget (docs/limits.md).
  std::size_t max_trials = 200000;
};

why_not_result why_not(const graph& g, const patient& p, std::string_view procedure, const why_not_options& options = {});

// For one change, what would have to be in the patient's record, in plain
// words (runtime/fhir_why_not.hpp for a patient read from FHIR); "" = nothing to add.
using change_words = std::function<std::string(const fact_change&)>;

// "conservative_therapy ≥ 6 weeks, improved_with_therapy = false → variant 3, Usually appropriate"
std::string describe_option(const graph& g, const why_not_option& o);
// With `words`, each change of an option gets a line of its own saying it.
std::string render_why_not_text(const graph& g, const why_not_result& r, bool color = false, const change_words& words = {});
// The why-not as one JSON object (procedure, current category, options);
// with `words`, each change has a "record" key saying it.
std::string render_why_not_json(const graph& g, const why_not_result& r, const change_words& words = {});

}  // namespace rubric::runtime
