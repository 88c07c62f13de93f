// The solver half of `rubric diff`: two guideline versions encoded over one
// set of patient facts, and every region of patients whose outcome (the
// variant selected, or none, or undetermined) differs in a way the caller
// cares about, each with a patient read out of the model. The solver only
// proposes; compiler/tools/guideline_diff.cpp replays every patient through
// both graphs with the runtime and reports what the replay shows.
// This header does not include the solver.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_patient.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

// What one version does with a patient.
struct diff_outcome {
  enum class kind : std::uint8_t { matched, undetermined, no_variant };
  kind what = kind::no_variant;
  std::int32_t variant = -1;  // matched: index into graph.variants
  bool operator==(const diff_outcome&) const = default;
};

// Which facts of the new version are the same slot as a fact of the old one:
// same id, type, unit, integer-ness and enumeration members (and, for text,
// the same text constants). Others are compared as different facts.
struct fact_pairing {
  std::vector<std::int32_t> new_to_old;  // per new fact: old slot, or -1
  std::vector<std::int32_t> old_to_new;  // per old fact: new slot, or -1
};
fact_pairing pair_facts(const runtime::graph& before, const runtime::graph& after);

// One region: a condition (a conjunction of the two versions' conditions, in
// the author's words) under which every patient gets `before` from the old
// version and `after` from the new one, and one such patient.
struct diff_region {
  diff_outcome before, after;
  std::vector<std::string> condition;
  verify_detail::cx_patient old_patient;  // over the old version's facts
  verify_detail::cx_patient new_patient;  // over the new version's facts (shared ones equal)
  bool some_unknown = false;              // found among patients with some fact unknown
};

struct diff_search_options {
  unsigned timeout_ms = 10000;
  unsigned budget_ms = default_budget_ms;
  unsigned max_regions_per_pair = 4;
  // The pairs of outcomes worth a region (a changed variant or rating).
  std::function<bool(const diff_outcome&, const diff_outcome&)> changed;
};

struct diff_search_result {
  std::vector<diff_region> regions;
  // Pairs with more regions than max_regions_per_pair (the rest are not listed).
  std::vector<std::pair<diff_outcome, diff_outcome>> truncated;
  std::size_t unanswered = 0;  // solver questions not decided in time: the search is incomplete
  std::string unsupported;     // non-empty: why no search was made (e.g. `select all`)
};

// Searches every pair of outcomes `options.changed` accepts, among patients
// for whom both versions' value ranges and assumptions hold. Never throws.
diff_search_result find_diff_regions(const runtime::graph& before, const runtime::graph& after,
                                     const fact_pairing& pairing, const diff_search_options& options);

}  // namespace rubric::compiler
