// Conversions between the compiler's values (byte spans, diagnostics) and LSP
// JSON (ranges in UTF-16 positions, locations with file URIs, diagnostics).
#pragma once

#include <string>
#include <unordered_map>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"
#include "lsp/document.hpp"
#include "lsp/json_rpc.hpp"

namespace rubric::lsp {

json to_json(const position& p);
json to_json(const range& r);
position position_from_json(const json& j);
range range_from_json(const json& j);

// Maps spans of one source manager to LSP ranges, caching a line table per file.
class span_mapper {
 public:
  explicit span_mapper(const compiler::source_manager& sources) : sources_(sources) {}
  range to_range(compiler::span s);
  json range_json(compiler::span s) { return to_json(to_range(s)); }
  json location(compiler::span s);
  std::string uri(compiler::file_id file) const;
  // Offset in `file` of an LSP position.
  std::uint32_t offset_of(compiler::file_id file, position p);

 private:
  const line_table& table(compiler::file_id file);
  const compiler::source_manager& sources_;
  std::unordered_map<compiler::file_id, line_table> tables_;
};

// The path the compiler knows a file by, made absolute and normal, so two
// analyses that reach the same file (one relative, one absolute) agree.
std::string normal_path(const std::string& path);

// One compiler diagnostic as an LSP Diagnostic: code with a link into
// docs/diagnostics.md, notes (the counterexample patient) and help in the
// message, secondary spans as related information, and in `data` what the code
// actions need: a "did you mean" replacement, the counterexample patient.
json to_lsp_diagnostic(span_mapper& spans, const compiler::diagnostic& d);

// The link for a code: docs/diagnostics.md under the Rubric home, with the anchor.
std::string docs_link(const compiler::diagnostic& d);

}  // namespace rubric::lsp
