// Internal to `rubric diff` (compiler/tools/guideline_diff*.cpp): how the
// two versions' variants, procedures and rating levels correspond.
#pragma once

#include <string>
#include <vector>

#include "compiler/tools/guideline_diff.hpp"

namespace rubric::compiler::diff_detail {

struct matching {
  const runtime::graph* before = nullptr;
  const runtime::graph* after = nullptr;
  fact_pairing facts;
  std::vector<int> variant_to_new;    // per old variant: new index or -1
  std::vector<std::string> variant_how;  // per old variant: "id", "title"
  std::vector<int> procedure_to_new;  // per old procedure: new index or -1
  std::vector<int> procedure_to_old;  // per new procedure
  std::vector<std::string> procedure_how;  // per old procedure: "", "name", "code CPT 71275", "rename"
};

matching match_versions(const runtime::graph& before, const runtime::graph& after, const diff_options& options);

// The level `outcome` gives procedure `p` of `g`: -1 when not rated or no variant.
int level_of(const runtime::graph& g, const diff_outcome& o, std::size_t p);

// How the category moved from old level `a` to new level `b` (either -1).
category_move classify(const matching& m, int a, int b);
std::string level_label(const runtime::graph& g, int level);
std::string level_id(const runtime::graph& g, int level);
std::string outcome_words(const runtime::graph& g, const diff_outcome& o);

// The static part: facts, metadata, variants, procedures, criteria,
// thresholds and advice (guideline_diff_static.cpp).
void diff_static(const matching& m, guideline_diff& out);

}  // namespace rubric::compiler::diff_detail
