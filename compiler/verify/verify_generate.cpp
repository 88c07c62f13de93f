// Patients for `rubric examples --generate`: the solver proposes fully known
// patients, the runtime replays them, and each is made readable (numbers
// rounded, facts it does not need forgotten) only by steps the replay keeps.
#include <fmt/format.h>

#include <cmath>
#include <functional>
#include <map>

#include "compiler/verify/generate_patients.hpp"
#include "compiler/verify/verify_session.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"
#include "runtime/units.hpp"

namespace rubric::compiler {

namespace {

using runtime::node_kind;
using runtime::truth;
using runtime::value_type;
using namespace verify_detail;

// Decodes the patient's JSON and evaluates it; false when the runtime rejects
// it or it breaks an `assume`.
bool run(const runtime::graph& g, const cx_patient& p, runtime::evaluation& ev) {
  runtime::patient_decoder decoder(g);
  runtime::patient patient;
  std::string error;
  if (!decoder.decode(patient_json(g, p), patient, error)) return false;
  runtime::evaluate(g, patient, ev);
  return ev.violated.empty();
}

using keep_fn = std::function<bool(const runtime::evaluation&)>;

// Rounds numbers to whole years, months, weeks or days (tens and units for
// numbers) and forgets facts, keeping each step only while `keep` holds.
cx_patient reduce_by(const runtime::graph& g, cx_patient p, const std::function<bool(const cx_patient&)>& holds,
                     std::int32_t fixed = -1) {
  if (!holds(p)) return p;
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < p.size(); ++i) {
      value_type t = g.facts[i].type;
      if (static_cast<std::int32_t>(i) == fixed || !p[i].known || (t != value_type::duration && t != value_type::number)) continue;
      std::vector<double> steps = t == value_type::duration
                                      ? std::vector<double>{runtime::units::days_per_year, runtime::units::days_per_month,
                                                            runtime::units::days_per_week, 1.0}
                                      : std::vector<double>{10.0, 1.0};
      double original = p[i].number;
      bool done = false;
      for (double step : steps) {
        for (double k : {std::round(original / step), std::floor(original / step), std::ceil(original / step)}) {
          p[i].number = k * step;
          bool close = step <= 1.0 || std::fabs(p[i].number - original) <= 0.25 * std::fabs(original);
          if (close && (p[i].number >= 0 || t == value_type::number) && holds(p)) { done = true; break; }
        }
        if (done) break;
      }
      if (!done) p[i].number = original;
    }
  for (std::size_t i = 0; i < p.size(); ++i) {
    if (!p[i].known || static_cast<std::int32_t>(i) == fixed) continue;
    cx_value saved = p[i];
    p[i] = cx_value{};
    if (!holds(p)) p[i] = saved;
  }
  return p;
}

cx_patient reduce(const runtime::graph& g, cx_patient p, const keep_fn& keep, std::int32_t fixed = -1) {
  runtime::evaluation ev;
  return reduce_by(g, std::move(p), [&](const cx_patient& q) { return run(g, q, ev) && keep(ev); }, fixed);
}

void conditions_under(const runtime::graph& g, std::uint32_t n, std::vector<std::uint32_t>& out, int depth) {
  if (n >= g.nodes.size() || depth > 256) return;
  const runtime::node& x = g.nodes[n];
  if (x.kind == node_kind::and_ || x.kind == node_kind::or_ || x.kind == node_kind::not_) {
    for (std::uint32_t k = 0; k < x.count; ++k) conditions_under(g, g.children[x.first + k], out, depth + 1);
    return;
  }
  if (x.kind == node_kind::constant || runtime::is_numeric(x.kind)) return;
  if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
}

// The criterion's body as a two-valued formula of its conditions.
z3::expr formula(session& s, std::uint32_t n, const std::map<std::uint32_t, z3::expr>& at, int depth = 0) {
  auto it = at.find(n);
  if (it != at.end()) return it->second;
  const runtime::node& x = s.g.nodes[n];
  if (depth > 256) return s.ctx.bool_val(false);
  z3::expr_vector kids(s.ctx);
  for (std::uint32_t k = 0; k < x.count; ++k) kids.push_back(formula(s, s.g.children[x.first + k], at, depth + 1));
  switch (x.kind) {
    case node_kind::and_: return z3::mk_and(kids);
    case node_kind::or_: return z3::mk_or(kids);
    case node_kind::not_: return !kids[0];
    case node_kind::constant: return s.ctx.bool_val(x.constant == truth::yes);
    default: return s.ctx.bool_val(false);
  }
}

std::string short_words(const runtime::graph& g, std::uint32_t node) {
  std::string w = node_words(g, node);
  return w.size() > 60 ? w.substr(0, 57) + "..." : w;
}

// Keeps every listed node at the value it has for the solver's patient.
keep_fn same_values(const std::vector<std::pair<std::uint32_t, truth>>& want) {
  return [want](const runtime::evaluation& ev) {
    for (const auto& [n, t] : want)
      if (ev.values[n] != t) return false;
    return true;
  };
}

enum class pair_search : std::uint8_t { found, impossible, not_found };

// Two patients showing that condition `c` alone decides criterion `ci`
// (appended to `out` when given). `impossible`: the solver proved there are none.
pair_search mcdc_pair(session& s, std::size_t ci, const std::vector<std::uint32_t>& conds, std::uint32_t c,
                      generate_result* out) {
  const runtime::graph& g = s.g;
  std::uint32_t body = g.children[g.nodes[g.criteria[ci].node].first];
  std::map<std::uint32_t, z3::expr> at_true, at_false;
  for (std::uint32_t d : conds) {
    at_true.emplace(d, d == c ? s.ctx.bool_val(true) : s.enc.nodes()[d].t);
    at_false.emplace(d, d == c ? s.ctx.bool_val(false) : s.enc.nodes()[d].t);
  }
  z3::expr sensitive = formula(s, body, at_true) != formula(s, body, at_false);
  z3::expr base = s.enc.all_known();
  z3::expr_vector blocks(s.ctx);
  for (int attempt = 0; attempt < 8; ++attempt) {
    answer a = s.check(base && s.enc.nodes()[c].t && sensitive && z3::mk_and(blocks));
    if (a != answer::sat) return a == answer::unsat ? pair_search::impossible : pair_search::not_found;
    cx_patient first = s.enc.patient_from(s.model());
    z3::expr_vector pins(s.ctx);
    for (std::uint32_t d : conds)
      if (d != c) pins.push_back(s.model().eval(s.enc.nodes()[d].t, true).is_true() ? s.enc.nodes()[d].t : s.enc.nodes()[d].f);
    if (s.check(base && s.enc.nodes()[c].f && z3::mk_and(pins)) != answer::sat) {
      blocks.push_back(!z3::mk_and(pins));
      continue;
    }
    cx_patient second = s.enc.patient_from(s.model());
    if (out == nullptr) return pair_search::found;
    for (const cx_patient* p : {&first, &second}) {
      runtime::evaluation ev;
      if (!run(g, *p, ev)) return pair_search::not_found;
      std::vector<std::pair<std::uint32_t, truth>> want;
      for (std::uint32_t d : conds) want.emplace_back(d, ev.values[d]);
      want.emplace_back(g.criteria[ci].node, ev.values[g.criteria[ci].node]);
      generated_patient gp;
      gp.patient = reduce(g, *p, same_values(want));
      gp.criterion = static_cast<std::int32_t>(ci);
      gp.condition = static_cast<std::int32_t>(c);
      gp.title = fmt::format("MC/DC `{}`: `{}` {} makes it {}", g.criteria[ci].id, short_words(g, c),
                             ev.values[c] == truth::yes ? "true" : "false",
                             ev.values[g.criteria[ci].node] == truth::yes ? "true" : "false");
      out->patients.push_back(std::move(gp));
    }
    return pair_search::found;
  }
  return pair_search::not_found;
}

// Whether a guard of some variant reads node `n` (through criteria too).
std::vector<std::uint32_t> threshold_nodes(const runtime::graph& g) {
  std::vector<std::uint32_t> out;
  std::vector<std::pair<std::int32_t, double>> seen;
  for (std::uint32_t n : describable_nodes(g)) {
    const runtime::node& x = g.nodes[n];
    if (x.kind != node_kind::compare || x.slot < 0) continue;
    value_type t = g.facts[static_cast<std::size_t>(x.slot)].type;
    if (t != value_type::duration && t != value_type::number) continue;
    std::pair<std::int32_t, double> key{x.slot, x.number};
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    out.push_back(n);
  }
  return out;
}

// The step of "just below" and "just above": one of the threshold's unit.
double boundary_step(const runtime::fact& f, double t) {
  auto whole = [](double x) { return std::fabs(x - std::round(x)) < 1e-9; };
  if (f.type == value_type::duration) {
    for (double u : {runtime::units::days_per_year, runtime::units::days_per_month, runtime::units::days_per_week})
      if (t != 0 && whole(t / u)) return u;
    return 1.0;
  }
  return whole(t) || f.integer ? 1.0 : 0.1;
}

std::string value_words(const runtime::fact& f, double v) {
  if (f.type == value_type::duration) return duration_text(v);
  std::string num = fmt::format("{}", v);
  return f.unit.empty() ? num : num + " " + f.unit;
}

bool in_range(const runtime::fact& f, double v) {
  return !((f.type == value_type::duration && v < 0) || (f.min && v < *f.min) || (f.max && v > *f.max));
}

// The three boundary patients when one fully known patient gets another
// variant just below the threshold than just above it: the same patient with
// only the fact moved, so the examples show the threshold deciding. False
// when there is none (then each value gets a patient of its own).
bool decisive_boundary(session& s, std::uint32_t n, double step, generate_result& out) {
  const runtime::graph& g = s.g;
  const runtime::node& x = g.nodes[n];
  auto slot = static_cast<std::size_t>(x.slot);
  const runtime::fact& f = g.facts[slot];
  double below = x.number - step, above = x.number + step;
  if (!in_range(f, below) || !in_range(f, above)) return false;
  // A second copy of the patient that differs only in this fact.
  std::vector<slot_vars> moved = s.enc.slots();
  std::string name = "boundary_" + std::to_string(n);
  moved[slot].value = f.integer ? s.ctx.int_const(name.c_str()) : s.ctx.real_const(name.c_str());
  std::vector<tv> other = s.enc.encode_nodes(moved);
  auto selected = [&](const std::vector<tv>& nodes, std::size_t v) {
    return g.policy == runtime::select_policy::first ? s.enc.selected_first_in(nodes, v) : s.enc.guard_in(nodes, v).t;
  };
  z3::expr_vector differs(s.ctx);
  for (std::size_t v = 0; v < g.variants.size(); ++v) differs.push_back(selected(s.enc.nodes(), v) != selected(other, v));
  cx_patient pin(g.facts.size());
  pin[slot].known = true;
  pin[slot].number = below;
  z3::expr real_above = moved[slot].value.is_int() ? z3::to_real(moved[slot].value) : moved[slot].value;
  if (s.check(s.enc.all_known() && s.enc.pinned_known(pin) && real_above == s.ctx.real_val(std::to_string(above).c_str()) &&
              s.enc.domain_over(moved) && s.enc.assumptions_hold_in(other) && z3::mk_or(differs)) != answer::sat)
    return false;
  cx_patient base = s.enc.patient_from(s.model());
  std::vector<double> values{below, x.number, above};
  std::vector<std::pair<runtime::status, std::vector<std::uint32_t>>> want;
  auto at = [&](cx_patient q, double v) {
    q[slot].number = v;
    return q;
  };
  for (double v : values) {
    runtime::evaluation ev;
    if (!run(g, at(base, v), ev)) return false;
    want.emplace_back(ev.result, ev.selected);
  }
  if (want.front() == want.back()) return false;
  base = reduce_by(g, base, [&](const cx_patient& q) {
    for (std::size_t k = 0; k < values.size(); ++k) {
      runtime::evaluation ev;
      if (!run(g, at(q, values[k]), ev) || ev.result != want[k].first || ev.selected != want[k].second) return false;
    }
    return true;
  }, x.slot);
  for (double v : values) {
    generated_patient gp;
    gp.patient = at(base, v);
    gp.fact = x.slot;
    gp.title = fmt::format("Boundary: `{}` = {} ({} {} `{}`)", f.id, value_words(f, v),
                           v < x.number ? "just below" : v > x.number ? "just above" : "at", value_words(f, x.number),
                           short_words(g, n));
    out.patients.push_back(std::move(gp));
  }
  return true;
}

}  // namespace

