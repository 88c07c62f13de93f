// `rubric graph`: the decision graph as a picture for reviewers. Variants in
// selection order, each behind a guard that lists its criteria by label;
// transitions between variants; each variant's ratings summarised. Given an
// evaluated patient, the path taken is highlighted, branches not taken are
// dimmed and every criterion is marked true, false or unknown. Output is
// deterministic (same graph, same text) with escaped labels.
#pragma once

#include <optional>
#include <string>

#include "runtime/evaluate.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

struct graph_render_options {
  // An evaluated patient, or nothing for the plain graph.
  const runtime::evaluation* evaluation = nullptr;
  std::string patient_name;  // shown in the start node, e.g. the patient's "id"
};

// Graphviz DOT (HTML-like labels).
std::string render_dot(const runtime::graph& g, const graph_render_options& options = {});
// A Mermaid flowchart (for Markdown viewers).
std::string render_mermaid(const runtime::graph& g, const graph_render_options& options = {});

// Runs Graphviz `dot -Tsvg` on DOT text. Without Graphviz, `error` says so and
// how to install it.
struct svg_result {
  std::optional<std::string> svg;
  std::string error;
};
svg_result dot_to_svg(const std::string& dot);

}  // namespace rubric::compiler
