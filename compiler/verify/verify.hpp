// Verification: what the solver (Z3) proves about a compiled decision graph.
// Guards that never hold, variants shadowed by earlier ones, overlaps under
// `select unique`, gaps with no `otherwise`, transitions that never lead into
// their target, the facts each variant needs, and examples that break an
// `assume`. Findings are diagnostics (codes R05xx) whose counterexample
// patients are replayed through the runtime evaluator before they are printed.
// Only compiler files include the solver; this header does not.
#pragma once

#include <cstdint>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

// The overall solver time of one verification run (docs/limits.md).
inline constexpr unsigned default_budget_ms = 60000;

struct verify_options {
  // true: only error-level findings (what `rubric check` runs); false: all (lint).
  bool errors_only = true;
  // The parsed modules (modules[0] is the guideline) when available: examples
  // are checked against the `assume` constraints, and gap findings point at the
  // `select` clause. Null is fine: those parts are skipped or fall back.
  const std::vector<ast::module>* modules = nullptr;
  // At most this many distinct gap regions are reported per guideline.
  unsigned max_gap_regions = 8;
  // Per solver query, so hostile input cannot hang the compiler.
  unsigned timeout_ms = 10000;
  // All queries of one run together: past it every question is "not proved"
  // (R0510), so the time a guideline can cost is bounded whatever its size.
  unsigned budget_ms = default_budget_ms;
};

// Runs the findings selected by `options` and reports them into `sink`.
// Never throws; a solver failure becomes an R0510 warning.
void verify_graph(const runtime::graph& graph, const source_manager& sources, diagnostic_sink& sink,
                  const verify_options& options);

// The R0510 warning: `unanswered` solver questions were not decided within
// the per-question limit or the overall budget, so what depends on them is
// not proved (never silently dropped).
void report_incomplete(const runtime::graph& g, const source_manager& sources, diagnostic_sink& sink,
                       std::size_t unanswered, unsigned timeout_ms, unsigned budget_ms);

// For each variant (as written), the fact slots whose unknown value can block
// its selection: there is a patient who gets the variant when the fact is known
// and does not when it is forgotten. Sorted slot indices.
// A fact the solver could not decide within its budget is listed (it may be
// needed: never silently dropped) and counted in `*unanswered` (when given).
std::vector<std::vector<std::uint32_t>> variant_requirements(const runtime::graph& graph, unsigned timeout_ms = 10000,
                                                             unsigned budget_ms = default_budget_ms,
                                                             std::size_t* unanswered = nullptr);

// Fills graph.variants[i].requires_facts from variant_requirements(); false
// when some fact was listed without proof (the budget ran out).
bool write_requirements(runtime::graph& graph, unsigned timeout_ms = 10000, unsigned budget_ms = default_budget_ms);

}  // namespace rubric::compiler
