// Lowering a checked program to the decision graph. See lower.hpp.
#include "compiler/lower/lower.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <set>
#include <type_traits>
#include <unordered_map>

#include "compiler/sema/resolve.hpp"

namespace rubric::compiler {

namespace rt = rubric::runtime;
using sema::symbol;
using sema::symbol_kind;
using sema::type_kind;

double days_per_unit(ast::unit u) {
  switch (u) {
    case ast::unit::none:
    case ast::unit::day: return 1.0;
    case ast::unit::week: return 7.0;
    case ast::unit::month: return 30.4375;
    case ast::unit::year: return 365.25;
  }
  return 1.0;
}

namespace {

rt::compare_op convert(ast::compare_op op) {
  switch (op) {
    case ast::compare_op::lt: return rt::compare_op::lt;
    case ast::compare_op::le: return rt::compare_op::le;
    case ast::compare_op::gt: return rt::compare_op::gt;
    case ast::compare_op::ge: return rt::compare_op::ge;
    case ast::compare_op::eq: return rt::compare_op::eq;
    case ast::compare_op::ne: return rt::compare_op::ne;
  }
  return rt::compare_op::eq;
}

// `6 < x` is `x > 6`.
rt::compare_op flip(rt::compare_op op) {
  switch (op) {
    case rt::compare_op::lt: return rt::compare_op::gt;
    case rt::compare_op::le: return rt::compare_op::ge;
    case rt::compare_op::gt: return rt::compare_op::lt;
    case rt::compare_op::ge: return rt::compare_op::le;
    default: return op;
  }
}

bool holds(double a, rt::compare_op op, double b) {
  switch (op) {
    case rt::compare_op::lt: return a < b;
    case rt::compare_op::le: return a <= b;
    case rt::compare_op::gt: return a > b;
    case rt::compare_op::ge: return a >= b;
    case rt::compare_op::eq: return a == b;
    case rt::compare_op::ne: return a != b;
  }
  return false;
}

rt::truth negate(rt::truth t) {
  return t == rt::truth::unknown ? t : (t == rt::truth::yes ? rt::truth::no : rt::truth::yes);
}

// A constant operand of a comparison after lets are followed.
struct constant {
  enum class kind { none, number, boolean, text, member } k = kind::none;
  double number = 0;
  bool boolean = false;
  std::string text;
  std::uint32_t member = 0;
};

class lowerer {
 public:
  explicit lowerer(const sema::program& p) : p_(p), root_(p.module(0)) {}

  rt::graph run() {
    header();
    for (std::size_t f = 0; f < p_.sources->file_count(); ++f) g_.files.push_back(p_.sources->path(static_cast<file_id>(f)));
    catalog();
    const auto& scope = p_.scopes[0];
    for (std::uint32_t i = 0; i < scope.facts.size(); ++i) slot_of({symbol_kind::fact, 0, i});
    // In dependency order, so lowering a criterion never recurses through a
    // long chain of others; then declaration order fills any left (none).
    for (const auto& c : p_.criterion_order)
      if (c.module == 0) criterion_node(c);
    for (std::uint32_t i = 0; i < root_.criteria.size(); ++i) criterion_node({symbol_kind::criterion, 0, i});
    variants();
    if (!root_.otherwise.empty()) {
      const auto& o = root_.otherwise[0];
      g_.otherwise.present = true;
      g_.otherwise.label = o.label ? o.label->value : "";
      for (const auto& a : o.advice) g_.otherwise.advice.push_back(advice(a));
      g_.otherwise.where = loc(o.where);
    }
    for (const auto& a : root_.assumes) {
      rt::assumption as;
      as.node = lower(0, a.condition);
      as.label = a.label ? a.label->value : "";
      as.text = text_of(a.condition.where);
      as.where = loc(a.where);
      g_.assumptions.push_back(std::move(as));
    }
    compact();
    return std::move(g_);
  }

