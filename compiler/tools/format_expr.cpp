// Expression and literal printing for `rubric fmt` (and the reviewer's
// document): canonical spacing, the author's parentheses kept and others
// added only where precedence needs them, and long conditions broken before
// `and`/`or` with aligned continuation lines.
#include <fmt/format.h>

#include <vector>

#include "compiler/tools/format.hpp"

namespace rubric::compiler {

namespace {

// Precedence levels of the grammar (docs/design/syntax-v0.md): an operand
// printed where a higher level is required gets parentheses.
enum prec : int { p_or = 1, p_and = 2, p_not = 3, p_test = 4, p_sum = 5, p_product = 6, p_atom = 7 };

int precedence(const ast::expr& e) {
  switch (e.kind) {
    case ast::expr_kind::or_: return p_or;
    case ast::expr_kind::and_: return p_and;
    case ast::expr_kind::not_: return p_not;
    case ast::expr_kind::compare:
    case ast::expr_kind::in_set:
    case ast::expr_kind::has_any:
    case ast::expr_kind::has_all:
    case ast::expr_kind::is_empty:
    case ast::expr_kind::is_not_empty:
    case ast::expr_kind::is_known:
    case ast::expr_kind::is_unknown:
    case ast::expr_kind::if_value: return p_test;  // its `else` runs on, so it is bracketed inside arithmetic
    case ast::expr_kind::add:
    case ast::expr_kind::subtract:
    case ast::expr_kind::convert: return p_sum;  // `(age in years) * 10` reads better bracketed
    case ast::expr_kind::multiply:
    case ast::expr_kind::divide: return p_product;
    default: return p_atom;
  }
}

std::string print(const ast::expr& e, int min_prec);

std::string operand(const ast::expr& e, std::size_t i, int min_prec) {
  return i < e.operands.size() ? print(e.operands[i], min_prec) : std::string("?");
}

std::string join(const ast::expr& e, std::string_view sep, int min_prec) {
  std::string out;
  for (std::size_t i = 0; i < e.operands.size(); ++i) {
    if (i) out += sep;
    out += print(e.operands[i], min_prec);
  }
  return out;
}

std::string print(const ast::expr& e, int min_prec) {
  std::string s;
  switch (e.kind) {
    case ast::expr_kind::boolean: s = e.bool_value ? "true" : "false"; break;
    case ast::expr_kind::unknown: s = "unknown"; break;
    case ast::expr_kind::number: s = format_number(e.number_value); break;
    case ast::expr_kind::string: s = quote(e.text_value); break;
    case ast::expr_kind::name: s = e.text_value; break;
    case ast::expr_kind::set: s = "{" + join(e, ", ", p_atom) + "}"; break;
    // `not` binds a not_expr, so `not not x` needs no parentheses; a test
    // under `not` keeps them: `not age < 18 years` reads as `(not age) < …`
    // to a clinician, and the text is what explanations show.
    case ast::expr_kind::not_:
      s = "not " + operand(e, 0, !e.operands.empty() && precedence(e.operands[0]) == p_test ? p_atom : p_not);
      break;
    // Flattened chains: a nested chain of the same operator came from parentheses.
    case ast::expr_kind::and_: s = join(e, " and ", p_not); break;
    case ast::expr_kind::or_: s = join(e, " or ", p_and); break;
    case ast::expr_kind::compare:
      s = fmt::format("{} {} {}", operand(e, 0, p_sum), ast::compare_spelling(e.op), operand(e, 1, p_sum));
      break;
    case ast::expr_kind::add: s = operand(e, 0, p_sum) + " + " + operand(e, 1, p_product); break;
    case ast::expr_kind::subtract: s = operand(e, 0, p_sum) + " - " + operand(e, 1, p_product); break;
    case ast::expr_kind::multiply: s = operand(e, 0, p_product) + " * " + operand(e, 1, p_atom); break;
    case ast::expr_kind::divide: s = operand(e, 0, p_product) + " / " + operand(e, 1, p_atom); break;
    case ast::expr_kind::convert: s = operand(e, 0, p_atom) + " in " + e.text_value; break;
    case ast::expr_kind::if_value:
      s = "if " + operand(e, 0, p_or) + " then " + operand(e, 1, p_sum) + " else " + operand(e, 2, p_sum);
      break;
    case ast::expr_kind::min_of: s = "min(" + join(e, ", ", p_or) + ")"; break;
    case ast::expr_kind::max_of: s = "max(" + join(e, ", ", p_or) + ")"; break;
    case ast::expr_kind::at_least: s = "at least " + format_number(e.number_value) + " of (" + join(e, ", ", p_or) + ")"; break;
    case ast::expr_kind::at_most: s = "at most " + format_number(e.number_value) + " of (" + join(e, ", ", p_or) + ")"; break;
    case ast::expr_kind::none_of: s = "none of (" + join(e, ", ", p_or) + ")"; break;
    case ast::expr_kind::all_of: s = "all of (" + join(e, ", ", p_or) + ")"; break;
    case ast::expr_kind::in_set: s = operand(e, 0, p_atom) + " in " + operand(e, 1, p_atom); break;
    case ast::expr_kind::has_any: s = operand(e, 0, p_atom) + " has any of " + operand(e, 1, p_atom); break;
    case ast::expr_kind::has_all: s = operand(e, 0, p_atom) + " has all of " + operand(e, 1, p_atom); break;
    case ast::expr_kind::is_empty: s = operand(e, 0, p_atom) + " is empty"; break;
    case ast::expr_kind::is_not_empty: s = operand(e, 0, p_atom) + " is not empty"; break;
    case ast::expr_kind::is_known: s = operand(e, 0, p_atom) + " is known"; break;
    case ast::expr_kind::is_unknown: s = operand(e, 0, p_atom) + " is unknown"; break;
  }
  // The author's parentheses stay (they show grouping even where precedence
  // makes them redundant); others only where precedence needs them.
  return e.parenthesized || precedence(e) < min_prec ? "(" + s + ")" : s;
}

// `e` laid out from column `col` (see format_expr_at): the first line without
// indentation, the following ones with theirs.
std::vector<std::string> layout(const ast::expr& e, std::size_t col, int min_prec, std::size_t width) {
  std::string flat = print(e, min_prec);
  bool chain = e.kind == ast::expr_kind::and_ || e.kind == ast::expr_kind::or_;
  if (col + display_width(flat) <= width || (!chain && e.kind != ast::expr_kind::not_)) return {flat};
  bool parens = e.parenthesized || precedence(e) < min_prec;
  std::size_t inner = col + (parens ? 1 : 0);
  std::vector<std::string> lines;
  auto append = [&](std::string lead, std::vector<std::string> sub) {
    lines.push_back(std::move(lead) + sub.front());
    lines.insert(lines.end(), sub.begin() + 1, sub.end());
  };
  if (chain) {
    std::string op = e.kind == ast::expr_kind::and_ ? "and " : "or ";
    int operand_prec = e.kind == ast::expr_kind::and_ ? p_not : p_and;
    for (std::size_t i = 0; i < e.operands.size(); ++i) {
      if (i == 0) append("", layout(e.operands[i], inner, operand_prec, width));
      else append(std::string(inner, ' ') + op, layout(e.operands[i], inner + op.size(), operand_prec, width));
    }
  } else {
    append("not ", e.operands.empty() ? std::vector<std::string>{"?"} : layout(e.operands[0], inner + 4, p_not, width));
  }
  if (parens) {
    lines.front() = "(" + lines.front();
    lines.back() += ")";
  }
  return lines;
}

std::string_view unit_word(ast::unit u) {
  switch (u) {
    case ast::unit::day: return "days";
    case ast::unit::week: return "weeks";
    case ast::unit::month: return "months";
    case ast::unit::year: return "years";
    case ast::unit::second: return "seconds";
    case ast::unit::minute: return "minutes";
    case ast::unit::hour: return "hours";
    case ast::unit::none: break;
  }
  return "";
}

}  // namespace

std::string format_expr(const ast::expr& e) { return print(e, p_or); }

std::string format_expr_at(const ast::expr& e, std::size_t col, std::size_t width) {
  std::string out;
  for (const std::string& l : layout(e, col, p_or, width)) out += (out.empty() ? "" : "\n") + l;
  return out;
}

std::string quote(std::string_view value) {
  std::string out = "\"";
  for (char c : value) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default: out.push_back(c);
    }
  }
  out.push_back('"');
  return out;
}

std::string format_number(const ast::number& n) {
  if (n.spelling.empty()) {  // built by hand, not parsed: print the value
    std::string s = fmt::format("{}", n.value);
    if (n.unit_of == ast::unit::none) return n.has_unit() ? s + " " + n.unit_text : s;
    return s + " " + std::string(unit_word(n.unit_of));
  }
  // The spelling as written, with whitespace between number and unit made one space.
  std::string out;
  bool space = false;
  for (char c : n.spelling) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (char c : s) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

}  // namespace rubric::compiler
