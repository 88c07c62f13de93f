// Property test of `rubric diff` (issue 18) on random guideline pairs: a
// random graph and a mutation of it (thresholds moved, a guard swapped,
// ratings changed). Every reported region's patient, replayed, shows the
// change; and 100,000 random patients per pair show no change (of variant or
// of a rating) whose pair of outcomes the report missed.
#include <catch2/catch.hpp>

#include <random>
#include <set>

#include "compiler/tools/guideline_diff.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"
#include "runtime/program.hpp"
#include "diff_random_graph.hpp"

using namespace rubric;
using runtime::compare_op;
using runtime::node_kind;
using runtime::value_type;

using test::day_thresholds;
using test::random_graph;

namespace {

// The new version: a threshold moved, sometimes a guard swapped, ratings changed.
runtime::graph mutate(const runtime::graph& a, std::mt19937& rng) {
  runtime::graph b = a;
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  for (runtime::node& n : b.nodes)
    if (n.kind == node_kind::compare && pick(2) == 0)
      n.number = n.slot == 0 ? day_thresholds[pick(day_thresholds.size())] : static_cast<double>(pick(5));
  if (pick(2) == 0) {
    runtime::variant& v = b.variants[pick(b.variants.size())];
    v.guard = static_cast<std::int32_t>(pick(b.nodes.size()));
  }
  for (runtime::variant& v : b.variants)
    for (runtime::rating& r : v.ratings)
      if (pick(4) == 0) r.level = static_cast<std::uint32_t>(pick(3));
  return b;
}

void random_patient(const runtime::graph& g, std::mt19937& rng, runtime::patient& p) {
  p.reset(g);
  for (std::uint32_t i = 0; i < g.facts.size(); ++i) {
    if (rng() % 5 == 0) continue;  // unknown
    switch (g.facts[i].type) {
      case value_type::boolean: p.set_bool(i, rng() % 2); break;
      case value_type::duration: p.set_number(i, static_cast<double>(rng() % 400)); break;
      case value_type::number: p.set_number(i, static_cast<double>(rng() % 7) - 1.0); break;
      case value_type::enumeration: p.set_member(i, static_cast<unsigned>(rng() % 3)); break;
      case value_type::set: p.set_members(i, rng() % 8); break;
      case value_type::text: p.set_text(i, rng() % 3 == 2 ? "other" : g.strings[rng() % 2]); break;
    }
  }
}

bool changed(const runtime::graph& a, const runtime::graph& b, const compiler::observed_outcome& x,
             const compiler::observed_outcome& y) {
  using kind = compiler::diff_outcome::kind;
  if (!(x.outcome == y.outcome)) return true;  // the versions share variant indices
  if (x.outcome.what == kind::undetermined) return false;
  for (std::size_t p = 0; p < a.procedures.size(); ++p)
    if (x.levels[p] != y.levels[p]) return true;
  (void)b;
  return false;
}

}  // namespace

TEST_CASE("diff property: every region replays, and random patients show no change the report missed",
          "[diff][property]") {
  std::mt19937 rng(18);
  int regions = 0, changed_patients = 0, pairs = 0;
  for (int round = 0; round < 8; ++round) {
    runtime::graph a = random_graph(rng);
    runtime::graph b = mutate(a, rng);
    compiler::diff_options options;
    options.max_regions_per_pair = 2;
    compiler::guideline_diff d = compiler::diff_guidelines(a, b, options);
    REQUIRE(d.unsupported.empty());
    bool complete = true;
    for (const std::string& why : d.incomplete) complete = complete && why.find("not decided") == std::string::npos;
    REQUIRE(complete);
    std::set<std::pair<std::pair<int, int>, std::pair<int, int>>> reported;
    for (const compiler::diff_change& c : d.changes) {
      INFO(c.before << " → " << c.after << ": " << c.replay_note << " " << c.patient_json);
      CHECK(c.confirmed);
      ++regions;
      reported.insert({{static_cast<int>(c.before_outcome.what), c.before_outcome.variant},
                       {static_cast<int>(c.after_outcome.what), c.after_outcome.variant}});
    }
    runtime::program pa(a), pb(b);
    runtime::patient p;
    runtime::evaluation ea, eb;
    for (int k = 0; k < 100000; ++k) {
      random_patient(a, rng, p);
      runtime::evaluate(pa, p, ea);
      runtime::evaluate(pb, p, eb);
      if (!ea.violated.empty() || !eb.violated.empty()) continue;
      compiler::observed_outcome x = compiler::observe(a, ea), y = compiler::observe(b, eb);
      if (!changed(a, b, x, y)) continue;
      ++changed_patients;
      bool found = reported.count({{static_cast<int>(x.outcome.what), x.outcome.variant},
                                   {static_cast<int>(y.outcome.what), y.outcome.variant}}) > 0;
      if (!found) {
        INFO("round " << round << ": " << compiler::render_diff_text(d));
        INFO("missed: " << static_cast<int>(x.outcome.what) << "/" << x.outcome.variant << " → "
                        << static_cast<int>(y.outcome.what) << "/" << y.outcome.variant);
        REQUIRE(found);
      }
    }
    ++pairs;
  }
  CHECK(pairs == 8);
  CHECK(regions > 10);
  CHECK(changed_patients > 1000);
}