std::vector<std::uint32_t> criterion_conditions(const runtime::graph& g, std::size_t criterion) {
  std::vector<std::uint32_t> out;
  const runtime::node& n = g.nodes[g.criteria[criterion].node];
  if (n.count >= 1) conditions_under(g, g.children[n.first], out, 0);
  return out;
}

generate_result mcdc_patients(const runtime::graph& g, unsigned timeout_ms) {
  generate_result out;
  session s(g, timeout_ms);
  s.assume(s.enc.assumptions_hold());
  for (std::size_t ci = 0; ci < g.criteria.size(); ++ci) {
    std::vector<std::uint32_t> conds = criterion_conditions(g, ci);
    for (std::uint32_t c : conds) {
      pair_search r = mcdc_pair(s, ci, conds, c, &out);
      if (r == pair_search::found) continue;
      out.not_found.push_back(fmt::format("no pair of patients shows `{}` deciding criterion `{}` alone{}",
                                          node_words(g, c), g.criteria[ci].id,
                                          r == pair_search::impossible ? " (the solver proves none exists)" : ""));
    }
  }
  return out;
}

std::vector<std::pair<std::uint32_t, std::uint32_t>> mcdc_infeasible(const runtime::graph& g, unsigned timeout_ms) {
  std::vector<std::pair<std::uint32_t, std::uint32_t>> out;
  session s(g, timeout_ms);
  s.assume(s.enc.assumptions_hold());
  for (std::size_t ci = 0; ci < g.criteria.size(); ++ci) {
    std::vector<std::uint32_t> conds = criterion_conditions(g, ci);
    for (std::uint32_t c : conds)
      if (mcdc_pair(s, ci, conds, c, nullptr) == pair_search::impossible) out.emplace_back(static_cast<std::uint32_t>(ci), c);
  }
  return out;
}

