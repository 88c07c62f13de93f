// Reading and writing the decision graph as JSON (format "rubric.decision-graph",
// version graph_format_version). The loader checks the format name and version
// before anything else and validates every index, so a truncated, corrupt or
// hand-edited file is a clear error message, never a crash. docs/ir.md
// documents every field.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/graph.hpp"

namespace rubric::runtime {

// Serialises `g`; `pretty` indents (what `rubric compile -o` writes).
std::string write_graph_json(const graph& g, bool pretty = true);

// A loaded graph or the reason it could not be loaded.
struct graph_load_result {
  std::optional<graph> value;
  std::string error;  // e.g. "unsupported graph format version 2 (this runtime reads version 1)"
  explicit operator bool() const { return value.has_value(); }
};

// Parses and validates graph JSON held in memory.
graph_load_result load_graph_json(std::string_view text);
// Reads a file and parses it; the error names the path.
graph_load_result load_graph_file(const std::string& path);

// Checks the invariants the evaluator relies on (indices in range, children
// before parents, node kinds matching fact types). Empty string = valid.
// The loader calls it; the compiler may call it on a freshly lowered graph.
std::string validate_graph(const graph& g);

// Per node, the longest chain of nodes from it down to a leaf, counting both
// ends (a leaf is 1). Needs children before parents (validate_graph checks).
std::vector<std::uint32_t> node_depths(const graph& g);

}  // namespace rubric::runtime
