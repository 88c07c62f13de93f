// Gap finding: fully known patients that no variant covers when there is no
// `otherwise`. Each gap is reported as a region — a conjunction of criteria
// and conditions, generalised until every patient in it is uncovered — with
// one patient; the region is then blocked and the search repeats, capped.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_session.hpp"

namespace rubric::compiler::verify_detail {

namespace {

using runtime::node_kind;

bool is_connective(node_kind k) {
  return k == node_kind::and_ || k == node_kind::or_ || k == node_kind::not_ || k == node_kind::constant;
}

}  // namespace

// Nodes a region can be described by: the conditions (atoms) first, then the
// named criteria, all under some guard. Generalisation drops from the front,
// so the description prefers the author's named criteria.
std::vector<std::uint32_t> describable_nodes(const runtime::graph& g) {
  std::vector<bool> seen(g.nodes.size(), false);
  std::vector<std::uint32_t> pending;
  for (const runtime::variant& v : g.variants)
    if (v.guard >= 0 && static_cast<std::size_t>(v.guard) < g.nodes.size()) pending.push_back(static_cast<std::uint32_t>(v.guard));
  while (!pending.empty()) {
    std::uint32_t n = pending.back();
    pending.pop_back();
    if (seen[n]) continue;
    seen[n] = true;
    const runtime::node& x = g.nodes[n];
    if (x.kind == node_kind::and_ || x.kind == node_kind::or_ || x.kind == node_kind::not_ ||
        x.kind == node_kind::criterion) {
      for (std::uint32_t k = 0; k < x.count && x.first + k < g.children.size(); ++k) {
        std::uint32_t c = g.children[x.first + k];
        if (c < n) pending.push_back(c);
      }
    }
  }
  std::vector<std::uint32_t> atoms, criteria;
  for (std::uint32_t n = 0; n < g.nodes.size(); ++n) {
    if (!seen[n]) continue;
    if (g.nodes[n].kind == node_kind::criterion) criteria.push_back(n);
    else if (!is_connective(g.nodes[n].kind)) atoms.push_back(n);
  }
  atoms.insert(atoms.end(), criteria.begin(), criteria.end());
  return atoms;
}

namespace {

struct literal {
  std::uint32_t node;
  bool positive;
};

std::string literal_text(const runtime::graph& g, const literal& l) {
  std::string words = node_words(g, l.node);
  bool simple = g.nodes[l.node].kind == node_kind::criterion;
  if (l.positive) return words;
  return simple ? "not " + words : "not (" + words + ")";
}

span gap_span(session& s, const source_manager& sources, const verify_options& options) {
  if (options.modules != nullptr && !options.modules->empty()) {
    const ast::header& h = options.modules->front().head;
    if (h.select) return h.select->where;
    return h.where;
  }
  bool ok = false;
  return span_of(s.g, sources, s.g.variants[s.order().front()].where, ok);
}

}  // namespace

void find_gaps(session& s, const source_manager& sources, diagnostic_sink& sink, const verify_options& options) {
  const runtime::graph& g = s.g;
  z3::expr_vector none(s.ctx), some(s.ctx);
  for (std::size_t v = 0; v < g.variants.size(); ++v) {
    tv gd = s.enc.guard(v);
    none.push_back(gd.f);
    some.push_back(gd.t);
  }
  z3::expr all_known = s.enc.all_known();
  z3::expr uncovered = all_known && z3::mk_and(none);
  z3::expr covered = z3::mk_or(some);
  std::vector<std::uint32_t> candidates = describable_nodes(g);
  z3::expr_vector blocks(s.ctx);
  diagnostic* last = nullptr;
  unsigned found = 0;
  for (; found < options.max_gap_regions; ++found) {
    if (s.check(uncovered && z3::mk_and(blocks)) != answer::sat) break;
    z3::model m = s.model();
    cx_patient p = s.enc.patient_from(m);
    std::vector<literal> lits;
    for (std::uint32_t n : candidates) lits.push_back({n, m.eval(s.enc.nodes()[n].t, true).is_true()});
    // Drop order: conditions, then negated criteria, then positive ones, so the
    // region is described by what its patients have rather than what they lack.
    std::stable_partition(lits.begin(), lits.end(), [&](const literal& l) {
      return g.nodes[l.node].kind != node_kind::criterion || !l.positive;
    });
    std::stable_partition(lits.begin(), lits.end(),
                          [&](const literal& l) { return g.nodes[l.node].kind != node_kind::criterion; });
    auto as_expr = [&](const std::vector<literal>& ls) {
      z3::expr_vector parts(s.ctx);
      for (const literal& l : ls) parts.push_back(l.positive ? s.enc.nodes()[l.node].t : s.enc.nodes()[l.node].f);
      return z3::mk_and(parts);
    };
    // Generalise: drop every literal the region does not need to stay uncovered.
    for (std::size_t i = 0; i < lits.size();) {
      std::vector<literal> trial = lits;
      trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(i));
      if (s.check(all_known && as_expr(trial) && covered) == answer::unsat) lits = trial;
      else ++i;
    }
    blocks.push_back(!as_expr(lits));
    std::sort(lits.begin(), lits.end(), [](const literal& a, const literal& b) { return a.node < b.node; });
    // "A variant's guard is false" goes without saying in a gap: those
    // literals are listed in a note, the rest describe the region.
    std::vector<std::string> words, false_guards;
    for (const literal& l : lits) {
      bool guard_literal = false;
      for (std::size_t v : s.order()) {
        if (l.positive || g.variants[v].guard != static_cast<std::int32_t>(l.node)) continue;
        guard_literal = true;
        false_guards.push_back(s.variant_name(v));
      }
      if (!guard_literal) words.push_back(literal_text(g, l));
    }
    std::string message = words.empty()
                              ? std::string("some fully known patients match no variant")
                              : fmt::format("no variant covers patients where `{}`", fmt::join(words, " and "));
    diagnostic& d = sink.report(diag_code::coverage_gap, gap_span(s, sources, options), message);
    if (!false_guards.empty())
      d.note(fmt::format("and the guard{} of variant{} {} {} false", false_guards.size() == 1 ? "" : "s",
                         false_guards.size() == 1 ? "" : "s", fmt::join(false_guards, ", "),
                         false_guards.size() == 1 ? "is" : "are"));
    for (const literal& l : lits) {
      const runtime::node& n = g.nodes[l.node];
      bool is_guard = false;
      for (const runtime::variant& v : g.variants) is_guard = is_guard || v.guard == static_cast<std::int32_t>(l.node);
      if (is_guard && !l.positive) continue;
      if (n.kind == node_kind::criterion && n.criterion >= 0 &&
          static_cast<std::size_t>(n.criterion) < g.criteria.size() &&
          !g.criteria[static_cast<std::size_t>(n.criterion)].label.empty()) {
        d.note(fmt::format("`{}` is \"{}\"", g.criteria[static_cast<std::size_t>(n.criterion)].id,
                           g.criteria[static_cast<std::size_t>(n.criterion)].label));
      }
    }
    claim c{claim::kind::no_variant, 0, 0, {}};
    for (const literal& l : lits) c.region.emplace_back(l.node, l.positive);
    attach_patient(d, g, simplify(g, p, c, true), c, "for example, no variant matches this fully known patient");
    d.suggest("add an `otherwise` outcome with advice for these patients, an `assume` if they cannot exist, or a "
              "variant that covers them");
    last = &d;
  }
  if (last != nullptr && found == options.max_gap_regions &&
      s.check(uncovered && z3::mk_and(blocks)) == answer::sat) {
    last->note(fmt::format("more uncovered regions exist; only the first {} are shown", found));
  }
}

}  // namespace rubric::compiler::verify_detail
