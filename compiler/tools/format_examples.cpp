// `rubric fmt` for examples: `given` values grouped on lines as the author
// grouped them, `expect` clauses with the procedure column aligned.
// See format_internal.hpp.
#include <algorithm>

#include "compiler/tools/format_internal.hpp"

namespace rubric::compiler::formatting {

// Source text between two offsets with comments cut out (to find keywords).
std::string formatter::code_between(std::uint32_t a, std::uint32_t b) const {
  std::string out;
  if (a >= b || b > src_.size()) return out;
  bool in_comment = false;
  for (std::uint32_t i = a; i < b; ++i) {
    char c = src_[i];
    if (c == '#') in_comment = true;
    if (c == '\n') in_comment = false;
    if (!in_comment) out.push_back(c);
  }
  return out;
}

void formatter::emit_example(const ast::example_decl& e) {
  add(0, "example " + quote(e.title.value), e.where.begin, e.title.where.end);
  std::vector<clause> cs;
  // `given` clauses: a new clause where the source repeats `given`, a new line
  // where the author broke the line; values joined by ", ".
  struct given_line {
    bool starts_clause;
    std::vector<const ast::given_decl*> items;
  };
  std::vector<given_line> glines;
  for (std::size_t i = 0; i < e.given.size(); ++i) {
    const auto& g = e.given[i];
    bool new_clause = i == 0, new_line = i == 0;
    if (i > 0) {
      std::string between = code_between(e.given[i - 1].where.end, g.where.begin);
      std::size_t k = between.find("given");
      new_clause = k != std::string::npos;
      new_line = new_clause || between.find('\n') != std::string::npos;
    }
    if (new_line) glines.push_back({new_clause, {}});
    glines.back().items.push_back(&g);
  }
  for (std::size_t i = 0; i < glines.size(); ++i) {
    std::string code = glines[i].starts_clause ? "given " : "";
    for (std::size_t k = 0; k < glines[i].items.size(); ++k) {
      const auto* g = glines[i].items[k];
      code += (k ? ", " : "") + g->fact.text + " = " + format_expr(g->value);
    }
    if (i + 1 < glines.size() && !glines[i + 1].starts_clause) code += ",";
    cs.push_back({glines[i].items.front()->where.begin, glines[i].items.back()->where.end,
                  glines[i].starts_clause ? 2 : 8, code});
  }
  std::size_t wproc = 0;
  for (const auto& x : e.expect) {
    if (x.kind == ast::expect_kind::rating) wproc = std::max(wproc, display_width(procedure_text(x.procedure)));
  }
  for (const auto& x : e.expect) {
    std::string code = "expect ";
    switch (x.kind) {
      case ast::expect_kind::variant: code += "variant " + join_names(x.names); break;
      case ast::expect_kind::status: code += "status " + join_names(x.names); break;
      case ast::expect_kind::missing: code += "missing " + join_names(x.names); break;
      case ast::expect_kind::candidates: code += "candidates " + join_names(x.names); break;
      case ast::expect_kind::rating:
        code += pad(procedure_text(x.procedure), wproc) + " " + category_text(x.category);
        break;
    }
    cs.push_back({x.where.begin, x.where.end, 2, code});
  }
  add_sorted(std::move(cs));
}

}  // namespace rubric::compiler::formatting