 private:
  // Folding can leave nodes that nothing uses (the `not` under `not not x`,
  // the constants of `x and true`). Drop them, keeping the order, and renumber.
  void compact() {
    std::vector<char> used(g_.nodes.size(), 0);
    auto mark = [&](std::int64_t n) {
      if (n >= 0) used[static_cast<std::size_t>(n)] = 1;
    };
    for (const auto& c : g_.criteria) mark(c.node);
    for (const auto& v : g_.variants) {
      mark(v.guard);
      for (const auto& a : v.advice) mark(a.when);
      for (const auto& t : v.next) mark(t.when);
    }
    for (const auto& a : g_.otherwise.advice) mark(a.when);
    for (const auto& a : g_.assumptions) mark(a.node);
    // Parents follow children, so one backward sweep marks every descendant.
    for (std::size_t i = g_.nodes.size(); i-- > 0;) {
      if (!used[i]) continue;
      for (std::uint32_t k = 0; k < g_.nodes[i].count; ++k) used[g_.children[g_.nodes[i].first + k]] = 1;
    }
    std::vector<std::uint32_t> renumber(g_.nodes.size(), 0);
    std::vector<rt::node> nodes;
    std::vector<rt::node_info> info;
    std::vector<std::uint32_t> children;
    for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
      if (!used[i]) continue;
      renumber[i] = static_cast<std::uint32_t>(nodes.size());
      rt::node n = g_.nodes[i];
      std::uint32_t first = static_cast<std::uint32_t>(children.size());
      for (std::uint32_t k = 0; k < n.count; ++k) children.push_back(renumber[g_.children[n.first + k]]);
      n.first = first;
      nodes.push_back(n);
      info.push_back(std::move(g_.info[i]));
    }
    g_.nodes = std::move(nodes);
    g_.info = std::move(info);
    g_.children = std::move(children);
    auto fix = [&](auto& n) {
      if (n >= 0) n = static_cast<std::remove_reference_t<decltype(n)>>(renumber[static_cast<std::size_t>(n)]);
    };
    for (auto& c : g_.criteria) fix(c.node);
    for (auto& v : g_.variants) {
      fix(v.guard);
      for (auto& a : v.advice) fix(a.when);
      for (auto& t : v.next) fix(t.when);
    }
    for (auto& a : g_.otherwise.advice) fix(a.when);
    for (auto& a : g_.assumptions) fix(a.node);
  }

  // --- metadata and catalog ------------------------------------------------------

  void header() {
    const auto& h = root_.head;
    g_.id = h.module.text;
    g_.title = h.title.value;
    auto text_or = [](const std::optional<ast::text>& t) { return t ? t->value : std::string(); };
    g_.source = text_or(h.source);
    g_.citation = text_or(h.citation);
    g_.doi = text_or(h.doi);
    g_.url = text_or(h.url);
    g_.license = text_or(h.license);
    if (h.revised) g_.revised = static_cast<int>(h.revised->value);
    if (h.select) {
      switch (h.select->policy) {
        case ast::select_policy::first: g_.policy = rt::select_policy::first; break;
        case ast::select_policy::unique: g_.policy = rt::select_policy::unique; break;
        case ast::select_policy::all: g_.policy = rt::select_policy::all; break;
      }
    }
  }

