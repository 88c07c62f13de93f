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

// `rubric fmt` breaks conditions that would run past this column.
inline constexpr std::size_t max_line_width = 100;

// Canonical text of `m`; `source` is the text `m` was parsed from (used for
// comments, blank lines and how `given` values were grouped on lines).
std::string format_module(const ast::module& m, std::string_view source);

// Parses `text` and formats it. On a syntax error returns nothing and leaves
// the diagnostics in `sink`; `sources` keeps the text for rendering them.
std::optional<std::string> format_source(source_manager& sources, const std::string& path, std::string text,
                                         diagnostic_sink& sink);

// Pieces shared with `rubric doc` and the tests.
// An expression with canonical spacing, the author's parentheses and those precedence needs.
std::string format_expr(const ast::expr& e);
// The same for an expression that starts at column `col`: when it does not
// fit in `width` columns, each `and`/`or` chain that does not fit is broken
// before its operators, one operand per line, continuation lines aligned with
// the chain's first operand (inside its parentheses). Lines after the first
// are joined with "\n" and carry their own indentation.
std::string format_expr_at(const ast::expr& e, std::size_t col, std::size_t width = max_line_width);
// A string literal, quoted and escaped (`\"`, `\\`, `\n`, `\t`).
std::string quote(std::string_view value);
// A number or duration as written, with single spaces (`6 weeks`).
std::string format_number(const ast::number& n);
// Width of UTF-8 text in code points (what column alignment counts).
std::size_t display_width(std::string_view s);

}  // namespace rubric::compiler
