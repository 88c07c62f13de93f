// Type checking of expressions: literals, names in context (a fact, let or
// criterion; an enum member beside an enum value or inside `{ … }`), `not`,
// `and`, `or`, `in`, the set tests and `is known`. A new expression form adds
// one case to `check` and, if it needs more than a line, a function here.
// Comparisons are in typecheck_compare.cpp. See typecheck_internal.hpp.
#include "compiler/sema/typecheck_internal.hpp"
#include "compiler/sema/resolve.hpp"

namespace rubric::compiler::typing {

using sema::symbol_kind;
using sema::type;
using sema::type_kind;

type checker::check(const ast::expr& e) {
  using k = ast::expr_kind;
  switch (e.kind) {
    case k::boolean: return record(e, {type_kind::boolean});
    case k::number: return record(e, literal_type(e));
    case k::string: return record(e, {type_kind::text});
    case k::unknown:
      sink_.report(diag_code::unknown_outside_given, e.where, "`unknown` can only be given as a fact's value in an example")
          .suggest("to test for missing data write `FACT is unknown`");
      return record(e, {});
    case k::name: return name_type(e);
    case k::set:
      sink_.report(diag_code::misplaced_set, e.where, "a set " + quote(e) + " cannot stand on its own here")
          .suggest("use it after `in`, `has any of` or `has all of`");
      return record(e, {});
    case k::not_:
    case k::and_:
    case k::or_: return check_logic(e);
    case k::compare: return compare(e);
    case k::in_set: return check_in_set(e);
    case k::has_any:
    case k::has_all:
    case k::is_empty:
    case k::is_not_empty: return check_set_test(e);
    case k::is_known:
    case k::is_unknown: return check_known(e);
    case k::add:
    case k::subtract:
    case k::multiply:
    case k::divide:
    case k::convert:
    case k::if_value:
    case k::min_of:
    case k::max_of:
    case k::at_least:
    case k::at_most:
    case k::none_of:
    case k::all_of: return check_arithmetic(e);
  }
  return record(e, {});
}

// The type of a name in value position: a fact, let or criterion.
type checker::name_type(const ast::expr& e) {
  auto s = lookup(p_, m_, e.text_value, e.where, sema::name_space::value, sink_);
  if (!s) return record(e, {});
  p_.names[&e] = *s;
  switch (s->kind) {
    case symbol_kind::fact: return record(e, p_.scopes[s->module].fact_types[s->index]);
    case symbol_kind::let: return record(e, p_.let_types[s->module][s->index]);
    case symbol_kind::criterion: return record(e, {type_kind::boolean});
    case symbol_kind::score: return record(e, {type_kind::number});
    case symbol_kind::value: return record(e, value_type_of(*s));
    default: return record(e, {});
  }
}

// An operand beside an enum value may be one of its members.
type checker::operand(const ast::expr& e, const type& beside) {
  if (is_name(e) && beside.kind == type_kind::enumeration) {
    std::int32_t i = find_member(p_, beside.enum_module, beside.enum_index, e.text_value);
    if (i >= 0) {
      p_.members[&e] = static_cast<std::uint32_t>(i);
      return record(e, beside);
    }
    if (!resolves_as_value(e)) {
      check_member(p_, beside, e.text_value, e.where, sink_);
      return record(e, {});
    }
  }
  return check(e);
}

void checker::set_members(const ast::expr& set, const type& enum_type) {
  for (const auto& member : set.operands) {
    std::int32_t i = check_member(p_, enum_type, member.text_value, member.where, sink_);
    if (i >= 0) p_.members[&member] = static_cast<std::uint32_t>(i);
  }
}

// `not`, `and`, `or`: every operand a condition.
type checker::check_logic(const ast::expr& e) {
  using k = ast::expr_kind;
  bool bad = false;
  for (const auto& o : e.operands) {
    type t = check(o);
    if (t.kind == type_kind::error) {
      bad = true;
    } else if (t.kind != type_kind::boolean) {
      bad = true;
      const char* word = e.kind == k::not_ ? "`not`" : e.kind == k::and_ ? "`and`" : "`or`";
      sink_.report(diag_code::not_a_condition, o.where,
                   quote(o) + " is " + describe_type(p_, t) + ", but " + word + " needs a condition")
          .suggest("compare it with a value, for example `" + sema::span_text(p_, o.where) +
                   (t.kind == type_kind::set ? " is empty`" : " >= …`"));
    }
  }
  return record(e, bad ? type{} : type{type_kind::boolean});
}

// `x in { … }`: x an enum value, the braces its members.
type checker::check_in_set(const ast::expr& e) {
  type t = check(e.operands[0]);
  if (t.kind == type_kind::error) return record(e, {});
  if (t.kind != type_kind::enumeration) {
    auto& d = sink_.report(diag_code::in_needs_enum, e.operands[0].where,
                           "`in { … }` needs an enum value, but " + quote(e.operands[0]) + " is " + describe_type(p_, t));
    if (t.kind == type_kind::set) d.suggest("for a set write `" + sema::span_text(p_, e.operands[0].where) + " has any of { … }`");
    return record(e, {});
  }
  set_members(e.operands[1], t);
  record(e.operands[1], {type_kind::set, t.enum_module, t.enum_index});
  return record(e, {type_kind::boolean});
}

// `s has any of { … }`, `s has all of { … }`, `s is empty`, `s is not empty`.
type checker::check_set_test(const ast::expr& e) {
  using k = ast::expr_kind;
  type t = check(e.operands[0]);
  if (t.kind == type_kind::error) return record(e, {});
  if (t.kind != type_kind::set) {
    const char* what = e.kind == k::has_any ? "`has any of`" : e.kind == k::has_all ? "`has all of`" : "`is empty`";
    auto& d = sink_.report(diag_code::set_operator_needs_set, e.operands[0].where,
                           std::string(what) + " needs a set, but " + quote(e.operands[0]) + " is " + describe_type(p_, t));
    if (t.kind == type_kind::enumeration)
      d.suggest("for a single enum value write `" + sema::span_text(p_, e.operands[0].where) + " in { … }`");
    return record(e, {});
  }
  if (e.operands.size() > 1) {
    set_members(e.operands[1], t);
    record(e.operands[1], t);
  }
  return record(e, {type_kind::boolean});
}

// `x is known`, `x is unknown`: x a patient fact (only facts can be missing).
type checker::check_known(const ast::expr& e) {
  const ast::expr& o = e.operands[0];
  type t = check(o);
  if (t.kind == type_kind::error) return record(e, {});
  if (!is_fact(o)) {
    sink_.report(diag_code::known_needs_fact, o.where,
                 std::string(e.kind == ast::expr_kind::is_known ? "`is known`" : "`is unknown`") +
                     " applies to a patient fact, but " + quote(o) + " is not one")
        .note("only patient facts can be missing; criteria and lets are computed from them");
    return record(e, {});
  }
  return record(e, {type_kind::boolean});
}

}  // namespace rubric::compiler::typing
