// The verifier's findings over one decision graph: contradictory assumptions,
// guards that never hold, overlaps under `unique`, shadowed variants, overlaps
// under `first`, gaps, transitions and data requirements. Each finding that has
// a patient shows one, replayed through the runtime first.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_session.hpp"

namespace rubric::compiler {

namespace verify_detail {
void check_examples(session& s, const source_manager& sources, diagnostic_sink& sink, const verify_options& options);
std::vector<std::vector<std::uint32_t>> requirements(session& s, bool& complete);
void find_gaps(session& s, const source_manager& sources, diagnostic_sink& sink, const verify_options& options);
}  // namespace verify_detail

namespace {

using namespace verify_detail;

struct run {
  session& s;
  const source_manager& sources;
  diagnostic_sink& sink;
  const verify_options& options;
  std::vector<bool> live;  // guard can hold

  span where(const runtime::location& loc) const {
    bool ok = false;
    return span_of(s.g, sources, loc, ok);
  }
  span variant_span(std::size_t v) const { return where(s.g.variants[v].where); }
  span guard_span(std::size_t v) const {
    std::int32_t gd = s.g.variants[v].guard;
    if (gd >= 0 && static_cast<std::size_t>(gd) < s.g.info.size() && s.g.info[gd].where.line != 0)
      return where(s.g.info[static_cast<std::size_t>(gd)].where);
    return variant_span(v);
  }
  void also(diagnostic& d, const runtime::location& loc, std::string label) const {
    bool ok = false;
    span sp = span_of(s.g, sources, loc, ok);
    if (ok) d.also(sp, std::move(label));
  }
};

// R0509: assumptions that can never all be true together (every patient whose
// facts are known breaks one); every other finding would be vacuous.
bool assumptions_consistent(run& r) {
  const runtime::graph& g = r.s.g;
  if (g.assumptions.empty()) return true;
  if (r.s.check(r.s.enc.assumptions_true()) != answer::unsat) return true;
  diagnostic& d = r.sink.report(diag_code::assumptions_contradict, r.where(g.assumptions.front().where),
                                "the `assume` constraints cannot all hold for any patient");
  for (std::size_t i = 1; i < g.assumptions.size(); ++i) r.also(d, g.assumptions[i].where, "together with this one");
  d.suggest("remove or correct the `assume` that does not describe real patients");
  return false;
}

// The top-level parts of a guard: its conjuncts when it is an `and`, through criteria.
std::vector<std::uint32_t> conjuncts(const runtime::graph& g, std::uint32_t node) {
  std::vector<std::uint32_t> out;
  std::vector<std::uint32_t> pending{node};
  while (!pending.empty() && out.size() < 64) {
    std::uint32_t n = pending.back();
    pending.pop_back();
    const runtime::node& x = g.nodes[n];
    if (x.kind == runtime::node_kind::and_) {
      for (std::uint32_t k = x.count; k-- > 0;) pending.push_back(g.children[x.first + k]);
    } else {
      out.push_back(n);
    }
  }
  return out;
}

// When the guard can hold for some patient but not for one that keeps every
// `assume`, names the smallest set of assumptions that rules it out (so the
// author looks at the `assume`, not the thresholds). False when the guard is
// impossible by itself.
bool blame_assumptions(run& r, std::size_t v, diagnostic& d) {
  const runtime::graph& g = r.s.g;
  if (g.assumptions.empty()) return false;
  // A solver without the assumptions as base constraints.
  z3::solver plain(r.s.ctx);
  z3::params limit(r.s.ctx);
  limit.set("timeout", r.options.timeout_ms);
  plain.set(limit);
  plain.add(r.s.enc.domain());
  auto impossible = [&](const std::vector<std::size_t>& kept) {
    plain.push();
    plain.add(r.s.enc.guard(v).t);
    for (std::size_t i : kept) plain.add(r.s.enc.assumption_holds(i));
    z3::check_result res = plain.check();
    plain.pop();
    if (res == z3::unknown) r.s.gave_up = true;
    return res == z3::unsat;
  };
  std::vector<std::size_t> blamed;
  if (impossible(blamed)) return false;
  for (std::size_t i = 0; i < g.assumptions.size(); ++i) blamed.push_back(i);
  // Deletion-based minimal set: drop each assumption the guard stays impossible without.
  for (std::size_t k = 0; k < blamed.size();) {
    std::vector<std::size_t> trial = blamed;
    trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(k));
    if (impossible(trial)) blamed = trial;
    else ++k;
  }
  std::vector<std::string> texts;
  for (std::size_t i : blamed) {
    texts.push_back("`assume " + g.assumptions[i].text + "`");
    r.also(d, g.assumptions[i].where, "this assumption rules the guard out");
  }
  d.note(fmt::format("{} rule{} out every patient this guard describes; without {} the guard could hold",
                     fmt::join(texts, " and "), blamed.size() == 1 ? "s" : "", blamed.size() == 1 ? "it" : "them"));
  d.suggest("correct the `assume` if such patients exist, or the guard if it should describe other patients");
  return true;
}

// R0501: a guard no patient satisfies (under the assumptions). Names the
// smallest set of its conjuncts that cannot hold together.
void guards_never_hold(run& r) {
  const runtime::graph& g = r.s.g;
  r.live.assign(g.variants.size(), true);
  for (std::size_t v = 0; v < g.variants.size(); ++v) {
    if (r.s.check(r.s.enc.guard(v).t) != answer::unsat) continue;
    r.live[v] = false;
    diagnostic& d = r.sink.report(diag_code::guard_never_holds, r.guard_span(v),
                                  fmt::format("the guard of variant {} can never hold", r.s.variant_name(v)));
    d.label("no patient satisfies this");
    // An `assume` that rules the guard out is the finding's reason; else the
    // guard's own parts that cannot hold together are.
    if (blame_assumptions(r, v, d)) continue;
    std::int32_t gd = g.variants[v].guard;
    if (gd >= 0) {
      // Deletion-based minimal conflict over the guard's conjuncts.
      std::vector<std::uint32_t> core = conjuncts(g, static_cast<std::uint32_t>(gd));
      for (std::size_t i = 0; i < core.size() && core.size() > 1;) {
        std::vector<std::uint32_t> trial = core;
        trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(i));
        z3::expr_vector parts(r.s.ctx);
        for (std::uint32_t n : trial) parts.push_back(r.s.enc.nodes()[n].t);
        if (r.s.check(z3::mk_and(parts)) == answer::unsat) core = trial;
        else ++i;
      }
      std::vector<std::string> words;
      for (std::uint32_t n : core) words.push_back("`" + node_words(g, n) + "`");
      if (core.size() > 1)
        d.note(fmt::format("{} cannot all be true for the same patient", fmt::join(words, ", ")));
      else
        d.note(fmt::format("{} is never true", words.front()));
    }
    d.suggest("check the thresholds and operators in the guard's criteria");
  }
}

