// Type checking of the declarations that name values: lets (each a typed
// constant, followed along chains, R0204 and let cycles) and the criterion
// dependency order with its cycles. See typecheck_internal.hpp.
#include <fmt/format.h>

#include <map>
#include <tuple>

#include "compiler/sema/typecheck_internal.hpp"
#include "compiler/sema/resolve.hpp"

namespace rubric::compiler::typing {

using sema::name_space;
using sema::symbol;
using sema::symbol_kind;
using sema::type;
using sema::type_kind;

// Follows the chain `let a = b`, `let b = 6 weeks` iteratively (a hostile
// file may chain thousands of lets); every let on it gets the end's value.
void checker::let_type(std::uint32_t m, std::uint32_t i) {
  if (let_state_[m][i] == 2) return;
  let_stack_.clear();
  symbol cur{symbol_kind::let, m, i};
  type t{};
  const ast::expr* value = nullptr;
  while (true) {
    auto& state = let_state_[cur.module][cur.index];
    if (state == 2) {
      t = p_.let_types[cur.module][cur.index];
      value = p_.let_values[cur.module][cur.index];
      break;
    }
    state = 1;
    let_stack_.push_back(cur);
    const ast::let_decl& let = p_.module(cur.module).lets[cur.index];
    const ast::expr& v = let.value;
    if (v.kind == ast::expr_kind::boolean || v.kind == ast::expr_kind::number || v.kind == ast::expr_kind::string) {
      t = v.kind == ast::expr_kind::boolean ? type{type_kind::boolean}
          : v.kind == ast::expr_kind::string ? type{type_kind::text}
                                             : literal_type(v);
      value = &v;
      break;
    }
    if (v.kind != ast::expr_kind::name) {
      sink_.report(diag_code::let_not_constant, v.where, "`let " + let.id.text + "` must be a single constant value")
          .suggest("write a number, a duration such as `6 weeks`, text, `true`, `false` or the name of another let");
      break;
    }
    auto s = lookup(p_, cur.module, v.text_value, v.where, name_space::value, sink_);
    if (!s) break;
    p_.names[&v] = *s;
    if (s->kind != symbol_kind::let) {
      sink_.report(diag_code::let_not_constant, v.where,
                   "`let " + let.id.text + "` must be a constant, but `" + v.text_value + "` is " + a_kind_name(s->kind))
          .also(symbol_span(p_, *s), "defined here")
          .suggest("use a criterion for conditions on patient facts");
      break;
    }
    if (let_state_[s->module][s->index] == 1) {
      report_let_cycle(*s, v);
      break;
    }
    cur = *s;
  }
  for (const auto& l : let_stack_) {
    let_state_[l.module][l.index] = 2;
    p_.let_types[l.module][l.index] = value ? t : type{};
    p_.let_values[l.module][l.index] = value;
    p_.types[&p_.module(l.module).lets[l.index].value] = p_.let_types[l.module][l.index];
  }
  let_stack_.clear();
}

void checker::report_let_cycle(const symbol& target, const ast::expr& ref) {
  std::vector<symbol> cycle;
  bool on = false;
  for (const auto& s : let_stack_) {
    if (s == target) on = true;
    if (on) cycle.push_back(s);
  }
  constexpr std::size_t shown = 8;  // a hostile cycle may be thousands long
  std::string chain;
  for (std::size_t i = 0; i < cycle.size(); ++i) {
    if (cycle.size() > 2 * shown && i == shown) chain += fmt::format("… ({} more) → ", cycle.size() - 2 * shown);
    if (cycle.size() > 2 * shown && i >= shown && i < cycle.size() - shown) continue;
    chain += "`" + symbol_id(p_, cycle[i]) + "` → ";
  }
  chain += "`" + symbol_id(p_, target) + "`";
  sink_.report(diag_code::let_cycle, ref.where, "let `" + symbol_id(p_, target) + "` refers to itself")
      .also(symbol_span(p_, target), "defined here")
      .note("the cycle is " + chain)
      .suggest("give one of the lets a value");
}

void checker::collect_deps(std::uint32_t m, const ast::expr& e, std::vector<dep>& out) {
  if (e.kind == ast::expr_kind::set) return;  // members, not values
  if (is_name(e)) {
    diagnostic_sink quiet;
    if (auto s = lookup(p_, m, e.text_value, e.where, name_space::value, quiet, false);
        s && (s->kind == symbol_kind::criterion || s->kind == symbol_kind::score || s->kind == symbol_kind::value))
      out.push_back({*s, &e});
    return;
  }
  for (const auto& o : e.operands) collect_deps(m, o, out);
}

// What a criterion, score or value refers to.
void checker::collect_symbol_deps(const symbol& s, std::vector<dep>& out) {
  const ast::module& mod = p_.module(s.module);
  if (s.kind == symbol_kind::criterion) collect_deps(s.module, mod.criteria[s.index].body, out);
  if (s.kind == symbol_kind::value) collect_deps(s.module, mod.values[s.index].body, out);
  if (s.kind == symbol_kind::score)
    for (const auto& line : mod.scores[s.index].lines) collect_deps(s.module, line.condition, out);
}

// Depth-first over criterion references, with an explicit stack so a long
// chain of criteria cannot overflow the call stack. Records the criteria in
// dependency order (p.criterion_order) for lowering.
void checker::find_criterion_cycles() {
  struct frame {
    symbol c;
    std::vector<dep> deps;
    std::size_t next = 0;
  };
  // Criteria, scores and values form one dependency graph (a score's line
  // may use a criterion that compares another score).
  std::map<std::tuple<symbol_kind, std::uint32_t, std::uint32_t>, int> state;
  std::vector<frame> stack;
  auto visit = [&](const symbol& start) {
    if (state[{start.kind, start.module, start.index}] != 0) return;
    state[{start.kind, start.module, start.index}] = 1;
    stack.push_back({start, {}, 0});
    collect_symbol_deps(start, stack.back().deps);
    while (!stack.empty()) {
      frame& f = stack.back();
      if (f.next == f.deps.size()) {
        state[{f.c.kind, f.c.module, f.c.index}] = 2;
        if (f.c.kind == symbol_kind::criterion) p_.criterion_order.push_back(f.c);
        stack.pop_back();
        continue;
      }
      dep d = f.deps[f.next++];
      int& target_state = state[{d.target.kind, d.target.module, d.target.index}];
      if (target_state == 1) {
        std::vector<std::pair<symbol, const ast::expr*>> path;
        for (std::size_t k = 0; k + 1 < stack.size(); ++k) path.push_back({stack[k].c, stack[k].deps[stack[k].next - 1].ref});
        report_criterion_cycle(d.target, f.c, *d.ref, path);
        cyclic_.insert({d.target.kind, d.target.module, d.target.index});
      } else if (target_state == 0) {
        target_state = 1;
        stack.push_back({d.target, {}, 0});
        collect_symbol_deps(d.target, stack.back().deps);
      }
    }
  };
  for (std::uint32_t m = 0; m < p_.module_count(); ++m) {
    for (std::uint32_t i = 0; i < p_.module(m).criteria.size(); ++i) visit({symbol_kind::criterion, m, i});
    for (std::uint32_t i = 0; i < p_.module(m).scores.size(); ++i) visit({symbol_kind::score, m, i});
    for (std::uint32_t i = 0; i < p_.module(m).values.size(); ++i) visit({symbol_kind::value, m, i});
  }
}

void checker::report_criterion_cycle(const symbol& target, const symbol& from, const ast::expr& ref,
                                     const std::vector<std::pair<symbol, const ast::expr*>>& stack) {
  std::size_t start = 0;
  while (start < stack.size() && !(stack[start].first == target)) ++start;
  // A hostile cycle may run through thousands of criteria: show its ends.
  constexpr std::size_t shown = 8;
  std::size_t steps = stack.size() - start;
  std::string chain;
  for (std::size_t k = start; k < stack.size(); ++k) {
    std::size_t i = k - start;
    if (steps > 2 * shown && i == shown) chain += fmt::format("… ({} more) → ", steps - 2 * shown);
    if (steps > 2 * shown && i >= shown && i < steps - shown) continue;
    chain += "`" + symbol_id(p_, stack[k].first) + "` → ";
  }
  chain += "`" + symbol_id(p_, from) + "` → `" + symbol_id(p_, target) + "`";
  auto& d = sink_.report(diag_code::criterion_cycle, ref.where, kind_name(target.kind) + " `" + symbol_id(p_, target) + "` depends on itself");
  d.label("`" + symbol_id(p_, from) + "` uses `" + symbol_id(p_, target) + "` here");
  for (std::size_t k = start; k < stack.size() && k < start + shown; ++k)
    d.also(stack[k].second->where, "`" + symbol_id(p_, stack[k].first) + "` uses `" + stack[k].second->text_value + "` here");
  d.note("the cycle is " + chain);
  d.suggest("a criterion cannot be defined in terms of itself; write one of them from patient facts directly");
}

}  // namespace rubric::compiler::typing
