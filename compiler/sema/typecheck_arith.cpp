// Type and unit checking of the v1 forms: quantities (units of one dimension
// meet, a bare number never meets a quantity), arithmetic (linear: a product
// needs a constant side), `Q in UNIT`, `if … then … else`, `min`/`max`, the
// counts, and the values a `value` declaration computes. See
// typecheck_internal.hpp.
#include <algorithm>
#include <cmath>

#include "compiler/sema/resolve.hpp"
#include "compiler/sema/typecheck_internal.hpp"
#include "runtime/units.hpp"

namespace rubric::compiler::typing {

using sema::symbol;
using sema::symbol_kind;
using sema::type;
using sema::type_kind;

// --- scores and values (v1) ----------------------------------------------------

// The type of a value's expression, computed once (a value may use another).
type checker::value_type_of(const symbol& v) {
  auto key = std::make_tuple(v.kind, v.module, v.index);
  if (auto it = value_types_.find(key); it != value_types_.end()) return it->second;
  if (cyclic_.count(key)) return value_types_[key] = type{};
  value_types_[key] = type{};  // in progress: a cycle was reported by find_criterion_cycles
  std::uint32_t saved = m_;
  m_ = v.module;
  const ast::value_decl& d = p_.module(v.module).values[v.index];
  type t = check(d.body);
  m_ = saved;
  if (t.kind != type_kind::error && !is_quantity(t)) {
    sink_.report(diag_code::not_a_number, d.body.where,
                 "value `" + d.id.text + "` is " + describe_type(p_, t) + ", but a value must be a number or a quantity")
        .suggest("write a condition as a `criterion`; a value computes a number such as `(age in years) * 10 ng/mL`");
    t = type{};
  }
  t.integer = false;
  return value_types_[key] = t;
}

// --- quantities and arithmetic (v1) --------------------------------------------

// `6 weeks` is a duration, `500 ng/mL` a quantity in ng/mL, `4` a plain
// number (whole when written without a fraction); an unknown unit is R0315.
type checker::literal_type(const ast::expr& e) {
  const ast::number& n = e.number_value;
  if (n.unit_of != ast::unit::none) return {type_kind::duration};
  type t{type_kind::number};
  t.integer = n.value == std::floor(n.value);
  if (!n.has_unit()) return t;
  std::string why;
  if (!runtime::units::find_unit(n.unit_text, &why)) {
    span unit_span{n.where.file, n.where.end - static_cast<std::uint32_t>(n.unit_text.size()), n.where.end};
    if (reported_units_.insert(n.where.begin).second) report_unknown_unit(sink_, n.unit_text, unit_span, why);
    return {};
  }
  t.unit = n.unit_text;
  t.integer = false;
  return t;
}

bool checker::is_quantity(const type& t) { return t.kind == type_kind::number || t.kind == type_kind::duration; }
bool checker::has_unit(const type& t) { return t.kind == type_kind::duration || !t.unit.empty(); }

// The unit of a quantity type (durations: days); nullopt for a plain number.
std::optional<runtime::units::unit> checker::unit_of(const type& t) {
  if (t.kind == type_kind::duration) return runtime::units::day();
  if (t.unit.empty()) return std::nullopt;
  return runtime::units::find_unit(t.unit);
}

// "`ng/mL` (mass concentration)" or "days (time)", for messages.
std::string checker::unit_words(const type& t) {
  auto u = unit_of(t);
  std::string dim = u ? runtime::units::dimension_name(u->dim) : "no unit";
  return (t.kind == type_kind::duration ? std::string("a duration") : "`" + t.unit + "`") + " (" + dim + ")";
}

// The unit as the author would write it after a number: "ng/mL", "weeks".
std::string checker::unit_hint(const type& t) { return t.kind == type_kind::duration ? "weeks" : t.unit; }

// Whether two quantities can meet in `op` (a comparison, +, -, min, max, if):
// both plain, or both with units of one dimension. Reports R0301/R0313/R0314.
bool checker::compatible(const ast::expr& whole, const ast::expr& l, const type& tl, const ast::expr& r, const type& tr,
                const std::string& what) {
  bool ul = has_unit(tl), ur = has_unit(tr);
  if (ul != ur) {
    const ast::expr& q = ul ? l : r;
    const ast::expr& bare = ul ? r : l;
    const type& tq = ul ? tl : tr;
    bool literal = bare.kind == ast::expr_kind::number;
    if (tq.kind == type_kind::duration && literal) {
      sink_.report(diag_code::duration_needs_unit, bare.where, quote(q) + " is a duration, but " + quote(bare) + " is a plain number")
          .label("no unit")
          .suggest("write the unit, for example `" + bare.number_value.spelling + " weeks`")
          .note("units are seconds, minutes, hours, days, weeks, months and years (UCUM `s`, `min`, `h`, `d`, `wk`, `mo`, `a`)");
      return false;
    }
    auto& d = sink_.report(diag_code::quantity_needs_unit, bare.where,
                           quote(q) + " is a quantity in " + unit_words(tq) + ", but " + quote(bare) + " is a bare number");
    d.label("no unit");
    if (literal) d.suggest("write the unit, for example `" + bare.number_value.spelling + " " + unit_hint(tq) + "`");
    else d.suggest("convert it to a plain number with `in`, for example `" + sema::span_text(p_, q.where) + " in " + unit_hint(tq) + "`");
    (void)whole;
    return false;
  }
  if (!ul) return true;
  auto a = unit_of(tl), b = unit_of(tr);
  if (!a || !b) return false;  // an unknown unit, already reported
  if (runtime::units::same_dimension(*a, *b)) return true;
  auto& d = sink_.report(diag_code::dimension_mismatch, whole.where,
                         "cannot " + what + " " + quote(l) + ", " + unit_words(tl) + ", and " + quote(r) + ", " + unit_words(tr));
  std::string examples = runtime::units::example_units(a->dim);
  d.suggest(quote(l) + " is a " + runtime::units::dimension_name(a->dim) +
            (examples.empty() ? "" : "; write the other side in one of its units, such as " + examples));
  return false;
}

// A constant arithmetic expression: literals and lets only.
bool checker::is_constant(const ast::expr& e) {
  if (e.kind == ast::expr_kind::number) return true;
  if (is_name(e)) {
    auto it = p_.names.find(&e);
    return it != p_.names.end() && it->second.kind == symbol_kind::let;
  }
  switch (e.kind) {
    case ast::expr_kind::add:
    case ast::expr_kind::subtract:
    case ast::expr_kind::multiply:
    case ast::expr_kind::divide:
    case ast::expr_kind::convert:
    case ast::expr_kind::min_of:
    case ast::expr_kind::max_of:
      return std::all_of(e.operands.begin(), e.operands.end(), [&](const ast::expr& o) { return is_constant(o); });
    default: return false;
  }
}

// Checks a numeric operand; reports R0317 when it is something else.
type checker::number_operand(const ast::expr& o, const char* role) {
  type t = check(o);
  if (t.kind == type_kind::error || is_quantity(t)) return t;
  auto& d = sink_.report(diag_code::not_a_number, o.where, quote(o) + " is " + describe_type(p_, t) + ", but " + role + " needs a number");
  if (t.kind == type_kind::boolean)
    d.suggest("count conditions with `at least 2 of (…)`, or give them points in a `score`");
  return type{};
}

type checker::check_arithmetic(const ast::expr& e) {
  using k = ast::expr_kind;
  switch (e.kind) {
    case k::add:
    case k::subtract: {
      type tl = number_operand(e.operands[0], e.kind == k::add ? "`+`" : "`-`");
      type tr = number_operand(e.operands[1], e.kind == k::add ? "`+`" : "`-`");
      if (tl.kind == type_kind::error || tr.kind == type_kind::error) return record(e, {});
      if (!compatible(e, e.operands[0], tl, e.operands[1], tr, e.kind == k::add ? "add" : "subtract")) return record(e, {});
      tl.integer = tl.integer && tr.integer;
      return record(e, has_unit(tl) ? tl : tr);
    }
    case k::multiply:
    case k::divide: {
      const char* op = e.kind == k::multiply ? "`*`" : "`/`";
      type tl = number_operand(e.operands[0], op);
      type tr = number_operand(e.operands[1], op);
      if (tl.kind == type_kind::error || tr.kind == type_kind::error) return record(e, {});
      const ast::expr& l = e.operands[0];
      const ast::expr& r = e.operands[1];
      bool cl = is_constant(l), cr = is_constant(r);
      if (e.kind == k::multiply ? (!cl && !cr) : !cr) {
        sink_.report(diag_code::nonlinear_arithmetic, e.where,
                     e.kind == k::multiply ? "cannot multiply " + quote(l) + " by " + quote(r) + ": both depend on the patient"
                                           : "cannot divide by " + quote(r) + ": it depends on the patient")
            .note("arithmetic in Rubric stays linear (sums, and products with a constant), so the verifier can prove "
                  "properties of every patient")
            .suggest(e.kind == k::multiply ? "multiply by a number or a `let`, as in `(age in years) * 10 ng/mL`"
                                           : "divide by a number or a `let`");
        return record(e, {});
      }
      if (has_unit(tl) && has_unit(tr)) {
        sink_.report(diag_code::dimension_mismatch, e.where,
                     std::string("cannot ") + (e.kind == k::multiply ? "multiply " : "divide ") + quote(l) + ", " +
                         unit_words(tl) + ", " + (e.kind == k::multiply ? "by " : "by ") + quote(r) + ", " + unit_words(tr))
            .suggest("make one side a plain number with `in`, as in `(age in years) * 10 ng/mL`");
        return record(e, {});
      }
      if (e.kind == k::divide && has_unit(tr)) {
        sink_.report(diag_code::dimension_mismatch, r.where, "cannot divide by " + quote(r) + ", " + unit_words(tr))
            .suggest("divide by a plain number");
        return record(e, {});
      }
      if (e.kind == k::divide && r.kind == k::number && r.number_value.value == 0) {
        sink_.report(diag_code::nonlinear_arithmetic, r.where, "cannot divide by zero");
        return record(e, {});
      }
      type t = has_unit(tl) ? tl : tr;
      t.integer = false;
      return record(e, t);
    }
    case k::convert: {
      type t = number_operand(e.operands[0], "`in`");
      if (t.kind == type_kind::error) return record(e, {});
      std::string why;
      auto target = runtime::units::find_unit(e.text_value, &why);
      span unit_span{e.where.file, e.where.end - static_cast<std::uint32_t>(e.text_value.size()), e.where.end};
      if (!target) {
        report_unknown_unit(sink_, e.text_value, unit_span, why);
        return record(e, {});
      }
      auto from = unit_of(t);
      if (!from) {
        sink_.report(diag_code::quantity_needs_unit, e.operands[0].where,
                     quote(e.operands[0]) + " is a bare number, so it cannot be converted to `" + e.text_value + "`")
            .suggest("`in` converts a quantity such as `age in years`; a bare number needs no conversion");
        return record(e, {});
      }
      if (!runtime::units::same_dimension(*from, *target)) {
        sink_.report(diag_code::dimension_mismatch, e.where,
                     "cannot convert " + quote(e.operands[0]) + ", " + unit_words(t) + ", to `" + e.text_value + "` (" +
                         runtime::units::dimension_name(target->dim) + ")")
            .suggest("convert to a unit of " + runtime::units::dimension_name(from->dim) + ", such as " +
                     runtime::units::example_units(from->dim));
        return record(e, {});
      }
      return record(e, {type_kind::number});
    }
    case k::if_value: {
      condition(e.operands[0]);
      type a = number_operand(e.operands[1], "`then`");
      type b = number_operand(e.operands[2], "`else`");
      if (a.kind == type_kind::error || b.kind == type_kind::error) return record(e, {});
      if (!compatible(e, e.operands[1], a, e.operands[2], b, "choose between")) return record(e, {});
      a.integer = a.integer && b.integer;
      return record(e, has_unit(a) ? a : b);
    }
    case k::min_of:
    case k::max_of: {
      const char* fn = e.kind == k::min_of ? "`min`" : "`max`";
      type first = number_operand(e.operands[0], fn);
      bool bad = first.kind == type_kind::error;
      for (std::size_t i = 1; i < e.operands.size(); ++i) {
        type t = number_operand(e.operands[i], fn);
        if (t.kind == type_kind::error || bad) {
          bad = true;
          continue;
        }
        if (!compatible(e, e.operands[0], first, e.operands[i], t, "compare")) bad = true;
        first.integer = first.integer && t.integer;
      }
      return record(e, bad ? type{} : first);
    }
    case k::at_least:
    case k::at_most:
    case k::none_of:
    case k::all_of: {
      bool bad = false;
      for (const auto& o : e.operands) {
        type t = check(o);
        if (t.kind == type_kind::error) {
          bad = true;
        } else if (t.kind != type_kind::boolean) {
          bad = true;
          sink_.report(diag_code::not_a_condition, o.where, quote(o) + " is " + describe_type(p_, t) + ", but a count needs conditions")
              .suggest("compare it with a value, for example `" + sema::span_text(p_, o.where) + " >= …`");
        }
      }
      return record(e, bad ? type{} : type{type_kind::boolean});
    }
    default: return record(e, {});
  }
}

}  // namespace rubric::compiler::typing
