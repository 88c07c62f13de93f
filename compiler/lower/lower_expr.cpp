// Lowering expressions and criteria: each expression form becomes predicate
// and boolean nodes; lets are followed to their constants; comparisons of
// constants are decided now; durations are in days. A new expression form
// adds one case to `lower` (and a function here if it needs more than a line).
// See lower_internal.hpp.
#include "compiler/lower/lower_internal.hpp"
#include "compiler/sema/resolve.hpp"

namespace rubric::compiler::lowering {

using sema::symbol;
using sema::symbol_kind;
using sema::type_kind;

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

rt::truth truth_of(bool b) { return b ? rt::truth::yes : rt::truth::no; }

}  // namespace

std::uint32_t lowerer::criterion_node(const symbol& c) {
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
constant lowerer::constant_of(const ast::expr& e) const {
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
      c.number = literal_value(x->number_value);
      break;
    case ast::expr_kind::string: c.k = constant::kind::text; c.text = x->text_value; break;
    default: break;
  }
  return c;
}

std::optional<symbol> lowerer::fact_of(const ast::expr& e) const {
  if (p_.members.count(&e)) return std::nullopt;
  auto it = p_.names.find(&e);
  if (it == p_.names.end() || it->second.kind != symbol_kind::fact) return std::nullopt;
  return it->second;
}

std::uint64_t lowerer::mask_of(const ast::expr& set) const {
  std::uint64_t mask = 0;
  for (const auto& m : set.operands) {
    if (auto it = p_.members.find(&m); it != p_.members.end()) mask |= std::uint64_t{1} << it->second;
  }
  return mask;
}

std::uint32_t lowerer::lower(std::uint32_t m, const ast::expr& e) {
  using k = ast::expr_kind;
  std::string text = text_of(e.where);
  switch (e.kind) {
    case k::boolean: return make_constant(truth_of(e.bool_value), e.where);
    case k::name: {
      const symbol& s = p_.names.at(&e);
      if (s.kind == symbol_kind::criterion) return criterion_node(s);
      if (s.kind == symbol_kind::fact) return fact_node(rt::node_kind::fact_true, s, 0, text, e.where);
      return make_constant(truth_of(constant_of(e).boolean), e.where);
    }
    case k::not_: return make_not(lower(m, e.operands[0]), text, e.where);
    case k::and_:
    case k::or_: {
      std::vector<std::uint32_t> kids;
      for (const auto& o : e.operands) kids.push_back(lower(m, o));
      return make_junction(e.kind == k::and_ ? rt::node_kind::and_ : rt::node_kind::or_, kids, text, e.where);
    }
    case k::compare: return compare(m, e, text);
    case k::at_least:
    case k::at_most:
    case k::none_of:
    case k::all_of: return count(m, e, text);
    case k::in_set: return lower_in_set(e, text);
    case k::has_any:
      return fact_node(rt::node_kind::set_any, *fact_of(e.operands[0]), mask_of(e.operands[1]), text, e.where);
    case k::has_all:
      return fact_node(rt::node_kind::set_all, *fact_of(e.operands[0]), mask_of(e.operands[1]), text, e.where);
    case k::is_empty: return fact_node(rt::node_kind::set_empty, *fact_of(e.operands[0]), 0, text, e.where);
    // `x is not empty` and `x is unknown` are `not` over a test that reads as
    // its own text (`x is empty`, `x is known`): nodes are shared, so the
    // inner node must not carry the negated words.
    case k::is_not_empty:
      return make_not(fact_node(rt::node_kind::set_empty, *fact_of(e.operands[0]), 0, operand_text(e) + " is empty", e.where),
                      text, e.where);
    case k::is_known: return fact_node(rt::node_kind::is_known, *fact_of(e.operands[0]), 0, text, e.where);
    case k::is_unknown:
      return make_not(fact_node(rt::node_kind::is_known, *fact_of(e.operands[0]), 0, operand_text(e) + " is known", e.where),
                      text, e.where);
    default: break;  // literals that typecheck rejects in conditions
  }
  return make_constant(rt::truth::unknown, e.where);
}

std::uint32_t lowerer::lower_in_set(const ast::expr& e, const std::string& text) {
  auto fact = fact_of(e.operands[0]);
  std::uint64_t mask = mask_of(e.operands[1]);
  if (!fact) {  // a member literal: decided now
    constant c = constant_of(e.operands[0]);
    return make_constant(truth_of((mask >> c.member) & 1), e.where);
  }
  return fact_node(rt::node_kind::enum_in, *fact, mask, text, e.where);
}

std::uint32_t lowerer::compare(std::uint32_t m, const ast::expr& e, const std::string& text) {
  rt::compare_op op = convert(e.op);
  const sema::type& t = p_.types.at(&e.operands[0]);
  if (t.kind == type_kind::boolean) return compare_booleans(m, e, op, text);
  if (t.kind == type_kind::enumeration || t.kind == type_kind::text) return compare_values(e, op, t, text);
  return compare_numbers(m, e, op, text);  // numbers, quantities and durations: lower_arith.cpp
}

std::uint32_t lowerer::compare_booleans(std::uint32_t m, const ast::expr& e, rt::compare_op op, const std::string& text) {
  const ast::expr& l = e.operands[0];
  const ast::expr& r = e.operands[1];
  constant cl = constant_of(l), cr = constant_of(r);
  bool eq = op == rt::compare_op::eq;
  if (cl.k == constant::kind::boolean && cr.k == constant::kind::boolean)
    return make_constant(truth_of((cl.boolean == cr.boolean) == eq), e.where);
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

// Enum and text values: `=` and `!=` only, one side a fact (typecheck).
std::uint32_t lowerer::compare_values(const ast::expr& e, rt::compare_op op, const sema::type& t, const std::string& text) {
  const ast::expr& l = e.operands[0];
  const ast::expr& r = e.operands[1];
  auto fl = fact_of(l);
  auto fr = fact_of(r);
  if (!fl && !fr) {
    constant cl = constant_of(l), cr = constant_of(r);
    bool same = t.kind == type_kind::text ? cl.text == cr.text : cl.member == cr.member;
    return make_constant(truth_of(same == (op == rt::compare_op::eq)), e.where);
  }
  const symbol& fact = fl ? *fl : *fr;
  constant c = constant_of(fl ? r : l);
  if (t.kind == type_kind::enumeration) {
    // `x != m` is `not` over `x = m`, which reads as itself.
    std::string eq_text = op == rt::compare_op::eq ? text : text_of(l.where) + " = " + text_of(r.where);
    std::uint32_t in = fact_node(rt::node_kind::enum_in, fact, std::uint64_t{1} << c.member, eq_text, e.where);
    return op == rt::compare_op::eq ? in : make_not(in, text, e.where);
  }
  rt::node n;
  n.kind = rt::node_kind::text_equals;
  n.op = op;
  n.slot = slot_of(fact);
  n.mask = intern(c.text);
  return make(n, {}, text, e.where);
}

}  // namespace rubric::compiler::lowering