generate_result boundary_patients(const runtime::graph& g, unsigned timeout_ms) {
  generate_result out;
  session s(g, timeout_ms);
  s.assume(s.enc.assumptions_hold());
  for (std::uint32_t n : threshold_nodes(g)) {
    const runtime::node& x = g.nodes[n];
    const runtime::fact& f = g.facts[static_cast<std::size_t>(x.slot)];
    double step = boundary_step(f, x.number);
    if (decisive_boundary(s, n, step, out)) continue;
    for (double v : {x.number - step, x.number, x.number + step}) {
      if ((f.type == value_type::duration && v < 0) || (f.min && v < *f.min) || (f.max && v > *f.max)) continue;
      cx_patient pin(g.facts.size());
      pin[static_cast<std::size_t>(x.slot)].known = true;
      pin[static_cast<std::size_t>(x.slot)].number = v;
      if (s.check(s.enc.all_known() && s.enc.pinned_known(pin)) != answer::sat) {
        out.not_found.push_back(fmt::format("no patient keeping every `assume` has `{}` = {}", f.id, value_words(f, v)));
        continue;
      }
      cx_patient p = s.enc.patient_from(s.model());
      runtime::evaluation ev;
      if (!run(g, p, ev)) continue;
      std::vector<std::uint32_t> sel = ev.selected;
      runtime::status st = ev.result;
      truth at = ev.values[n];
      generated_patient gp;
      gp.patient = reduce(g, p, [&](const runtime::evaluation& e) {
        return e.values[n] == at && e.result == st && e.selected == sel;
      }, x.slot);
      gp.fact = x.slot;
      gp.title = fmt::format("Boundary: `{}` = {} ({} {} `{}`)", f.id, value_words(f, v),
                             v < x.number ? "just below" : v > x.number ? "just above" : "at", value_words(f, x.number),
                             short_words(g, n));
      out.patients.push_back(std::move(gp));
    }
  }
  return out;
}

