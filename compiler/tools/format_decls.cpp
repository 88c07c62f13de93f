// `rubric fmt` for the header and the declarations: import, enum, scale,
// procedure, patient, let, criterion and assume. See format_internal.hpp.
#include <algorithm>

#include "compiler/tools/format_internal.hpp"

namespace rubric::compiler::formatting {

namespace {

std::string type_text(const ast::type_ref& t) {
  switch (t.kind) {
    case ast::type_kind::boolean: return "bool";
    case ast::type_kind::number:
    case ast::type_kind::integer: {
      std::string out = t.kind == ast::type_kind::integer ? "integer" : "number";
      if (t.has_range)
        out += " " + (t.low ? format_number(*t.low) : std::string()) + ".." + (t.high ? format_number(*t.high) : std::string());
      if (t.unit) out += " " + t.unit->text;
      return out;
    }
    case ast::type_kind::duration: return "duration";
    case ast::type_kind::text: return "text";
    case ast::type_kind::named: return t.named.text;
    case ast::type_kind::set_of: return "set of " + t.named.text;
  }
  return "bool";
}

std::string header_clause(std::string_view keyword, const std::string& value) {
  return pad(std::string(keyword), 9) + " " + value;
}

}  // namespace

void formatter::emit_header() {
  const auto& h = m_.head;
  group_ = 0;
  std::string first = (h.kind == ast::module_kind::guideline ? "guideline " : "library ") + h.module.text + " " +
                      quote(h.title.value);
  add(0, first, h.where.begin, h.title.where.end);
  std::vector<clause> cs;
  auto text_clause = [&](std::string_view kw, const std::optional<ast::text>& t) {
    if (t) cs.push_back({t->where.begin, t->where.end, 2, header_clause(kw, quote(t->value))});
  };
  text_clause("source", h.source);
  text_clause("citation", h.citation);
  if (h.revised) cs.push_back({h.revised->where.begin, h.revised->where.end, 2, header_clause("revised", format_number(*h.revised))});
  text_clause("doi", h.doi);
  text_clause("url", h.url);
  text_clause("license", h.license);
  if (h.scale) cs.push_back({h.scale->where.begin, h.scale->where.end, 2, header_clause("scale", h.scale->text)});
  if (h.radiation) cs.push_back({h.radiation->where.begin, h.radiation->where.end, 2, header_clause("radiation", h.radiation->text)});
  if (h.select) {
    static constexpr const char* policies[] = {"first", "unique", "all"};
    std::string value = policies[static_cast<int>(h.select->policy)];
    if (!h.select->order.empty()) value += " in order " + join_names(h.select->order);
    cs.push_back({h.select->where.begin, h.select->where.end, 2, header_clause("select", value)});
  }
  if (h.pediatric)
    cs.push_back({h.pediatric->where.begin, h.pediatric->where.end, 2,
                  header_clause("pediatric", "when " + format_expr_at(*h.pediatric, 2 + 10 + 5))});
  add_sorted(std::move(cs));
}

void formatter::emit_enum(const ast::enum_decl& e) {
  add(0, "enum " + e.id.text + (e.label ? " " + quote(e.label->value) : ""), e.where.begin,
      e.label ? e.label->where.end : e.id.where.end);
  std::size_t w = 0;
  for (const auto& mem : e.members) w = std::max(w, display_width(mem.id.text));
  for (const auto& mem : e.members) {
    add(2, mem.label ? pad(mem.id.text, w) + " " + quote(mem.label->value) : mem.id.text, mem.where.begin,
        mem.where.end);
  }
}

// Levels read as a table (radiation levels with dose ranges) unless they
// carry `means` paragraphs, which would break the columns.
void formatter::emit_scale(const ast::scale_decl& s) {
  add(0, "scale " + s.id.text + " " + quote(s.label.value), s.where.begin, s.label.where.end);
  bool table = std::none_of(s.levels.begin(), s.levels.end(), [](const ast::level_decl& l) { return l.means.has_value(); });
  std::size_t wid = 0, wlabel = 0, wrange = 0, wadult = 0;
  auto range_text = [](const ast::level_decl& l) {
    return l.range_min && l.range_max ? "range " + format_number(*l.range_min) + " to " + format_number(*l.range_max)
                                      : std::string();
  };
  for (const auto& l : s.levels) {
    wid = std::max(wid, display_width(l.id.text));
    wlabel = std::max(wlabel, display_width(quote(l.label.value)));
    wrange = std::max(wrange, display_width(range_text(l)));
    if (l.adult) wadult = std::max(wadult, display_width(quote(l.adult->value)));
  }
  if (!table) wid = wlabel = wrange = wadult = 0;
  for (const auto& l : s.levels) {
    std::string code = "level " + pad(l.id.text, wid) + " " + pad(quote(l.label.value), wlabel);
    std::uint32_t end = l.label.where.end;
    std::string sep = " ";
    if (!range_text(l).empty()) {
      code += sep + pad(range_text(l), wrange);
      end = std::max(end, l.range_max->where.end);
    } else if (wrange) {
      code += sep + pad("", wrange);
    }
    if (l.adult) {
      code += sep + "adult " + pad(quote(l.adult->value), wadult);
      end = std::max(end, l.adult->where.end);
    } else if (wadult) {
      code += sep + pad("", wadult + 6);
    }
    if (l.pediatric) {
      code += sep + "pediatric " + quote(l.pediatric->value);
      end = std::max(end, l.pediatric->where.end);
    }
    add(2, rstrip(code), l.where.begin, end);
    if (l.means) add(4, "means " + quote(l.means->value), l.means->where.begin, l.means->where.end);
  }
}

void formatter::emit_procedure(const ast::procedure_decl& p) {
  add(0, "procedure " + p.id.text + " " + quote(p.display.value), p.where.begin, p.display.where.end);
  std::vector<clause> cs;
  auto text_clause = [&](std::string_view kw, const std::optional<ast::text>& t) {
    if (t) cs.push_back({t->where.begin, t->where.end, 2, pad(std::string(kw), 8) + " " + quote(t->value)});
  };
  text_clause("modality", p.modality);
  text_clause("region", p.region);
  text_clause("contrast", p.contrast);
  if (p.adult_rrl) cs.push_back({p.adult_rrl->where.begin, p.adult_rrl->where.end, 2, pad("adult rrl", 13) + " " + p.adult_rrl->spelling});
  if (p.pediatric_rrl) cs.push_back({p.pediatric_rrl->where.begin, p.pediatric_rrl->where.end, 2, "pediatric rrl " + p.pediatric_rrl->spelling});
  for (const auto& c : p.codes) cs.push_back({c.where.begin, c.where.end, 2, "code " + c.system.text + " " + quote(c.value.value)});
  add_sorted(std::move(cs));
}

void formatter::emit_patient(const ast::patient_decl& p) {
  add(0, "patient", p.where.begin, p.where.begin + 7);
  std::size_t wid = 0, wtype = 0, wlabel = 0;
  bool any_label = false, any_fixed = false;
  for (const auto& f : p.facts) {
    wid = std::max(wid, display_width(f.id.text));
    wtype = std::max(wtype, display_width(type_text(f.type)));
    if (f.label) wlabel = std::max(wlabel, display_width(quote(f.label->value)));
    any_label = any_label || f.label.has_value();
    any_fixed = any_fixed || f.fixed;
  }
  for (const auto& f : p.facts) {
    std::string code = pad(f.id.text, wid) + " : " + type_text(f.type);
    if (any_label || any_fixed) code = pad(code, wid + 3 + wtype);
    if (any_label) code += " " + pad(f.label ? quote(f.label->value) : std::string(), wlabel);
    if (f.fixed) code += " fixed";
    add(2, rstrip(code), f.where.begin, f.where.end);
  }
}


void formatter::emit_let(const ast::let_decl& x) {
  add(0, "let " + x.id.text + " = " + format_expr(x.value), x.where.begin, x.where.end);
}

void formatter::emit_criterion(const ast::criterion_decl& x) {
  std::string first = "criterion " + x.id.text + (x.label ? " " + quote(x.label->value) : "") + ":";
  add(0, first, x.where.begin, x.label ? x.label->where.end : x.id.where.end);
  add(2, format_expr_at(x.body, 2), x.body.where.begin, x.body.where.end);
}

// A score: its lines with the points right-aligned in one column, so the
// table reads as published.
void formatter::emit_score(const ast::score_decl& x) {
  add(0, "score " + x.id.text + (x.label ? " " + quote(x.label->value) : ""), x.where.begin,
      x.label ? x.label->where.end : x.id.where.end);
  std::size_t w = 0;
  for (const auto& line : x.lines) w = std::max(w, display_width(format_number(line.points)));
  for (const auto& line : x.lines) {
    std::string points = format_number(line.points);
    add(2, points + std::string(w - display_width(points), ' ') + " if " + format_expr(line.condition), line.where.begin,
        line.where.end);
  }
}

void formatter::emit_value(const ast::value_decl& x) {
  add(0, "value " + x.id.text + (x.label ? " " + quote(x.label->value) : "") + " =", x.where.begin,
      x.label ? x.label->where.end : x.id.where.end);
  add(2, format_expr(x.body), x.body.where.begin, x.body.where.end);
}

void formatter::emit_assume(const ast::assume_decl& x) {
  add(0, "assume " + format_expr_at(x.condition, 7) + (x.label ? " " + quote(x.label->value) : ""), x.where.begin,
      x.where.end);
}

}  // namespace rubric::compiler::formatting
