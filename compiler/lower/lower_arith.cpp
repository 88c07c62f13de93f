// Lowering of the v1 forms: arithmetic over numbers and quantities as linear
// forms (constants folded, units converted exactly into the unit of the side
// that reads a fact), comparisons of them, counts, and the score and value
// declarations under their `score` nodes. See lower_internal.hpp.
#include <algorithm>

#include "compiler/lower/lower_internal.hpp"
#include "compiler/sema/quantity.hpp"
#include "compiler/sema/resolve.hpp"
#include "runtime/arith.hpp"

namespace rubric::compiler::lowering {

using sema::symbol;
using sema::symbol_kind;
using sema::type_kind;

namespace {

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

}  // namespace

void linear::add(const linear& o, double k) {
  constant += k * o.constant;
  for (const linear_term& t : o.terms) {
    auto it = std::find_if(terms.begin(), terms.end(), [&](const linear_term& x) { return x.node == t.node; });
    if (it == terms.end()) {
      terms.push_back({t.node, t.mul * k, t.div});
    } else if (it->div == t.div) {
      it->mul += t.mul * k;
    } else {
      it->mul = it->mul * t.div + t.mul * k * it->div;
      it->div *= t.div;
    }
  }
  std::erase_if(terms, [](const linear_term& t) { return t.mul == 0; });
}

void linear::divide(double r) {
  constant /= r;
  for (linear_term& t : terms) t.div *= r;
}

namespace {

std::uint64_t gcd(std::uint64_t a, std::uint64_t b) {
  while (b) {
    std::uint64_t t = a % b;
    a = b;
    b = t;
  }
  return a;
}

}  // namespace

std::optional<runtime::units::unit> lowerer::unit_of_expr(const ast::expr& e) const { return type_unit(p_.types.at(&e)); }

// `node` (in `from`) as a term in `to`: the exact ratio of the two units'
// factors, reduced, as × mul ÷ div.
linear_term lowerer::factor(std::uint32_t node, const std::optional<runtime::units::unit>& from,
                            const std::optional<runtime::units::unit>& to) const {
  if (!from || !to || *from == *to) return {node, 1, 1};
  const auto& f = from->scale;
  const auto& t = to->scale;
  std::uint64_t a = f.num, b = f.den, c = t.num, d = t.den;  // (a/b) / (c/d) = (a·d) / (b·c)
  std::uint64_t g1 = gcd(a, c), g2 = gcd(d, b);
  a /= g1, c /= g1, d /= g2, b /= g2;
  double mul = static_cast<double>(a) * static_cast<double>(d), div = static_cast<double>(b) * static_cast<double>(c);
  for (int e = f.exp10 - t.exp10; e > 0; --e) mul *= 10;
  for (int e = f.exp10 - t.exp10; e < 0; ++e) div *= 10;
  return {node, mul, div};
}

linear lowerer::term(std::uint32_t node, double k) const { return {0, {{node, k, 1}}}; }

// `e` as a linear form whose value is in `target` (nullopt: a plain number).
linear lowerer::lin(std::uint32_t m, const ast::expr& e, const std::optional<runtime::units::unit>& target) {
  using k = ast::expr_kind;
  switch (e.kind) {
    case k::number: return {literal_in(e.number_value, target).value_or(e.number_value.value), {}};
    case k::name: {
      const symbol& s = p_.names.at(&e);
      if (s.kind == symbol_kind::let) {
        const ast::expr* v = p_.let_values[s.module][s.index];
        return {v ? literal_in(v->number_value, target).value_or(v->number_value.value) : 0, {}};
      }
      auto own = unit_of_expr(e);
      if (s.kind == symbol_kind::fact) {
        rt::node n;
        n.kind = rt::node_kind::num_fact;
        n.slot = slot_of(s);
        return {0, {factor(make(n, {}, text_of(e.where), e.where), own, target)}};
      }
      return {0, {factor(score_node(s), own, target)}};  // a score or a value
    }
    case k::add:
    case k::subtract: {
      linear out = lin(m, e.operands[0], target);
      out.add(lin(m, e.operands[1], target), e.kind == k::add ? 1.0 : -1.0);
      return out;
    }
    case k::multiply:
    case k::divide: {
      auto side = [&](const ast::expr& x) { return unit_of_expr(x) ? target : std::nullopt; };
      linear l = lin(m, e.operands[0], side(e.operands[0]));
      linear r = lin(m, e.operands[1], side(e.operands[1]));
      linear out;
      if (e.kind == k::divide) {
        out.add(l, 1.0);
        out.divide(r.constant);
      } else if (r.terms.empty()) out.add(l, r.constant);
      else out.add(r, l.constant);
      return out;
    }
    case k::convert: return lin(m, e.operands[0], runtime::units::find_unit(e.text_value));
    case k::if_value:
    case k::min_of:
    case k::max_of: {
      std::vector<std::uint32_t> kids;
      rt::node n;
      if (e.kind == k::if_value) {
        kids.push_back(lower(m, e.operands[0]));
        n.kind = rt::node_kind::num_if;
        for (std::size_t i = 1; i < 3; ++i) kids.push_back(materialize(lin(m, e.operands[i], target), e.operands[i].where));
        rt::truth t;
        if (is_constant(kids[0], t) && t != rt::truth::unknown) return term(kids[t == rt::truth::yes ? 1 : 2], 1.0);
      } else {
        n.kind = e.kind == k::min_of ? rt::node_kind::num_min : rt::node_kind::num_max;
        for (const auto& o : e.operands) kids.push_back(materialize(lin(m, o, target), o.where));
      }
      return term(make(n, kids, text_of(e.where), e.where), 1.0);
    }
    default: break;  // typecheck admits nothing else here
  }
  return {};
}

// A node whose value is the linear form.
std::uint32_t lowerer::materialize(const linear& f, span where) {
  if (f.terms.empty()) {
    rt::node n;
    n.kind = rt::node_kind::num_const;
    n.number = f.constant;
    return make(n, {}, format_number(f.constant), where);
  }
  if (f.terms.size() == 1 && f.terms[0].mul == 1 && f.terms[0].div == 1 && f.constant == 0) return f.terms[0].node;
  std::vector<std::uint32_t> kids;
  for (const linear_term& t : f.terms) {
    if (t.mul == 1 && t.div == 1) {
      kids.push_back(t.node);
      continue;
    }
    rt::node n;
    n.kind = rt::node_kind::num_scale;
    n.number = t.mul;
    n.mask = rt::divisor_bits(t.div);
    std::string k = format_number(t.mul) + (t.div == 1 ? "" : " ÷ " + format_number(t.div));
    kids.push_back(make(n, {t.node}, k + " × " + g_.info[t.node].text, where));
  }
  rt::node n;
  n.kind = rt::node_kind::num_sum;
  n.number = f.constant;
  return make(n, kids, text_of(where), where);
}

std::string lowerer::format_number(double v) {
  std::string s = std::to_string(v);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  return s;
}

bool lowerer::has_range(std::uint32_t node) const {
  const auto& n = g_.nodes[node];
  if (n.kind != rt::node_kind::num_fact) return false;
  const auto& f = g_.facts[static_cast<std::size_t>(n.slot)];
  return f.min || f.max;
}

// `l op r` over numbers and quantities, computed in the unit of the side that
// reads a fact (thresholds convert into the fact's unit exactly). A plain
// fact against a constant stays a `compare` node and two plain facts a
// `compare_facts` node (version 1 forms); a fact with a declared range
// compares as an interval, so its range can decide while it is unknown.
std::uint32_t lowerer::compare_numbers(std::uint32_t m, const ast::expr& e, rt::compare_op op, const std::string& text) {
  const ast::expr& l = e.operands[0];
  const ast::expr& r = e.operands[1];
  auto target = fact_of(l) || !fact_of(r) ? unit_of_expr(l) : unit_of_expr(r);
  if (!target) target = unit_of_expr(r);
  linear d = lin(m, l, target);
  d.add(lin(m, r, target), -1.0);
  if (d.terms.size() == 1 && d.terms[0].mul < 0) {
    // `6 weeks <= d` is `d >= 6 weeks`: keep the fact's coefficient positive.
    d.constant = -d.constant;
    d.terms[0].mul = -d.terms[0].mul;
    op = flip(op);
  }
  double threshold = -d.constant;
  if (d.terms.empty()) return make_constant(rt::compare_holds(op, 0, threshold) ? rt::truth::yes : rt::truth::no, e.where);
  auto is_fact_node = [&](std::uint32_t n) { return g_.nodes[n].kind == rt::node_kind::num_fact && !has_range(n); };
  auto unit = [](const linear_term& t, double sign) { return t.mul == sign && t.div == 1; };
  if (d.terms.size() == 1 && unit(d.terms[0], 1) && is_fact_node(d.terms[0].node)) {
    rt::node n;
    n.kind = rt::node_kind::compare;
    n.op = op;
    n.slot = g_.nodes[d.terms[0].node].slot;
    n.number = threshold;
    return make(n, {}, text, e.where);
  }
  if (d.terms.size() == 2 && threshold == 0 && unit(d.terms[0], 1) && unit(d.terms[1], -1) &&
      is_fact_node(d.terms[0].node) && is_fact_node(d.terms[1].node)) {
    rt::node n;
    n.kind = rt::node_kind::compare_facts;
    n.op = op;
    n.slot = g_.nodes[d.terms[0].node].slot;
    n.slot2 = g_.nodes[d.terms[1].node].slot;
    return make(n, {}, text, e.where);
  }
  linear lhs = d;
  lhs.constant = 0;
  rt::node n;
  n.kind = rt::node_kind::compare_num;
  n.op = op;
  n.number = threshold;
  return make(n, {materialize(lhs, e.where)}, text, e.where);
}

// Counts: `at least K of (…)` is one `at_least` node; `at most K` and `none
// of` are its negation, `all of` is at least all of them.
std::uint32_t lowerer::count(std::uint32_t m, const ast::expr& e, const std::string& text) {
  using k = ast::expr_kind;
  std::vector<std::uint32_t> kids;
  for (const auto& o : e.operands) kids.push_back(lower(m, o));
  double n = static_cast<double>(kids.size());
  double need = e.kind == k::at_least ? e.number_value.value
                : e.kind == k::at_most ? e.number_value.value + 1
                : e.kind == k::none_of ? 1
                                       : n;
  bool negate_it = e.kind == k::at_most || e.kind == k::none_of;
  std::uint32_t node;
  if (need <= 0) {
    node = make_constant(rt::truth::yes, e.where);
  } else if (need > n) {
    node = make_constant(rt::truth::no, e.where);
  } else {
    rt::node a;
    a.kind = rt::node_kind::at_least;
    a.number = need;
    node = make(a, kids, text, e.where);
  }
  return negate_it ? make_not(node, text, e.where) : node;
}

// A score (`num_sum` of one `num_points` per line) or a value, under a
// `score` node that names it; lowered once.
std::uint32_t lowerer::score_node(const symbol& s) {
  auto key = std::make_tuple(s.kind, s.module, s.index);
  if (auto it = scores_.find(key); it != scores_.end()) return it->second;
  rt::score out;
  std::uint32_t body;
  if (s.kind == symbol_kind::score) {
    const auto& d = p_.module(s.module).scores[s.index];
    out.id = s.module == 0 ? d.id.text : qualified_id(p_, s);
    out.label = d.label ? d.label->value : "";
    out.where = loc(d.where);
    std::vector<std::uint32_t> lines;
    for (const auto& line : d.lines) {
      rt::score_line l;
      l.points = line.points.value;
      l.points_text = line.points.spelling;
      l.condition = lower(s.module, line.condition);
      l.text = text_of(line.condition.where);
      l.where = loc(line.where);
      rt::node n;
      n.kind = rt::node_kind::num_points;
      n.number = l.points;
      l.node = make(n, {l.condition}, line.points.spelling + " if " + l.text, line.where);
      lines.push_back(l.node);
      out.lines.push_back(std::move(l));
    }
    rt::node sum;
    sum.kind = rt::node_kind::num_sum;
    body = make(sum, lines, d.id.text, d.id.where);
  } else {
    const auto& d = p_.module(s.module).values[s.index];
    out.id = s.module == 0 ? d.id.text : qualified_id(p_, s);
    out.label = d.label ? d.label->value : "";
    out.is_value = true;
    out.text = text_of(d.body.where);
    out.where = loc(d.where);
    const sema::type& t = p_.types.at(&d.body);
    out.unit = t.kind == type_kind::duration ? "d" : t.unit;
    body = materialize(lin(s.module, d.body, type_unit(t)), d.body.where);
  }
  rt::node n;
  n.kind = rt::node_kind::score;
  n.criterion = static_cast<std::int32_t>(g_.scores.size());
  const auto& id = s.kind == symbol_kind::score ? p_.module(s.module).scores[s.index].id : p_.module(s.module).values[s.index].id;
  out.node = make(n, {body}, id.text, id.where);
  g_.scores.push_back(std::move(out));
  scores_[key] = g_.scores.back().node;
  return g_.scores.back().node;
}

}  // namespace rubric::compiler::lowering
