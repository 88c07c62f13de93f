// Evaluation properties shared by the graph and patient harnesses: the graph
// evaluator, the compiled program and the bit-sliced batch evaluator agree;
// the explanation and why-not build and render.
#pragma once

#include <string>

#include "fuzz/fuzz_common.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/graph.hpp"
#include "runtime/patient.hpp"
#include "runtime/program.hpp"
#include "runtime/program_batch.hpp"
#include "runtime/why_not.hpp"

namespace rubric::fuzz {

// Evaluates `p` every way the runtime can and checks they agree; then
// explains it (text and JSON) and, when `why_not_trials` > 0, runs a why-not
// search for the first procedure within that many trials.
inline void evaluate_everything(const runtime::graph& g, const runtime::patient& p, std::size_t why_not_trials) {
  using namespace runtime;
  evaluation by_graph, by_program;
  evaluate(g, p, by_graph);
  program prog(g);
  evaluate(prog, p, by_program);
  require(by_graph.values == by_program.values, "graph and program evaluators disagree on node values");
  require(by_graph.result == by_program.result && by_graph.selected == by_program.selected &&
              by_graph.missing == by_program.missing,
          "graph and program evaluators disagree on the outcome");
  batch_evaluator batch(g);
  batch_outcome outcome;
  batch.run(std::span<const patient>(&p, 1), std::span<batch_outcome>(&outcome, 1));
  require(outcome.result == by_graph.result, "the bit-sliced evaluator disagrees on the status");
  if (by_graph.result == status::matched)
    require(outcome.variant == static_cast<std::int32_t>(by_graph.selected.front()),
            "the bit-sliced evaluator selects another variant");
  explanation x = explain(g, p, by_graph);
  std::string text = render_explanation_text(g, p, x);
  std::string json = render_explanation_json(g, p, x);
  require(!text.empty() && !json.empty(), "an empty explanation");
  if (why_not_trials > 0 && !g.procedures.empty()) {
    why_not_options options;
    options.max_trials = why_not_trials;
    why_not_result r = why_not(g, p, g.procedures.front().id, options);
    std::string shown = render_why_not_text(g, r) + render_why_not_json(g, r);
  }
}

}  // namespace rubric::fuzz
