// The solver half of `rubric diff`: the old version's encoding owns the slots,
// the new version's nodes are encoded over the same slots for the facts the
// two share, and each pair of outcomes the caller cares about is searched for
// regions, generalised as gap regions are (verify_gaps.cpp) and then blocked.
#include <algorithm>

#include "compiler/verify/diff_regions.hpp"
#include "compiler/verify/verify_session.hpp"

namespace rubric::compiler {

namespace {

using runtime::node_kind;
using runtime::value_type;
using namespace verify_detail;

bool same_members(const runtime::graph& a, const runtime::fact& fa, const runtime::graph& b, const runtime::fact& fb) {
  if (fa.enumeration < 0 || fb.enumeration < 0) return fa.enumeration == fb.enumeration;
  const auto& ma = a.enumerations[static_cast<std::size_t>(fa.enumeration)].members;
  const auto& mb = b.enumerations[static_cast<std::size_t>(fb.enumeration)].members;
  if (ma.size() != mb.size()) return false;
  for (std::size_t i = 0; i < ma.size(); ++i)
    if (ma[i].id != mb[i].id) return false;
  return true;
}

bool same_slot(const runtime::graph& a, const runtime::fact& fa, const runtime::graph& b, const runtime::fact& fb) {
  if (fa.type != fb.type || fa.unit != fb.unit || fa.integer != fb.integer) return false;
  if (fa.type == value_type::text) return a.strings == b.strings;
  return same_members(a, fa, b, fb);
}

// One both-versions literal of a region's description.
struct literal {
  enum class side : std::uint8_t { before, after, known } where;
  std::uint32_t index;  // node (before/after) or fact slot of the old version, new when >= old fact count
  bool positive;
};

// The two versions in one solver session.
class pair_search {
 public:
  pair_search(const runtime::graph& before, const runtime::graph& after, const fact_pairing& pairing,
              const diff_search_options& options)
      : a_(before), b_(after), pairing_(pairing), options_(options), s_(before, options.timeout_ms, options.budget_ms),
        enc_b_(s_.ctx, after), slots_b_(mapped_slots()), nodes_b_(enc_b_.encode_nodes(slots_b_)) {
    s_.assume(enc_b_.domain_over(slots_b_));
    s_.assume(s_.enc.assumptions_hold());
    s_.assume(enc_b_.assumptions_hold_in(nodes_b_));
    collect_literals();
  }

  diff_search_result run();

 private:
  z3::context& ctx() const { return s_.enc.ctx(); }
  std::vector<slot_vars> mapped_slots() const {
    std::vector<slot_vars> out = enc_b_.slots();
    for (std::size_t i = 0; i < out.size(); ++i)
      if (pairing_.new_to_old[i] >= 0) out[i] = s_.enc.slots()[static_cast<std::size_t>(pairing_.new_to_old[i])];
    return out;
  }
  z3::expr outcome_expr(bool after, const diff_outcome& o) const;
  std::vector<diff_outcome> outcomes(const runtime::graph& g, const encoding& enc) const;
  z3::expr all_known() const;
  z3::expr literal_expr(const literal& l) const;
  z3::expr cube(const std::vector<literal>& ls) const;
  std::string literal_words(const literal& l) const;
  bool twin_in_before(std::uint32_t b_node, std::uint32_t a_node, int depth) const;
  void collect_literals();
  std::vector<literal> generalise(const z3::model& m, const z3::expr& base, const z3::expr& pair, bool with_known);
  bool search_pair(const diff_outcome& x, const diff_outcome& y, diff_search_result& out);