generate_result region_patients(const runtime::graph& g, unsigned timeout_ms) {
  generate_result out;
  session s(g, timeout_ms);
  s.assume(s.enc.assumptions_hold());
  z3::expr base = s.enc.all_known();
  std::vector<bool> fact_done(g.facts.size(), false);
  for (std::size_t v : s.order()) {
    z3::expr sel = g.policy == runtime::select_policy::first ? s.enc.selected_first(v) : s.enc.guard(v).t;
    if (s.check(base && sel) != answer::sat) {
      out.not_found.push_back(fmt::format("variant `{}` is selected for no fully known patient", g.variants[v].id));
      continue;
    }
    cx_patient full = s.enc.patient_from(s.model());
    auto selects_v = [v](const runtime::evaluation& e) {
      return e.result == runtime::status::matched && std::find(e.selected.begin(), e.selected.end(), v) != e.selected.end();
    };
    generated_patient gp;
    gp.patient = reduce(g, full, selects_v);
    gp.variant = static_cast<std::int32_t>(v);
    gp.title = fmt::format("Variant {} (generated)", g.variants[v].id);
    out.patients.push_back(gp);
    // A fact whose unknown leaves this patient undetermined: an unknown-fact example.
    for (std::size_t i = 0; i < full.size(); ++i) {
      if (fact_done[i] || !gp.patient[i].known) continue;
      cx_patient q = gp.patient;
      q[i] = cx_value{};
      runtime::evaluation ev;
      if (!run(g, q, ev) || ev.result != runtime::status::undetermined) continue;
      fact_done[i] = true;
      generated_patient u;
      u.patient = q;
      u.variant = -1;
      u.fact = static_cast<std::int32_t>(i);
      u.title = fmt::format("Unknown `{}`: variant {} is still possible (generated)", g.facts[i].id, g.variants[v].id);
      out.patients.push_back(std::move(u));
    }
  }
  if (!g.otherwise.present) return out;
  z3::expr_vector none(s.ctx);
  for (std::size_t v = 0; v < g.variants.size(); ++v) none.push_back(s.enc.guard(v).f);
  auto no_variant = [](const runtime::evaluation& e) { return e.result == runtime::status::no_criteria_apply; };
  if (s.check(base && z3::mk_and(none)) == answer::sat) {
    generated_patient gp;
    gp.patient = reduce(g, s.enc.patient_from(s.model()), no_variant);
    gp.title = "No variant applies (generated)";
    out.patients.push_back(std::move(gp));
  }
  for (std::size_t a = 0; a < g.otherwise.advice.size(); ++a) {
    std::int32_t when = g.otherwise.advice[a].when;
    if (when < 0) continue;
    auto w = static_cast<std::uint32_t>(when);
    if (s.check(base && z3::mk_and(none) && s.enc.nodes()[w].t) != answer::sat) {
      out.not_found.push_back(fmt::format("no patient gets the `otherwise` advice under `{}`", node_words(g, w)));
      continue;
    }
    generated_patient gp;
    gp.patient = reduce(g, s.enc.patient_from(s.model()),
                        [&](const runtime::evaluation& e) { return no_variant(e) && e.values[w] == truth::yes; });
    gp.title = fmt::format("No variant applies, advice when `{}` (generated)", short_words(g, w));
    out.patients.push_back(std::move(gp));
  }
  return out;
}

}  // namespace rubric::compiler
