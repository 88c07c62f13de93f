// Type and unit checking of lets, criteria, guards, advice and transition
// conditions and assumptions, with let and criterion cycle detection.
// See typecheck.hpp.
#include "compiler/sema/typecheck.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "compiler/sema/resolve.hpp"
#include "compiler/diagnostics/suggest.hpp"

namespace rubric::compiler {

using sema::name_space;
using sema::symbol;
using sema::symbol_kind;
using sema::type;
using sema::type_kind;

std::string describe_type(const sema::program& p, const type& t) {
  auto enum_name = [&]() { return p.module(static_cast<std::uint32_t>(t.enum_module)).enums[static_cast<std::size_t>(t.enum_index)].id.text; };
  switch (t.kind) {
    case type_kind::error: return "an invalid value";
    case type_kind::boolean: return "a true/false condition";
    case type_kind::number: return "a number";
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

namespace {

bool is_name(const ast::expr& e) { return e.kind == ast::expr_kind::name; }

bool is_ordering(ast::compare_op op) { return op != ast::compare_op::eq && op != ast::compare_op::ne; }

class checker {
 public:
  checker(sema::program& p, diagnostic_sink& sink) : p_(p), sink_(sink) {}

  void run() {
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

 private:
  // --- lets ------------------------------------------------------------------

  // Follows the chain `let a = b`, `let b = 6 weeks` iteratively (a hostile
  // file may chain thousands of lets); every let on it gets the end's value.
  void let_type(std::uint32_t m, std::uint32_t i) {
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
            : type{v.number_value.unit_of == ast::unit::none ? type_kind::number : type_kind::duration};
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

  void report_let_cycle(const symbol& target, const ast::expr& ref) {
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

  // --- criterion cycles --------------------------------------------------------

  struct dep {
    symbol target;
    const ast::expr* ref;
  };

  void collect_deps(std::uint32_t m, const ast::expr& e, std::vector<dep>& out) {
    if (e.kind == ast::expr_kind::set) return;  // members, not values
    if (is_name(e)) {
      diagnostic_sink quiet;
      if (auto s = lookup(p_, m, e.text_value, e.where, name_space::value, quiet, false); s && s->kind == symbol_kind::criterion)
        out.push_back({*s, &e});
      return;
    }
    for (const auto& o : e.operands) collect_deps(m, o, out);
  }

  // Depth-first over criterion references, with an explicit stack so a long
  // chain of criteria cannot overflow the call stack. Records the criteria in
  // dependency order (p.criterion_order) for lowering.
  void find_criterion_cycles() {
    struct frame {
      symbol c;
      std::vector<dep> deps;
      std::size_t next = 0;
    };
    std::map<std::pair<std::uint32_t, std::uint32_t>, int> state;
    std::vector<frame> stack;
    for (std::uint32_t m = 0; m < p_.module_count(); ++m) {
      for (std::uint32_t i = 0; i < p_.module(m).criteria.size(); ++i) {
        symbol start{symbol_kind::criterion, m, i};
        if (state[{m, i}] != 0) continue;
        state[{m, i}] = 1;
        stack.push_back({start, {}, 0});
        collect_deps(m, p_.module(m).criteria[i].body, stack.back().deps);
        while (!stack.empty()) {
          frame& f = stack.back();
          if (f.next == f.deps.size()) {
            state[{f.c.module, f.c.index}] = 2;
            p_.criterion_order.push_back(f.c);
            stack.pop_back();
            continue;
          }
          dep d = f.deps[f.next++];
          int& target_state = state[{d.target.module, d.target.index}];
          if (target_state == 1) {
            std::vector<std::pair<symbol, const ast::expr*>> path;
            for (std::size_t k = 0; k + 1 < stack.size(); ++k) path.push_back({stack[k].c, stack[k].deps[stack[k].next - 1].ref});
            report_criterion_cycle(d.target, f.c, *d.ref, path);
          } else if (target_state == 0) {
            target_state = 1;
            stack.push_back({d.target, {}, 0});
            collect_deps(d.target.module, p_.module(d.target.module).criteria[d.target.index].body, stack.back().deps);
          }
        }
      }
    }
  }

  void report_criterion_cycle(const symbol& target, const symbol& from, const ast::expr& ref,
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
    auto& d = sink_.report(diag_code::criterion_cycle, ref.where, "criterion `" + symbol_id(p_, target) + "` depends on itself");
    d.label("`" + symbol_id(p_, from) + "` uses `" + symbol_id(p_, target) + "` here");
    for (std::size_t k = start; k < stack.size() && k < start + shown; ++k)
      d.also(stack[k].second->where, "`" + symbol_id(p_, stack[k].first) + "` uses `" + stack[k].second->text_value + "` here");
    d.note("the cycle is " + chain);
    d.suggest("a criterion cannot be defined in terms of itself; write one of them from patient facts directly");
  }

  // --- expressions -------------------------------------------------------------

  void check_module(std::uint32_t m) {
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
  }

  type record(const ast::expr& e, type t) {
    p_.types[&e] = t;
    return t;
  }

  std::string quote(const ast::expr& e) { return "`" + sema::span_text(p_, e.where) + "`"; }

  void condition(const ast::expr& e) {
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

  // The type of a name in value position: a fact, let or criterion.
  type name_type(const ast::expr& e) {
    auto s = lookup(p_, m_, e.text_value, e.where, name_space::value, sink_);
    if (!s) return record(e, {});
    p_.names[&e] = *s;
    switch (s->kind) {
      case symbol_kind::fact: return record(e, p_.scopes[s->module].fact_types[s->index]);
      case symbol_kind::let: return record(e, p_.let_types[s->module][s->index]);
      case symbol_kind::criterion: return record(e, {type_kind::boolean});
      default: return record(e, {});
    }
  }

  bool resolves_as_value(const ast::expr& e) {
    diagnostic_sink quiet;
    return lookup(p_, m_, e.text_value, e.where, name_space::value, quiet, false).has_value();
  }

  // An operand beside an enum value may be one of its members.
  type operand(const ast::expr& e, const type& beside) {
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

  bool is_fact(const ast::expr& e) {
    auto it = p_.names.find(&e);
    return it != p_.names.end() && it->second.kind == symbol_kind::fact;
  }

  void set_members(const ast::expr& set, const type& enum_type) {
    for (const auto& member : set.operands) {
      std::int32_t i = check_member(p_, enum_type, member.text_value, member.where, sink_);
      if (i >= 0) p_.members[&member] = static_cast<std::uint32_t>(i);
    }
  }

  type check(const ast::expr& e) {
    using k = ast::expr_kind;
    switch (e.kind) {
      case k::boolean: return record(e, {type_kind::boolean});
      case k::number: return record(e, {e.number_value.unit_of == ast::unit::none ? type_kind::number : type_kind::duration});
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
      case k::or_: {
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
      case k::compare: return compare(e);
      case k::in_set: {
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
      case k::has_any:
      case k::has_all:
      case k::is_empty:
      case k::is_not_empty: {
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
      case k::is_known:
      case k::is_unknown: {
        const ast::expr& o = e.operands[0];
        type t = check(o);
        if (t.kind == type_kind::error) return record(e, {});
        if (!is_fact(o)) {
          sink_.report(diag_code::known_needs_fact, o.where,
                       std::string(e.kind == k::is_known ? "`is known`" : "`is unknown`") + " applies to a patient fact, but " +
                           quote(o) + " is not one")
              .note("only patient facts can be missing; criteria and lets are computed from them");
          return record(e, {});
        }
        return record(e, {type_kind::boolean});
      }
    }
    return record(e, {});
  }

  type compare(const ast::expr& e) {
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

    auto numeric_literal = [](const ast::expr& x) { return x.kind == ast::expr_kind::number && x.number_value.unit_of == ast::unit::none; };
    if ((tl.kind == type_kind::duration && tr.kind == type_kind::number) ||
        (tl.kind == type_kind::number && tr.kind == type_kind::duration)) {
      const ast::expr& dur = tl.kind == type_kind::duration ? l : r;
      const ast::expr& num = tl.kind == type_kind::duration ? r : l;
      if (numeric_literal(num)) {
        sink_.report(diag_code::duration_needs_unit, num.where,
                     quote(dur) + " is a duration, but " + quote(num) + " is a plain number")
            .label("no unit")
            .suggest("write the unit, for example `" + num.number_value.spelling + " weeks`")
            .note("units are days, weeks, months and years (UCUM `d`, `wk`, `mo`, `a`)");
      } else {
        sink_.report(diag_code::type_mismatch, e.where,
                     "cannot compare " + quote(l) + " (" + describe_type(p_, tl) + ") with " + quote(r) + " (" +
                         describe_type(p_, tr) + ")");
      }
      return record(e, {});
    }
    if (tl.kind != tr.kind || tl.enum_module != tr.enum_module || tl.enum_index != tr.enum_index) {
      auto& d = sink_.report(diag_code::type_mismatch, e.where,
                             "cannot compare " + quote(l) + " (" + describe_type(p_, tl) + ") with " + quote(r) + " (" +
                                 describe_type(p_, tr) + ")");
      if (tl.kind == type_kind::set || tr.kind == type_kind::set)
        d.suggest("test a set with `has any of { … }`, `has all of { … }` or `is empty`");
      return record(e, {});
    }
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

  sema::program& p_;
  diagnostic_sink& sink_;
  std::uint32_t m_ = 0;
  std::vector<std::vector<int>> let_state_;
  std::vector<symbol> let_stack_;
};

}  // namespace

void typecheck(sema::program& p, diagnostic_sink& sink) { checker(p, sink).run(); }

}  // namespace rubric::compiler
