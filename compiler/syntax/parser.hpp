// Parsing: text → AST. The only translation unit that includes PEGTL is
// compiler/parser.cpp; it forwards parse actions to a plain AST builder.
#pragma once

#include <optional>

#include "compiler/syntax/ast.hpp"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"

namespace rubric::compiler {

// Parses file `id`. On success returns the module; on a syntax error reports
// diagnostics (file:line:col, what was expected in the author's terms) and
// returns nothing. Never throws, never crashes, on any input.
std::optional<ast::module> parse_module(const source_manager& sources, file_id id, diagnostic_sink& sink);

}  // namespace rubric::compiler
