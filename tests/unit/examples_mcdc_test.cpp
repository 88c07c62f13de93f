// `rubric examples --strategy mcdc` (issue 18): for every generated pair, the
// runtime shows the condition alone deciding its criterion — opposite values
// of the condition and of the criterion, every other condition of the
// criterion the same known value — and the MC/DC measure of `rubric test
// --coverage` counts exactly those conditions as covered. On the Low Back
// Pain guideline, every condition is covered or proved impossible.
#include <catch2/catch.hpp>

#include <map>

#include "compiler/pipeline/pipeline.hpp"
#include "compiler/tools/example_mcdc.hpp"
#include "compiler/verify/generate_patients.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"
#include "diff_random_graph.hpp"

using namespace rubric;
using runtime::truth;

namespace {

std::vector<truth> values_of(const runtime::graph& g, const compiler::verify_detail::cx_patient& p) {
  runtime::patient_decoder decoder(g);
  runtime::patient patient;
  std::string error;
  REQUIRE(decoder.decode(compiler::verify_detail::patient_json(g, p), patient, error));
  runtime::evaluation ev;
  runtime::evaluate(g, patient, ev);
  CHECK(ev.violated.empty());
  return ev.values;
}

// Every generated pair of `g` shows its condition alone deciding its criterion,
// and every condition is either covered by a pair or proved impossible.
// Returns the pairs, keyed by (criterion, condition).
std::map<std::pair<int, int>, std::vector<std::vector<truth>>> check_pairs(const runtime::graph& g) {
  compiler::generate_result gen = compiler::mcdc_patients(g);
  std::map<std::pair<int, int>, std::vector<std::vector<truth>>> pairs;
  for (const auto& p : gen.patients) pairs[{p.criterion, p.condition}].push_back(values_of(g, p.patient));
  std::size_t conditions = 0;
  for (std::size_t ci = 0; ci < g.criteria.size(); ++ci) conditions += compiler::criterion_conditions(g, ci).size();
  auto impossible = compiler::mcdc_infeasible(g);
  CHECK(pairs.size() + impossible.size() == conditions);
  for (const auto& [key, runs] : pairs) {
    auto [ci, c] = key;
    INFO("criterion " << g.criteria[static_cast<std::size_t>(ci)].id << ", condition node " << c);
    REQUIRE(runs.size() == 2);
    const auto& a = runs[0];
    const auto& b = runs[1];
    auto cn = static_cast<std::size_t>(c);
    CHECK(a[cn] == truth::yes);
    CHECK(b[cn] == truth::no);
    for (std::uint32_t d : compiler::criterion_conditions(g, static_cast<std::size_t>(ci))) {
      if (d == static_cast<std::uint32_t>(c)) continue;
      CHECK(a[d] != truth::unknown);
      CHECK(a[d] == b[d]);
    }
    std::uint32_t node = g.criteria[static_cast<std::size_t>(ci)].node;
    CHECK(a[node] != truth::unknown);
    CHECK(b[node] != truth::unknown);
    CHECK(a[node] != b[node]);
  }
  return pairs;
}

}  // namespace

TEST_CASE("mcdc examples: each generated pair shows its condition alone deciding the criterion", "[examples][mcdc]") {
  auto result = compiler::compile_file(RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric");
  REQUIRE(result.graph);
  const runtime::graph& g = *result.graph;
  auto pairs = check_pairs(g);
  std::size_t conditions = 0;
  for (std::size_t ci = 0; ci < g.criteria.size(); ++ci) conditions += compiler::criterion_conditions(g, ci).size();
  auto impossible = compiler::mcdc_infeasible(g);
  // The measure agrees: the generated runs cover every condition but the impossible one.
  std::vector<const std::vector<truth>*> runs;
  for (const auto& [key, rs] : pairs)
    for (const auto& r : rs) runs.push_back(&r);
  std::size_t covered = 0;
  for (const auto& m : compiler::measure_mcdc(g, runs)) covered += m.covered ? 1 : 0;
  CHECK(covered == conditions - impossible.size());
  // And the proved-impossible one is `persistent_pain` in `failed_therapy_in_candidate`.
  REQUIRE(impossible.size() == 1);
  CHECK(g.criteria[impossible[0].first].id == "failed_therapy_in_candidate");
  CHECK(g.info[impossible[0].second].text == "persistent_pain");
}

TEST_CASE("mcdc measure: a pair that changes two conditions at once covers neither", "[examples][mcdc]") {
  auto result = compiler::compile_file(RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric");
  REQUIRE(result.graph);
  const runtime::graph& g = *result.graph;
  std::size_t ci = 0;
  while (g.criteria[ci].id != "new_symptoms_after_surgery") ++ci;
  auto conds = compiler::criterion_conditions(g, ci);
  REQUIRE(conds.size() == 2);
  std::vector<truth> both(g.nodes.size(), truth::unknown), neither(g.nodes.size(), truth::unknown);
  both[conds[0]] = both[conds[1]] = both[g.criteria[ci].node] = truth::yes;
  neither[conds[0]] = neither[conds[1]] = neither[g.criteria[ci].node] = truth::no;
  auto m = compiler::measure_mcdc(g, {&both, &neither});
  for (const auto& x : m)
    if (x.criterion == ci) CHECK_FALSE(x.covered);
  std::vector<truth> one = both;
  one[conds[1]] = truth::no;
  one[g.criteria[ci].node] = truth::no;
  m = compiler::measure_mcdc(g, {&both, &one});
  for (const auto& x : m)
    if (x.criterion == ci) CHECK(x.covered == (x.node == conds[1]));
}

TEST_CASE("mcdc examples on random guidelines: every pair decides alone, every other condition is proved impossible",
          "[examples][mcdc][property]") {
  std::mt19937 rng(1818);
  std::size_t shown = 0, impossible = 0;
  for (int round = 0; round < 24; ++round) {
    runtime::graph g = test::random_graph(rng);
    shown += check_pairs(g).size();
    impossible += compiler::mcdc_infeasible(g).size();
  }
  CHECK(shown > 25);
  CHECK(impossible > 0);  // `is known` conditions never flip among fully known patients
}
