// Builds the explanation model: the chosen variant's criteria with the fact
// values that decided them, the first reason each other variant failed, the
// ratings, advice, next steps and warnings. Renderers live in explain_text.cpp
// and explain_json.cpp.
#include <fmt/format.h>

#include <algorithm>

#include "runtime/explain.hpp"
#include "runtime/plain_words.hpp"

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

  // Where the reasons stop: a fact test, a constant, or a comparison of a
  // number (its parts are explained by the score's own lines).
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
      // Only the kinds that read a fact: their slots are checked by the
      // loader; any other node's slot field means nothing (and may be junk).
      bool reads_fact = is_leaf_kind(nd.kind) && nd.kind != node_kind::constant && nd.kind != node_kind::num_const;
      if (reads_fact && nd.slot >= 0) slots.push_back(static_cast<std::uint32_t>(nd.slot));
      if (nd.kind == node_kind::compare_facts && nd.slot2 >= 0) slots.push_back(static_cast<std::uint32_t>(nd.slot2));
      // Into every child: a comparison of a score or a count (version 2) reads
      // facts through its children.
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

  // A `not` node as one line: "not “Label”" for a criterion, else the
  // author's text ("red_flags is not empty", "pain != 3", "not (a or b)").
  criterion_line negation_line(std::uint32_t n, bool negated, int depth) const {
    criterion_line l = line(n, negated, depth);
    std::uint32_t c = child(n);
    if (g.nodes[c].kind == node_kind::criterion) {
      const criterion& cr = g.criteria[static_cast<std::size_t>(g.nodes[c].criterion)];
      l.label = "not “" + (cr.label.empty() ? cr.id : cr.label) + "”";
    }
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
        case node_kind::not_: {
          // The line says what the author wrote (`x is not empty`, `not Label`,
          // `not (a or b)`) with the value of that; a compound or a criterion
          // under it is opened one level down, each line again with its own value.
          out.push_back(negation_line(it.node, it.negated, it.depth));
          std::uint32_t c = child(it.node);
          if (!is_leaf(c)) todo.push_back({c, kleene_not(it.want), !it.negated, it.depth + 1});
          break;
        }
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

  rating_line rating_of(const rating& r) const {
    const procedure& pr = g.procedures[r.procedure];
    return {r.procedure, static_cast<std::int32_t>(r.level), pr.adult_rrl, r.score, pr.pediatric_rrl,
            pediatric_value(g, values), r.caveat};
  }

  // The best level any of `from` gives `procedure` (-1: none rates it).
  std::int32_t current_level(const std::vector<std::uint32_t>& from, std::uint32_t procedure) const {
    std::int32_t best = -1;
    for (std::uint32_t v : from)
      for (const rating& r : g.variants[v].ratings)
        if (r.procedure == procedure && (best < 0 || static_cast<std::int32_t>(r.level) < best))
          best = static_cast<std::int32_t>(r.level);
    return best;
  }

  // Everything variant `v` gives the patient. A next step lists the target's
  // ratings that beat what the patient already has from every matched variant.
  // `reasons`: also the guard's reasons (explanations; `rubric eval` needs none).
  variant_outcome outcome(std::uint32_t v, const std::vector<std::uint32_t>& matched, bool reasons) const {
    variant_outcome o;
    o.variant = v;
    if (reasons) o.path = guard_reasons(v);
    const variant& var = g.variants[v];
    for (const rating& r : var.ratings) o.ratings.push_back(rating_of(r));
    advice(var.advice, o.advice, o.conditional_advice);
    for (std::uint32_t t = 0; t < var.next.size(); ++t) {
      const transition& tr = var.next[t];
      next_line n{t, tr.target, values[tr.when], {}};
      for (const rating& r : g.variants[tr.target].ratings) {
        std::int32_t now = current_level(matched, r.procedure);
        if (now < 0 || static_cast<std::int32_t>(r.level) < now) n.better.push_back(rating_of(r));
      }
      o.next.push_back(std::move(n));
    }
    return o;
  }

  void advice(const std::vector<advisory>& list, std::vector<std::string>& holds, std::vector<std::string>& open) const {
    for (const advisory& a : list) {
      truth t = a.when < 0 ? truth::yes : values[a.when];
      if (t == truth::yes) holds.push_back(a.text);
      else if (t == truth::unknown) open.push_back(fmt::format("{} (if {})", a.text, condition_words(g, static_cast<std::uint32_t>(a.when))));
    }
  }
};

}  // namespace

truth pediatric_value(const graph& g, const std::vector<truth>& values) {
  if (g.pediatric.node < 0 || static_cast<std::size_t>(g.pediatric.node) >= values.size()) return truth::no;
  return values[static_cast<std::size_t>(g.pediatric.node)];
}

namespace {

// The explanation; without `reasons`, the outcome alone (no facts, paths or
// other variants' reasons).
explanation build(const graph& g, const patient& p, const evaluation& e, bool reasons) {
  explanation x;
  builder b{g, p, e.values};
  x.result = e.result;
  if (reasons)
    for (std::uint32_t s = 0; s < g.facts.size(); ++s) x.facts.push_back({s, format_value(g, p, s)});
  if (e.result == status::matched) {
    x.variant = static_cast<std::int32_t>(e.selected.front());
    x.also.assign(e.selected.begin() + 1, e.selected.end());
    for (std::uint32_t v : e.selected) x.matched.push_back(b.outcome(v, e.selected, reasons));
  }
  x.candidates = e.candidates;
  x.missing = e.missing;
  for (std::uint32_t v : g.order) {
    if (!reasons) break;
    if (std::find(e.selected.begin(), e.selected.end(), v) != e.selected.end()) continue;
    std::int32_t guard = g.variants[v].guard;
    x.others.push_back({v, guard < 0 ? truth::yes : e.values[guard], b.guard_reasons(v)});
  }
  if (!x.matched.empty()) {
    const variant_outcome& first = x.matched.front();
    x.path = first.path;
    x.ratings = first.ratings;
    x.advice = first.advice;
    x.conditional_advice = first.conditional_advice;
    x.next = first.next;
  } else if (e.result == status::no_criteria_apply && g.otherwise.present) {
    b.advice(g.otherwise.advice, x.advice, x.conditional_advice);
  }
  x.scores = explain_scores(g, p, e);
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

}  // namespace

explanation explain(const graph& g, const patient& p, const evaluation& e) { return build(g, p, e, true); }

explanation explain_outcome(const graph& g, const patient& p, const evaluation& e) { return build(g, p, e, false); }

}  // namespace rubric::runtime