// R0511: a score line whose condition no patient satisfies: its points are
// never added (a threshold typed wrong, or an item the ranges rule out).
void score_lines_never_hold(run& r) {
  const runtime::graph& g = r.s.g;
  for (const runtime::score& sc : g.scores) {
    for (const runtime::score_line& line : sc.lines) {
      if (line.condition >= r.s.enc.nodes().size()) continue;
      if (r.s.check(r.s.enc.nodes()[line.condition].t) != answer::unsat) continue;
      diagnostic& d = r.sink.report(diag_code::score_line_never_holds, r.where(line.where),
                                    fmt::format("the line `{} if {}` of score `{}` can never hold", line.points_text,
                                                line.text, sc.id));
      d.label(fmt::format("no patient gets these {} points", line.points_text));
      d.note(fmt::format("`{}` is false or unknown for every patient the facts' types and ranges allow", line.text));
      d.suggest("check the threshold, the unit and the operator of the condition");
    }
  }
}

// R0503: under `select unique`, two guards that can both be true.
void unique_overlaps(run& r) {
  const runtime::graph& g = r.s.g;
  for (std::size_t a = 0; a < g.variants.size(); ++a) {
    for (std::size_t b = a + 1; b < g.variants.size(); ++b) {
      if (!r.live[a] || !r.live[b]) continue;
      if (r.s.check(r.s.enc.guard(a).t && r.s.enc.guard(b).t) != answer::sat) continue;
      claim c{claim::kind::both_hold, a, b, {}};
      cx_patient p = simplify(g, r.s.enc.patient_from(r.s.model()), c, false);
      diagnostic& d = r.sink.report(diag_code::unique_overlap, r.guard_span(b),
                                    fmt::format("variants {} and {} can both hold for the same patient",
                                                r.s.variant_name(a), r.s.variant_name(b)));
      r.also(d, g.variants[a].where, fmt::format("variant {} is here", r.s.variant_name(a)));
      d.note("the guideline says `select unique`: at most one variant may hold");
      attach_patient(d, g, p, c, "for example, both guards are true for this patient");
      d.suggest("make the guards exclusive, or use `select first` to let the earlier variant win");
    }
  }
}

