// `rubric diff OLD NEW`: what changed between two versions of a guideline,
// for which patients. Variants are matched by id, then title; procedures by
// catalog id, name, then a shared code (or an explicit rename). The solver
// (compiler/verify/diff_regions.hpp) proposes regions of patients whose
// variant or rating changes; every region's patient is replayed through both
// graphs by the runtime, and the replay decides what is reported as true.
// Beside the regions: facts added and removed, thresholds moved, criteria,
// advice and metadata changed.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "compiler/verify/diff_regions.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

struct diff_options {
  std::vector<std::pair<std::string, std::string>> renames;  // old procedure name or id → new
  std::vector<std::pair<std::string, std::string>> variants;  // old variant id → new id, before matching by id and title
  std::string procedure;  // non-empty: report rating changes of this procedure only
  unsigned timeout_ms = 10000;
  unsigned budget_ms = default_budget_ms;
  unsigned max_regions_per_pair = 4;
};

// How a procedure's category moved for the patients of a region.
enum class category_move : std::uint8_t { better, worse, newly_rated, no_longer_rated, changed };
std::string_view move_name(category_move m);  // "better", "worse", "newly rated", …

struct rating_change {
  std::string procedure;  // the new version's name (the old one's when removed)
  category_move move = category_move::changed;
  std::string before, after;  // level labels; "" when not rated
};

// One region of patients, confirmed (or not) by replay.
struct diff_change {
  std::string before, after;              // the outcomes in words: "variant 1", "no variant", "undetermined"
  diff_outcome before_outcome, after_outcome;  // the same as values (variant indices of each graph)
  bool variant_changed = false;
  std::vector<std::string> condition;     // conjunction, in the author's words
  std::vector<rating_change> ratings;     // per procedure, the categories that move
  std::string given;                      // the witness as a `given` line
  std::string patient_json;               // the witness as patient JSON
  bool confirmed = false;                 // the replay shows exactly this change
  std::string replay_note;                // when not confirmed: what the replay showed
  bool some_unknown = false;
};

struct threshold_move {
  std::string where;  // "criterion `persistent_pain`" or "variant `2`"
  std::string text;   // the condition as written in the new version
  std::string fact;
  std::string before, after;  // "6 weeks", "4 weeks"
  std::string between;        // the patients between: "4 weeks <= symptom_duration < 6 weeks"
};

struct guideline_diff {
  std::string before_name, after_name;  // "acr.low_back_pain (2021)"
  std::vector<std::string> metadata;    // "revised: 2016 → 2022", …
  std::vector<std::string> facts_added, facts_removed, facts_changed;
  std::vector<std::string> variants_matched;  // "1 → 1", "3 → 3 (matched by title)"
  std::vector<std::string> variants_added, variants_removed, variant_titles_changed;
  std::vector<std::string> procedures_renamed;  // "A → B (shared code CPT 71275)"
  std::vector<std::string> procedures_added, procedures_removed;  // rated in one version only
  std::vector<std::string> criteria_added, criteria_removed, criteria_changed;
  std::vector<threshold_move> thresholds;
  std::vector<std::string> advice_changed;  // "variant 2: + \"…\"", "variant 2: − \"…\""
  std::vector<diff_change> changes;         // the regions, variant changes first
  std::vector<std::string> incomplete;      // why the search may have missed something
  std::string unsupported;                  // non-empty: no region search was possible
};

guideline_diff diff_guidelines(const runtime::graph& before, const runtime::graph& after, const diff_options& options);

// Whether a confirmed region rates some procedure worse than before: the CI
// gate of `--fail-on worse`.
bool has_worse(const guideline_diff& d);

std::string render_diff_text(const guideline_diff& d);
std::string render_diff_markdown(const guideline_diff& d);
std::string render_diff_json(const guideline_diff& d);

// What a version does with one patient, as the runtime says: the outcome
// kind and variant, and per procedure of that graph its level (-1: not rated).
struct observed_outcome {
  diff_outcome outcome;
  std::vector<int> levels;  // per graph procedure
};
observed_outcome observe(const runtime::graph& g, const runtime::evaluation& e);

}  // namespace rubric::compiler
