// `rubric fmt` for the outcomes: variants (guard, the rating table aligned
// across the whole file, advice, transitions, source) and `otherwise`.
// See format_internal.hpp.
#include <algorithm>

#include "compiler/tools/format_internal.hpp"

namespace rubric::compiler::formatting {

// Rating tables are aligned across the whole file, so every variant's table
// has the same columns.
void formatter::measure_tables() {
  for (const auto& v : m_.variants) {
    for (const auto& r : v.ratings) {
      rate_proc_w_ = std::max(rate_proc_w_, display_width(procedure_text(r.procedure)));
      rate_cat_w_ = std::max(rate_cat_w_, display_width(category_text(r.category)));
      if (r.score) rate_score_w_ = std::max(rate_score_w_, display_width("score " + format_number(*r.score)));
      rate_has_tail_ = rate_has_tail_ || r.score || r.rrl;
    }
  }
}

formatter::clause formatter::advice_clause(const ast::advice_decl& a) {
  std::string lead = "advise " + quote(a.message.value);
  if (a.when) {
    // A condition that must break after a long message goes on its own line,
    // four spaces in, rather than hang far to the right.
    std::size_t col = 2 + display_width(lead) + 6;
    std::string cond = format_expr_at(*a.when, col);
    if (cond.find('\n') != std::string::npos && col > max_line_width / 2)
      lead += "\n      when " + format_expr_at(*a.when, 11);
    else
      lead += " when " + cond;
  }
  return {a.where.begin, a.where.end, 2, lead};
}

void formatter::emit_variant(const ast::variant_decl& v) {
  add(0, "variant " + v.id.text + " " + quote(v.title.value), v.where.begin, v.title.where.end);
  std::vector<clause> cs;
  if (v.guard) cs.push_back({v.guard->where.begin, v.guard->where.end, 2, "when " + format_expr_at(*v.guard, 7)});
  for (const auto& r : v.ratings) {
    // One space after the quoted procedure; two after the category's words,
    // so `score` and `rrl` do not read as part of it.
    std::string code = "rate " + pad(procedure_text(r.procedure), rate_proc_w_) + " " + category_text(r.category);
    if (rate_has_tail_) code = pad(code, 5 + rate_proc_w_ + 1 + rate_cat_w_);
    if (rate_score_w_) code += "  " + pad(r.score ? "score " + format_number(*r.score) : std::string(), rate_score_w_);
    if (r.rrl) code += "  rrl " + r.rrl->spelling;
    if (!r.caveat) {
      cs.push_back({r.where.begin, r.where.end, 2, rstrip(code)});
      continue;
    }
    // A caveat goes on its own line below the rating, indented under it.
    cs.push_back({r.where.begin, r.caveat->where.begin, 2, rstrip(code)});
    cs.push_back({r.caveat->where.begin, r.where.end, 4, "caveat " + quote(r.caveat->value)});
  }
  for (const auto& a : v.advice) cs.push_back(advice_clause(a));
  for (const auto& t : v.next) {
    std::string lead = "next " + t.target.text + (t.urgent ? " urgent" : "") + " when ";
    std::string code = lead + format_expr_at(t.when, 2 + display_width(lead)) + (t.label ? " " + quote(t.label->value) : "");
    cs.push_back({t.where.begin, t.where.end, 2, code});
  }
  if (v.source) cs.push_back({v.source->where.begin, v.source->where.end, 2, "source " + quote(v.source->value)});
  if (v.evidence) cs.push_back({v.evidence->where.begin, v.evidence->where.end, 2, "evidence " + quote(v.evidence->value)});
  add_sorted(std::move(cs));
}

void formatter::emit_otherwise(const ast::otherwise_decl& x) {
  add(0, "otherwise" + (x.label ? " " + quote(x.label->value) : std::string()), x.where.begin,
      x.label ? x.label->where.end : x.where.begin + 9);
  std::vector<clause> cs;
  for (const auto& a : x.advice) cs.push_back(advice_clause(a));
  add_sorted(std::move(cs));
}

}  // namespace rubric::compiler::formatting