  void catalog() {
    for (std::uint32_t m = 0; m < p_.module_count(); ++m) {
      const auto& mod = p_.module(m);
      const std::string& prefix = mod.head.module.text;
      for (std::uint32_t i = 0; i < mod.scales.size(); ++i) {
        const auto& s = mod.scales[i];
        rt::scale out{prefix + "." + s.id.text, s.label.value, {}};
        for (const auto& l : s.levels) {
          rt::level level;
          level.id = l.id.text;
          level.label = l.label.value;
          level.meaning = l.means ? l.means->value : "";
          if (l.range_min) level.min = l.range_min->value;
          if (l.range_max) level.max = l.range_max->value;
          level.adult_dose = l.adult ? l.adult->value : "";
          level.pediatric_dose = l.pediatric ? l.pediatric->value : "";
          out.levels.push_back(std::move(level));
        }
        scales_[{m, i}] = static_cast<std::int32_t>(g_.scales.size());
        g_.scales.push_back(std::move(out));
      }
      for (std::uint32_t i = 0; i < mod.enums.size(); ++i) {
        const auto& e = mod.enums[i];
        rt::enumeration out{prefix + "." + e.id.text, e.label ? e.label->value : "", {}};
        for (const auto& member : e.members) out.members.push_back({member.id.text, member.label ? member.label->value : ""});
        enums_[{m, i}] = static_cast<std::int32_t>(g_.enumerations.size());
        g_.enumerations.push_back(std::move(out));
      }
    }
    const auto& root_scope = p_.scopes[0];
    if (root_scope.rating_scale) g_.rating_scale = scale_index(*root_scope.rating_scale);
    if (root_scope.radiation_scale) g_.radiation_scale = scale_index(*root_scope.radiation_scale);
    for (std::uint32_t m = 0; m < p_.module_count() && g_.radiation_scale < 0; ++m) {
      if (!p_.module(m).procedures.empty() && p_.scopes[m].radiation_scale)
        g_.radiation_scale = scale_index(*p_.scopes[m].radiation_scale);
    }
    for (std::uint32_t m = 0; m < p_.module_count(); ++m) {
      const auto& mod = p_.module(m);
      for (std::uint32_t i = 0; i < mod.procedures.size(); ++i) {
        const auto& d = mod.procedures[i];
        rt::procedure out;
        out.id = mod.head.module.text + "." + d.id.text;
        out.name = d.display.value;
        out.modality = d.modality ? d.modality->value : "";
        out.region = d.region ? d.region->value : "";
        out.contrast = d.contrast ? d.contrast->value : "";
        out.adult_rrl = rrl(m, p_.scopes[m].adult_rrl[i]);
        out.pediatric_rrl = rrl(m, p_.scopes[m].pediatric_rrl[i]);
        for (const auto& c : d.codes) out.codes.push_back({c.system.text, c.value.value});
        procedures_[{m, i}] = static_cast<std::uint32_t>(g_.procedures.size());
        g_.procedures.push_back(std::move(out));
      }
    }
  }

  std::int32_t scale_index(const symbol& s) { return scales_.at({s.module, s.index}); }

  // A catalog RRL is a level of its module's radiation scale; the graph has one
  // radiation scale, so a level of another scale is matched by id.
  std::int32_t rrl(std::uint32_t m, std::int32_t level) {
    if (level < 0 || !p_.scopes[m].radiation_scale || g_.radiation_scale < 0) return -1;
    std::int32_t own = scale_index(*p_.scopes[m].radiation_scale);
    if (own == g_.radiation_scale) return level;
    const auto& id = g_.scales[static_cast<std::size_t>(own)].levels[static_cast<std::size_t>(level)].id;
    const auto& target = g_.scales[static_cast<std::size_t>(g_.radiation_scale)].levels;
    for (std::size_t i = 0; i < target.size(); ++i)
      if (target[i].id == id) return static_cast<std::int32_t>(i);
    return -1;
  }

  // --- facts ---------------------------------------------------------------------

  std::int32_t slot_of(const symbol& fact) {
    auto key = std::make_pair(fact.module, fact.index);
    if (auto it = slots_.find(key); it != slots_.end()) return it->second;
    const auto* d = p_.scopes[fact.module].facts[fact.index];
    const auto& t = p_.scopes[fact.module].fact_types[fact.index];
    rt::fact f;
    f.id = fact.module == 0 ? d->id.text : qualified_id(p_, fact);
    f.label = d->label ? d->label->value : "";
    switch (t.kind) {
      case type_kind::boolean: f.type = rt::value_type::boolean; break;
      case type_kind::number: f.type = rt::value_type::number; break;
      case type_kind::duration: f.type = rt::value_type::duration; break;
      case type_kind::text: f.type = rt::value_type::text; break;
      case type_kind::enumeration: f.type = rt::value_type::enumeration; break;
      case type_kind::set: f.type = rt::value_type::set; break;
      case type_kind::error: break;
    }
    if (t.enum_module >= 0) f.enumeration = enums_.at({static_cast<std::uint32_t>(t.enum_module), static_cast<std::uint32_t>(t.enum_index)});
    f.fixed = d->fixed;
    f.where = loc(d->where);
    auto slot = static_cast<std::int32_t>(g_.facts.size());
    g_.facts.push_back(std::move(f));
    slots_[key] = slot;
    return slot;
  }

