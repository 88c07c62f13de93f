// `rubric diff`: matching the two versions, asking the solver for regions,
// and replaying each region's patient through both graphs.
#include "compiler/tools/guideline_diff.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "compiler/tools/diff_internal.hpp"
#include "runtime/patient.hpp"
#include "runtime/units.hpp"

namespace rubric::compiler {

using namespace diff_detail;
using verify_detail::cx_patient;

std::string_view move_name(category_move m) {
  switch (m) {
    case category_move::better: return "better";
    case category_move::worse: return "worse";
    case category_move::newly_rated: return "newly rated";
    case category_move::no_longer_rated: return "no longer rated";
    case category_move::changed: return "changed";
  }
  return "changed";
}

namespace diff_detail {

namespace {

int find_by_name(const runtime::graph& g, const std::string& key) {
  for (std::size_t i = 0; i < g.procedures.size(); ++i)
    if (g.procedures[i].id == key || g.procedures[i].name == key) return static_cast<int>(i);
  return -1;
}

void match_procedures(const runtime::graph& a, const runtime::graph& b, const diff_options& options, matching& m) {
  m.procedure_to_new.assign(a.procedures.size(), -1);
  m.procedure_to_old.assign(b.procedures.size(), -1);
  m.procedure_how.assign(a.procedures.size(), "");
  auto link = [&](std::size_t i, std::size_t j, std::string how) {
    if (m.procedure_to_new[i] >= 0 || m.procedure_to_old[j] >= 0) return;
    m.procedure_to_new[i] = static_cast<int>(j);
    m.procedure_to_old[j] = static_cast<int>(i);
    m.procedure_how[i] = std::move(how);
  };
  for (const auto& [from, to] : options.renames) {
    int i = find_by_name(a, from), j = find_by_name(b, to);
    if (i >= 0 && j >= 0) link(static_cast<std::size_t>(i), static_cast<std::size_t>(j), "rename");
  }
  for (std::size_t i = 0; i < a.procedures.size(); ++i)
    for (std::size_t j = 0; j < b.procedures.size(); ++j)
      if (a.procedures[i].id == b.procedures[j].id) link(i, j, "");
  for (std::size_t i = 0; i < a.procedures.size(); ++i)
    for (std::size_t j = 0; j < b.procedures.size(); ++j)
      if (a.procedures[i].name == b.procedures[j].name) link(i, j, "name");
  for (std::size_t i = 0; i < a.procedures.size(); ++i)
    for (std::size_t j = 0; j < b.procedures.size(); ++j)
      for (const runtime::code_ref& c : a.procedures[i].codes)
        if (std::find(b.procedures[j].codes.begin(), b.procedures[j].codes.end(), c) != b.procedures[j].codes.end())
          link(i, j, "code " + c.system + " " + c.value);
}

}  // namespace

matching match_versions(const runtime::graph& a, const runtime::graph& b, const diff_options& options) {
  matching m;
  m.before = &a;
  m.after = &b;
  m.facts = pair_facts(a, b);
  m.variant_to_new.assign(a.variants.size(), -1);
  m.variant_how.assign(a.variants.size(), "");
  std::vector<bool> taken(b.variants.size(), false);
  for (const auto& [from, to] : options.variants)
    for (std::size_t i = 0; i < a.variants.size(); ++i)
      for (std::size_t j = 0; j < b.variants.size(); ++j)
        if (a.variants[i].id == from && b.variants[j].id == to && m.variant_to_new[i] < 0 && !taken[j]) {
          m.variant_to_new[i] = static_cast<int>(j);
          m.variant_how[i] = "given";
          taken[j] = true;
        }
  for (int pass = 0; pass < 2; ++pass)
    for (std::size_t i = 0; i < a.variants.size(); ++i)
      for (std::size_t j = 0; j < b.variants.size() && m.variant_to_new[i] < 0; ++j) {
        bool same = pass == 0 ? a.variants[i].id == b.variants[j].id : a.variants[i].title == b.variants[j].title;
        if (!same || taken[j]) continue;
        m.variant_to_new[i] = static_cast<int>(j);
        m.variant_how[i] = pass == 0 ? "id" : "title";
        taken[j] = true;
      }
  match_procedures(a, b, options, m);
  return m;
}

int level_of(const runtime::graph& g, const diff_outcome& o, std::size_t p) {
  if (o.what != diff_outcome::kind::matched) return -1;
  for (const runtime::rating& r : g.variants[static_cast<std::size_t>(o.variant)].ratings)
    if (r.procedure == p) return static_cast<int>(r.level);
  return -1;
}

std::string level_id(const runtime::graph& g, int level) {
  if (level < 0 || g.rating_scale < 0) return "";
  const auto& levels = g.scales[static_cast<std::size_t>(g.rating_scale)].levels;
  return static_cast<std::size_t>(level) < levels.size() ? levels[static_cast<std::size_t>(level)].id : "?";
}

std::string level_label(const runtime::graph& g, int level) {
  if (level < 0 || g.rating_scale < 0) return "";
  const auto& levels = g.scales[static_cast<std::size_t>(g.rating_scale)].levels;
  return static_cast<std::size_t>(level) < levels.size() ? levels[static_cast<std::size_t>(level)].label : "?";
}

category_move classify(const matching& m, int a, int b) {
  if (a < 0) return category_move::newly_rated;
  if (b < 0) return category_move::no_longer_rated;
  // Levels run from most to least favourable; the old level is placed on the
  // new scale by id so two revisions of one scale still compare.
  const runtime::graph& x = *m.before;
  const runtime::graph& y = *m.after;
  if (x.rating_scale < 0 || y.rating_scale < 0) return category_move::changed;
  const auto& old_levels = x.scales[static_cast<std::size_t>(x.rating_scale)].levels;
  const auto& new_levels = y.scales[static_cast<std::size_t>(y.rating_scale)].levels;
  for (std::size_t k = 0; k < new_levels.size(); ++k)
    if (new_levels[k].id == old_levels[static_cast<std::size_t>(a)].id) {
      if (static_cast<int>(k) == b) return category_move::changed;  // same level: not a move
      return b < static_cast<int>(k) ? category_move::better : category_move::worse;
    }
  return category_move::changed;
}

std::string outcome_words(const runtime::graph& g, const diff_outcome& o) {
  switch (o.what) {
    case diff_outcome::kind::matched: return "variant " + g.variants[static_cast<std::size_t>(o.variant)].id;
    case diff_outcome::kind::undetermined: return "undetermined";
    case diff_outcome::kind::no_variant: return "no variant applies";
  }
  return "?";
}

}  // namespace diff_detail

observed_outcome observe(const runtime::graph& g, const runtime::evaluation& e) {
  observed_outcome o;
  if (e.result == runtime::status::matched && !e.selected.empty())
    o.outcome = {diff_outcome::kind::matched, static_cast<std::int32_t>(e.selected.front())};
  else if (e.result == runtime::status::undetermined)
    o.outcome = {diff_outcome::kind::undetermined, -1};
  o.levels.assign(g.procedures.size(), -1);
  for (std::size_t p = 0; p < g.procedures.size(); ++p) o.levels[p] = level_of(g, o.outcome, p);
  return o;
}

namespace {

// The rating moves between two outcomes, over matched and unmatched procedures.
std::vector<rating_change> rating_moves(const matching& m, const diff_outcome& x, const diff_outcome& y,
                                        const std::string& only) {
  std::vector<rating_change> out;
  if (x.what == diff_outcome::kind::undetermined || y.what == diff_outcome::kind::undetermined) return out;
  const runtime::graph& a = *m.before;
  const runtime::graph& b = *m.after;
  auto wanted = [&](const runtime::procedure& p) { return only.empty() || p.name == only || p.id == only; };
  for (std::size_t j = 0; j < b.procedures.size(); ++j) {
    int i = m.procedure_to_old[j];
    int before = i >= 0 ? level_of(a, x, static_cast<std::size_t>(i)) : -1;
    int after = level_of(b, y, j);
    bool same_level = before >= 0 && after >= 0 && level_id(a, before) == level_id(b, after);
    if ((before < 0 && after < 0) || same_level) continue;
    if (!wanted(b.procedures[j]) && !(i >= 0 && wanted(a.procedures[static_cast<std::size_t>(i)]))) continue;
    out.push_back({b.procedures[j].name, classify(m, before, after), level_label(a, before), level_label(b, after)});
  }
  for (std::size_t i = 0; i < a.procedures.size(); ++i) {
    int before = level_of(a, x, i);
    if (m.procedure_to_new[i] >= 0 || before < 0 || !wanted(a.procedures[i])) continue;
    out.push_back({a.procedures[i].name, category_move::no_longer_rated, level_label(a, before), ""});
  }
  return out;
}

bool variant_moved(const matching& m, const diff_outcome& x, const diff_outcome& y) {
  if (x.what != y.what) return true;
  if (x.what != diff_outcome::kind::matched) return false;
  return m.variant_to_new[static_cast<std::size_t>(x.variant)] != y.variant;
}

// The two halves of a witness: the old version's facts and the new-only ones.
struct witness {
  cx_patient a, b;
};

std::string witness_json(const matching& m, const witness& w) {
  std::string left = verify_detail::patient_json(*m.before, w.a);
  cx_patient only_new = w.b;
  for (std::size_t j = 0; j < only_new.size(); ++j) {
    bool collides = false;
    for (const runtime::fact& f : m.before->facts) collides = collides || f.id == m.after->facts[j].id;
    if (m.facts.new_to_old[j] >= 0 || collides) only_new[j].known = false;
  }
  std::string right = verify_detail::patient_json(*m.after, only_new);
  if (right == "{}") return left;
  if (left == "{}") return right;
  return left.substr(0, left.size() - 1) + "," + right.substr(1);
}

std::string witness_given(const matching& m, const witness& w) {
  std::string left = verify_detail::given_syntax(*m.before, w.a);
  cx_patient only_new = w.b;
  for (std::size_t j = 0; j < only_new.size(); ++j)
    if (m.facts.new_to_old[j] >= 0) only_new[j].known = false;
  std::string right = verify_detail::given_syntax(*m.after, only_new);
  if (right.empty()) return left;
  return left.empty() ? right : left + ", " + right;
}

class replayer {
 public:
  explicit replayer(const matching& m) : m_(m), dec_a_(*m.before), dec_b_(*m.after) {}

