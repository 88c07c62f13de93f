// Type and unit checking of lets, criteria, guards, advice and transition
// conditions and assumptions: the entry point, the order of the checks, the
// conditions and the helpers shared by the construct files listed in
// typecheck_internal.hpp. See typecheck.hpp.
#include "compiler/sema/typecheck.hpp"

#include "compiler/diagnostics/suggest.hpp"
#include "compiler/sema/typecheck_internal.hpp"
#include "compiler/sema/resolve.hpp"

namespace rubric::compiler {

using sema::type;
using sema::type_kind;

std::string describe_type(const sema::program& p, const type& t) {
  auto enum_name = [&]() { return p.module(static_cast<std::uint32_t>(t.enum_module)).enums[static_cast<std::size_t>(t.enum_index)].id.text; };
  switch (t.kind) {
    case type_kind::error: return "an invalid value";
    case type_kind::boolean: return "a true/false condition";
    case type_kind::number: return t.unit.empty() ? (t.integer ? "a whole number" : "a number") : "a quantity in `" + t.unit + "`";
    case type_kind::duration: return "a duration";
    case type_kind::text: return "text";
    case type_kind::enumeration: return "a `" + enum_name() + "`";
    case type_kind::set: return "a set of `" + enum_name() + "`";
  }
  return "a value";
}

std::int32_t find_member(const sema::program& p, std::int32_t enum_module, std::int32_t enum_index, const std::string& name) {
  if (enum_module < 0) return -1;
  const auto& e = p.module(static_cast<std::uint32_t>(enum_module)).enums[static_cast<std::size_t>(enum_index)];
  // `red_flag.fever` and `stdlib.spine.red_flag.fever` name the member too.
  std::string_view id = name;
  if (auto dot = id.rfind('.'); dot != std::string_view::npos) {
    std::string_view prefix = id.substr(0, dot);
    if (!(prefix == e.id.text || prefix == p.module(static_cast<std::uint32_t>(enum_module)).head.module.text + "." + e.id.text))
      return -1;
    id = id.substr(dot + 1);
  }
  for (std::size_t i = 0; i < e.members.size(); ++i) {
    if (e.members[i].id.text == id) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::int32_t check_member(const sema::program& p, const type& enum_type, const std::string& member, span where,
                          diagnostic_sink& sink) {
  std::int32_t i = find_member(p, enum_type.enum_module, enum_type.enum_index, member);
  if (i >= 0) return i;
  const auto& e = p.module(static_cast<std::uint32_t>(enum_type.enum_module)).enums[static_cast<std::size_t>(enum_type.enum_index)];
  auto& d = sink.report(diag_code::unknown_member, where, "`" + member + "` is not a member of enum `" + e.id.text + "`");
  d.also(e.id.where, "enum defined here");
  std::vector<std::string> names;
  for (const auto& m : e.members) names.push_back(m.id.text);
  if (auto best = closest_match(member, names)) d.suggest("did you mean `" + *best + "`?");
  return -1;
}

namespace typing {

void checker::run() {
  std::size_t n = p_.module_count();
  p_.let_types.resize(n);
  p_.let_values.resize(n);
  let_state_.resize(n);
  for (std::uint32_t m = 0; m < n; ++m) {
    p_.let_types[m].assign(p_.module(m).lets.size(), type{});
    p_.let_values[m].assign(p_.module(m).lets.size(), nullptr);
    let_state_[m].assign(p_.module(m).lets.size(), 0);
  }
  for (std::uint32_t m = 0; m < n; ++m) {
    for (std::uint32_t i = 0; i < p_.module(m).lets.size(); ++i) let_type(m, i);
  }
  find_criterion_cycles();
  for (std::uint32_t m = 0; m < n; ++m) check_module(m);
}

void checker::check_module(std::uint32_t m) {
  m_ = m;
  const ast::module& mod = p_.module(m);
  for (const auto& c : mod.criteria) condition(c.body);
  for (const auto& v : mod.variants) {
    if (v.guard) condition(*v.guard);
    for (const auto& a : v.advice)
      if (a.when) condition(*a.when);
    for (const auto& t : v.next) condition(t.when);
  }
  for (const auto& o : mod.otherwise)
    for (const auto& a : o.advice)
      if (a.when) condition(*a.when);
  for (const auto& a : mod.assumes) condition(a.condition);
  if (mod.head.pediatric) condition(*mod.head.pediatric);
  for (const auto& sc : mod.scores)
    for (const auto& line : sc.lines) condition(line.condition);
  for (std::uint32_t i = 0; i < mod.values.size(); ++i) value_type_of({sema::symbol_kind::value, m, i});
}

type checker::record(const ast::expr& e, type t) {
  p_.types[&e] = t;
  return t;
}

std::string checker::quote(const ast::expr& e) { return "`" + sema::span_text(p_, e.where) + "`"; }

void checker::condition(const ast::expr& e) {
  type t = check(e);
  if (t.kind == type_kind::boolean || t.kind == type_kind::error) return;
  auto& d = sink_.report(diag_code::not_a_condition, e.where, quote(e) + " is " + describe_type(p_, t) + ", not a condition");
  std::string x = sema::span_text(p_, e.where);
  switch (t.kind) {
    case type_kind::duration: d.suggest("compare it with a duration, for example `" + x + " >= 6 weeks`"); break;
    case type_kind::number: d.suggest("compare it with a number, for example `" + x + " >= 1`"); break;
    case type_kind::set: d.suggest("test the set, for example `" + x + " is empty` or `" + x + " has any of { … }`"); break;
    case type_kind::enumeration: d.suggest("test the value, for example `" + x + " in { … }`"); break;
    case type_kind::text: d.suggest("compare the text, for example `" + x + " = \"…\"`"); break;
    default: break;
  }
}

bool checker::resolves_as_value(const ast::expr& e) {
  diagnostic_sink quiet;
  return lookup(p_, m_, e.text_value, e.where, sema::name_space::value, quiet, false).has_value();
}

bool checker::is_fact(const ast::expr& e) {
  auto it = p_.names.find(&e);
  return it != p_.names.end() && it->second.kind == sema::symbol_kind::fact;
}

}  // namespace typing

void typecheck(sema::program& p, diagnostic_sink& sink) { typing::checker(p, sink).run(); }

}  // namespace rubric::compiler
