// One verification run over one graph (internal to the verifier): the solver,
// the encoding, checks with a time limit, and helpers that turn graph
// locations into spans and counterexamples into diagnostic notes.
#pragma once

#include <z3++.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_encode.hpp"
#include "compiler/verify/verify_patient.hpp"

namespace rubric::compiler::verify_detail {

enum class answer : std::uint8_t { sat, unsat, unknown };

class session {
 public:
  // `timeout_ms` bounds each question, `budget_ms` all of them together.
  session(const runtime::graph& g, unsigned timeout_ms, unsigned budget_ms = default_budget_ms);

  const runtime::graph& g;
  z3::context ctx;
  encoding enc;
  z3::solver solver;
  bool gave_up = false;     // some query hit a time limit: findings may be incomplete
  std::size_t unanswered = 0;  // questions answered "unknown": what depends on them is not proved
  bool budget_spent = false;   // the overall budget ran out (rather than one question's limit)

  // Checks the solver's base constraints plus `e`; keeps the model when sat.
  answer check(const z3::expr& e);
  const z3::model& model() const { return *model_; }
  // Adds `e` to the base constraints for every later check.
  void assume(const z3::expr& e) { solver.add(e); }

  // The live variants in selection order (graph.order, or as written).
  std::vector<std::size_t> order() const;
  std::string variant_name(std::size_t v) const { return "`" + g.variants[v].id + "`"; }

 private:
  std::optional<z3::model> model_;
  unsigned timeout_ms_;
  std::chrono::steady_clock::time_point deadline_;
};

// A graph location as a span of the loaded sources; `ok` is false when the
// file is not loaded (the span then names no file).
span span_of(const runtime::graph& g, const source_manager& sources, const runtime::location& where, bool& ok);

// The author's words for a node: its criterion id or its expression text.
std::string node_words(const runtime::graph& g, std::uint32_t node);

// Nodes a region of patients can be described by: the conditions (atoms)
// under some guard first, then the named criteria (verify_gaps.cpp).
std::vector<std::uint32_t> describable_nodes(const runtime::graph& g);

// Replays `p` for `c`; on success appends the `given` and JSON notes led by
// `lead`, else a note saying no confirmed patient could be shown.
void attach_patient(diagnostic& d, const runtime::graph& g, const cx_patient& p, const claim& c,
                    const std::string& lead);

}  // namespace rubric::compiler::verify_detail
