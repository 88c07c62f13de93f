// Stable text dumps of the AST and the decision graph. See dump.hpp.
#include "compiler/pipeline/dump.hpp"

#include <fmt/format.h>

#include "compiler/sema/resolve.hpp"
#include "compiler/sema/typecheck.hpp"

namespace rubric::compiler {

namespace {

const char* op_text(runtime::compare_op op) { return ast::compare_spelling(static_cast<ast::compare_op>(op)); }

std::string short_type(const sema::program& p, const sema::type& t) {
  switch (t.kind) {
    case sema::type_kind::error: return "error";
    case sema::type_kind::boolean: return "bool";
    case sema::type_kind::number: return "number";
    case sema::type_kind::duration: return "duration";
    case sema::type_kind::text: return "text";
    case sema::type_kind::enumeration:
    case sema::type_kind::set: {
      std::string e = p.module(static_cast<std::uint32_t>(t.enum_module)).enums[static_cast<std::size_t>(t.enum_index)].id.text;
      return t.kind == sema::type_kind::set ? "set of " + e : e;
    }
  }
  return "?";
}

const char* kind_word(ast::expr_kind k) {
  switch (k) {
    case ast::expr_kind::not_: return "not";
    case ast::expr_kind::and_: return "and";
    case ast::expr_kind::or_: return "or";
    case ast::expr_kind::in_set: return "in";
    case ast::expr_kind::has_any: return "has-any";
    case ast::expr_kind::has_all: return "has-all";
    case ast::expr_kind::is_empty: return "is-empty";
    case ast::expr_kind::is_not_empty: return "is-not-empty";
    case ast::expr_kind::is_known: return "is-known";
    case ast::expr_kind::is_unknown: return "is-unknown";
    case ast::expr_kind::add: return "+";
    case ast::expr_kind::subtract: return "-";
    case ast::expr_kind::multiply: return "*";
    case ast::expr_kind::divide: return "/";
    case ast::expr_kind::convert: return "in-unit";
    case ast::expr_kind::if_value: return "if";
    case ast::expr_kind::min_of: return "min";
    case ast::expr_kind::max_of: return "max";
    case ast::expr_kind::at_least: return "at-least";
    case ast::expr_kind::at_most: return "at-most";
    case ast::expr_kind::none_of: return "none-of";
    case ast::expr_kind::all_of: return "all-of";
    default: return "?";
  }
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

std::string dump_expr(const ast::expr& e, const sema::program* p) {
  using k = ast::expr_kind;
  // Names show what they resolved to; sets list their members.
  if (e.kind == k::name) {
    std::string out = e.text_value;
    if (!p) return out;
    if (p->members.count(&e)) return out + "{member}";
    if (auto n = p->names.find(&e); n != p->names.end()) {
      out += "{" + kind_name(n->second.kind);
      if (auto t = p->types.find(&e); t != p->types.end()) out += " " + short_type(*p, t->second);
      out += "}";
    }
    return out;
  }
  if (e.kind == k::set) {
    std::string out = "{";
    for (std::size_t i = 0; i < e.operands.size(); ++i) out += (i ? ", " : "") + dump_expr(e.operands[i], p);
    return out + "}";
  }
  std::string out;
  switch (e.kind) {
    case k::boolean: out = e.bool_value ? "true" : "false"; break;
    case k::unknown: out = "unknown"; break;
    case k::number: out = e.number_value.spelling; break;
    case k::string: out = quoted(e.text_value); break;
    default: {
      // Operators in prefix form: `(>= a b)`, `(and a b c)`.
      out = std::string("(") + (e.kind == k::compare ? ast::compare_spelling(e.op) : kind_word(e.kind));
      for (const auto& o : e.operands) out += " " + dump_expr(o, p);
      out += ")";
    }
  }
  // After typecheck, every expression shows its type.
  if (p) {
    if (auto t = p->types.find(&e); t != p->types.end()) out += ":" + short_type(*p, t->second);
  }
  return out;
}

std::string dump_ast(const ast::module& m, const sema::program* p) {
  std::string out;
  auto line = [&out](int indent, const std::string& s) { out += std::string(static_cast<std::size_t>(indent) * 2, ' ') + s + "\n"; };
  const auto& h = m.head;
  line(0, fmt::format("{} {} {}", h.kind == ast::module_kind::guideline ? "guideline" : "library", h.module.text, quoted(h.title.value)));
  if (h.scale) line(1, "scale " + h.scale->text);
  if (h.radiation) line(1, "radiation " + h.radiation->text);
  if (h.select) {
    std::string s = h.select->policy == ast::select_policy::first ? "first" : h.select->policy == ast::select_policy::unique ? "unique" : "all";
    if (!h.select->order.empty()) {
      s += " in order";
      for (std::size_t i = 0; i < h.select->order.size(); ++i) s += (i ? ", " : " ") + h.select->order[i].text;
    }
    line(1, "select " + s);
  }
  if (h.pediatric) line(1, "pediatric when " + dump_expr(*h.pediatric, p));
  for (const auto& ref : m.order) {
    switch (ref.kind) {
      case ast::decl_kind::import: line(0, "import " + m.imports[ref.index].module.text); break;
      case ast::decl_kind::enumeration: {
        const auto& e = m.enums[ref.index];
        line(0, "enum " + e.id.text);
        for (const auto& member : e.members) line(1, "member " + member.id.text);
        break;
      }
      case ast::decl_kind::scale: {
        const auto& s = m.scales[ref.index];
        line(0, "scale " + s.id.text + " " + quoted(s.label.value));
        for (const auto& l : s.levels) {
          std::string range = l.range_min && l.range_max ? " range " + l.range_min->spelling + " to " + l.range_max->spelling : "";
          line(1, "level " + l.id.text + " " + quoted(l.label.value) + range);
        }
        break;
      }
      case ast::decl_kind::procedure: {
        const auto& d = m.procedures[ref.index];
        std::string s = "procedure " + d.id.text + " " + quoted(d.display.value);
        if (d.adult_rrl) s += " adult-rrl " + d.adult_rrl->spelling;
        if (d.pediatric_rrl) s += " pediatric-rrl " + d.pediatric_rrl->spelling;
        line(0, s);
        break;
      }
      case ast::decl_kind::patient:
        line(0, "patient");
        for (const auto& f : m.patients[ref.index].facts) {
          std::string t;
          switch (f.type.kind) {
            case ast::type_kind::boolean: t = "bool"; break;
            case ast::type_kind::number: t = "number"; break;
            case ast::type_kind::integer: t = "integer"; break;
            case ast::type_kind::duration: t = "duration"; break;
            case ast::type_kind::text: t = "text"; break;
            case ast::type_kind::named: t = f.type.named.text; break;
            case ast::type_kind::set_of: t = "set of " + f.type.named.text; break;
          }
          line(1, "fact " + f.id.text + " : " + t + (f.fixed ? " fixed" : ""));
        }
        break;
      case ast::decl_kind::score: {
        const auto& sc = m.scores[ref.index];
        line(0, "score " + sc.id.text);
        for (const auto& l : sc.lines) line(1, l.points.spelling + " if " + dump_expr(l.condition, p));
        break;
      }
      case ast::decl_kind::value: {
        const auto& v = m.values[ref.index];
        line(0, "value " + v.id.text + " = " + dump_expr(v.body, p));
        break;
      }
      case ast::decl_kind::codes: {
        const auto& c = m.code_lists[ref.index];
        line(0, "codes " + c.id.text);
        for (const auto& e : c.codes) line(1, e.system.text + " " + quoted(e.code.value) + (e.unverified ? " unverified" : ""));
        break;
      }
      case ast::decl_kind::fhir:
        line(0, "fhir");
        for (const auto& b : m.fhir[ref.index].bindings)
          line(1, std::string(b.alternative ? "or " : "") + "bind " + b.fact.text + (b.member ? " has " + b.member->text : "") +
                      (b.codes.text.empty() ? "" : " codes " + b.codes.text) +
                      (b.question ? " answer " + quoted(b.question->value) : ""));
        for (const auto& u : m.fhir[ref.index].unbound)
          line(1, "unbound " + u.fact.text + (u.member ? " has " + u.member->text : "") + " " + quoted(u.reason.value));
        break;
      case ast::decl_kind::let: {
        const auto& l = m.lets[ref.index];
        line(0, "let " + l.id.text + " = " + dump_expr(l.value, p));
        break;
      }
      case ast::decl_kind::criterion: {
        const auto& c = m.criteria[ref.index];
        line(0, "criterion " + c.id.text);
        line(1, dump_expr(c.body, p));
        break;
      }
      case ast::decl_kind::variant: {
        const auto& v = m.variants[ref.index];
        line(0, "variant " + v.id.text + " " + quoted(v.title.value));
        if (v.guard) line(1, "when " + dump_expr(*v.guard, p));
        for (std::size_t r = 0; r < v.ratings.size(); ++r) {
          const auto& rating = v.ratings[r];
          std::string s = "rate " + (rating.procedure.by_display_name ? quoted(rating.procedure.text) : rating.procedure.text) + " " +
                          rating.category.spelling;
          if (rating.score) s += " score " + rating.score->spelling;
          if (rating.rrl) s += " rrl " + rating.rrl->spelling;
          if (rating.caveat) s += " caveat " + quoted(rating.caveat->value);
          if (p && ref.index < p->ratings.size() && r < p->ratings[ref.index].size() && p->ratings[ref.index][r].ok) {
            const auto& info = p->ratings[ref.index][r];
            const auto& scale = *p->scopes[0].rating_scale;
            s += " => " + qualified_id(*p, info.procedure) + " " +
                 p->module(scale.module).scales[scale.index].levels[info.level].id.text;
          }
          line(1, s);
        }
        for (const auto& a : v.advice) line(1, "advise " + quoted(a.message.value) + (a.when ? " when " + dump_expr(*a.when, p) : ""));
        for (const auto& t : v.next)
          line(1, "next " + t.target.text + (t.urgent ? " urgent" : "") + " when " + dump_expr(t.when, p));
        break;
      }
      case ast::decl_kind::otherwise: {
        const auto& o = m.otherwise[ref.index];
        line(0, "otherwise" + (o.label ? " " + quoted(o.label->value) : ""));
        for (const auto& a : o.advice) line(1, "advise " + quoted(a.message.value) + (a.when ? " when " + dump_expr(*a.when, p) : ""));
        break;
      }
      case ast::decl_kind::assume: line(0, "assume " + dump_expr(m.assumes[ref.index].condition, p)); break;
      case ast::decl_kind::example: {
        const auto& ex = m.examples[ref.index];
        line(0, "example " + quoted(ex.title.value));
        for (const auto& g : ex.given) line(1, "given " + g.fact.text + " = " + dump_expr(g.value, nullptr));
        for (const auto& e : ex.expect) {
          std::string s = "expect ";
          switch (e.kind) {
            case ast::expect_kind::variant: s += "variant"; break;
            case ast::expect_kind::status: s += "status"; break;
            case ast::expect_kind::missing: s += "missing"; break;
            case ast::expect_kind::candidates: s += "candidates"; break;
            case ast::expect_kind::rating: s += "rating " + quoted(e.procedure.text) + " " + e.category.spelling; break;
          }
          for (std::size_t i = 0; i < e.names.size(); ++i) s += (i ? ", " : " ") + e.names[i].text;
          line(1, s);
        }
        break;
      }
    }
  }
  return out;
}

std::string dump_graph(const runtime::graph& g) {
  using runtime::node_kind;
  std::string out;
  auto add = [&out](const std::string& s) { out += s + "\n"; };
  const char* policies[] = {"first", "unique", "all"};
  add(fmt::format("graph {} \"{}\" select {}", g.id, g.title, policies[static_cast<int>(g.policy)]));
  for (std::size_t i = 0; i < g.scales.size(); ++i) {
    std::string marks = static_cast<std::int32_t>(i) == g.rating_scale ? " (rating)" : static_cast<std::int32_t>(i) == g.radiation_scale ? " (radiation)" : "";
    add(fmt::format("scale {} {}{}", i, g.scales[i].id, marks));
    for (std::size_t l = 0; l < g.scales[i].levels.size(); ++l) add(fmt::format("  {} {} \"{}\"", l, g.scales[i].levels[l].id, g.scales[i].levels[l].label));
  }
  for (std::size_t i = 0; i < g.enumerations.size(); ++i) {
    std::string members;
    for (const auto& m : g.enumerations[i].members) members += " " + m.id;
    add(fmt::format("enum {} {}:{}", i, g.enumerations[i].id, members));
  }
  const char* types[] = {"bool", "number", "duration", "enum", "set", "text"};
  for (std::size_t i = 0; i < g.facts.size(); ++i) {
    const auto& f = g.facts[i];
    add(fmt::format("fact {} {} {}{}{}", i, f.id, types[static_cast<int>(f.type)],
                    f.enumeration >= 0 ? fmt::format(" enum {}", f.enumeration) : "", f.fixed ? " fixed" : ""));
  }
  for (std::size_t i = 0; i < g.procedures.size(); ++i)
    add(fmt::format("procedure {} {} rrl {}/{}", i, g.procedures[i].id, g.procedures[i].adult_rrl, g.procedures[i].pediatric_rrl));
  for (std::size_t i = 0; i < g.strings.size(); ++i) add(fmt::format("string {} \"{}\"", i, g.strings[i]));
  const char* kinds[] = {"constant",  "fact_true", "compare",   "compare_facts", "text_equals", "enum_in",
                         "set_any",   "set_all",   "set_empty", "is_known",      "not",         "and",
                         "or",        "criterion", "num_const", "num_fact",      "num_sum",     "num_scale",
                         "num_points", "num_if",   "num_min",   "num_max",       "compare_num", "at_least",
                         "score"};
  const char* truths[] = {"false", "true", "unknown"};
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const auto& n = g.nodes[i];
    std::string s = fmt::format("node {} {}", i, kinds[static_cast<int>(n.kind)]);
    switch (n.kind) {
      case node_kind::constant: s += std::string(" ") + truths[static_cast<int>(n.constant)]; break;
      case node_kind::compare: s += fmt::format(" slot {} {} {}", n.slot, op_text(n.op), n.number); break;
      case node_kind::compare_facts: s += fmt::format(" slot {} {} slot {}", n.slot, op_text(n.op), n.slot2); break;
      case node_kind::text_equals: s += fmt::format(" slot {} {} string {}", n.slot, op_text(n.op), n.mask); break;
      case node_kind::enum_in:
      case node_kind::set_any:
      case node_kind::set_all: s += fmt::format(" slot {} mask {:#x}", n.slot, n.mask); break;
      case node_kind::fact_true:
      case node_kind::set_empty:
      case node_kind::is_known: s += fmt::format(" slot {}", n.slot); break;
      case node_kind::criterion:
      case node_kind::score: s += fmt::format(" #{}", n.criterion); break;
      case node_kind::num_fact: s += fmt::format(" slot {}", n.slot); break;
      case node_kind::num_const:
      case node_kind::num_sum:
      case node_kind::num_scale:
      case node_kind::num_points:
      case node_kind::at_least: s += fmt::format(" {}", n.number); break;
      case node_kind::compare_num: s += fmt::format(" {} {}", op_text(n.op), n.number); break;
      default: break;
    }
    if (n.count > 0) {
      s += " [";
      for (std::uint32_t k = 0; k < n.count; ++k) s += (k ? " " : "") + std::to_string(g.children[n.first + k]);
      s += "]";
    }
    const auto& info = g.info[i];
    s += fmt::format("  @{}:{} `{}`", info.where.line, info.where.column, info.text);
    add(s);
  }
  for (std::size_t i = 0; i < g.criteria.size(); ++i)
    add(fmt::format("criterion {} {} node {}", i, g.criteria[i].id, g.criteria[i].node));
  for (std::size_t i = 0; i < g.variants.size(); ++i) {
    const auto& v = g.variants[i];
    std::string req;
    for (auto r : v.requires_facts) req += " " + std::to_string(r);
    add(fmt::format("variant {} {} guard {} requires [{}]", i, v.id, v.guard, req.empty() ? "" : req.substr(1)));
    for (const auto& r : v.ratings) {
      std::string level = g.rating_scale >= 0 ? g.scales[static_cast<std::size_t>(g.rating_scale)].levels[r.level].id : std::to_string(r.level);
      add(fmt::format("  rate {} {}{}{}", g.procedures[r.procedure].id, level, r.score ? fmt::format(" score {}", *r.score) : "",
                      r.caveat.empty() ? "" : fmt::format(" caveat \"{}\"", r.caveat)));
    }
    for (const auto& a : v.advice) add(fmt::format("  advise when {} \"{}\"", a.when, a.text));
    for (const auto& t : v.next) add(fmt::format("  next {} when {}{}", g.variants[t.target].id, t.when, t.urgent ? " urgent" : ""));
  }
  std::string order;
  for (auto o : g.order) order += " " + g.variants[o].id;
  add("order" + order);
  if (g.otherwise.present) {
    add(fmt::format("otherwise \"{}\"", g.otherwise.label));
    for (const auto& a : g.otherwise.advice) add(fmt::format("  advise when {} \"{}\"", a.when, a.text));
  }
  for (const auto& a : g.assumptions) add(fmt::format("assume node {} `{}`", a.node, a.text));
  if (g.pediatric.node >= 0) add(fmt::format("pediatric node {} `{}`", g.pediatric.node, g.pediatric.text));
  return out;
}

}  // namespace rubric::compiler
