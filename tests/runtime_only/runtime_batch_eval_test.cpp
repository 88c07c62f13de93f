// The bit-sliced batch evaluator agrees with evaluate() on status and selected
// variant for every patient: random patients on the Low Back Pain graph (the
// compiled one and the hand-built fixture) and on random hand-built graphs with
// every node kind under each selection policy, in batches of odd sizes.
#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "runtime/evaluate.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/program_batch.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"
#include "tests/runtime_only/random_graph.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;
using t::random_graph;
using t::random_patients;

namespace {

// Runs the batch evaluator over `patients` in batches of `batch` and checks
// each outcome against evaluate(). Returns how often each status occurred,
// and [3]: how many patients got more than one variant (only under `all`).
std::array<int, 4> check_against_reference(const graph& g, const std::vector<patient>& patients, std::size_t batch) {
  batch_evaluator be(g);
  std::vector<batch_outcome> out(patients.size());
  for (std::size_t i = 0; i < patients.size(); i += batch) {
    std::size_t n = std::min(batch, patients.size() - i);
    be.run(std::span<const patient>(patients.data() + i, n), std::span<batch_outcome>(out.data() + i, n));
  }
  // The pointer form, in one call (tail batch included).
  std::vector<const patient*> ptrs;
  for (const patient& p : patients) ptrs.push_back(&p);
  std::vector<batch_outcome> out2(patients.size());
  be.run(std::span<const patient* const>(ptrs), std::span<batch_outcome>(out2));

  std::array<int, 4> seen{};
  evaluation e;
  for (std::size_t i = 0; i < patients.size(); ++i) {
    evaluate(g, patients[i], e);
    std::int32_t want = e.result == status::matched ? static_cast<std::int32_t>(e.selected.front()) : -1;
    INFO("patient " << i << " batch " << batch);
    REQUIRE(status_name(out[i].result) == status_name(e.result));
    REQUIRE(out[i].variant == want);
    REQUIRE(out2[i].result == e.result);
    REQUIRE(out2[i].variant == want);
    // Every matched variant (several only under `select all`), in selection order.
    std::vector<std::uint32_t> got;
    if (out[i].variant >= 0) got.push_back(static_cast<std::uint32_t>(out[i].variant));
    got.insert(got.end(), out[i].also.begin(), out[i].also.end());
    REQUIRE(got == (e.result == status::matched ? e.selected : std::vector<std::uint32_t>{}));
    REQUIRE(out2[i].also == out[i].also);
    ++seen[static_cast<std::size_t>(e.result)];
    if (got.size() > 1) ++seen[3];
  }
  return seen;
}

}  // namespace

TEST_CASE("batch evaluation equals evaluate() on the compiled Low Back Pain graph") {
  graph_load_result r = load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json");
  INFO(r.error);
  REQUIRE(r);
  const graph& g = *r.value;
  auto patients = random_patients(g, 5000, 1);
  for (std::size_t batch : {std::size_t(64), std::size_t(1), std::size_t(63), std::size_t(100), std::size_t(5000)}) {
    auto seen = check_against_reference(g, patients, batch);
    // The random mix reaches every outcome, so the comparison is not vacuous.
    CHECK(seen[0] > 0);
    CHECK(seen[1] > 0);
    CHECK(seen[2] > 0);
  }
}

TEST_CASE("batch evaluation equals evaluate() on the hand-built Low Back Pain fixture") {
  graph g = t::lbp_graph();
  auto patients = random_patients(g, 3001, 2);
  patients.push_back(t::seed_patient(g));
  auto seen = check_against_reference(g, patients, 64);
  CHECK(seen[0] > 0);
  CHECK(seen[1] > 0);
  CHECK(seen[2] > 0);
  // The seed patient (last) gets variant 2 (index 1), as evaluate() says.
  batch_evaluator be(g);
  batch_outcome o;
  be.run(std::span<const patient>(&patients.back(), 1), std::span<batch_outcome>(&o, 1));
  CHECK(o.result == status::matched);
  CHECK(o.variant == 1);
}

TEST_CASE("batch evaluation equals evaluate() on random graphs with every node kind, under each policy") {
  std::mt19937_64 rng(7);
  for (select_policy policy : {select_policy::first, select_policy::unique, select_policy::all}) {
    std::array<int, 4> total{};
    for (int round = 0; round < 30; ++round) {
      graph g = random_graph(rng, policy, round % 3 == 0);
      auto patients = random_patients(g, 300, 100 + static_cast<std::uint64_t>(round));
      auto seen = check_against_reference(g, patients, round % 2 ? 64 : 37);
      for (int k = 0; k < 4; ++k) total[static_cast<std::size_t>(k)] += seen[static_cast<std::size_t>(k)];
    }
    INFO("policy " << static_cast<int>(policy));
    CHECK(total[0] > 0);
    CHECK(total[1] > 0);
    CHECK(total[2] > 0);
    // Under `all` several variants apply at once, and each is reported.
    CHECK((total[3] > 0) == (policy == select_policy::all));
  }
}

TEST_CASE("an empty batch writes nothing") {
  graph g = t::lbp_graph();
  batch_evaluator be(g);
  std::vector<patient> none;
  std::vector<batch_outcome> out;
  be.run(std::span<const patient>(none), std::span<batch_outcome>(out));
  CHECK(out.empty());
}
