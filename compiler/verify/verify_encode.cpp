// The solver encoding of a decision graph: slots, Kleene node values,
// selection under `first`, assumptions, and reading patients out of models.
#include "compiler/verify/verify_encode.hpp"

#include <cmath>
#include <cstdlib>
#include <string>

#include "runtime/arith.hpp"

namespace rubric::compiler::verify_detail {

using runtime::node_kind;
using runtime::value_type;

namespace {

std::size_t member_count(const runtime::graph& g, const runtime::fact& f) {
  if (f.enumeration < 0 || static_cast<std::size_t>(f.enumeration) >= g.enumerations.size()) return 0;
  return std::min<std::size_t>(64, g.enumerations[static_cast<std::size_t>(f.enumeration)].members.size());
}

// Exact value of a model numeral ("85/2", "42", "-3/4").
double numeral_value(const z3::expr& e) {
  std::string s = Z3_get_numeral_string(e.ctx(), e);
  auto slash = s.find('/');
  if (slash == std::string::npos) return std::strtod(s.c_str(), nullptr);
  return std::strtod(s.substr(0, slash).c_str(), nullptr) / std::strtod(s.substr(slash + 1).c_str(), nullptr);
}

}  // namespace

encoding::encoding(z3::context& ctx, const runtime::graph& g) : ctx_(&ctx), g_(&g), domain_(ctx.bool_val(true)) {
  for (std::size_t i = 0; i < g.facts.size(); ++i) {
    const runtime::fact& f = g.facts[i];
    std::string base = "f" + std::to_string(i) + "_" + f.id;
    z3::expr known = ctx.bool_const((base + "_known").c_str());
    z3::expr value = ctx.bool_val(false);
    std::vector<z3::expr> members;
    switch (f.type) {
      case value_type::boolean: value = ctx.bool_const(base.c_str()); break;
      // An integer fact is an Int; a declared range bounds every known value.
      case value_type::number: value = f.integer ? ctx.int_const(base.c_str()) : ctx.real_const(base.c_str()); break;
      case value_type::duration: value = ctx.real_const(base.c_str()); break;
      case value_type::enumeration:
      case value_type::text: value = ctx.int_const(base.c_str()); break;
      case value_type::set:
        for (std::size_t k = 0; k < member_count(g, f); ++k)
          members.push_back(ctx.bool_const((base + "_" + std::to_string(k)).c_str()));
        break;
    }
    slots_.push_back({known, value, std::move(members)});
  }
  domain_ = domain_over(slots_);
  nodes_ = encode_nodes(slots_);
  // Selection order: graph.order when it is a permutation of the variants, else as written.
  std::vector<bool> seen(g.variants.size(), false);
  bool valid = g.order.size() == g.variants.size();
  for (std::uint32_t v : g.order) {
    if (!valid || v >= g.variants.size() || seen[v]) { valid = false; break; }
    seen[v] = true;
  }
  for (std::size_t i = 0; i < g.variants.size(); ++i) order_.push_back(valid ? g.order[i] : i);
}

z3::expr encoding::domain_over(const std::vector<slot_vars>& slots) const {
  const runtime::graph& g = *g_;
  z3::context& ctx = *ctx_;
  z3::expr_vector dom(ctx);
  for (std::size_t i = 0; i < g.facts.size() && i < slots.size(); ++i) {
    const runtime::fact& f = g.facts[i];
    const z3::expr& value = slots[i].value;
    switch (f.type) {
      case value_type::number:
        if (f.min) dom.push_back(as_number(value) >= real_of(*f.min));
        if (f.max) dom.push_back(as_number(value) <= real_of(*f.max));
        break;
      case value_type::duration:
        dom.push_back(value >= ctx.real_val(0));  // the runtime rejects negative durations
        break;
      case value_type::enumeration: {
        auto n = static_cast<int>(member_count(g, f));
        dom.push_back(value >= ctx.int_val(0) && value < ctx.int_val(n));
        break;
      }
      case value_type::text:
        // Index into graph.strings; strings.size() stands for any other text.
        dom.push_back(value >= ctx.int_val(0) && value <= ctx.int_val(static_cast<int>(g.strings.size())));
        break;
      case value_type::boolean:
      case value_type::set: break;
    }
  }
  return z3::mk_and(dom);
}

z3::expr encoding::real_of(double v) const {
  if (!std::isfinite(v)) return ctx_->real_val(0);
  // Exact decimal when the constant has one (30.4375, 42, 25567.5), else binary.
  long long den = 1;
  for (int k = 0; k < 12 && std::fabs(v * static_cast<double>(den)) < 1e15; ++k, den *= 10) {
    double scaled = v * static_cast<double>(den);
    if (scaled == std::floor(scaled)) {
      std::string s = std::to_string(static_cast<long long>(scaled)) + "/" + std::to_string(den);
      return ctx_->real_val(s.c_str());
    }
  }
  int exp = 0;
  double mant = std::frexp(v, &exp);  // v = mant * 2^exp, 0.5 <= |mant| < 1
  auto m = static_cast<long long>(std::ldexp(mant, 53));
  exp -= 53;
  z3::expr r = ctx_->real_val(std::to_string(m).c_str());
  z3::expr two = ctx_->real_val(2);
  for (; exp > 0; --exp) r = r * two;
  for (; exp < 0; ++exp) r = r / two;
  return r.simplify();
}

// The runtime compares a slot's number: 0/1 for booleans, the index for enums.
z3::expr encoding::as_number(const z3::expr& v) const {
  if (v.is_bool()) return z3::ite(v, ctx_->real_val(1), ctx_->real_val(0));
  if (v.is_int()) return z3::to_real(v);
  return v;
}

z3::expr encoding::cmp(runtime::compare_op op, const z3::expr& a, const z3::expr& b) const {
  using runtime::compare_op;
  switch (op) {
    case compare_op::lt: return a < b;
    case compare_op::le: return a <= b;
    case compare_op::gt: return a > b;
    case compare_op::ge: return a >= b;
    case compare_op::eq: return a == b;
    case compare_op::ne: return a != b;
  }
  return a == b;
}

tv encoding::encode_arith(const std::vector<slot_vars>& slots, const std::vector<tv>& done, std::vector<num_iv>& nums,
                          std::size_t i) const {
  const runtime::graph& g = *g_;
  const runtime::node& n = g.nodes[i];
  z3::context& c = *ctx_;
  z3::expr yes = c.bool_val(true), no = c.bool_val(false), zero = c.real_val(0);
  auto kid = [&](std::uint32_t k) { return g.children[n.first + k]; };
  auto number_out = [&](num_iv v) {
    nums[i] = v;
    return tv{v.lo_finite && v.hi_finite && v.lo == v.hi, no};
  };
  auto hull = [&](const num_iv& a, const num_iv& b) {
    return num_iv{z3::ite(a.lo <= b.lo, a.lo, b.lo), z3::ite(a.hi >= b.hi, a.hi, b.hi), a.lo_finite && b.lo_finite,
                  a.hi_finite && b.hi_finite};
  };
  switch (n.kind) {
    case node_kind::num_const: {
      z3::expr v = real_of(n.number);
      return number_out({v, v, yes, yes});
    }
    case node_kind::num_fact: {
      const slot_vars& s = slots[static_cast<std::size_t>(n.slot)];
      const runtime::fact& f = g.facts[static_cast<std::size_t>(n.slot)];
      z3::expr v = as_number(s.value);
      return number_out({z3::ite(s.known, v, f.min ? real_of(*f.min) : zero), z3::ite(s.known, v, f.max ? real_of(*f.max) : zero),
                         s.known || c.bool_val(f.min.has_value()), s.known || c.bool_val(f.max.has_value())});
    }
    case node_kind::num_sum: {
      z3::expr lo = real_of(n.number), hi = real_of(n.number), lf = yes, hf = yes;
      for (std::uint32_t k = 0; k < n.count; ++k) {
        const num_iv& x = nums[kid(k)];
        lo = lo + x.lo;
        hi = hi + x.hi;
        lf = lf && x.lo_finite;
        hf = hf && x.hi_finite;
      }
      return number_out({lo, hi, lf, hf});
    }
    case node_kind::num_scale: {
      const num_iv& x = nums[kid(0)];
      z3::expr k = real_of(n.number) / real_of(runtime::scale_divisor(n));
      if (n.number >= 0) return number_out({k * x.lo, k * x.hi, x.lo_finite, x.hi_finite});
      return number_out({k * x.hi, k * x.lo, x.hi_finite, x.lo_finite});
    }
    case node_kind::num_points: {
      const tv& cond = done[kid(0)];
      z3::expr p = real_of(n.number);
      z3::expr lo = z3::ite(cond.t, p, z3::ite(cond.f, zero, n.number < 0 ? p : zero));
      z3::expr hi = z3::ite(cond.t, p, z3::ite(cond.f, zero, n.number < 0 ? zero : p));
      return number_out({lo, hi, yes, yes});
    }
    case node_kind::num_if: {
      const tv& cond = done[kid(0)];
      const num_iv& a = nums[kid(1)];
      const num_iv& b = nums[kid(2)];
      num_iv h = hull(a, b);
      auto pick = [&](const z3::expr& x, const z3::expr& y, const z3::expr& z) { return z3::ite(cond.t, x, z3::ite(cond.f, y, z)); };
      return number_out({pick(a.lo, b.lo, h.lo), pick(a.hi, b.hi, h.hi), pick(a.lo_finite, b.lo_finite, h.lo_finite),
                         pick(a.hi_finite, b.hi_finite, h.hi_finite)});
    }
    case node_kind::num_min:
    case node_kind::num_max: {
      num_iv v = nums[kid(0)];
      bool is_min = n.kind == node_kind::num_min;
      for (std::uint32_t k = 1; k < n.count; ++k) {
        const num_iv& x = nums[kid(k)];
        // min: the low end is -∞ if either is; the high end is the smaller finite one.
        // max: the mirror image.
        auto smaller = [&](const z3::expr& a, const z3::expr& b) { return z3::ite(a <= b, a, b); };
        auto larger = [&](const z3::expr& a, const z3::expr& b) { return z3::ite(a >= b, a, b); };
        if (is_min) {
          v = {smaller(v.lo, x.lo), z3::ite(!v.hi_finite, x.hi, z3::ite(!x.hi_finite, v.hi, smaller(v.hi, x.hi))),
               v.lo_finite && x.lo_finite, v.hi_finite || x.hi_finite};
        } else {
          v = {z3::ite(!v.lo_finite, x.lo, z3::ite(!x.lo_finite, v.lo, larger(v.lo, x.lo))), larger(v.hi, x.hi),
               v.lo_finite || x.lo_finite, v.hi_finite && x.hi_finite};
        }
      }
      return number_out(v);
    }
    case node_kind::score: return number_out(nums[kid(0)]);
    case node_kind::compare_num: {
      const num_iv& v = nums[kid(0)];
      z3::expr k = real_of(n.number);
      using runtime::compare_op;
      z3::expr eq_t = v.lo_finite && v.hi_finite && v.lo == v.hi && v.lo == k;
      z3::expr eq_f = (v.hi_finite && k > v.hi) || (v.lo_finite && k < v.lo);
      switch (n.op) {
        case compare_op::gt: return {v.lo_finite && v.lo > k, v.hi_finite && v.hi <= k};
        case compare_op::ge: return {v.lo_finite && v.lo >= k, v.hi_finite && v.hi < k};
        case compare_op::lt: return {v.hi_finite && v.hi < k, v.lo_finite && v.lo >= k};
        case compare_op::le: return {v.hi_finite && v.hi <= k, v.lo_finite && v.lo > k};
        case compare_op::eq: return {eq_t, eq_f};
        case compare_op::ne: return {eq_f, eq_t};
      }
      return {no, no};
    }
    case node_kind::at_least: {
      z3::expr_vector sure(c), maybe(c);
      for (std::uint32_t k = 0; k < n.count; ++k) {
        const tv& x = done[kid(k)];
        sure.push_back(z3::ite(x.t, c.int_val(1), c.int_val(0)));
        maybe.push_back(z3::ite(x.f, c.int_val(0), c.int_val(1)));
      }
      z3::expr need = real_of(n.number);
      return {z3::to_real(z3::sum(sure)) >= need, z3::to_real(z3::sum(maybe)) < need};
    }
    default: break;
  }
  (void)slots;
  return {no, no};
}

tv encoding::encode_node(const std::vector<slot_vars>& slots, const std::vector<tv>& done, std::vector<num_iv>& nums,
                         std::size_t i) const {
  const runtime::graph& g = *g_;
  const runtime::node& n = g.nodes[i];
  z3::context& c = *ctx_;
  auto unknown = [&] { return tv{c.bool_val(false), c.bool_val(false)}; };
  auto slot_ok = [&](std::int32_t s) { return s >= 0 && static_cast<std::size_t>(s) < slots.size(); };
  // A predicate over a known fact: true when known and p, false when known and not p.
  auto pred = [&](const z3::expr& known, const z3::expr& p) { return tv{known && p, known && !p}; };
  auto child = [&](std::uint32_t k) -> const tv* {
    std::size_t at = n.first + k;
    if (at >= g.children.size() || g.children[at] >= i) return nullptr;  // children precede parents
    return &done[g.children[at]];
  };
  switch (n.kind) {
    case node_kind::constant:
      if (n.constant == runtime::truth::yes) return {c.bool_val(true), c.bool_val(false)};
      if (n.constant == runtime::truth::no) return {c.bool_val(false), c.bool_val(true)};
      return unknown();
    case node_kind::fact_true:
      if (!slot_ok(n.slot) || !slots[n.slot].value.is_bool()) return unknown();
      return pred(slots[n.slot].known, slots[n.slot].value);
    case node_kind::compare: {
      if (!slot_ok(n.slot)) return unknown();
      const slot_vars& s = slots[n.slot];
      if (!s.members.empty()) return unknown();  // sets are not compared
      return pred(s.known, cmp(n.op, as_number(s.value), real_of(n.number)));
    }
    case node_kind::compare_facts: {
      if (!slot_ok(n.slot) || !slot_ok(n.slot2)) return unknown();
      const slot_vars& a = slots[n.slot];
      const slot_vars& b = slots[n.slot2];
      if (!a.members.empty() || !b.members.empty()) return unknown();
      return pred(a.known && b.known, cmp(n.op, as_number(a.value), as_number(b.value)));
    }
    case node_kind::text_equals: {
      if (!slot_ok(n.slot)) return unknown();
      const slot_vars& s = slots[n.slot];
      z3::expr eq = s.value == c.int_val(static_cast<std::int64_t>(n.mask));
      return pred(s.known, n.op == runtime::compare_op::ne ? !eq : eq);
    }
    case node_kind::enum_in: {
      if (!slot_ok(n.slot)) return unknown();
      const slot_vars& s = slots[n.slot];
      z3::expr_vector any(c);
      for (int k = 0; k < 64; ++k)
        if (n.mask & (std::uint64_t{1} << k)) any.push_back(s.value == c.int_val(k));
      return pred(s.known, z3::mk_or(any));
    }
    case node_kind::set_any:
    case node_kind::set_all:
    case node_kind::set_empty: {
      if (!slot_ok(n.slot)) return unknown();
      const slot_vars& s = slots[n.slot];
      z3::expr_vector parts(c);
      for (std::size_t k = 0; k < s.members.size(); ++k) {
        bool in_mask = (n.mask >> k) & 1U;
        if (n.kind == node_kind::set_empty) parts.push_back(!s.members[k]);
        else if (in_mask) parts.push_back(s.members[k]);
      }
      z3::expr p = n.kind == node_kind::set_any ? z3::mk_or(parts) : z3::mk_and(parts);
      return pred(s.known, p);
    }
    case node_kind::is_known:
      if (!slot_ok(n.slot)) return unknown();
      return {slots[n.slot].known, !slots[n.slot].known};
    case node_kind::not_: {
      const tv* x = n.count >= 1 ? child(0) : nullptr;
      if (x == nullptr) return unknown();
      return {x->f, x->t};
    }
    case node_kind::criterion: {
      const tv* x = n.count >= 1 ? child(0) : nullptr;
      if (x == nullptr) return unknown();
      return *x;
    }
    case node_kind::and_:
    case node_kind::or_: {
      z3::expr_vector ts(c), fs(c);
      for (std::uint32_t k = 0; k < n.count; ++k) {
        const tv* x = child(k);
        if (x == nullptr) return unknown();
        ts.push_back(x->t);
        fs.push_back(x->f);
      }
      // and: true when all are true, false when any is false; or: the dual.
      if (n.kind == node_kind::and_) return {z3::mk_and(ts), z3::mk_or(fs)};
      return {z3::mk_or(ts), z3::mk_and(fs)};
    }
    default: return encode_arith(slots, done, nums, i);
  }
  return unknown();
}

std::vector<tv> encoding::encode_nodes(const std::vector<slot_vars>& slots) const {
  std::vector<tv> out;
  out.reserve(g_->nodes.size());
  z3::expr zero = ctx_->real_val(0), yes = ctx_->bool_val(true);
  std::vector<num_iv> nums(g_->nodes.size(), num_iv{zero, zero, yes, yes});
  for (std::size_t i = 0; i < g_->nodes.size(); ++i) out.push_back(encode_node(slots, out, nums, i));
  return out;
}

tv encoding::guard_in(const std::vector<tv>& nodes, std::size_t variant) const {
  std::int32_t gd = g_->variants[variant].guard;
  if (gd < 0 || static_cast<std::size_t>(gd) >= nodes.size()) return {ctx_->bool_val(true), ctx_->bool_val(false)};
  return nodes[static_cast<std::size_t>(gd)];
}

z3::expr encoding::selected_first_in(const std::vector<tv>& nodes, std::size_t variant) const {
  z3::expr_vector parts(*ctx_);
  for (std::size_t v : order_) {
    if (v == variant) break;
    parts.push_back(guard_in(nodes, v).f);  // every earlier guard is definitely false
  }
  parts.push_back(guard_in(nodes, variant).t);
  return z3::mk_and(parts);
}

z3::expr encoding::assumptions_hold_in(const std::vector<tv>& nodes) const {
  z3::expr_vector parts(*ctx_);
  for (const runtime::assumption& a : g_->assumptions)
    if (a.node < nodes.size()) parts.push_back(!nodes[a.node].f);
  return z3::mk_and(parts);
}

z3::expr encoding::assumptions_true() const {
  z3::expr_vector parts(*ctx_);
  for (const runtime::assumption& a : g_->assumptions)
    if (a.node < nodes_.size()) parts.push_back(nodes_[a.node].t);
  return z3::mk_and(parts);
}

// As the runtime judges a patient: only a false `assume` is broken; one that is
// unknown (its facts are missing) is no violation.
z3::expr encoding::assumption_holds(std::size_t i) const {
  std::uint32_t n = g_->assumptions[i].node;
  return n < nodes_.size() ? !nodes_[n].f : ctx_->bool_val(true);
}

z3::expr encoding::all_known() const {
  z3::expr_vector parts(*ctx_);
  for (const slot_vars& s : slots_) parts.push_back(s.known);
  return z3::mk_and(parts);
}

cx_patient encoding::patient_from(const z3::model& m) const {
  cx_patient p(slots_.size());
  for (std::size_t i = 0; i < slots_.size(); ++i) {
    const slot_vars& s = slots_[i];
    cx_value& v = p[i];
    v.known = m.eval(s.known, true).is_true();
    if (!v.known) continue;
    switch (g_->facts[i].type) {
      case value_type::boolean: v.boolean = m.eval(s.value, true).is_true(); break;
      case value_type::number:
      case value_type::duration: v.number = numeral_value(m.eval(s.value, true)); break;
      case value_type::enumeration:
      case value_type::text: v.index = m.eval(s.value, true).get_numeral_int64(); break;
      case value_type::set:
        for (std::size_t k = 0; k < s.members.size(); ++k)
          if (m.eval(s.members[k], true).is_true()) v.mask |= std::uint64_t{1} << k;
        break;
    }
  }
  return p;
}

z3::expr encoding::pinned_known(const cx_patient& p) const {
  z3::expr_vector parts(*ctx_);
  for (std::size_t i = 0; i < slots_.size() && i < p.size(); ++i) {
    const slot_vars& s = slots_[i];
    const cx_value& v = p[i];
    if (!v.known) continue;
    parts.push_back(s.known);
    switch (g_->facts[i].type) {
      case value_type::boolean: parts.push_back(s.value == ctx_->bool_val(v.boolean)); break;
      case value_type::number:
      case value_type::duration: parts.push_back(as_number(s.value) == real_of(v.number)); break;
      case value_type::enumeration:
      case value_type::text: parts.push_back(s.value == ctx_->int_val(v.index)); break;
      case value_type::set:
        for (std::size_t k = 0; k < s.members.size(); ++k)
          parts.push_back(s.members[k] == ctx_->bool_val(((v.mask >> k) & 1U) != 0));
        break;
    }
  }
  return z3::mk_and(parts);
}

z3::expr encoding::pinned_to(const cx_patient& p) const {
  z3::expr_vector parts(*ctx_);
  parts.push_back(pinned_known(p));
  for (std::size_t i = 0; i < slots_.size() && i < p.size(); ++i)
    if (!p[i].known) parts.push_back(!slots_[i].known);
  return z3::mk_and(parts);
}

}  // namespace rubric::compiler::verify_detail
