// Builds the explanation model: the chosen variant's criteria with the fact
// values that decided them, the first reason each other variant failed, the
// ratings, advice, next steps and warnings. Renderers live in explain_text.cpp
// and explain_json.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "runtime/explain.hpp"

namespace rubric::runtime {

namespace {

// Walks guards for their reasons. Each guard's walk visits a node at most
// once (a criterion reached twice is listed once), and a line's facts come
// from its own subtree, not from a sweep over the graph, so the work is the
// size of what is shown. No recursion: no graph depth overflows the stack.
struct builder {
  const graph& g;
  const patient& p;
  const std::vector<truth>& values;
  // Per node: the walk that last visited it, one array for the reasons of a
  // guard and one for the facts of a line (walks nest). Walks number from 1,
  // so nothing is cleared between walks.
  mutable std::vector<std::uint32_t> reasons_visit = std::vector<std::uint32_t>(g.nodes.size(), 0);
  mutable std::vector<std::uint32_t> facts_visit = std::vector<std::uint32_t>(g.nodes.size(), 0);
  mutable std::uint32_t reasons_walk = 0;
  mutable std::uint32_t facts_walk = 0;
  mutable std::vector<std::uint32_t> stack = {};
  mutable std::vector<std::uint32_t> slots = {};

  bool is_leaf(std::uint32_t n) const {
    auto k = g.nodes[n].kind;
    return k != node_kind::and_ && k != node_kind::or_ && k != node_kind::not_ && k != node_kind::criterion;
  }

  std::uint32_t child(std::uint32_t n, std::uint32_t k = 0) const { return g.children[g.nodes[n].first + k]; }

  // Every fact read under `root`, in slot order.
  std::vector<fact_use> facts_under(std::uint32_t root) const {
    std::uint32_t w = ++facts_walk;
    slots.clear();
    stack.assign(1, root);
    facts_visit[root] = w;
    while (!stack.empty()) {
      std::uint32_t n = stack.back();
      stack.pop_back();
      const node& nd = g.nodes[n];
      if (is_leaf(n)) {
        if (nd.kind == node_kind::constant) continue;
        slots.push_back(static_cast<std::uint32_t>(nd.slot));
        if (nd.kind == node_kind::compare_facts) slots.push_back(static_cast<std::uint32_t>(nd.slot2));
        continue;
      }
      for (std::uint32_t k = 0; k < nd.count; ++k) {
        std::uint32_t c = child(n, k);
        if (facts_visit[c] == w) continue;
        facts_visit[c] = w;
        stack.push_back(c);
      }
    }
    std::sort(slots.begin(), slots.end());
    slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
    std::vector<fact_use> out;
    out.reserve(slots.size());
    for (auto s : slots) out.push_back({s, format_value(g, p, s)});
    return out;
  }

  criterion_line line(std::uint32_t n, bool negated, int depth) const {
    criterion_line l;
    l.node = n;
    l.value = values[n];
    l.negated = negated;
    l.depth = depth;
    if (g.nodes[n].kind == node_kind::criterion) {
      const criterion& c = g.criteria[static_cast<std::size_t>(g.nodes[n].criterion)];
      l.criterion = g.nodes[n].criterion;
      l.label = c.label.empty() ? c.id : c.label;
      l.text = c.text;
    } else {
      l.label = g.info[n].text;
      l.text = g.info[n].text;
    }
    l.facts = facts_under(n);
    return l;
  }

  // Why node `root` has the value `want` (yes on the chosen path, no for a
  // failed guard, unknown for an open one), in reading order. Under `not` the
  // reader's expectation flips (`negated`).
  void why(std::uint32_t root, truth want, std::vector<criterion_line>& out) const {
    struct item {
      std::uint32_t node;
      truth want;
      bool negated;
      int depth;
    };
    std::vector<item> todo{{root, want, false, 0}};
    std::uint32_t w = ++reasons_walk;
    std::vector<std::uint32_t> picked;
    while (!todo.empty()) {
      item it = todo.back();
      todo.pop_back();
      if (reasons_visit[it.node] == w) continue;  // reached again through another path: listed once
      reasons_visit[it.node] = w;
      const node& nd = g.nodes[it.node];
      switch (nd.kind) {
        case node_kind::criterion: {
          out.push_back(line(it.node, it.negated, it.depth));
          std::uint32_t c = child(it.node);
          if (!is_leaf(c)) todo.push_back({c, it.want, it.negated, it.depth + 1});
          break;
        }
        case node_kind::not_:
          todo.push_back({child(it.node), kleene_not(it.want), !it.negated, it.depth});
          break;
        case node_kind::and_:
        case node_kind::or_: {
          // The deciding children: for `and` false / `or` true the first that
          // decides it; otherwise every child with the node's value.
          bool one = (nd.kind == node_kind::and_ && it.want == truth::no) || (nd.kind == node_kind::or_ && it.want == truth::yes);
          picked.clear();
          for (std::uint32_t k = 0; k < nd.count; ++k) {
            std::uint32_t c = child(it.node, k);
            if (values[c] != it.want) continue;
            picked.push_back(c);
            if (one) break;
          }
          for (std::size_t k = picked.size(); k-- > 0;) todo.push_back({picked[k], it.want, it.negated, it.depth});
          break;
        }
        default:
          if (nd.kind != node_kind::constant) out.push_back(line(it.node, it.negated, it.depth));
          break;
      }
    }
  }

