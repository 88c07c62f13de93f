// `rubric lint`: the verifier's findings (all severities) plus style lints
// (R06xx) over a compiled file, then `# rubric: allow(CODE) reason` silences.
// Rules and how to silence them are documented in docs/lints.md.
#pragma once

#include <string>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/pipeline/pipeline.hpp"
#include "compiler/diagnostics/source.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

struct lint_options {
  bool verify = true;        // run the solver's findings (all severities)
  unsigned max_gap_regions = 8;
  unsigned timeout_ms = 10000;
  std::vector<std::string> include_paths;  // -I folders, as for compile_options
};

// Compiles `path` (without the pipeline's own error-level verification, which
// the full verification here includes) and lints it. The result's diagnostics
// hold everything, sorted and with silences applied.
compile_result lint_file(const std::string& path, const lint_options& options = {});
// The same for text in memory (tests).
compile_result lint_text(const std::string& path, std::string text, const lint_options& options = {});

// Style lints over the root module (modules[0]); `graph` (may be null) lets
// the rating-set rule compare resolved procedures.
void style_lints(const std::vector<ast::module>& modules, const runtime::graph* graph, const source_manager& sources,
                 diagnostic_sink& sink);

// Lints of the root guideline's FHIR bindings (R0611-R0615, lint_fhir.cpp);
// they need the graph (resolved facts, members, comparisons): none without.
void fhir_lints(const ast::module& m, const runtime::graph* graph, diagnostic_sink& sink);

// One `# rubric: allow(R0601, R0602) reason` comment.
struct silence {
  file_id file = 0;
  std::uint32_t line = 0;         // the comment's line
  std::uint32_t target_line = 0;  // the line it silences
  std::vector<std::string> codes;
  std::string reason;
  span where;                     // the comment
};

// The silences in one file's text (comments outside strings).
std::vector<silence> find_silences(const source_manager& sources, file_id file);

// Drops the warnings and infos (R05xx, R06xx) silenced on their line in the
// files of `files`, then reports silences without a reason (R0608) and
// silences that silence nothing (R0609).
void apply_silences(const source_manager& sources, const std::vector<file_id>& files, diagnostic_sink& sink);

}  // namespace rubric::compiler
