// `rubric fmt`: prints a parsed module back as canonical text. One layout:
// two-space clause indentation, header keywords in a column, rating tables and
// patient facts aligned in columns, one blank line between declarations, clause
// order kept, comments kept where they stand. Formatting is idempotent and
// changes no meaning (a test compiles every project file before and after).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/syntax/ast.hpp"
#include "compiler/diagnostics/diagnostic.hpp"

namespace rubric::compiler {

// Canonical text of `m`; `source` is the text `m` was parsed from (used for
// comments, blank lines and how `given` values were grouped on lines).
std::string format_module(const ast::module& m, std::string_view source);

// Parses `text` and formats it. On a syntax error returns nothing and leaves
// the diagnostics in `sink`; `sources` keeps the text for rendering them.
std::optional<std::string> format_source(source_manager& sources, const std::string& path, std::string text,
                                         diagnostic_sink& sink);

// Pieces shared with `rubric doc` and the tests.
// An expression with canonical spacing and only the parentheses it needs.
std::string format_expr(const ast::expr& e);
// A string literal, quoted and escaped (`\"`, `\\`, `\n`, `\t`).
std::string quote(std::string_view value);
// A number or duration as written, with single spaces (`6 weeks`).
std::string format_number(const ast::number& n);
// Width of UTF-8 text in code points (what column alignment counts).
std::size_t display_width(std::string_view s);

}  // namespace rubric::compiler