  // --- nodes ---------------------------------------------------------------------

  rt::location loc(span s) const {
    auto b = p_.sources->begin_of(s);
    auto e = p_.sources->position(s.file, s.end);
    return {s.file, b.line, b.column, e.line, e.column};
  }

  std::string text_of(span s) const { return std::string(p_.sources->text(s)); }

  // Hash-consing: a node's identity is its fields and its children.
  std::uint32_t make(const rt::node& n, const std::vector<std::uint32_t>& kids, const std::string& text, span where) {
    std::string key(reinterpret_cast<const char*>(&n.kind), 1);
    auto add = [&key](const void* data, std::size_t size) { key.append(static_cast<const char*>(data), size); };
    add(&n.op, sizeof n.op);
    add(&n.constant, sizeof n.constant);
    add(&n.slot, sizeof n.slot);
    add(&n.slot2, sizeof n.slot2);
    add(&n.number, sizeof n.number);
    add(&n.mask, sizeof n.mask);
    add(&n.criterion, sizeof n.criterion);
    for (auto k : kids) add(&k, sizeof k);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    rt::node out = n;
    out.first = static_cast<std::uint32_t>(g_.children.size());
    out.count = static_cast<std::uint32_t>(kids.size());
    g_.children.insert(g_.children.end(), kids.begin(), kids.end());
    auto index = static_cast<std::uint32_t>(g_.nodes.size());
    g_.nodes.push_back(out);
    g_.info.push_back({text, loc(where)});
    cache_.emplace(std::move(key), index);
    return index;
  }

  std::uint32_t make_constant(rt::truth t, span where) {
    rt::node n;
    n.kind = rt::node_kind::constant;
    n.constant = t;
    return make(n, {}, t == rt::truth::yes ? "true" : t == rt::truth::no ? "false" : "unknown", where);
  }

  bool is_constant(std::uint32_t i, rt::truth& t) const {
    if (g_.nodes[i].kind != rt::node_kind::constant) return false;
    t = g_.nodes[i].constant;
    return true;
  }

  std::uint32_t make_not(std::uint32_t child, const std::string& text, span where) {
    rt::truth t;
    if (is_constant(child, t)) return make_constant(negate(t), where);
    // not (not x) = x holds in Kleene logic too.
    if (g_.nodes[child].kind == rt::node_kind::not_) return g_.children[g_.nodes[child].first];
    rt::node n;
    n.kind = rt::node_kind::not_;
    return make(n, {child}, text, where);
  }

  // `and`/`or` over already lowered children: flatten, drop neutral constants,
  // short-circuit on the absorbing one, drop repeats.
  std::uint32_t make_junction(rt::node_kind kind, const std::vector<std::uint32_t>& raw, const std::string& text, span where) {
    rt::truth absorbing = kind == rt::node_kind::and_ ? rt::truth::no : rt::truth::yes;
    rt::truth neutral = kind == rt::node_kind::and_ ? rt::truth::yes : rt::truth::no;
    std::vector<std::uint32_t> kids;
    std::function<void(std::uint32_t)> take = [&](std::uint32_t c) {
      if (g_.nodes[c].kind == kind) {
        for (std::uint32_t k = 0; k < g_.nodes[c].count; ++k) take(g_.children[g_.nodes[c].first + k]);
        return;
      }
      if (std::find(kids.begin(), kids.end(), c) == kids.end()) kids.push_back(c);
    };
    for (auto c : raw) {
      rt::truth t;
      if (is_constant(c, t)) {
        if (t == absorbing) return make_constant(absorbing, where);
        if (t == neutral) continue;
      }
      take(c);
    }
    if (kids.empty()) return make_constant(neutral, where);
    if (kids.size() == 1) return kids[0];
    rt::node n;
    n.kind = kind;
    return make(n, kids, text, where);
  }

