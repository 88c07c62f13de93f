// Ratings, variants, outcomes and examples of the root guideline (R04xx):
// procedures by display name or id with "did you mean", categories as levels
// of the guideline's scale, numeric scores inside their level's range, RRLs
// against the catalog, one rating per procedure per variant; unique variant
// ids, `next` targets, the `select … in order` list, one `otherwise`; and the
// `given`/`expect` lines of examples. Fills p.ratings (per root variant).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/sema/sema.hpp"

namespace rubric::compiler {

void check_outcomes(sema::program& p, diagnostic_sink& sink);

// A procedure visible from `module` by display name (exact) or id; reports
// R0400 with a suggestion when `report` is set.
std::optional<sema::symbol> find_procedure(sema::program& p, std::uint32_t module, const ast::procedure_ref& ref,
                                           diagnostic_sink& sink);

// The level of `scale` that a category names (label words, case-insensitive,
// or level id); reports R0401 when it names none.
std::optional<std::uint32_t> find_category(const sema::program& p, const sema::symbol& scale, const ast::category_ref& ref,
                                           diagnostic_sink& sink);

// A level label as category words: lower case, parentheses dropped.
std::vector<std::string> label_words(const std::string& label);

}  // namespace rubric::compiler
