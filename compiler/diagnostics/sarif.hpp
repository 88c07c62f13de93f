// SARIF 2.1.0 output (OASIS Static Analysis Results Interchange Format) from
// the same diagnostic values the text and JSON renderers print, so code
// scanning tools can load `rubric lint --format sarif`.
#pragma once

#include <string>
#include <vector>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"

namespace rubric::compiler {

struct sarif_options {
  std::string tool_version;  // RUBRIC_VERSION
  // Relative paths are resolved against this folder (an absolute path),
  // recorded as the run's %SRCROOT%; empty = the current directory.
  std::string source_root;
};

// One log with one run: every diagnostic code as a rule (so ruleIndex is
// stable), each diagnostic as a result with its locations, related locations,
// notes and help.
std::string render_sarif(const source_manager& sources, const std::vector<diagnostic>& ds,
                         const sarif_options& options = {});

// A file path as a SARIF URI reference: relative paths stay relative ('/'
// separated, percent-encoded), absolute ones become file:// URIs.
std::string path_to_uri(const std::string& path);

}  // namespace rubric::compiler