  std::uint32_t criterion_node(const symbol& c) {
    auto key = std::make_pair(c.module, c.index);
    if (auto it = criteria_.find(key); it != criteria_.end()) return it->second;
    const auto& d = p_.module(c.module).criteria[c.index];
    std::uint32_t body = lower(c.module, d.body);
    rt::criterion out;
    out.id = c.module == 0 ? d.id.text : qualified_id(p_, c);
    out.label = d.label ? d.label->value : "";
    out.text = text_of(d.body.where);
    out.where = loc(d.where);
    rt::node n;
    n.kind = rt::node_kind::criterion;
    n.criterion = static_cast<std::int32_t>(g_.criteria.size());
    out.node = make(n, {body}, d.id.text, d.id.where);
    g_.criteria.push_back(std::move(out));
    criteria_[key] = g_.criteria.back().node;
    return g_.criteria.back().node;
  }

  // Follows a let chain, or reads a literal or enum member.
  constant constant_of(const ast::expr& e) const {
    constant c;
    const ast::expr* x = &e;
    if (auto it = p_.members.find(&e); it != p_.members.end()) {
      c.k = constant::kind::member;
      c.member = it->second;
      return c;
    }
    if (auto it = p_.names.find(&e); it != p_.names.end()) {
      if (it->second.kind != symbol_kind::let) return c;
      x = p_.let_values[it->second.module][it->second.index];
      if (!x) return c;
    }
    switch (x->kind) {
      case ast::expr_kind::boolean: c.k = constant::kind::boolean; c.boolean = x->bool_value; break;
      case ast::expr_kind::number:
        c.k = constant::kind::number;
        c.number = x->number_value.value * days_per_unit(x->number_value.unit_of);
        break;
      case ast::expr_kind::string: c.k = constant::kind::text; c.text = x->text_value; break;
      default: break;
    }
    return c;
  }

  std::optional<symbol> fact_of(const ast::expr& e) const {
    if (p_.members.count(&e)) return std::nullopt;
    auto it = p_.names.find(&e);
    if (it == p_.names.end() || it->second.kind != symbol_kind::fact) return std::nullopt;
    return it->second;
  }

  std::uint64_t mask_of(const ast::expr& set) const {
    std::uint64_t mask = 0;
    for (const auto& m : set.operands) {
      if (auto it = p_.members.find(&m); it != p_.members.end()) mask |= std::uint64_t{1} << it->second;
    }
    return mask;
  }

  std::uint32_t fact_node(rt::node_kind kind, const symbol& fact, std::uint64_t mask, const std::string& text, span where) {
    rt::node n;
    n.kind = kind;
    n.slot = slot_of(fact);
    n.mask = mask;
    return make(n, {}, text, where);
  }

  std::uint32_t lower(std::uint32_t m, const ast::expr& e) {
    using k = ast::expr_kind;
    std::string text = text_of(e.where);
    switch (e.kind) {
      case k::boolean: return make_constant(e.bool_value ? rt::truth::yes : rt::truth::no, e.where);
      case k::name: {
        const symbol& s = p_.names.at(&e);
        if (s.kind == symbol_kind::criterion) return criterion_node(s);
        if (s.kind == symbol_kind::fact) return fact_node(rt::node_kind::fact_true, s, 0, text, e.where);
        constant c = constant_of(e);
        return make_constant(c.boolean ? rt::truth::yes : rt::truth::no, e.where);
      }
      case k::not_: return make_not(lower(m, e.operands[0]), text, e.where);
      case k::and_:
      case k::or_: {
        std::vector<std::uint32_t> kids;
        for (const auto& o : e.operands) kids.push_back(lower(m, o));
        return make_junction(e.kind == k::and_ ? rt::node_kind::and_ : rt::node_kind::or_, kids, text, e.where);
      }
      case k::compare: return compare(m, e, text);
      case k::in_set: {
        auto fact = fact_of(e.operands[0]);
        std::uint64_t mask = mask_of(e.operands[1]);
        if (!fact) {  // a member literal: decided now
          constant c = constant_of(e.operands[0]);
          return make_constant((mask >> c.member) & 1 ? rt::truth::yes : rt::truth::no, e.where);
        }
        return fact_node(rt::node_kind::enum_in, *fact, mask, text, e.where);
      }
      case k::has_any:
        return fact_node(rt::node_kind::set_any, *fact_of(e.operands[0]), mask_of(e.operands[1]), text, e.where);
      case k::has_all:
        return fact_node(rt::node_kind::set_all, *fact_of(e.operands[0]), mask_of(e.operands[1]), text, e.where);
      case k::is_empty: return fact_node(rt::node_kind::set_empty, *fact_of(e.operands[0]), 0, text, e.where);
      case k::is_not_empty:
        return make_not(fact_node(rt::node_kind::set_empty, *fact_of(e.operands[0]), 0, text, e.where), text, e.where);
      case k::is_known: return fact_node(rt::node_kind::is_known, *fact_of(e.operands[0]), 0, text, e.where);
      case k::is_unknown:
        return make_not(fact_node(rt::node_kind::is_known, *fact_of(e.operands[0]), 0, text, e.where), text, e.where);
      default: break;  // literals that typecheck rejects in conditions
    }
    return make_constant(rt::truth::unknown, e.where);
  }

