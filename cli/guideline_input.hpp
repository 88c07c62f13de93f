// Loading the GUIDELINE argument of `rubric eval` / `rubric explain`: a compiled
// decision graph (.json) is loaded by the runtime alone; a `.rubric` file is
// compiled in memory first and its diagnostics are printed on stderr.
#pragma once

#include <optional>
#include <string>

#include "runtime/graph.hpp"

namespace rubric::cli {

// The graph, or nullopt after printing why on stderr (diagnostics or the
// loader's message). `color` follows --color for diagnostics.
std::optional<runtime::graph> load_guideline(const std::string& path, const std::string& color = "auto");

// Reads a whole file; nullopt (after a message on stderr) when it cannot.
std::optional<std::string> read_file_text(const std::string& path);

}  // namespace rubric::cli