  // Decodes the witness's JSON in each version, evaluates, and says what each does.
  bool run(const witness& w, observed_outcome& x, observed_outcome& y, std::string& why) {
    std::string json = witness_json(m_, w), error;
    runtime::patient p;
    if (!dec_a_.decode(json, p, error)) return fail(why, "the old version rejects the patient: " + error);
    runtime::evaluate(*m_.before, p, ev_);
    if (!ev_.violated.empty()) return fail(why, "the patient breaks an `assume` of the old version");
    x = observe(*m_.before, ev_);
    if (!dec_b_.decode(json, p, error)) return fail(why, "the new version rejects the patient: " + error);
    runtime::evaluate(*m_.after, p, ev_);
    if (!ev_.violated.empty()) return fail(why, "the patient breaks an `assume` of the new version");
    y = observe(*m_.after, ev_);
    return true;
  }
  bool shows(const witness& w, const diff_outcome& x, const diff_outcome& y) {
    observed_outcome ox, oy;
    std::string why;
    return run(w, ox, oy, why) && ox.outcome == x && oy.outcome == y;
  }

 private:
  static bool fail(std::string& why, std::string text) {
    why = std::move(text);
    return false;
  }
  const matching& m_;
  runtime::patient_decoder dec_a_, dec_b_;
  runtime::evaluation ev_;
};

// Sets old slot `i` (and its new twin) or, for i >= old fact count, new-only slot.
void put(const matching& m, witness& w, std::size_t i, const verify_detail::cx_value& v) {
  std::size_t n = m.before->facts.size();
  if (i >= n) {
    w.b[i - n] = v;
    return;
  }
  w.a[i] = v;
  if (m.facts.old_to_new[i] >= 0) w.b[static_cast<std::size_t>(m.facts.old_to_new[i])] = v;
}

// Rounds numbers to what an author would write and forgets facts the change
// does not need, keeping every step that still replays as the same change.
witness simplify(const matching& m, replayer& r, witness w, const diff_outcome& x, const diff_outcome& y) {
  if (!r.shows(w, x, y)) return w;
  std::size_t n = m.before->facts.size();
  std::vector<std::size_t> slots;
  for (std::size_t i = 0; i < n; ++i) slots.push_back(i);
  for (std::size_t j = 0; j < m.after->facts.size(); ++j)
    if (m.facts.new_to_old[j] < 0) slots.push_back(n + j);
  auto get = [&](std::size_t i) { return i < n ? w.a[i] : w.b[i - n]; };
  auto type_of = [&](std::size_t i) { return i < n ? m.before->facts[i].type : m.after->facts[i - n].type; };
  // Twice: one rounding can make room for another (therapy <= duration).
  for (int pass = 0; pass < 2; ++pass)
  for (std::size_t i : slots) {
    verify_detail::cx_value v = get(i);
    runtime::value_type t = type_of(i);
    if (!v.known || (t != runtime::value_type::duration && t != runtime::value_type::number)) continue;
    std::vector<double> steps = t == runtime::value_type::duration
                                    ? std::vector<double>{runtime::units::days_per_year, runtime::units::days_per_month,
                                                          runtime::units::days_per_week, 1.0}
                                    : std::vector<double>{10.0, 1.0};
    bool done = false;
    for (double step : steps) {
      for (double k : {std::round(v.number / step), std::floor(v.number / step), std::ceil(v.number / step)}) {
        verify_detail::cx_value trial = v;
        trial.number = k * step;
        bool close = step <= 1.0 || std::fabs(trial.number - v.number) <= 0.25 * std::fabs(v.number);
        if (!close || (trial.number < 0 && t == runtime::value_type::duration)) continue;
        put(m, w, i, trial);
        if (r.shows(w, x, y)) { done = true; break; }
        put(m, w, i, v);
      }
      if (done) break;
    }
  }
  for (std::size_t i : slots) {
    verify_detail::cx_value v = get(i);
    if (!v.known) continue;
    put(m, w, i, verify_detail::cx_value{});
    if (!r.shows(w, x, y)) put(m, w, i, v);
  }
  return w;
}

diff_change confirm(const matching& m, replayer& r, const diff_region& region, const std::string& only) {
  diff_change c;
  c.before = outcome_words(*m.before, region.before);
  c.after = outcome_words(*m.after, region.after);
  c.before_outcome = region.before;
  c.after_outcome = region.after;
  c.variant_changed = variant_moved(m, region.before, region.after);
  c.condition = region.condition;
  c.some_unknown = region.some_unknown;
  witness w = simplify(m, r, {region.old_patient, region.new_patient}, region.before, region.after);
  c.given = witness_given(m, w);
  c.patient_json = witness_json(m, w);
  observed_outcome x, y;
  std::string why;
  if (!r.run(w, x, y, why)) {
    c.replay_note = why;
    return c;
  }
  // What is reported comes from the replay: the outcomes the runtime gave.
  c.confirmed = x.outcome == region.before && y.outcome == region.after;
  if (!c.confirmed)
    c.replay_note = fmt::format("the runtime gives {} in the old version and {} in the new one",
                                outcome_words(*m.before, x.outcome), outcome_words(*m.after, y.outcome));
  c.ratings = rating_moves(m, x.outcome, y.outcome, only);
  return c;
}

}  // namespace

guideline_diff diff_guidelines(const runtime::graph& before, const runtime::graph& after, const diff_options& options) {
  guideline_diff out;
  matching m = match_versions(before, after, options);
  diff_static(m, out);
  diff_search_options search;
  search.timeout_ms = options.timeout_ms;
  search.budget_ms = options.budget_ms;
  search.max_regions_per_pair = options.max_regions_per_pair;
  search.changed = [&](const diff_outcome& x, const diff_outcome& y) {
    if (options.procedure.empty() && variant_moved(m, x, y)) return true;
    return !rating_moves(m, x, y, options.procedure).empty();
  };
  diff_search_result found = find_diff_regions(before, after, m.facts, search);
  out.unsupported = found.unsupported;
  if (found.unanswered > 0)
    out.incomplete.push_back(fmt::format("{} solver question{} not decided within the time limit: regions may be missing",
                                         found.unanswered, found.unanswered == 1 ? " was" : "s were"));
  for (const auto& [x, y] : found.truncated)
    out.incomplete.push_back(fmt::format("{} → {}: more than {} regions; only the first {} are listed",
                                         outcome_words(before, x), outcome_words(after, y),
                                         options.max_regions_per_pair, options.max_regions_per_pair));
  replayer r(m);
  for (const diff_region& region : found.regions) out.changes.push_back(confirm(m, r, region, options.procedure));
  std::stable_partition(out.changes.begin(), out.changes.end(), [](const diff_change& c) { return c.variant_changed; });
  return out;
}

bool has_worse(const guideline_diff& d) {
  for (const diff_change& c : d.changes)
    for (const rating_change& r : c.ratings)
      if (c.confirmed && r.move == category_move::worse) return true;
  return false;
}

}  // namespace rubric::compiler