  std::uint32_t compare(std::uint32_t m, const ast::expr& e, const std::string& text) {
    const ast::expr& l = e.operands[0];
    const ast::expr& r = e.operands[1];
    rt::compare_op op = convert(e.op);
    const sema::type& t = p_.types.at(&l);
    auto fl = fact_of(l);
    auto fr = fact_of(r);
    if (t.kind == type_kind::boolean) {
      constant cl = constant_of(l), cr = constant_of(r);
      bool eq = op == rt::compare_op::eq;
      if (cl.k == constant::kind::boolean && cr.k == constant::kind::boolean)
        return make_constant((cl.boolean == cr.boolean) == eq ? rt::truth::yes : rt::truth::no, e.where);
      if (cl.k == constant::kind::boolean || cr.k == constant::kind::boolean) {
        const ast::expr& other = cl.k == constant::kind::boolean ? r : l;
        bool value = cl.k == constant::kind::boolean ? cl.boolean : cr.boolean;
        std::uint32_t x = lower(m, other);
        return value == eq ? x : make_not(x, text, e.where);
      }
      // a = b is (a and b) or (not a and not b); Kleene-exact, unknown if either is.
      std::uint32_t a = lower(m, l), b = lower(m, r);
      std::uint32_t na = make_not(a, "not " + text_of(l.where), l.where);
      std::uint32_t nb = make_not(b, "not " + text_of(r.where), r.where);
      std::uint32_t both = make_junction(rt::node_kind::and_, {a, eq ? b : nb}, text, e.where);
      std::uint32_t neither = make_junction(rt::node_kind::and_, {na, eq ? nb : b}, text, e.where);
      return make_junction(rt::node_kind::or_, {both, neither}, text, e.where);
    }
    if (t.kind == type_kind::enumeration || t.kind == type_kind::text) {
      if (!fl && !fr) {
        constant cl = constant_of(l), cr = constant_of(r);
        bool same = t.kind == type_kind::text ? cl.text == cr.text : cl.member == cr.member;
        return make_constant(same == (op == rt::compare_op::eq) ? rt::truth::yes : rt::truth::no, e.where);
      }
      const symbol& fact = fl ? *fl : *fr;
      constant c = constant_of(fl ? r : l);
      if (t.kind == type_kind::enumeration) {
        std::uint32_t in = fact_node(rt::node_kind::enum_in, fact, std::uint64_t{1} << c.member, text, e.where);
        return op == rt::compare_op::eq ? in : make_not(in, text, e.where);
      }
      rt::node n;
      n.kind = rt::node_kind::text_equals;
      n.op = op;
      n.slot = slot_of(fact);
      n.mask = intern(c.text);
      return make(n, {}, text, e.where);
    }
    // Numbers and durations (in days).
    if (fl && fr) {
      rt::node n;
      n.kind = rt::node_kind::compare_facts;
      n.op = op;
      n.slot = slot_of(*fl);
      n.slot2 = slot_of(*fr);
      return make(n, {}, text, e.where);
    }
    if (!fl && !fr) {
      constant cl = constant_of(l), cr = constant_of(r);
      return make_constant(holds(cl.number, op, cr.number) ? rt::truth::yes : rt::truth::no, e.where);
    }
    rt::node n;
    n.kind = rt::node_kind::compare;
    n.op = fl ? op : flip(op);
    n.slot = slot_of(fl ? *fl : *fr);
    n.number = constant_of(fl ? r : l).number;
    return make(n, {}, text, e.where);
  }

