// Data requirements: for each variant, the facts whose unknown value can
// block its selection. A fact is required when some patient who gets the
// variant would not get it once that fact is forgotten (Kleene logic is
// monotone, so forgetting can only turn decided guards into unknown ones).
#include <algorithm>

#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_session.hpp"

namespace rubric::compiler::verify_detail {

namespace {

// The fact slots under `roots`.
std::vector<bool> facts_under(const runtime::graph& g, const std::vector<std::int32_t>& roots) {
  std::vector<bool> slots(g.facts.size(), false), seen(g.nodes.size(), false);
  std::vector<std::uint32_t> pending;
  for (std::int32_t r : roots)
    if (r >= 0 && static_cast<std::size_t>(r) < g.nodes.size()) pending.push_back(static_cast<std::uint32_t>(r));
  while (!pending.empty()) {
    std::uint32_t n = pending.back();
    pending.pop_back();
    if (seen[n]) continue;
    seen[n] = true;
    const runtime::node& x = g.nodes[n];
    for (std::int32_t s : {x.slot, x.slot2})
      if (s >= 0 && static_cast<std::size_t>(s) < slots.size()) slots[static_cast<std::size_t>(s)] = true;
    bool has_children = x.kind == runtime::node_kind::and_ || x.kind == runtime::node_kind::or_ ||
                        x.kind == runtime::node_kind::not_ || x.kind == runtime::node_kind::criterion;
    if (!has_children) continue;
    for (std::uint32_t k = 0; k < x.count && x.first + k < g.children.size(); ++k)
      if (g.children[x.first + k] < n) pending.push_back(g.children[x.first + k]);
  }
  return slots;
}

}  // namespace

std::vector<std::vector<std::uint32_t>> requirements(session& s) {
  const runtime::graph& g = s.g;
  std::vector<std::vector<std::uint32_t>> out(g.variants.size());
  bool first = g.policy == runtime::select_policy::first;
  std::vector<std::size_t> order = s.order();
  // Node values with one fact forgotten, built lazily once per fact.
  std::vector<std::optional<std::vector<tv>>> forgotten(g.facts.size());
  auto selected = [&](const std::vector<tv>& nodes, std::size_t v) {
    return first ? s.enc.selected_first_in(nodes, v) : s.enc.guard_in(nodes, v).t;
  };
  for (std::size_t v = 0; v < g.variants.size(); ++v) {
    std::vector<std::int32_t> roots{g.variants[v].guard};
    if (first) {
      for (std::size_t e : order) {
        if (e == v) break;
        roots.push_back(g.variants[e].guard);
      }
    }
    std::vector<bool> cone = facts_under(g, roots);
    z3::expr here = selected(s.enc.nodes(), v);
    for (std::uint32_t f = 0; f < g.facts.size(); ++f) {
      if (!cone[f]) continue;
      if (!forgotten[f]) {
        std::vector<slot_vars> slots = s.enc.slots();
        slots[f].known = s.ctx.bool_val(false);
        forgotten[f] = s.enc.encode_nodes(slots);
      }
      if (s.check(here && !selected(*forgotten[f], v)) == answer::sat) out[v].push_back(f);
    }
  }
  return out;
}

}  // namespace rubric::compiler::verify_detail

namespace rubric::compiler {

std::vector<std::vector<std::uint32_t>> variant_requirements(const runtime::graph& graph, unsigned timeout_ms) {
  try {
    verify_detail::session s(graph, timeout_ms);
    s.assume(s.enc.assumptions_hold());
    return verify_detail::requirements(s);
  } catch (const z3::exception&) {
    return std::vector<std::vector<std::uint32_t>>(graph.variants.size());
  }
}

void write_requirements(runtime::graph& graph, unsigned timeout_ms) {
  std::vector<std::vector<std::uint32_t>> req = variant_requirements(graph, timeout_ms);
  for (std::size_t v = 0; v < graph.variants.size() && v < req.size(); ++v) graph.variants[v].requires_facts = req[v];
}

}  // namespace rubric::compiler
