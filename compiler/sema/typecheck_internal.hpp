// Internal to compiler/sema/: the type checker's state and the functions of
// each construct, split over one file per construct:
//   typecheck.cpp         — the entry point, the order of checks, conditions, shared helpers;
//   typecheck_decls.cpp   — lets (typed constants, let cycles) and criterion cycles;
//   typecheck_expr.cpp    — expressions (add a new expression form here);
//   typecheck_compare.cpp — comparisons: types, units, ordering.
// Nothing outside compiler/sema/ includes this header; use typecheck.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

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
  sema::type compare_duration_with_number(const ast::expr& e, const sema::type& tl, const sema::type& tr);
  sema::type compare_same_types(const ast::expr& e, const sema::type& tl);

  sema::program& p_;
  diagnostic_sink& sink_;
  std::uint32_t m_ = 0;  // the module being checked
  // Per module and let: 0 unvisited, 1 on the chain being followed, 2 done.
  std::vector<std::vector<int>> let_state_;
  std::vector<sema::symbol> let_stack_;  // the let chain being followed
};

}  // namespace rubric::compiler::typing
