// Internal to compiler/sema/: the type checker's state and the functions of
// each construct, split over one file per construct:
//   typecheck.cpp         — the entry point, the order of checks, conditions, shared helpers;
//   typecheck_decls.cpp   — lets (typed constants, let cycles) and criterion cycles;
//   typecheck_expr.cpp    — expressions (add a new expression form here);
//   typecheck_compare.cpp — comparisons: types, units, ordering;
//   typecheck_arith.cpp   — v1: quantities and units, arithmetic, counts, values.
// Nothing outside compiler/sema/ includes this header; use typecheck.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "runtime/units.hpp"

#include "compiler/sema/typecheck.hpp"

namespace rubric::compiler::typing {

inline bool is_name(const ast::expr& e) { return e.kind == ast::expr_kind::name; }

class checker {
 public:
  checker(sema::program& p, diagnostic_sink& sink) : p_(p), sink_(sink) {}

  void run();

 private:
  // A reference from one criterion's body to another criterion.
  struct dep {
    sema::symbol target;
    const ast::expr* ref;
  };

  // typecheck_decls.cpp
  void let_type(std::uint32_t m, std::uint32_t i);
  void report_let_cycle(const sema::symbol& target, const ast::expr& ref);
  void collect_deps(std::uint32_t m, const ast::expr& e, std::vector<dep>& out);
  void collect_symbol_deps(const sema::symbol& s, std::vector<dep>& out);
  void find_criterion_cycles();
  void report_criterion_cycle(const sema::symbol& target, const sema::symbol& from, const ast::expr& ref,
                              const std::vector<std::pair<sema::symbol, const ast::expr*>>& stack);

  // typecheck.cpp
  void check_module(std::uint32_t m);
  sema::type record(const ast::expr& e, sema::type t);
  std::string quote(const ast::expr& e);
  void condition(const ast::expr& e);
  bool resolves_as_value(const ast::expr& e);
  bool is_fact(const ast::expr& e);

  // typecheck_expr.cpp
  sema::type check(const ast::expr& e);
  sema::type name_type(const ast::expr& e);
  sema::type operand(const ast::expr& e, const sema::type& beside);
  void set_members(const ast::expr& set, const sema::type& enum_type);
  sema::type check_logic(const ast::expr& e);
  sema::type check_in_set(const ast::expr& e);
  sema::type check_set_test(const ast::expr& e);
  sema::type check_known(const ast::expr& e);

  // typecheck_compare.cpp
  sema::type compare(const ast::expr& e);
  sema::type compare_same_types(const ast::expr& e, const sema::type& tl);

  // typecheck_arith.cpp (v1: quantities, arithmetic, counts, values)
  sema::type value_type_of(const sema::symbol& v);
  sema::type literal_type(const ast::expr& e);
  static bool is_quantity(const sema::type& t);
  static bool has_unit(const sema::type& t);
  static std::optional<runtime::units::unit> unit_of(const sema::type& t);
  static std::string unit_words(const sema::type& t);
  static std::string unit_hint(const sema::type& t);
  bool compatible(const ast::expr& whole, const ast::expr& l, const sema::type& tl, const ast::expr& r,
                  const sema::type& tr, const std::string& what);
  bool is_constant(const ast::expr& e);
  sema::type number_operand(const ast::expr& o, const char* role);
  sema::type check_arithmetic(const ast::expr& e);

  sema::program& p_;
  diagnostic_sink& sink_;
  std::uint32_t m_ = 0;  // the module being checked
  // Per module and let: 0 unvisited, 1 on the chain being followed, 2 done.
  std::vector<std::vector<int>> let_state_;
  std::vector<sema::symbol> let_stack_;  // the let chain being followed
  // Scores and values (v1): each value's type, and the ones on a cycle.
  std::map<std::tuple<sema::symbol_kind, std::uint32_t, std::uint32_t>, sema::type> value_types_;
  std::set<std::tuple<sema::symbol_kind, std::uint32_t, std::uint32_t>> cyclic_;
  std::set<std::uint32_t> reported_units_;  // literal offsets whose unknown unit was reported
};

}  // namespace rubric::compiler::typing