// R0502 and R0505 under `select first`: shadowed variants, and overlaps.
void first_policy(run& r) {
  const runtime::graph& g = r.s.g;
  std::vector<std::size_t> order = r.s.order();
  for (std::size_t pos = 0; pos < order.size(); ++pos) {
    std::size_t v = order[pos];
    if (!r.live[v]) continue;
    std::vector<std::size_t> overlapping;
    for (std::size_t q = 0; q < pos; ++q)
      if (r.live[order[q]] && r.s.check(r.s.enc.guard(v).t && r.s.enc.guard(order[q]).t) == answer::sat)
        overlapping.push_back(order[q]);
    if (pos > 0 && r.s.check(r.s.enc.selected_first(v)) == answer::unsat) {
      std::vector<std::string> names;
      for (std::size_t e : overlapping) names.push_back("variant " + r.s.variant_name(e));
      diagnostic& d = r.sink.report(
          diag_code::variant_shadowed, r.variant_span(v),
          fmt::format("variant {} can never be selected: {} always win{} before it", r.s.variant_name(v),
                      fmt::join(names, ", "), names.size() == 1 ? "s" : ""));
      for (std::size_t e : overlapping) r.also(d, g.variants[e].where, "earlier in the selection order");
      // Show who wins for a fully known patient in this variant's scenario.
      if (r.s.check(r.s.enc.guard(v).t && r.s.enc.all_known()) == answer::sat) {
        cx_patient p = r.s.enc.patient_from(r.s.model());
        std::size_t winner = v;
        for (std::size_t e : order) {
          if (e == v) break;
          if (r.s.model().eval(r.s.enc.guard(e).t, true).is_true()) { winner = e; break; }
        }
        claim c{claim::kind::a_wins_over_b, winner, v, {}};
        p = simplify(g, p, c, false);
        attach_patient(d, g, p, c,
                       fmt::format("for example, this patient fits variant {} but gets variant {}",
                                   r.s.variant_name(v), r.s.variant_name(winner)));
      }
      d.suggest("move the variant earlier in `select first in order …`, or narrow the earlier guards");
      continue;
    }
    if (r.options.errors_only) continue;
    for (std::size_t e : overlapping) {
      if (r.s.check(r.s.enc.selected_first(e) && r.s.enc.guard(v).t) != answer::sat) continue;
      claim c{claim::kind::a_wins_over_b, e, v, {}};
      cx_patient p = simplify(g, r.s.enc.patient_from(r.s.model()), c, false);
      diagnostic& d = r.sink.report(diag_code::variant_overlap, r.variant_span(v),
                                    fmt::format("variants {} and {} overlap: variant {} wins", r.s.variant_name(e),
                                                r.s.variant_name(v), r.s.variant_name(e)));
      r.also(d, g.variants[e].where, "this variant comes first in the selection order");
      attach_patient(d, g, p, c,
                     fmt::format("for example, this patient fits both and gets variant {}", r.s.variant_name(e)));
    }
  }
}

