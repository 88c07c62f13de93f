// Data requirements: for each variant, the facts whose unknown value can
// block its selection. A fact is required when some patient who gets the
// variant would not get it once that fact is forgotten (Kleene logic is
// monotone, so forgetting can only turn decided guards into unknown ones).
//
// The graph is encoded once more with a selector per fact that makes it
// unknown (at most one selector on), so each question is incremental: "some
// fact still undecided is required" — the model names one; an unsat answer
// clears all the rest at once. The first patient found for a variant is also
// replayed with each remaining fact forgotten in the runtime evaluator, which
// settles most facts of a large guard without asking the solver at all.
#include <algorithm>

#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_session.hpp"
#include "runtime/evaluate.hpp"

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

// The solver's patient as a runtime patient (text: a graph string or other text).
runtime::patient runtime_patient(const runtime::graph& g, const cx_patient& cx) {
  runtime::patient p;
  p.reset(g);
  for (std::uint32_t i = 0; i < cx.size() && i < g.facts.size(); ++i) {
    const cx_value& v = cx[i];
    if (!v.known) continue;
    switch (g.facts[i].type) {
      case runtime::value_type::boolean: p.set_bool(i, v.boolean); break;
      case runtime::value_type::number:
      case runtime::value_type::duration: p.set_number(i, v.number); break;
      case runtime::value_type::enumeration: p.set_member(i, static_cast<unsigned>(v.index)); break;
      case runtime::value_type::set: p.set_members(i, v.mask); break;
      case runtime::value_type::text:
        p.set_text(i, v.index >= 0 && static_cast<std::size_t>(v.index) < g.strings.size()
                          ? g.strings[static_cast<std::size_t>(v.index)]
                          : other_text(g));
        break;
    }
  }
  return p;
}

// What the requirements ask of one variant, in the runtime's terms.
struct runtime_check {
  const runtime::graph& g;
  const std::vector<std::size_t>& order;
  bool first;
  std::vector<runtime::truth> values = std::vector<runtime::truth>(g.nodes.size());

  runtime::truth guard(std::size_t v) const {
    std::int32_t gd = g.variants[v].guard;
    return gd < 0 ? runtime::truth::yes : values[static_cast<std::size_t>(gd)];
  }
  bool selected(const runtime::patient& p, std::size_t v) {
    runtime::evaluate_nodes(g, p, values);
    if (guard(v) != runtime::truth::yes) return false;
    if (!first) return true;
    for (std::size_t e : order) {
      if (e == v) break;
      if (guard(e) != runtime::truth::no) return false;
    }
    return true;
  }
};

}  // namespace

std::vector<std::vector<std::uint32_t>> requirements(session& s, bool& complete) {
  const runtime::graph& g = s.g;
  std::vector<std::vector<std::uint32_t>> out(g.variants.size());
  complete = true;
  bool first = g.policy == runtime::select_policy::first;
  std::vector<std::size_t> order = s.order();
  auto selected = [&](const std::vector<tv>& nodes, std::size_t v) {
    return first ? s.enc.selected_first_in(nodes, v) : s.enc.guard_in(nodes, v).t;
  };
  // The forgetting world, encoded once.
  std::vector<slot_vars> slots = s.enc.slots();
  z3::expr_vector forget(s.ctx);
  for (std::uint32_t f = 0; f < g.facts.size(); ++f) {
    forget.push_back(s.ctx.bool_const(("forget_" + std::to_string(f)).c_str()));
    slots[f].known = slots[f].known && !forget.back();
  }
  std::vector<tv> forgotten = s.enc.encode_nodes(slots);
  s.solver.push();
  if (!g.facts.empty()) s.solver.add(z3::atmost(forget, 1));
  runtime_check replay{g, order, first};
  for (std::size_t v = 0; v < g.variants.size(); ++v) {
    std::vector<std::int32_t> roots{g.variants[v].guard};
    if (first) {
      for (std::size_t e : order) {
        if (e == v) break;
        roots.push_back(g.variants[e].guard);
      }
    }
    std::vector<bool> cone = facts_under(g, roots);
    std::vector<std::uint32_t> open;  // facts not yet decided
    for (std::uint32_t f = 0; f < g.facts.size(); ++f)
      if (cone[f]) open.push_back(f);
    z3::expr question = selected(s.enc.nodes(), v) && !selected(forgotten, v);
    bool replayed = false;
    while (!open.empty()) {
      z3::expr_vector any(s.ctx);
      for (std::uint32_t f : open) any.push_back(forget[static_cast<int>(f)]);
      answer a = s.check(question && z3::mk_or(any));
      if (a == answer::unsat) break;
      if (a == answer::unknown) {
        // Not proved either way: listed, so no need is silently dropped.
        complete = false;
        out[v].insert(out[v].end(), open.begin(), open.end());
        break;
      }
      const z3::model& m = s.model();
      auto named = std::find_if(open.begin(), open.end(),
                                [&](std::uint32_t f) { return m.eval(forget[static_cast<int>(f)], true).is_true(); });
      if (named == open.end()) break;  // cannot happen: the model forgets one open fact
      out[v].push_back(*named);
      open.erase(named);
      if (replayed) continue;
      replayed = true;
      runtime::patient p = runtime_patient(g, s.enc.patient_from(m));
      if (!replay.selected(p, v)) continue;
      std::erase_if(open, [&](std::uint32_t f) {
        runtime::slot_value kept = p.slots[f];
        p.set_unknown(f);
        bool lost = !replay.selected(p, v);
        p.slots[f] = kept;
        if (lost) out[v].push_back(f);
        return lost;
      });
    }
    std::sort(out[v].begin(), out[v].end());
  }
  s.solver.pop();
  return out;
}

}  // namespace rubric::compiler::verify_detail

namespace rubric::compiler {

std::vector<std::vector<std::uint32_t>> variant_requirements(const runtime::graph& graph, unsigned timeout_ms,
                                                             unsigned budget_ms, std::size_t* unanswered) {
  std::vector<std::vector<std::uint32_t>> out(graph.variants.size());
  std::size_t missed = 0;
  try {
    verify_detail::session s(graph, timeout_ms, budget_ms);
    s.assume(s.enc.assumptions_hold());
    bool complete = true;
    out = verify_detail::requirements(s, complete);
    missed = complete ? 0 : std::max<std::size_t>(s.unanswered, 1);
  } catch (const z3::exception&) {
    missed = 1;
  }
  if (unanswered) *unanswered = missed;
  return out;
}

bool write_requirements(runtime::graph& graph, unsigned timeout_ms, unsigned budget_ms) {
  std::size_t unanswered = 0;
  std::vector<std::vector<std::uint32_t>> req = variant_requirements(graph, timeout_ms, budget_ms, &unanswered);
  for (std::size_t v = 0; v < graph.variants.size() && v < req.size(); ++v) graph.variants[v].requires_facts = req[v];
  return unanswered == 0;
}

}  // namespace rubric::compiler