  std::uint64_t intern(const std::string& s) {
    auto it = std::find(g_.strings.begin(), g_.strings.end(), s);
    if (it != g_.strings.end()) return static_cast<std::uint64_t>(it - g_.strings.begin());
    g_.strings.push_back(s);
    return g_.strings.size() - 1;
  }

  // --- outcomes ------------------------------------------------------------------

  rt::advisory advice(const ast::advice_decl& a) {
    rt::advisory out;
    out.text = a.message.value;
    if (a.when) out.when = static_cast<std::int32_t>(lower(0, *a.when));
    out.where = loc(a.where);
    return out;
  }

  // The fact slots under `root`: an explicit stack, since a guard may sit on
  // a chain of thousands of criteria.
  void slots_under(std::uint32_t root, std::set<std::uint32_t>& out) const {
    std::vector<char> seen(g_.nodes.size(), 0);
    std::vector<std::uint32_t> pending{root};
    while (!pending.empty()) {
      std::uint32_t i = pending.back();
      pending.pop_back();
      if (seen[i]) continue;
      seen[i] = 1;
      const auto& n = g_.nodes[i];
      if (n.slot >= 0) out.insert(static_cast<std::uint32_t>(n.slot));
      if (n.slot2 >= 0) out.insert(static_cast<std::uint32_t>(n.slot2));
      for (std::uint32_t k = 0; k < n.count; ++k) pending.push_back(g_.children[n.first + k]);
    }
  }

  void variants() {
    std::map<std::string, std::uint32_t> ids;
    for (std::uint32_t v = 0; v < root_.variants.size(); ++v) ids.emplace(root_.variants[v].id.text, v);
    for (std::uint32_t v = 0; v < root_.variants.size(); ++v) {
      const auto& d = root_.variants[v];
      rt::variant out;
      out.id = d.id.text;
      out.title = d.title.value;
      if (d.guard) {
        std::uint32_t guard = lower(0, *d.guard);
        out.guard = static_cast<std::int32_t>(guard);
        // Every fact under the guard can leave it unknown; the verifier narrows this.
        std::set<std::uint32_t> slots;
        slots_under(guard, slots);
        out.requires_facts.assign(slots.begin(), slots.end());
      }
      for (std::size_t r = 0; r < d.ratings.size(); ++r) {
        const auto& info = p_.ratings[v][r];
        rt::rating rating;
        rating.procedure = procedures_.at({info.procedure.module, info.procedure.index});
        rating.level = info.level;
        if (d.ratings[r].score) rating.score = d.ratings[r].score->value;
        rating.where = loc(d.ratings[r].where);
        if (d.ratings[r].caveat) rating.caveat = d.ratings[r].caveat->value;
        out.ratings.push_back(rating);
      }
      for (const auto& a : d.advice) out.advice.push_back(advice(a));
      for (const auto& t : d.next) {
        rt::transition tr;
        tr.target = ids.at(t.target.text);
        tr.when = lower(0, t.when);
        tr.label = t.label ? t.label->value : "";
        tr.urgent = t.urgent;
        tr.where = loc(t.where);
        out.next.push_back(std::move(tr));
      }
      out.source = d.source ? d.source->value : "";
      out.evidence = d.evidence ? d.evidence->value : "";
      out.where = loc(d.where);
      g_.variants.push_back(std::move(out));
    }
    if (root_.head.select && !root_.head.select->order.empty()) {
      for (const auto& id : root_.head.select->order) g_.order.push_back(ids.at(id.text));
    } else {
      for (std::uint32_t v = 0; v < root_.variants.size(); ++v) g_.order.push_back(v);
    }
  }

  const sema::program& p_;
  const ast::module& root_;
  rt::graph g_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::int32_t> scales_, enums_, slots_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> procedures_, criteria_;
  std::unordered_map<std::string, std::uint32_t> cache_;
};

}  // namespace

rt::graph lower(const sema::program& p) { return lowerer(p).run(); }

}  // namespace rubric::compiler
