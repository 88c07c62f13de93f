// Lowering the outcomes: variants (guard, ratings with resolved levels,
// advice, transitions), the selection order, `otherwise` and the assumptions.
// See lower_internal.hpp.
#include <map>

#include "compiler/lower/lower_internal.hpp"
#include "runtime/units.hpp"

namespace rubric::compiler::lowering {

rt::advisory lowerer::advice(const ast::advice_decl& a) {
  rt::advisory out;
  out.text = a.message.value;
  if (a.when) out.when = static_cast<std::int32_t>(lower(0, *a.when));
  out.where = loc(a.where);
  return out;
}

// The fact slots under `root`: an explicit stack, since a guard may sit on
// a chain of thousands of criteria.
void lowerer::slots_under(std::uint32_t root, std::set<std::uint32_t>& out) const {
  std::vector<char> seen(g_.nodes.size(), 0);
  std::vector<std::uint32_t> pending{root};
  while (!pending.empty()) {
    std::uint32_t i = pending.back();
    pending.pop_back();
    if (seen[i]) continue;
    seen[i] = 1;
    const auto& n = g_.nodes[i];
    if (n.slot >= 0) out.insert(static_cast<std::uint32_t>(n.slot));
    if (n.slot2 >= 0) out.insert(static_cast<std::uint32_t>(n.slot2));
    for (std::uint32_t k = 0; k < n.count; ++k) pending.push_back(g_.children[n.first + k]);
  }
}

void lowerer::variants() {
  std::map<std::string, std::uint32_t> ids;
  for (std::uint32_t v = 0; v < root_.variants.size(); ++v) ids.emplace(root_.variants[v].id.text, v);
  for (std::uint32_t v = 0; v < root_.variants.size(); ++v) g_.variants.push_back(variant(v, ids));
  if (root_.head.select && !root_.head.select->order.empty()) {
    for (const auto& id : root_.head.select->order) g_.order.push_back(ids.at(id.text));
  } else {
    for (std::uint32_t v = 0; v < root_.variants.size(); ++v) g_.order.push_back(v);
  }
}

rt::variant lowerer::variant(std::uint32_t v, const std::map<std::string, std::uint32_t>& ids) {
  const auto& d = root_.variants[v];
  rt::variant out;
  out.id = d.id.text;
  out.title = d.title.value;
  if (d.guard) {
    std::uint32_t guard = lower(0, *d.guard);
    out.guard = static_cast<std::int32_t>(guard);
    // Every fact under the guard can leave it unknown; the verifier narrows this.
    std::set<std::uint32_t> slots;
    slots_under(guard, slots);
    out.requires_facts.assign(slots.begin(), slots.end());
  }
  for (std::size_t r = 0; r < d.ratings.size(); ++r) {
    const auto& info = p_.ratings[v][r];
    rt::rating rating;
    rating.procedure = procedures_.at({info.procedure.module, info.procedure.index});
    rating.level = info.level;
    if (d.ratings[r].score) rating.score = d.ratings[r].score->value;
    rating.where = loc(d.ratings[r].where);
    if (d.ratings[r].caveat) rating.caveat = d.ratings[r].caveat->value;
    out.ratings.push_back(rating);
  }
  for (const auto& a : d.advice) out.advice.push_back(advice(a));
  for (const auto& t : d.next) {
    rt::transition tr;
    tr.target = ids.at(t.target.text);
    tr.when = lower(0, t.when);
    tr.label = t.label ? t.label->value : "";
    tr.urgent = t.urgent;
    tr.where = loc(t.where);
    out.next.push_back(std::move(tr));
  }
  out.source = d.source ? d.source->value : "";
  out.evidence = d.evidence ? d.evidence->value : "";
  out.where = loc(d.where);
  return out;
}

void lowerer::otherwise() {
  if (root_.otherwise.empty()) return;
  const auto& o = root_.otherwise[0];
  g_.otherwise.present = true;
  g_.otherwise.label = o.label ? o.label->value : "";
  for (const auto& a : o.advice) g_.otherwise.advice.push_back(advice(a));
  g_.otherwise.where = loc(o.where);
}

void lowerer::assumptions() {
  for (const auto& a : root_.assumes) {
    rt::assumption as;
    as.node = lower(0, a.condition);
    as.label = a.label ? a.label->value : "";
    as.text = text_of(a.condition.where);
    as.where = loc(a.where);
    g_.assumptions.push_back(std::move(as));
  }
}

// Who is a child: the header's `pediatric when COND`; without it, a
// guideline with a duration fact `age` uses `age < 18 years` (the default
// stdlib/acr.rubric documents); else no rule (adult levels for everyone).
void lowerer::pediatric() {
  if (const auto& c = root_.head.pediatric) {
    g_.pediatric = {static_cast<std::int32_t>(lower(0, *c)), text_of(c->where), loc(c->where)};
    return;
  }
  const auto& scope = p_.scopes[0];
  for (std::uint32_t i = 0; i < scope.facts.size(); ++i) {
    if (scope.facts[i]->id.text != "age" || scope.fact_types[i].kind != sema::type_kind::duration) continue;
    rt::node n;
    n.kind = rt::node_kind::compare;
    n.op = rt::compare_op::lt;
    n.slot = slot_of({sema::symbol_kind::fact, 0, i});
    n.number = 18 * runtime::units::days_per_year;
    const std::string text = "age < 18 years";
    g_.pediatric = {static_cast<std::int32_t>(make(n, {}, text, scope.facts[i]->where)), text, loc(scope.facts[i]->where)};
    return;
  }
}

}  // namespace rubric::compiler::lowering