  std::vector<criterion_line> guard_reasons(std::uint32_t v) const {
    std::vector<criterion_line> out;
    std::int32_t guard = g.variants[v].guard;
    if (guard >= 0) why(static_cast<std::uint32_t>(guard), values[guard], out);
    return out;
  }

  std::int32_t current_level(std::int32_t variant, std::uint32_t procedure) const {
    if (variant < 0) return -1;
    for (const rating& r : g.variants[variant].ratings)
      if (r.procedure == procedure) return static_cast<std::int32_t>(r.level);
    return -1;
  }

  rating_line rating_of(const rating& r) const {
    return {r.procedure, static_cast<std::int32_t>(r.level), g.procedures[r.procedure].adult_rrl, r.score};
  }

  void advice(const std::vector<advisory>& list, explanation& x) const {
    for (const advisory& a : list) {
      truth t = a.when < 0 ? truth::yes : values[a.when];
      if (t == truth::yes) x.advice.push_back(a.text);
      else if (t == truth::unknown) x.conditional_advice.push_back(fmt::format("{} (if {})", a.text, g.info[a.when].text));
    }
  }
};

}  // namespace

explanation explain_outcome(const graph& g, const patient& p, const evaluation& e) {
  explanation x;
  builder b{g, p, e.values};
  x.result = e.result;
  if (e.result == status::matched) {
    x.variant = static_cast<std::int32_t>(e.selected.front());
    x.also.assign(e.selected.begin() + 1, e.selected.end());
  }
  x.candidates = e.candidates;
  x.missing = e.missing;
  if (x.variant >= 0) {
    const variant& v = g.variants[x.variant];
    for (const rating& r : v.ratings) x.ratings.push_back(b.rating_of(r));
    b.advice(v.advice, x);
    for (std::uint32_t t = 0; t < v.next.size(); ++t) {
      const transition& tr = v.next[t];
      next_line n{t, tr.target, e.values[tr.when], {}};
      for (const rating& r : g.variants[tr.target].ratings) {
        std::int32_t now = b.current_level(x.variant, r.procedure);
        if (now < 0 || static_cast<std::int32_t>(r.level) < now) n.better.push_back(b.rating_of(r));
      }
      x.next.push_back(std::move(n));
    }
  } else if (e.result == status::no_criteria_apply && g.otherwise.present) {
    b.advice(g.otherwise.advice, x);
  }
  x.warnings = p.warnings;
  for (auto a : e.violated) {
    const assumption& as = g.assumptions[a];
    x.warnings.push_back(as.label.empty() ? fmt::format("data quality: the assumption `{}` does not hold", as.text)
                                          : fmt::format("data quality: {} (`{}` does not hold)", as.label, as.text));
  }
  for (auto c : e.conflicts)
    x.warnings.push_back(fmt::format("variant {} also applies although the guideline selects a unique variant", g.variants[c].id));
  return x;
}

explanation explain(const graph& g, const patient& p, const evaluation& e) {
  explanation x = explain_outcome(g, p, e);
  builder b{g, p, e.values};
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) x.facts.push_back({s, format_value(g, p, s)});
  if (e.result == status::matched) x.path = b.guard_reasons(e.selected.front());
  for (std::uint32_t v : g.order) {
    if (std::find(e.selected.begin(), e.selected.end(), v) != e.selected.end()) continue;
    std::int32_t guard = g.variants[v].guard;
    x.others.push_back({v, guard < 0 ? truth::yes : e.values[guard], b.guard_reasons(v)});
  }
  return x;
}

}  // namespace rubric::runtime
