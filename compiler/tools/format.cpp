// `rubric fmt`: lays a module out in the canonical form. Two phases: every
// declaration becomes output lines that remember the source range they stand
// for; then the comments are placed back by position (a comment after code on a
// line stays at the end of that line, a comment on its own line stays before
// the line that followed it) and blank lines are decided.
#include "compiler/tools/format.hpp"

#include <algorithm>

#include "compiler/syntax/parser.hpp"

namespace rubric::compiler {

namespace {

// One output line: code from the AST, or a comment placed back.
struct line {
  std::size_t group = 0;     // the declaration it belongs to (0 = module header)
  int indent = 0;
  std::string code;          // without indentation; for a comment, "#…"
  std::uint32_t begin = 0;   // the source range it stands for
  std::uint32_t end = 0;
  std::string trailing;      // a comment kept at the end of the line
  std::uint32_t trailing_end = 0;
  bool comment = false;
  bool blank_before = false;
};

std::string pad(std::string s, std::size_t width) {
  std::size_t w = display_width(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

std::string rstrip(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

// Words of a category or other spelling, with runs of whitespace made one space.
std::string squeeze(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space && c != ')' && !(out.back() == '(')) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

std::string category_text(const ast::category_ref& c) {
  if (!c.spelling.empty()) return squeeze(c.spelling);
  std::string out;
  for (const auto& w : c.words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string procedure_text(const ast::procedure_ref& p) { return p.by_display_name ? quote(p.text) : p.text; }

std::string join_names(const std::vector<ast::name>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n.text;
  return out;
}

std::string type_text(const ast::type_ref& t) {
  switch (t.kind) {
    case ast::type_kind::boolean: return "bool";
    case ast::type_kind::number: return "number";
    case ast::type_kind::duration: return "duration";
    case ast::type_kind::text: return "text";
    case ast::type_kind::named: return t.named.text;
    case ast::type_kind::set_of: return "set of " + t.named.text;
  }
  return "bool";
}

// Whether the source between two offsets holds an empty line.
bool has_blank(std::string_view src, std::uint32_t a, std::uint32_t b) {
  if (a >= b || b > src.size()) return false;
  std::string_view s = src.substr(a, b - a);
  std::size_t first = s.find('\n');
  if (first == std::string_view::npos) return false;
  std::size_t start = first + 1;
  for (std::size_t nl = s.find('\n', start); nl != std::string_view::npos; nl = s.find('\n', start)) {
    if (s.substr(start, nl - start).find_first_not_of(" \t\r") == std::string_view::npos) return true;
    start = nl + 1;
  }
  return false;
}

class formatter {
 public:
  formatter(const ast::module& m, std::string_view src) : m_(m), src_(src) {}

  std::string run() {
    measure_tables();
    emit_header();
    for (const auto& d : declaration_order()) emit(d);
    place_comments();
    decide_blank_lines();
    align_trailing_comments();
    return render();
  }

 private:
  const ast::module& m_;
  std::string_view src_;
  std::vector<line> lines_;
  std::vector<ast::decl_kind> group_kind_{ast::decl_kind::import};  // [0] = header (unused)
  std::size_t group_ = 0;
  std::size_t rate_proc_w_ = 0, rate_cat_w_ = 0, rate_score_w_ = 0;
  bool rate_has_tail_ = false;

  void add(int indent, std::string code, std::uint32_t begin, std::uint32_t end) {
    line l;
    l.group = group_;
    l.indent = indent;
    l.code = std::move(code);
    l.begin = begin;
    l.end = std::max(begin, end);
    lines_.push_back(std::move(l));
  }

  // A clause line inside a declaration, to be sorted into source order.
  struct clause {
    std::uint32_t begin, end;
    int indent;
    std::string code;
  };
  void add_sorted(std::vector<clause> cs) {
    std::stable_sort(cs.begin(), cs.end(), [](const clause& a, const clause& b) { return a.begin < b.begin; });
    for (auto& c : cs) add(c.indent, std::move(c.code), c.begin, c.end);
  }

  std::vector<ast::decl_ref> declaration_order() const {
    if (!m_.order.empty()) return m_.order;
    std::vector<std::pair<std::uint32_t, ast::decl_ref>> all;  // hand-built modules: sort by position
    auto push = [&](ast::decl_kind k, std::size_t n, auto where) {
      for (std::size_t i = 0; i < n; ++i) all.push_back({where(i), {k, static_cast<std::uint32_t>(i)}});
    };
    push(ast::decl_kind::import, m_.imports.size(), [&](std::size_t i) { return m_.imports[i].where.begin; });
    push(ast::decl_kind::enumeration, m_.enums.size(), [&](std::size_t i) { return m_.enums[i].where.begin; });
    push(ast::decl_kind::scale, m_.scales.size(), [&](std::size_t i) { return m_.scales[i].where.begin; });
    push(ast::decl_kind::procedure, m_.procedures.size(), [&](std::size_t i) { return m_.procedures[i].where.begin; });
    push(ast::decl_kind::patient, m_.patients.size(), [&](std::size_t i) { return m_.patients[i].where.begin; });
    push(ast::decl_kind::let, m_.lets.size(), [&](std::size_t i) { return m_.lets[i].where.begin; });
    push(ast::decl_kind::criterion, m_.criteria.size(), [&](std::size_t i) { return m_.criteria[i].where.begin; });
    push(ast::decl_kind::variant, m_.variants.size(), [&](std::size_t i) { return m_.variants[i].where.begin; });
    push(ast::decl_kind::otherwise, m_.otherwise.size(), [&](std::size_t i) { return m_.otherwise[i].where.begin; });
    push(ast::decl_kind::assume, m_.assumes.size(), [&](std::size_t i) { return m_.assumes[i].where.begin; });
    push(ast::decl_kind::example, m_.examples.size(), [&](std::size_t i) { return m_.examples[i].where.begin; });
    std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<ast::decl_ref> out;
    for (const auto& [pos, ref] : all) out.push_back(ref);
    return out;
  }

  // Rating tables are aligned across the whole file, so every variant's table
  // has the same columns.
  void measure_tables() {
    for (const auto& v : m_.variants) {
      for (const auto& r : v.ratings) {
        rate_proc_w_ = std::max(rate_proc_w_, display_width(procedure_text(r.procedure)));
        rate_cat_w_ = std::max(rate_cat_w_, display_width(category_text(r.category)));
        if (r.score) rate_score_w_ = std::max(rate_score_w_, display_width("score " + format_number(*r.score)));
        rate_has_tail_ = rate_has_tail_ || r.score || r.rrl;
      }
    }
  }

  // --- declarations ----------------------------------------------------------

  static std::string header_clause(std::string_view keyword, const std::string& value) {
    return pad(std::string(keyword), 9) + " " + value;
  }

  void emit_header() {
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
    add_sorted(std::move(cs));
  }

  void emit(const ast::decl_ref& d) {
    group_kind_.push_back(d.kind);
    group_ = group_kind_.size() - 1;
    switch (d.kind) {
      case ast::decl_kind::import: {
        const auto& x = m_.imports[d.index];
        add(0, "import " + x.module.text, x.where.begin, x.where.end);
        break;
      }
      case ast::decl_kind::enumeration: emit_enum(m_.enums[d.index]); break;
      case ast::decl_kind::scale: emit_scale(m_.scales[d.index]); break;
      case ast::decl_kind::procedure: emit_procedure(m_.procedures[d.index]); break;
      case ast::decl_kind::patient: emit_patient(m_.patients[d.index]); break;
      case ast::decl_kind::let: {
        const auto& x = m_.lets[d.index];
        add(0, "let " + x.id.text + " = " + format_expr(x.value), x.where.begin, x.where.end);
        break;
      }
      case ast::decl_kind::criterion: {
        const auto& x = m_.criteria[d.index];
        std::string first = "criterion " + x.id.text + (x.label ? " " + quote(x.label->value) : "") + ":";
        add(0, first, x.where.begin, x.label ? x.label->where.end : x.id.where.end);
        add(2, format_expr(x.body), x.body.where.begin, x.body.where.end);
        break;
      }
      case ast::decl_kind::variant: emit_variant(m_.variants[d.index]); break;
      case ast::decl_kind::otherwise: {
        const auto& x = m_.otherwise[d.index];
        add(0, "otherwise" + (x.label ? " " + quote(x.label->value) : std::string()), x.where.begin,
            x.label ? x.label->where.end : x.where.begin + 9);
        std::vector<clause> cs;
        for (const auto& a : x.advice) cs.push_back(advice_clause(a));
        add_sorted(std::move(cs));
        break;
      }
      case ast::decl_kind::assume: {
        const auto& x = m_.assumes[d.index];
        add(0, "assume " + format_expr(x.condition) + (x.label ? " " + quote(x.label->value) : ""), x.where.begin,
            x.where.end);
        break;
      }
      case ast::decl_kind::example: emit_example(m_.examples[d.index]); break;
    }
  }

  void emit_enum(const ast::enum_decl& e) {
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
  void emit_scale(const ast::scale_decl& s) {
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

  void emit_procedure(const ast::procedure_decl& p) {
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

  void emit_patient(const ast::patient_decl& p) {
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

  clause advice_clause(const ast::advice_decl& a) {
    return {a.where.begin, a.where.end, 2, "advise " + quote(a.message.value) + (a.when ? " when " + format_expr(*a.when) : "")};
  }

  void emit_variant(const ast::variant_decl& v) {
    add(0, "variant " + v.id.text + " " + quote(v.title.value), v.where.begin, v.title.where.end);
    std::vector<clause> cs;
    if (v.guard) cs.push_back({v.guard->where.begin, v.guard->where.end, 2, "when " + format_expr(*v.guard)});
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
      std::string code = "next " + t.target.text + (t.urgent ? " urgent" : "") + " when " + format_expr(t.when) +
                         (t.label ? " " + quote(t.label->value) : "");
      cs.push_back({t.where.begin, t.where.end, 2, code});
    }
    if (v.source) cs.push_back({v.source->where.begin, v.source->where.end, 2, "source " + quote(v.source->value)});
    if (v.evidence) cs.push_back({v.evidence->where.begin, v.evidence->where.end, 2, "evidence " + quote(v.evidence->value)});
    add_sorted(std::move(cs));
  }

  // Source text between two offsets with comments cut out (to find keywords).
  std::string code_between(std::uint32_t a, std::uint32_t b) const {
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

  void emit_example(const ast::example_decl& e) {
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

  // --- comments and blank lines ----------------------------------------------

  void place_comments() {
    std::vector<const ast::comment*> cs;
    for (const auto& c : m_.comments) cs.push_back(&c);
    std::stable_sort(cs.begin(), cs.end(), [](auto* a, auto* b) { return a->where.begin < b->where.begin; });
    std::vector<std::vector<line>> before(lines_.size() + 1);  // standalone comments per target line
    for (const auto* c : cs) {
      std::uint32_t at = std::min<std::uint32_t>(c->where.begin, static_cast<std::uint32_t>(src_.size()));
      if (at < src_.size() && src_[at] != '#' && at > 0 && src_[at - 1] == '#') --at;
      std::string text = rstrip("#" + c->text);
      // Code before it on its line makes it a trailing comment.
      std::uint32_t line_start = at;
      while (line_start > 0 && src_[line_start - 1] != '\n') --line_start;
      std::uint32_t last_code = at;
      for (std::uint32_t i = line_start; i < at && i < src_.size(); ++i) {
        if (src_[i] != ' ' && src_[i] != '\t') last_code = i;
      }
      bool trailing = last_code != at;
      if (trailing) {
        // The line with the largest begin at or before the code it follows.
        // Lines are in source order, so begins ascend: a binary search keeps
        // files with thousands of comments fast.
        auto it = std::partition_point(lines_.begin(), lines_.end(), [&](const line& l) { return l.begin <= last_code; });
        line* owner = it == lines_.begin() ? nullptr : &*(it - 1);
        if (owner && owner->trailing.empty()) {
          owner->trailing = text;
          owner->trailing_end = c->where.end;
          continue;
        }
      }
      // A standalone comment goes before the first line that ends after it.
      auto first_after = std::partition_point(lines_.begin(), lines_.end(), [&](const line& l) { return l.end <= at; });
      std::size_t target = static_cast<std::size_t>(first_after - lines_.begin());
      line l;
      l.comment = true;
      l.code = text;
      l.begin = at;
      l.end = c->where.end > at ? c->where.end : at + 1;
      l.indent = static_cast<int>(at - line_start);  // the source column, resolved below
      before[target].push_back(std::move(l));
    }
    std::vector<line> out;
    for (std::size_t i = 0; i <= lines_.size(); ++i) {
      const line* next = i < lines_.size() ? &lines_[i] : nullptr;
      bool starts_decl = next && (i == 0 || lines_[i - 1].group != next->group);
      bool introducing = false;  // once one comment introduces the next line, the rest of the run does too
      for (line& l : before[i]) {
        const line* prev = out.empty() ? nullptr : &out.back();
        bool column0 = l.indent == 0;
        // An indented comment followed by a blank line closes the declaration
        // above it; every other comment introduces the line that follows.
        std::uint32_t next_begin = next ? next->begin : static_cast<std::uint32_t>(src_.size());
        bool closes_prev = !introducing && prev && !column0 && (!next || starts_decl) && has_blank(src_, l.end, next_begin);
        if (closes_prev || !next) {
          l.group = prev ? prev->group : 0;
          l.indent = column0 ? 0 : (prev && prev->indent > 0 ? prev->indent : 2);
        } else {
          introducing = true;
          l.group = next->group;
          l.indent = next->indent;
        }
        out.push_back(std::move(l));
      }
      if (next) out.push_back(std::move(lines_[i]));
    }
    lines_ = std::move(out);
  }

  static bool single_line_kind(ast::decl_kind k) {
    return k == ast::decl_kind::import || k == ast::decl_kind::let || k == ast::decl_kind::assume;
  }

  void decide_blank_lines() {
    for (std::size_t i = 1; i < lines_.size(); ++i) {
      const line& a = lines_[i - 1];
      line& b = lines_[i];
      std::uint32_t a_end = std::max(a.end, a.trailing_end);
      bool source_blank = has_blank(src_, a_end, b.begin);
      if (a.group != b.group) {
        bool same_short = a.group > 0 && b.group > 0 && group_kind_[a.group] == group_kind_[b.group] &&
                          single_line_kind(group_kind_[b.group]);
        b.blank_before = same_short ? source_blank : true;
      } else {
        b.blank_before = source_blank;
      }
    }
  }

  // Trailing comments on consecutive lines start in one column.
  void align_trailing_comments() {
    std::size_t i = 0;
    while (i < lines_.size()) {
      if (lines_[i].trailing.empty()) {
        ++i;
        continue;
      }
      std::size_t j = i, width = 0;
      while (j < lines_.size() && !lines_[j].trailing.empty() && (j == i || !lines_[j].blank_before)) {
        width = std::max(width, lines_[j].indent + display_width(lines_[j].code));
        ++j;
      }
      for (std::size_t k = i; k < j; ++k) {
        lines_[k].code = pad(lines_[k].code, width - lines_[k].indent + 2) + lines_[k].trailing;
      }
      i = j;
    }
  }

  std::string render() const {
    std::string out;
    for (const auto& l : lines_) {
      if (l.blank_before && !out.empty()) out += "\n";
      out += rstrip(std::string(static_cast<std::size_t>(l.indent), ' ') + l.code);
      out += "\n";
    }
    return out;
  }
};

}  // namespace

std::string format_module(const ast::module& m, std::string_view source) { return formatter(m, source).run(); }

std::optional<std::string> format_source(source_manager& sources, const std::string& path, std::string text,
                                         diagnostic_sink& sink) {
  file_id id = sources.add(path, std::move(text));
  auto m = parse_module(sources, id, sink);
  if (!m || sink.has_errors()) return std::nullopt;
  return format_module(*m, sources.text(id));
}

}  // namespace rubric::compiler
