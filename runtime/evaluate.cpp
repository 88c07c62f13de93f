// Kleene evaluation (one linear sweep over the topologically ordered nodes)
// and the selection policies first, unique and all.
#include "runtime/evaluate.hpp"
#include "runtime/evaluate_select.hpp"

#include "runtime/program.hpp"

#include <algorithm>
#include <cctype>

namespace rubric::runtime {

std::string_view truth_name(truth t) {
  switch (t) {
    case truth::no: return "false";
    case truth::yes: return "true";
    case truth::unknown: return "unknown";
  }
  return "unknown";
}

std::string_view status_name(status s) {
  switch (s) {
    case status::matched: return "matched";
    case status::undetermined: return "undetermined";
    case status::no_criteria_apply: return "no_criteria_apply";
  }
  return "no_criteria_apply";
}

namespace {

inline truth of(bool b) { return b ? truth::yes : truth::no; }

}  // namespace

void evaluate_nodes(const graph& g, const patient& p, std::span<truth> values) {
  thread_local std::vector<interval> numbers;
  if (numbers.size() < g.nodes.size()) numbers.resize(g.nodes.size());
  evaluate_nodes(g, p, values, numbers);
}

void evaluate_nodes(const graph& g, const patient& p, std::span<truth> values, std::span<interval> numbers) {
  interval* nums = numbers.data();
  const node* nodes = g.nodes.data();
  const std::uint32_t* kids = g.children.data();
  const slot_value* slots = p.slots.data();
  const std::size_t n = g.nodes.size();
  truth* out = values.data();
  for (std::size_t i = 0; i < n; ++i) {
    const node& nd = nodes[i];
    truth t = truth::unknown;
    switch (nd.kind) {
      case node_kind::constant: t = nd.constant; break;
      case node_kind::fact_true: {
        const slot_value& s = slots[nd.slot];
        t = s.known ? of(s.bits != 0) : truth::unknown;
        break;
      }
      case node_kind::compare: {
        const slot_value& s = slots[nd.slot];
        t = s.known ? of(compare_holds(nd.op, s.number, nd.number)) : truth::unknown;
        break;
      }
      case node_kind::compare_facts: {
        const slot_value& a = slots[nd.slot];
        const slot_value& b = slots[nd.slot2];
        t = a.known && b.known ? of(compare_holds(nd.op, a.number, b.number)) : truth::unknown;
        break;
      }
      case node_kind::text_equals: {
        const slot_value& s = slots[nd.slot];
        if (s.known) {
          bool eq = p.text[static_cast<std::size_t>(nd.slot)] == g.strings[nd.mask];
          t = of(nd.op == compare_op::ne ? !eq : eq);
        }
        break;
      }
      // Sets are Kleene over their members (a partial set decides some tests).
      case node_kind::enum_in:
      case node_kind::set_any: t = set_any_truth(slots[nd.slot], nd.mask); break;
      case node_kind::set_all: t = set_all_truth(slots[nd.slot], nd.mask); break;
      case node_kind::set_empty: t = set_empty_truth(slots[nd.slot]); break;
      case node_kind::is_known: t = of(slots[nd.slot].known); break;
      case node_kind::not_: t = kleene_not(out[kids[nd.first]]); break;
      case node_kind::and_: {
        t = truth::yes;
        for (std::uint32_t k = 0; k < nd.count; ++k) {
          truth c = out[kids[nd.first + k]];
          if (c == truth::no) { t = truth::no; break; }
          if (c == truth::unknown) t = truth::unknown;
        }
        break;
      }
      case node_kind::or_: {
        t = truth::no;
        for (std::uint32_t k = 0; k < nd.count; ++k) {
          truth c = out[kids[nd.first + k]];
          if (c == truth::yes) { t = truth::yes; break; }
          if (c == truth::unknown) t = truth::unknown;
        }
        break;
      }
      case node_kind::criterion: t = out[kids[nd.first]]; break;
      default: t = evaluate_arith_node(g, nd, i, slots, out, nums); break;
    }
    out[i] = t;
  }
}

namespace {

// The values a term of a sum can take, as sorted disjoint closed intervals
// (a point is [v, v]): an unknown score line is {0, points}.
using value_set = std::vector<interval>;

constexpr std::size_t max_set_intervals = 64;

value_set term_values(const graph& g, const std::vector<truth>& values, const std::vector<interval>& numbers,
                      std::uint32_t term) {
  const node& nd = g.nodes[term];
  interval v = numbers[term];
  if (!v.exact() && nd.kind == node_kind::num_points && values[g.children[nd.first]] == truth::unknown) {
    double p = nd.number;
    return p < 0 ? value_set{{p, p}, {0, 0}} : value_set{{0, 0}, {p, p}};
  }
  return {v};
}

// Minkowski sum of two value sets, merged, and coarsened past a size limit
// (coarsening only widens, so relevance errs towards reporting a fact).
value_set add_sets(const value_set& a, const value_set& b) {
  value_set out;
  for (const interval& x : a)
    for (const interval& y : b) out.push_back({x.lo + y.lo, x.hi + y.hi});
  std::sort(out.begin(), out.end(), [](const interval& x, const interval& y) { return x.lo < y.lo; });
  value_set merged;
  for (const interval& x : out) {
    if (!merged.empty() && x.lo <= merged.back().hi) merged.back().hi = std::max(merged.back().hi, x.hi);
    else merged.push_back(x);
  }
  while (merged.size() > max_set_intervals) {
    value_set half;
    for (std::size_t i = 0; i < merged.size(); i += 2)
      half.push_back(i + 1 < merged.size() ? interval{merged[i].lo, merged[i + 1].hi} : merged[i]);
    merged = std::move(half);
  }
  return merged;
}

// Whether some s in `others` and two values of `term` put s + value on both
// sides of `op c`: then the term's unknown facts can change the comparison.
bool term_can_decide(compare_op op, double c, const value_set& others, const value_set& term) {
  double m = term.front().lo, big = term.back().hi;
  if (m == big) return false;
  for (const interval& o : others) {
    switch (op) {
      case compare_op::gt:
      case compare_op::le: {  // s in (c - big, c - m]
        double lo = c - big, hi = c - m;
        if (o.lo > lo ? o.lo <= hi : std::min(o.hi, hi) > lo) return true;
        break;
      }
      case compare_op::ge:
      case compare_op::lt: {  // s in [c - big, c - m)
        double lo = c - big, hi = c - m;
        if (o.lo >= lo ? o.lo < hi : (lo <= o.hi && lo < hi)) return true;
        break;
      }
      case compare_op::eq:
      case compare_op::ne:  // s + v = c for some v
        for (const interval& t : term)
          if (o.lo <= c - t.lo && c - t.hi <= o.hi) return true;
        break;
    }
  }
  return false;
}

// Marks the terms of the sum under an unknown `compare_num` that can still
// move it across the threshold; other numeric children are marked whole.
void mark_relevant_terms(const graph& g, std::uint32_t compare, const std::vector<truth>& values,
                         const std::vector<interval>& numbers, std::vector<std::uint8_t>& scratch) {
  const node& cmp = g.nodes[compare];
  std::uint32_t top = g.children[cmp.first];
  while (g.nodes[top].kind == node_kind::score) top = g.children[g.nodes[top].first];
  const node& sum = g.nodes[top];
  if (sum.kind != node_kind::num_sum) {
    scratch[top] = 1;
    return;
  }
  std::vector<value_set> terms;
  for (std::uint32_t k = 0; k < sum.count; ++k) terms.push_back(term_values(g, values, numbers, g.children[sum.first + k]));
  for (std::uint32_t k = 0; k < sum.count; ++k) {
    if (terms[k].size() == 1 && terms[k][0].exact()) continue;
    value_set others{{sum.number, sum.number}};
    for (std::uint32_t o = 0; o < sum.count; ++o)
      if (o != k) others = add_sets(others, terms[o]);
    if (term_can_decide(cmp.op, cmp.number, others, terms[k])) scratch[g.children[sum.first + k]] = 1;
  }
}

}  // namespace

void unknown_facts_under(const graph& g, const patient& p, std::span<const std::uint32_t> roots,
                         const std::vector<truth>& values, const std::vector<interval>& numbers,
                         std::vector<std::uint8_t>& scratch,
                         std::vector<std::uint32_t>& slots) {
  // Children precede parents, so one backward sweep from the highest root
  // visits the unknown part of every root's subtree without a stack. Marks:
  // one byte per node, then one per fact slot (already listed), so the walk
  // is linear in the graph however many roots and facts there are.
  if (values.size() < g.nodes.size()) return;
  const std::size_t nodes = g.nodes.size();
  scratch.assign(nodes + p.slots.size(), std::uint8_t{0});
  for (auto s : slots)
    if (s < p.slots.size()) scratch[nodes + s] = 1;
  std::size_t top = 0;
  for (auto r : roots) {
    if (r >= nodes) continue;
    scratch[r] = 1;
    top = std::max<std::size_t>(top, r + 1);
  }
  auto add = [&](std::int32_t s) {
    if (s < 0 || static_cast<std::size_t>(s) >= p.slots.size() || p.slots[s].known) return;
    if (scratch[nodes + static_cast<std::size_t>(s)]) return;
    scratch[nodes + static_cast<std::size_t>(s)] = 1;
    slots.push_back(static_cast<std::uint32_t>(s));
  };
  const bool arithmetic = numbers.size() >= g.nodes.size();
  for (std::size_t i = top; i-- > 0;) {
    if (!scratch[i] || values[i] != truth::unknown) continue;
    const node& nd = g.nodes[i];
    switch (nd.kind) {
      case node_kind::not_:
      case node_kind::and_:
      case node_kind::or_:
      case node_kind::criterion:
      case node_kind::at_least:
      case node_kind::num_sum:
      case node_kind::num_scale:
      case node_kind::num_points:
      case node_kind::num_min:
      case node_kind::num_max:
      case node_kind::score:
        // Unknown children only: a known condition or an exact number is settled.
        for (std::uint32_t k = 0; k < nd.count; ++k) {
          std::uint32_t c = g.children[nd.first + k];
          if (values[c] == truth::unknown) scratch[c] = 1;
        }
        break;
      case node_kind::num_if: {
        truth c = values[g.children[nd.first]];
        if (c == truth::unknown) scratch[g.children[nd.first]] = 1;
        for (std::uint32_t k = 1; k < 3; ++k) {
          std::uint32_t branch = g.children[nd.first + k];
          bool taken = c == truth::unknown || (c == truth::yes) == (k == 1);
          if (taken && values[branch] == truth::unknown) scratch[branch] = 1;
        }
        break;
      }
      case node_kind::compare_num:
        if (arithmetic) mark_relevant_terms(g, static_cast<std::uint32_t>(i), values, numbers, scratch);
        else scratch[g.children[nd.first]] = 1;
        break;
      case node_kind::constant:
      case node_kind::is_known:
      case node_kind::num_const:
        break;
      case node_kind::compare_facts:
        add(nd.slot);
        add(nd.slot2);
        break;
      default:
        add(nd.slot);
        break;
    }
  }
}

namespace {

truth guard_value(const graph& g, const std::vector<truth>& values, std::uint32_t variant) {
  std::int32_t guard = g.variants[variant].guard;
  return guard < 0 ? truth::yes : values[static_cast<std::size_t>(guard)];
}

}  // namespace

namespace {

// Applies the selection policy to node values already in `out.values`.
void select_variants(const graph& g, const patient& p, evaluation& out) {
  out.selected.clear();
  out.candidates.clear();
  out.missing.clear();
  out.violated.clear();
  out.conflicts.clear();

  switch (g.policy) {
    case select_policy::first:
      // The first true guard wins; unknown guards before it keep it open.
      for (std::uint32_t v : g.order) {
        truth t = guard_value(g, out.values, v);
        if (t == truth::no) continue;
        if (t == truth::yes) {
          if (out.candidates.empty()) out.selected.push_back(v);
          else out.candidates.push_back(v);
          break;
        }
        out.candidates.push_back(v);
      }
      break;
    case select_policy::unique:
      // The compiler proves at most one guard holds, so a true guard decides
      // even when others are unknown; two true guards are reported as conflicts.
      for (std::uint32_t v : g.order) {
        truth t = guard_value(g, out.values, v);
        if (t == truth::yes) (out.selected.empty() ? out.selected : out.conflicts).push_back(v);
        else if (t == truth::unknown) out.candidates.push_back(v);
      }
      if (!out.selected.empty()) out.candidates.clear();
      break;
    case select_policy::all:
      for (std::uint32_t v : g.order) {
        truth t = guard_value(g, out.values, v);
        if (t == truth::yes) out.selected.push_back(v);
        else if (t == truth::unknown) out.candidates.push_back(v);
      }
      break;
  }

  if (!out.candidates.empty()) {
    out.result = status::undetermined;
    out.roots.clear();
    for (std::uint32_t v : out.candidates) {
      std::int32_t guard = g.variants[v].guard;
      if (guard >= 0 && out.values[static_cast<std::size_t>(guard)] == truth::unknown)
        out.roots.push_back(static_cast<std::uint32_t>(guard));
    }
    unknown_facts_under(g, p, out.roots, out.values, out.numbers, out.scratch, out.missing);
    std::sort(out.missing.begin(), out.missing.end());
  } else {
    out.result = out.selected.empty() ? status::no_criteria_apply : status::matched;
  }

  for (std::uint32_t a = 0; a < g.assumptions.size(); ++a)
    if (out.values[g.assumptions[a].node] == truth::no) out.violated.push_back(a);
}

}  // namespace

void evaluate(const graph& g, const patient& p, evaluation& out) {
  if (out.values.size() != g.nodes.size()) out.values.resize(g.nodes.size());
  if (out.numbers.size() != g.nodes.size()) out.numbers.resize(g.nodes.size());
  evaluate_nodes(g, p, out.values, out.numbers);
  select_variants(g, p, out);
}

void evaluate(const program& prog, const patient& p, evaluation& out) {
  const graph& g = prog.source();
  if (out.values.size() != g.nodes.size()) out.values.resize(g.nodes.size());
  if (out.numbers.size() != g.nodes.size()) out.numbers.resize(g.nodes.size());
  prog.run(p, out.values.data(), out.numbers.data());
  select_variants(g, p, out);
}

void select_from_values(const graph& g, const patient& p, evaluation& out) { select_variants(g, p, out); }

int rating_level(const graph& g, const evaluation& e, std::uint32_t procedure, std::int32_t* variant) {
  // Under `select all` every matched variant rates: the patient gets the best of them.
  int best = -1;
  if (variant) *variant = -1;
  if (e.result != status::matched) return -1;
  for (std::uint32_t v : e.selected)
    for (const rating& r : g.variants[v].ratings)
      if (r.procedure == procedure && (best < 0 || static_cast<int>(r.level) < best)) {
        best = static_cast<int>(r.level);
        if (variant) *variant = static_cast<std::int32_t>(v);
      }
  return best;
}

int find_procedure(const graph& g, std::string_view name) {
  for (std::size_t i = 0; i < g.procedures.size(); ++i)
    if (g.procedures[i].name == name || g.procedures[i].id == name) return static_cast<int>(i);
  auto same = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
  };
  for (std::size_t i = 0; i < g.procedures.size(); ++i) {
    const procedure& pr = g.procedures[i];
    std::string_view short_id = pr.id;
    if (auto dot = short_id.rfind('.'); dot != std::string_view::npos) short_id = short_id.substr(dot + 1);
    if (same(pr.name, name) || same(pr.id, name) || same(short_id, name)) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace rubric::runtime
