// Type and unit checking of comparisons: both sides of one type (an enum
// member read in context), durations with units, ordering only on numbers and
// durations, no set comparisons, no fact-with-fact for enums and text.
// See typecheck_internal.hpp.
#include "compiler/sema/typecheck_internal.hpp"

namespace rubric::compiler::typing {

using sema::type;
using sema::type_kind;

namespace {

bool is_ordering(ast::compare_op op) { return op != ast::compare_op::eq && op != ast::compare_op::ne; }

}  // namespace

type checker::compare(const ast::expr& e) {
  const ast::expr& l = e.operands[0];
  const ast::expr& r = e.operands[1];
  for (const auto* side : {&l, &r}) {
    if (side->kind == ast::expr_kind::set) {
      sink_.report(diag_code::misplaced_set, side->where, "a set " + quote(*side) + " cannot be compared with `" + ast::compare_spelling(e.op) + "`")
          .suggest("use `in { … }` for an enum fact, or `has all of { … }` / `is empty` for a set fact");
      return record(e, {});
    }
  }
  type tl, tr;
  // `left = side`: check the side that is surely a value first, so the
  // other can be read as a member of its enum.
  if (is_name(l) && !resolves_as_value(l) && !(is_name(r) && !resolves_as_value(r))) {
    tr = check(r);
    tl = operand(l, tr);
  } else {
    tl = check(l);
    tr = operand(r, tl);
  }
  if (tl.kind == type_kind::error || tr.kind == type_kind::error) return record(e, {});

  if (is_quantity(tl) && is_quantity(tr)) {
    if (!compatible(e, l, tl, r, tr, "compare")) return record(e, {});
    return record(e, {type_kind::boolean});
  }
  if (tl.kind != tr.kind || tl.enum_module != tr.enum_module || tl.enum_index != tr.enum_index) {
    auto& d = sink_.report(diag_code::type_mismatch, e.where,
                           "cannot compare " + quote(l) + " (" + describe_type(p_, tl) + ") with " + quote(r) + " (" +
                               describe_type(p_, tr) + ")");
    if (tl.kind == type_kind::set || tr.kind == type_kind::set)
      d.suggest("test a set with `has any of { … }`, `has all of { … }` or `is empty`");
    return record(e, {});
  }
  return compare_same_types(e, tl);
}

// Both sides have type `tl`: which operators that type allows.
type checker::compare_same_types(const ast::expr& e, const type& tl) {
  const ast::expr& l = e.operands[0];
  const ast::expr& r = e.operands[1];
  switch (tl.kind) {
    case type_kind::number:
    case type_kind::duration: break;
    case type_kind::set:
      sink_.report(diag_code::unsupported_comparison, e.where, "sets cannot be compared with `" + std::string(ast::compare_spelling(e.op)) + "`")
          .suggest("use `has any of { … }`, `has all of { … }` or `is empty`");
      return record(e, {});
    default:
      if (is_ordering(e.op)) {
        sink_.report(diag_code::ordering_not_allowed, e.where,
                     "`" + std::string(ast::compare_spelling(e.op)) + "` needs numbers or durations, but " + quote(l) + " is " +
                         describe_type(p_, tl))
            .suggest("use `=` or `!=`");
        return record(e, {});
      }
      if ((tl.kind == type_kind::enumeration || tl.kind == type_kind::text) && is_fact(l) && is_fact(r)) {
        sink_.report(diag_code::unsupported_comparison, e.where,
                     "two " + std::string(tl.kind == type_kind::text ? "text" : "enum") + " facts cannot be compared with each other")
            .suggest("compare each fact with a value instead");
        return record(e, {});
      }
  }
  return record(e, {type_kind::boolean});
}

}  // namespace rubric::compiler::typing