  const runtime::graph& a_;
  const runtime::graph& b_;
  const fact_pairing& pairing_;
  const diff_search_options& options_;
  session s_;
  encoding enc_b_;
  std::vector<slot_vars> slots_b_;
  std::vector<tv> nodes_b_;
  std::vector<literal> node_literals_;           // atoms first, then criteria
  std::vector<std::string> before_words_, after_words_;  // to tag words both versions use differently
};

z3::expr pair_search::all_known() const {
  z3::expr_vector parts(ctx());
  for (const slot_vars& v : s_.enc.slots()) parts.push_back(v.known);
  for (std::size_t i = 0; i < slots_b_.size(); ++i)
    if (pairing_.new_to_old[i] < 0) parts.push_back(slots_b_[i].known);
  return z3::mk_and(parts);
}

// Matched `v` follows the selection policy; no variant: every guard false;
// undetermined: neither.
z3::expr pair_search::outcome_expr(bool after, const diff_outcome& o) const {
  const runtime::graph& g = after ? b_ : a_;
  const encoding& enc = after ? enc_b_ : s_.enc;
  const std::vector<tv>& nodes = after ? nodes_b_ : s_.enc.nodes();
  auto matched = [&](std::size_t v) {
    if (g.policy == runtime::select_policy::first) return enc.selected_first_in(nodes, v);
    z3::expr_vector parts(ctx());  // unique: the first true guard in order decides
    for (std::size_t u : enc.order()) {
      if (u == v) break;
      parts.push_back(!enc.guard_in(nodes, u).t);
    }
    parts.push_back(enc.guard_in(nodes, v).t);
    return z3::mk_and(parts);
  };
  z3::expr_vector none(ctx()), any(ctx());
  for (std::size_t v = 0; v < g.variants.size(); ++v) {
    none.push_back(enc.guard_in(nodes, v).f);
    any.push_back(matched(v));
  }
  switch (o.what) {
    case diff_outcome::kind::matched: return matched(static_cast<std::size_t>(o.variant));
    case diff_outcome::kind::no_variant: return z3::mk_and(none);
    case diff_outcome::kind::undetermined: return !z3::mk_or(any) && !z3::mk_and(none);
  }
  return ctx().bool_val(false);
}

std::vector<diff_outcome> pair_search::outcomes(const runtime::graph& g, const encoding& enc) const {
  std::vector<diff_outcome> out;
  for (std::size_t v : enc.order()) out.push_back({diff_outcome::kind::matched, static_cast<std::int32_t>(v)});
  if (!g.variants.empty()) out.push_back({diff_outcome::kind::undetermined, -1});
  out.push_back({diff_outcome::kind::no_variant, -1});
  return out;
}

z3::expr pair_search::literal_expr(const literal& l) const {
  switch (l.where) {
    case literal::side::before: return l.positive ? s_.enc.nodes()[l.index].t : s_.enc.nodes()[l.index].f;
    case literal::side::after: return l.positive ? nodes_b_[l.index].t : nodes_b_[l.index].f;
    case literal::side::known: {
      std::size_t n = a_.facts.size();
      const z3::expr& k = l.index < n ? s_.enc.slots()[l.index].known : slots_b_[l.index - n].known;
      return l.positive ? k : !k;
    }
  }
  return ctx().bool_val(true);
}

z3::expr pair_search::cube(const std::vector<literal>& ls) const {
  z3::expr_vector parts(ctx());
  for (const literal& l : ls) parts.push_back(literal_expr(l));
  return z3::mk_and(parts);
}

std::string pair_search::literal_words(const literal& l) const {
  if (l.where == literal::side::known) {
    std::size_t n = a_.facts.size();
    const std::string& id = l.index < n ? a_.facts[l.index].id : b_.facts[l.index - n].id;
    return id + " is " + (l.positive ? "known" : "unknown");
  }
  bool before = l.where == literal::side::before;
  const runtime::graph& g = before ? a_ : b_;
  std::string words = node_words(g, l.index);
  // Words the other version also uses, for a different condition, name their version.
  const auto& other = before ? after_words_ : before_words_;
  if (std::find(other.begin(), other.end(), words) != other.end()) words += before ? " (old)" : " (new)";
  bool simple = g.nodes[l.index].kind == node_kind::criterion;
  if (l.positive) return words;
  return simple ? "not " + words : "not (" + words + ")";
}

// Whether node `b_node` of the new version computes what `a_node` of the old
// one does, fact for fact (so a region need not name it twice).
bool pair_search::twin_in_before(std::uint32_t b_node, std::uint32_t a_node, int depth) const {
  if (depth > 64) return false;
  const runtime::node& x = a_.nodes[a_node];
  const runtime::node& y = b_.nodes[b_node];
  auto slot_same = [&](std::int32_t sa, std::int32_t sb) {
    if (sa < 0 || sb < 0) return sa == sb;
    return static_cast<std::size_t>(sb) < pairing_.new_to_old.size() && pairing_.new_to_old[static_cast<std::size_t>(sb)] == sa;
  };
  if (x.kind != y.kind || x.op != y.op || x.constant != y.constant || x.number != y.number || x.mask != y.mask ||
      x.count != y.count || !slot_same(x.slot, y.slot) || !slot_same(x.slot2, y.slot2))
    return false;
  if (x.kind == node_kind::criterion &&
      (x.criterion < 0 || y.criterion < 0 ||
       a_.criteria[static_cast<std::size_t>(x.criterion)].id != b_.criteria[static_cast<std::size_t>(y.criterion)].id))
    return false;
  for (std::uint32_t k = 0; k < x.count; ++k)
    if (!twin_in_before(b_.children[y.first + k], a_.children[x.first + k], depth + 1)) return false;
  return true;
}

void pair_search::collect_literals() {
  std::vector<std::uint32_t> in_a = describable_nodes(a_), in_b = describable_nodes(b_);
  std::vector<literal> atoms, criteria;
  auto put = [&](literal::side side, std::uint32_t n, const runtime::graph& g) {
    (g.nodes[n].kind == node_kind::criterion ? criteria : atoms).push_back({side, n, true});
  };
  for (std::uint32_t n : in_a) {
    put(literal::side::before, n, a_);
    before_words_.push_back(node_words(a_, n));
  }
  for (std::uint32_t n : in_b) {
    bool twin = false;
    for (std::uint32_t m : in_a) twin = twin || twin_in_before(n, m, 0);
    if (twin) continue;
    put(literal::side::after, n, b_);
    after_words_.push_back(node_words(b_, n));
  }
  node_literals_ = atoms;
  node_literals_.insert(node_literals_.end(), criteria.begin(), criteria.end());
}

// The model's values of every literal, then dropped one by one while the cube
// stays inside the pair: known-ness first, then conditions, negated criteria,
// positive criteria (so a region reads as what its patients have).
std::vector<literal> pair_search::generalise(const z3::model& m, const z3::expr& base, const z3::expr& pair,
                                             bool with_known) {
  std::vector<literal> lits;
  if (with_known) {
    for (std::uint32_t i = 0; i < a_.facts.size(); ++i)
      lits.push_back({literal::side::known, i, m.eval(s_.enc.slots()[i].known, true).is_true()});
    for (std::uint32_t i = 0; i < b_.facts.size(); ++i)
      if (pairing_.new_to_old[i] < 0)
        lits.push_back({literal::side::known, static_cast<std::uint32_t>(a_.facts.size()) + i,
                        m.eval(slots_b_[i].known, true).is_true()});
  }
  for (literal l : node_literals_) {
    // A condition the model leaves unknown says nothing about the region.
    if (m.eval(literal_expr(l), true).is_true()) lits.push_back(l);
    else if (m.eval(literal_expr({l.where, l.index, false}), true).is_true()) lits.push_back({l.where, l.index, false});
  }
  auto is_criterion = [&](const literal& l) {
    if (l.where == literal::side::known) return false;
    const runtime::graph& g = l.where == literal::side::before ? a_ : b_;
    return g.nodes[l.index].kind == node_kind::criterion;
  };
  std::stable_partition(lits.begin(), lits.end(), [&](const literal& l) { return !is_criterion(l) || !l.positive; });
  std::stable_partition(lits.begin(), lits.end(), [&](const literal& l) { return !is_criterion(l); });
  std::stable_partition(lits.begin(), lits.end(), [&](const literal& l) { return l.where == literal::side::known; });
  for (std::size_t i = 0; i < lits.size();) {
    std::vector<literal> trial = lits;
    trial.erase(trial.begin() + static_cast<std::ptrdiff_t>(i));
    if (s_.check(base && cube(trial) && !pair) == answer::unsat) lits = trial;
    else ++i;
  }
  return lits;
}

bool pair_search::search_pair(const diff_outcome& x, const diff_outcome& y, diff_search_result& out) {
  z3::expr pair = outcome_expr(false, x) && outcome_expr(true, y);
  z3::expr known = all_known();
  z3::expr_vector blocks(ctx());
  unsigned found = 0;
  bool decided = x.what != diff_outcome::kind::undetermined && y.what != diff_outcome::kind::undetermined;
  // Fully known patients first (when both outcomes can be decided), then those with facts unknown.
  for (int mode = decided ? 0 : 1; mode < 2; ++mode) {
    z3::expr base = mode == 0 ? known : !known;
    while (true) {
      if (s_.check(base && pair && z3::mk_and(blocks)) != answer::sat) break;
      if (found == options_.max_regions_per_pair) {
        out.truncated.emplace_back(x, y);
        return true;
      }
      z3::model m = s_.model();
      std::vector<literal> lits = generalise(m, base, pair, mode == 1);
      // A region of fully known patients also covers the patients in it with
      // facts unknown: the second mode looks only outside it.
      blocks.push_back(mode == 0 ? !cube(lits) : !(base && cube(lits)));
      diff_region r{x, y, {}, s_.enc.patient_from(m), enc_b_.patient_from(m), mode == 1};
      for (std::size_t i = 0; i < r.new_patient.size(); ++i)
        if (pairing_.new_to_old[i] >= 0) r.new_patient[i] = r.old_patient[static_cast<std::size_t>(pairing_.new_to_old[i])];
      for (const literal& l : lits) r.condition.push_back(literal_words(l));
      out.regions.push_back(std::move(r));
      ++found;
    }
  }
  return found > 0;
}

diff_search_result pair_search::run() {
  diff_search_result out;
  for (const diff_outcome& x : outcomes(a_, s_.enc))
    for (const diff_outcome& y : outcomes(b_, enc_b_))
      if (options_.changed(x, y)) search_pair(x, y, out);
  out.unanswered = s_.unanswered;
  return out;
}

}  // namespace

fact_pairing pair_facts(const runtime::graph& before, const runtime::graph& after) {
  fact_pairing p;
  p.new_to_old.assign(after.facts.size(), -1);
  p.old_to_new.assign(before.facts.size(), -1);
  for (std::size_t j = 0; j < after.facts.size(); ++j)
    for (std::size_t i = 0; i < before.facts.size(); ++i)
      if (before.facts[i].id == after.facts[j].id && same_slot(before, before.facts[i], after, after.facts[j])) {
        p.new_to_old[j] = static_cast<std::int32_t>(i);
        p.old_to_new[i] = static_cast<std::int32_t>(j);
      }
  return p;
}

diff_search_result find_diff_regions(const runtime::graph& before, const runtime::graph& after,
                                     const fact_pairing& pairing, const diff_search_options& options) {
  diff_search_result out;
  if (before.policy == runtime::select_policy::all || after.policy == runtime::select_policy::all) {
    out.unsupported = "a guideline with `select all` gives a patient several variants; `rubric diff` compares "
                      "guidelines that select one (`first` or `unique`)";
    return out;
  }
  try {
    pair_search search(before, after, pairing, options);
    return search.run();
  } catch (const z3::exception& e) {
    out.unsupported = std::string("the solver failed: ") + e.msg();
    return out;
  }
}

}  // namespace rubric::compiler