// R0506: `next X when C` where C can never hold together with X's guard (or,
// under `first`, never with X being selected).
void transitions(run& r) {
  const runtime::graph& g = r.s.g;
  for (std::size_t v = 0; v < g.variants.size(); ++v) {
    for (const runtime::transition& t : g.variants[v].next) {
      if (t.target >= g.variants.size() || t.when >= g.nodes.size()) continue;
      z3::expr cond = r.s.enc.nodes()[t.when].t;
      std::string target = r.s.variant_name(t.target);
      if (r.s.check(cond && r.s.enc.guard(t.target).t) == answer::unsat) {
        diagnostic& d = r.sink.report(diag_code::transition_never_leads, r.where(t.where),
                                      fmt::format("this `next {}` condition can never hold together with variant "
                                                  "{}'s guard",
                                                  g.variants[t.target].id, target));
        r.also(d, g.variants[t.target].where, "the target variant");
        d.suggest("point the transition at the variant its condition describes, or correct the condition");
      } else if (g.policy == runtime::select_policy::first &&
                 r.s.check(cond && r.s.enc.selected_first(t.target)) == answer::unsat) {
        diagnostic& d = r.sink.report(diag_code::transition_never_leads, r.where(t.where),
                                      fmt::format("this `next {}` condition never leads into variant {}: an "
                                                  "earlier variant always wins",
                                                  g.variants[t.target].id, target));
        r.also(d, g.variants[t.target].where, "the target variant");
        // Show where such a patient goes instead.
        if (r.s.check(cond && r.s.enc.guard(t.target).t && r.s.enc.all_known()) == answer::sat) {
          cx_patient p = r.s.enc.patient_from(r.s.model());
          std::size_t winner = t.target;
          for (std::size_t e : r.s.order()) {
            if (e == t.target) break;
            if (r.s.model().eval(r.s.enc.guard(e).t, true).is_true()) { winner = e; break; }
          }
          claim c{claim::kind::a_wins_over_b, winner, t.target, {}};
          attach_patient(d, g, simplify(g, p, c, false), c,
                         fmt::format("for example, this patient meets the condition and variant {}'s guard but "
                                     "gets variant {}",
                                     target, r.s.variant_name(winner)));
        }
        d.suggest("point the transition at the variant that is selected, or change the selection order");
      }
    }
  }
}

void report_requirements(run& r) {
  const runtime::graph& g = r.s.g;
  bool complete = true;  // when false, s.gave_up is set and R0510 says so
  std::vector<std::vector<std::uint32_t>> req = requirements(r.s, complete);
  for (std::size_t v = 0; v < g.variants.size(); ++v) {
    if (!r.live[v] || req[v].empty()) continue;
    std::vector<std::string> names;
    for (std::uint32_t slot : req[v]) names.push_back("`" + g.facts[slot].id + "`");
    diagnostic& d = r.sink.report(diag_code::variant_requires, r.variant_span(v),
                                  fmt::format("variant {} needs {}", r.s.variant_name(v), fmt::join(names, ", ")));
    d.note("when one of these facts is unknown, a patient who would get this variant may be left undetermined");
  }
}

}  // namespace

void report_incomplete(const runtime::graph& g, const source_manager& sources, diagnostic_sink& sink,
                       std::size_t unanswered, unsigned timeout_ms, unsigned budget_ms) {
  bool ok = false;
  span at = span_of(g, sources, g.variants.front().where, ok);
  sink.report(diag_code::verification_incomplete, at,
              fmt::format("the solver gave up on {} question{}: the findings that depend on {} are not proved",
                          unanswered, unanswered == 1 ? "" : "s", unanswered == 1 ? "it" : "them"))
      .note(fmt::format("each question may take {} ms, and all of them together {} ms", timeout_ms, budget_ms));
}

void verify_graph(const runtime::graph& g, const source_manager& sources, diagnostic_sink& sink,
                  const verify_options& options) {
  if (g.variants.empty()) return;
  try {
    session s(g, options.timeout_ms, options.budget_ms);
    run r{s, sources, sink, options, {}};
    // Contradictory assumptions make every other finding vacuous, R0508 included.
    if (!assumptions_consistent(r)) return;
    check_examples(s, sources, sink, options);  // before the assumptions become base constraints
    s.assume(s.enc.assumptions_hold());
    guards_never_hold(r);
    if (g.policy == runtime::select_policy::unique) unique_overlaps(r);
    if (!options.errors_only) {
      if (g.policy == runtime::select_policy::first) first_policy(r);
      score_lines_never_hold(r);
      if (!g.otherwise.present) find_gaps(s, sources, sink, options);
      transitions(r);
      report_requirements(r);
    }
    if (s.gave_up) report_incomplete(g, sources, sink, s.unanswered, options.timeout_ms, options.budget_ms);
  } catch (const z3::exception& e) {
    bool ok = false;
    span at = span_of(g, sources, g.variants.front().where, ok);
    sink.report(diag_code::verification_incomplete, at, "the solver stopped with an error: findings may be missing")
        .note(e.msg());
  }
}

}  // namespace rubric::compiler
