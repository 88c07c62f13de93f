// Hover: Markdown about the name under the cursor. A fact (label, type, unit
// and dimension, range, enum members, `fixed`), a criterion (label, its
// condition in plain words, where it is used), a procedure (ACR name, modality, region, contrast, RRLs with dose,
// codes), a category or radiation level (meaning, rating range or dose), a
// let (its value), a score (its lines and the range of its sum), a value (its
// formula and unit), a variant (title, guard, its ratings table), an enum or a
// member, a scale, a module.
#include <fmt/format.h>

#include "compiler/sema/resolve.hpp"
#include "compiler/tools/doc_render.hpp"
#include "compiler/tools/format.hpp"
#include "lsp/features.hpp"
#include "lsp/protocol.hpp"
#include "runtime/units.hpp"

namespace rubric::lsp {

namespace ast = compiler::ast;
namespace sema = compiler::sema;

namespace {

std::string quoted_label(const std::optional<ast::text>& label) { return label ? " — " + label->value : ""; }

// "range 3..15", "at least 0", "at most 40": a declared range, or "".
std::string range_words(const ast::type_ref& t) {
  if (!t.has_range || (!t.low && !t.high)) return "";
  if (t.low && t.high) return ", range " + compiler::format_number(*t.low) + ".." + compiler::format_number(*t.high);
  if (t.low) return ", at least " + compiler::format_number(*t.low);
  return ", at most " + compiler::format_number(*t.high);
}

// " in `ng/mL` (mass concentration)" for a unit of the unit table.
std::string unit_words(const std::string& unit) {
  if (unit.empty()) return "";
  auto u = runtime::units::find_unit(unit);
  return " in `" + unit + "`" + (u ? " (" + runtime::units::dimension_name(u->dim) + ")" : "");
}

std::string type_words(const sema::program& p, const ast::fact_decl& f, const sema::type& t) {
  switch (f.type.kind) {
    case ast::type_kind::boolean: return "yes / no (`bool`)";
    case ast::type_kind::integer: return "whole number (`integer`)" + range_words(f.type);
    case ast::type_kind::number:
      return "number" + unit_words(f.type.unit ? f.type.unit->text : t.unit) + range_words(f.type);
    case ast::type_kind::duration: return "duration (seconds to years, compared in days)" + range_words(f.type);
    case ast::type_kind::text: return "text";
    case ast::type_kind::named:
    case ast::type_kind::set_of: {
      std::string head = f.type.kind == ast::type_kind::named ? "one of" : "any set of";
      if (t.enum_index < 0) return head + " `" + f.type.named.text + "`";
      const auto& e = p.module(static_cast<std::uint32_t>(t.enum_module)).enums[static_cast<std::size_t>(t.enum_index)];
      std::vector<std::string> members;
      for (const auto& m : e.members) members.push_back("`" + m.id.text + "`");
      return fmt::format("{} `{}`: {}", head, e.id.text, fmt::join(members, ", "));
    }
  }
  return "";
}

// "variant 2", "criterion failed_therapy": the root declaration around a use.
std::string enclosing(const sema::program& p, compiler::span s) {
  const ast::module& m = p.module(0);
  auto inside = [&](compiler::span outer) { return outer.file == s.file && outer.begin <= s.begin && s.end <= outer.end; };
  for (const auto& v : m.variants)
    if (inside(v.where)) return "variant " + v.id.text;
  for (const auto& c : m.criteria)
    if (inside(c.where)) return "criterion `" + c.id.text + "`";
  for (const auto& l : m.lets)
    if (inside(l.where)) return "let `" + l.id.text + "`";
  for (const auto& sc : m.scores)
    if (inside(sc.where)) return "score `" + sc.id.text + "`";
  for (const auto& v : m.values)
    if (inside(v.where)) return "value `" + v.id.text + "`";
  for (const auto& o : m.otherwise)
    if (inside(o.where)) return "`otherwise`";
  for (const auto& a : m.assumes)
    if (inside(a.where)) return "an `assume`";
  for (const auto& e : m.examples)
    if (inside(e.where)) return "example \"" + e.title.value + "\"";
  return "";
}

std::string uses(const analysis& a, const target& t) {
  std::vector<std::string> where;
  for (const auto& o : a.index.items()) {
    if (o.declaration || !(o.what == t) || o.where.file != a.root) continue;
    std::string e = enclosing(a.program(), o.where);
    if (!e.empty() && std::find(where.begin(), where.end(), e) == where.end()) where.push_back(e);
  }
  if (where.empty()) return "\n\nNot used in this file.";
  std::size_t shown = std::min<std::size_t>(where.size(), 12);
  std::string more = where.size() > shown ? fmt::format(" and {} more", where.size() - shown) : "";
  return fmt::format("\n\nUsed in {}{}.", fmt::join(where.begin(), where.begin() + static_cast<std::ptrdiff_t>(shown), ", "),
                     more);
}

std::string fact_hover(const analysis& a, const target& t) {
  const sema::program& p = a.program();
  const ast::fact_decl& f = *p.scopes[t.module].facts[t.index];
  std::string out = fmt::format("**fact** `{}`{}\n\n", f.id.text, quoted_label(f.label));
  out += "Type: " + type_words(p, f, p.scopes[t.module].fact_types[t.index]);
  if (f.fixed) out += "\n\n`fixed`: a what-if question never changes it";
  out += "\n\nAny fact may be unknown; a condition on an unknown fact is unknown, not false.";
  return out + uses(a, t);
}

// The condition of a criterion in plain words, from the compiled graph.
std::string criterion_words(const analysis& a, const ast::criterion_decl& c) {
  const auto& g = a.result->graph;
  if (!g) return "";
  for (const auto& gc : g->criteria) {
    if (gc.id != c.id.text) continue;
    const runtime::node& n = g->nodes[gc.node];
    std::uint32_t body = n.count > 0 ? g->children[n.first] : gc.node;
    return compiler::plain_words(*g, body);
  }
  return "";
}

std::string criterion_hover(const analysis& a, const target& t) {
  const ast::criterion_decl& c = a.program().module(t.module).criteria[t.index];
  std::string out = fmt::format("**criterion** `{}`{}\n\n```rubric\n{}\n```", c.id.text, quoted_label(c.label),
                                compiler::format_expr(c.body));
  std::string words = t.module == 0 ? criterion_words(a, c) : "";
  if (!words.empty()) out += "\n\nIn plain words: " + words;
  return out + uses(a, t);
}

std::string rrl_text(const sema::program& p, std::uint32_t module, const std::optional<ast::level_ref>& ref, bool pediatric) {
  if (!ref) return "—";
  const auto& scale = p.scopes[module].radiation_scale;
  if (!scale) return ref->spelling;
  const auto& sc = p.module(scale->module).scales[scale->index];
  std::int32_t i = compiler::find_level_by_spelling(sc, ref->spelling);
  if (i < 0) return ref->spelling;
  const auto& level = sc.levels[static_cast<std::size_t>(i)];
  const auto& dose = pediatric ? level.pediatric : level.adult;
  return level.label.value + (dose ? " (" + dose->value + ")" : "");
}

std::string procedure_hover(const analysis& a, const target& t) {
  const sema::program& p = a.program();
  const ast::procedure_decl& proc = p.module(t.module).procedures[t.index];
  std::string out = fmt::format("**procedure** \"{}\" (`{}`)\n", proc.display.value, compiler::qualified_id(p, {sema::symbol_kind::procedure, t.module, t.index}));
  if (proc.modality) out += "\n- Modality: " + proc.modality->value;
  if (proc.region) out += "\n- Region: " + proc.region->value;
  if (proc.contrast) out += "\n- Contrast: " + proc.contrast->value;
  out += "\n- Adult RRL: " + rrl_text(p, t.module, proc.adult_rrl, false);
  out += "\n- Pediatric RRL: " + rrl_text(p, t.module, proc.pediatric_rrl, true);
  for (const auto& c : proc.codes) out += "\n- " + c.system.text + " " + c.value.value;
  return out;
}

// A code list: its label, provenance and every code, as a reviewer checks them.
std::string code_list_hover(const analysis& a, const target& t) {
  const sema::program& p = a.program();
  const ast::codes_decl& list = p.module(t.module).code_lists[t.index];
  std::string out = fmt::format("**code list** `{}.{}`", p.scopes[t.module].name, list.id.text);
  if (list.label) out += " — " + list.label->value;
  out += "\n";
  if (list.source) out += "\n- Source: " + list.source->value;
  if (list.url) out += "\n- Value set: " + list.url->value;
  for (const auto& c : list.codes) {
    out += "\n- " + c.system.text + " " + c.code.value;
    if (c.display) out += " " + c.display->value;
    if (c.unverified) out += " (unverified)";
  }
  return out;
}

std::string level_hover(const analysis& a, const target& t) {
  const ast::scale_decl& sc = a.program().module(t.module).scales[t.index];
  const ast::level_decl& l = sc.levels[static_cast<std::size_t>(t.sub)];
  const char* what = l.adult || l.pediatric ? "radiation level" : "category";
  std::string out = fmt::format("**{}** `{}` of {} (`{}`)", what, l.id.text, sc.label.value, sc.id.text);
  out += "\n\n\"" + l.label.value + "\"";
  if (l.means) out += "\n\n" + l.means->value;
  if (l.range_min && l.range_max)
    out += "\n\nRatings " + compiler::format_number(*l.range_min) + " to " + compiler::format_number(*l.range_max);
  else if (!l.adult && !l.pediatric)
    out += "\n\nNo rating range of its own";
  if (l.adult) out += "\n\nAdult dose: " + l.adult->value;
  if (l.pediatric) out += "\n\nPediatric dose: " + l.pediatric->value;
  out += fmt::format("\n\nLevel {} of {}, most favourable first.", t.sub + 1, sc.levels.size());
  return out;
}

std::string let_hover(const analysis& a, const target& t) {
  const sema::program& p = a.program();
  const ast::let_decl& l = p.module(t.module).lets[t.index];
  std::string out = fmt::format("**let** `{}`\n\n```rubric\nlet {} = {}\n```", l.id.text, l.id.text, compiler::format_expr(l.value));
  if (t.module < p.let_values.size() && t.index < p.let_values[t.module].size()) {
    const ast::expr* value = p.let_values[t.module][t.index];
    if (value && value != &l.value) out += "\n\nValue: `" + compiler::format_expr(*value) + "`";
  }
  return out + uses(a, t);
}

// The lowest and highest sum a score can take: every negative line holds
// (low end) or every positive one (high end). An unknown line adds 0 or its points.
std::pair<double, double> score_bounds(const ast::score_decl& sc) {
  double low = 0, high = 0;
  for (const auto& line : sc.lines) (line.points.value < 0 ? low : high) += line.points.value;
  return {low, high};
}

std::string score_hover(const analysis& a, const target& t) {
  const ast::score_decl& sc = a.program().module(t.module).scores[t.index];
  std::string out = fmt::format("**score** `{}`{}\n\nThe sum of the points of the lines whose condition holds:\n\n"
                                "| Points | Condition |\n|---|---|\n", sc.id.text, quoted_label(sc.label));
  for (const auto& line : sc.lines)
    out += fmt::format("| {} | `{}` |\n", compiler::format_number(line.points), compiler::format_expr(line.condition));
  auto [low, high] = score_bounds(sc);
  out += fmt::format("\nFrom {} to {}. An unknown line adds 0 or its points, so the score is then an interval.", low, high);
  return out + uses(a, t);
}

std::string value_hover(const analysis& a, const target& t) {
  const sema::program& p = a.program();
  const ast::value_decl& v = p.module(t.module).values[t.index];
  std::string out = fmt::format("**value** `{}`{}\n\n```rubric\nvalue {} =\n  {}\n```", v.id.text, quoted_label(v.label), v.id.text,
                                compiler::format_expr(v.body));
  if (auto it = p.types.find(&v.body); it != p.types.end()) {
    const sema::type& type = it->second;
    if (type.kind == sema::type_kind::duration) out += "\n\nA duration (compared in days).";
    else if (type.kind == sema::type_kind::number && !type.unit.empty()) out += "\n\nA quantity" + unit_words(type.unit) + ".";
    else if (type.kind == sema::type_kind::number) out += "\n\nA plain number.";
  }
  return out + uses(a, t);
}

std::string variant_hover(const analysis& a, const target& t) {
  const sema::program& p = a.program();
  const ast::variant_decl& v = p.module(t.module).variants[t.index];
  std::string out = fmt::format("**variant {}** {}\n", v.id.text, v.title.value);
  if (v.guard) out += "\n```rubric\nwhen " + compiler::format_expr(*v.guard) + "\n```\n";
  if (!v.ratings.empty()) {
    out += "\n| Procedure | Category | RRL |\n|---|---|---|\n";
    for (const auto& r : v.ratings)
      out += fmt::format("| {} | {} | {} |\n", r.procedure.text, r.category.spelling, r.rrl ? r.rrl->spelling : "");
  }
  if (v.source) out += "\nSource: " + v.source->value;
  return out;
}

std::string enum_hover(const analysis& a, const target& t) {
  const ast::enum_decl& e = a.program().module(t.module).enums[t.index];
  std::string out = fmt::format("**enum** `{}`{}\n", e.id.text, quoted_label(e.label));
  for (const auto& m : e.members) out += "\n- `" + m.id.text + "`" + (m.label ? " — " + m.label->value : "");
  return out;
}

std::string member_hover(const analysis& a, const target& t) {
  const ast::enum_decl& e = a.program().module(t.module).enums[t.index];
  const ast::enum_member& m = e.members[static_cast<std::size_t>(t.sub)];
  return fmt::format("**member** `{}` of enum `{}`{}", m.id.text, e.id.text, quoted_label(m.label));
}

std::string scale_hover(const analysis& a, const target& t) {
  const ast::scale_decl& sc = a.program().module(t.module).scales[t.index];
  std::string out = fmt::format("**scale** `{}` — {}\n", sc.id.text, sc.label.value);
  for (const auto& l : sc.levels) out += "\n- " + l.label.value + (l.means ? ": " + l.means->value : "");
  return out;
}

std::string module_hover(const analysis& a, const target& t) {
  const ast::module& m = a.program().module(t.module);
  return fmt::format("**{}** `{}` — {}\n\n{}", m.head.kind == ast::module_kind::guideline ? "guideline" : "library",
                     m.head.module.text, m.head.title.value, a.sources().path(m.file));
}

}  // namespace

json hover(const analysis& a, const document& doc, position at) {
  if (!a.has_program()) return nullptr;
  const occurrence* o = a.index.at(a.root, doc.offset_of(at));
  if (o == nullptr) return nullptr;
  std::string text;
  switch (o->what.kind) {
    case target_kind::fact: text = fact_hover(a, o->what); break;
    case target_kind::criterion: text = criterion_hover(a, o->what); break;
    case target_kind::procedure: text = procedure_hover(a, o->what); break;
    case target_kind::level: text = level_hover(a, o->what); break;
    case target_kind::let: text = let_hover(a, o->what); break;
    case target_kind::variant: text = variant_hover(a, o->what); break;
    case target_kind::enumeration: text = enum_hover(a, o->what); break;
    case target_kind::member: text = member_hover(a, o->what); break;
    case target_kind::scale: text = scale_hover(a, o->what); break;
    case target_kind::module: text = module_hover(a, o->what); break;
    case target_kind::score: text = score_hover(a, o->what); break;
    case target_kind::value: text = value_hover(a, o->what); break;
    case target_kind::code_list: text = code_list_hover(a, o->what); break;
  }
  span_mapper spans(a.sources());
  return {{"contents", {{"kind", "markdown"}, {"value", text}}}, {"range", spans.range_json(o->where)}};
}

}  // namespace rubric::lsp
