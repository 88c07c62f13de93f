// The language features, one file each, as functions from an analysis and a
// document to LSP result JSON. The server (server.cpp) only routes to them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "lsp/analysis.hpp"
#include "lsp/document.hpp"
#include "lsp/json_rpc.hpp"

namespace rubric::lsp {

// hover.cpp: Markdown about the name under the cursor, or null.
json hover(const analysis& a, const document& doc, position at);

// navigation.cpp: where the name under the cursor is declared (in any file of
// the analysis, the stdlib included), and every use of it in `analyses` (the
// open documents' analyses; each reaches its own imports).
json definition(const analysis& a, const document& doc, position at);
json references(const analysis& a, const document& doc, position at, bool include_declaration,
                const std::vector<std::shared_ptr<const analysis>>& analyses);

// completion.cpp: what may be typed at the cursor, from the line's context.
// `a` is the last analysis that parsed (the text may be broken right now).
// `trigger` is the character that triggered it, if one did: after a space only
// units and categories are offered (a space in prose must not pop up names).
json completion(const analysis* a, const document& doc, position at, const std::string& trigger = "");

// outline.cpp: document symbols, folding ranges and semantic tokens.
json document_symbols(const analysis& a, const document& doc);
json folding_ranges(const analysis& a, const document& doc);
json semantic_tokens(const analysis& a, const document& doc);
json semantic_tokens_legend();

// formatting.cpp: `rubric fmt` as text edits, for the document or a range.
json format_document(const document& doc);
json format_range(const document& doc, const range& r);

// code_actions.cpp: quick fixes for the diagnostics in the request's context.
json code_actions(const analysis& a, const document& doc, const json& params);

}  // namespace rubric::lsp
