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

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {

// Numbers worth trying for a slot: the constants it is compared with (so
// equality and boundaries are hit), their neighbours, and a few others.
std::vector<double> interesting_numbers(const graph& g, std::uint32_t slot) {
  std::vector<double> out = {0, 1, 7, 42, 100};
  for (const node& n : g.nodes)
    if (n.kind == node_kind::compare && n.slot == static_cast<std::int32_t>(slot))
      for (double d : {n.number - 1, n.number, n.number + 1}) out.push_back(d);
  return out;
}

// A random patient: each fact unknown with probability `unknown_pct`/100,
// otherwise a random value of its type.
patient random_patient(const graph& g, std::mt19937_64& rng, unsigned unknown_pct) {
  patient p;
  p.reset(g);
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) {
    if (rng() % 100 < unknown_pct) continue;
    const fact& f = g.facts[s];
    switch (f.type) {
      case value_type::boolean: p.set_bool(s, rng() % 2); break;
      case value_type::number:
      case value_type::duration: {
        auto nums = interesting_numbers(g, s);
        p.set_number(s, rng() % 3 ? nums[rng() % nums.size()] : static_cast<double>(rng() % 30000));
        break;
      }
      case value_type::enumeration: {
        auto m = g.enumerations[static_cast<std::size_t>(f.enumeration)].members.size();
        p.set_member(s, static_cast<unsigned>(rng() % m));
        break;
      }
      case value_type::set: {
        auto m = g.enumerations[static_cast<std::size_t>(f.enumeration)].members.size();
        std::uint64_t mask = 0;
        // Mostly sparse sets, so "is empty" and "has all" both happen.
        for (std::size_t i = 0; i < m; ++i)
          if (rng() % 4 == 0) mask |= std::uint64_t(1) << i;
        if (rng() % 3 == 0) mask = 0;
        p.set_members(s, mask);
        break;
      }
      case value_type::text:
        p.set_text(s, !g.strings.empty() && rng() % 2 ? g.strings[rng() % g.strings.size()] : "something else");
        break;
    }
  }
  return p;
}

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

std::vector<patient> random_patients(const graph& g, std::size_t n, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<patient> out;
  for (std::size_t i = 0; i < n; ++i) out.push_back(random_patient(g, rng, static_cast<unsigned>(i % 4 == 0 ? 40 : 8)));
  return out;
}

// A random graph with every node kind: leaves of each kind over seven facts,
// then random not/and/or over earlier nodes, criteria, and `variants`
// variants guarded by random nodes (one always holds when `always` is set).
graph random_graph(std::mt19937_64& rng, select_policy policy, bool always) {
  t::graph_builder b;
  graph& g = b.g;
  g.policy = policy;
  g.enumerations = {{"colour", "Colour", {{"red", "Red"}, {"green", "Green"}, {"blue", "Blue"}, {"grey", "Grey"}}},
                    {"flag", "Flag", {{"a", "A"}, {"b", "B"}, {"c", "C"}, {"d", "D"}, {"e", "E"}}}};
  g.facts = {{"b0", "b0", value_type::boolean, -1, false, {}},     {"b1", "b1", value_type::boolean, -1, false, {}},
             {"n0", "n0", value_type::number, -1, false, {}},      {"n1", "n1", value_type::duration, -1, false, {}},
             {"e", "e", value_type::enumeration, 0, false, {}},    {"s", "s", value_type::set, 1, false, {}},
             {"txt", "txt", value_type::text, -1, false, {}}};
  g.strings = {"alpha", "beta"};
  auto constant = [&](truth v) {
    node n;
    n.kind = node_kind::constant;
    n.constant = v;
    return b.add(n, "constant");
  };
  constant(truth::yes);
  constant(truth::no);
  constant(truth::unknown);
  b.leaf(node_kind::fact_true, 0, "b0");
  b.leaf(node_kind::fact_true, 1, "b1");
  for (compare_op op : {compare_op::lt, compare_op::le, compare_op::gt, compare_op::ge, compare_op::eq, compare_op::ne}) {
    b.leaf(node_kind::compare, 2, "n0 op 42", op, 42);
    b.leaf(node_kind::compare, 3, "n1 op 7", op, 7);
    node cf;
    cf.kind = node_kind::compare_facts;
    cf.slot = 2;
    cf.slot2 = 3;
    cf.op = op;
    b.add(cf, "n0 op n1");
  }
  b.leaf(node_kind::text_equals, 6, "txt = alpha", compare_op::eq, 0, 0);
  b.leaf(node_kind::text_equals, 6, "txt != beta", compare_op::ne, 0, 1);
  b.leaf(node_kind::enum_in, 4, "e in {red, blue}", compare_op::eq, 0, 0b0101);
  b.leaf(node_kind::set_any, 5, "s has any of {a, c}", compare_op::eq, 0, 0b00101);
  b.leaf(node_kind::set_all, 5, "s has all of {b, d}", compare_op::eq, 0, 0b01010);
  b.leaf(node_kind::set_empty, 5, "s is empty");
  for (std::int32_t s = 0; s < 7; ++s) b.leaf(node_kind::is_known, s, "known");
  const std::uint32_t leaves = static_cast<std::uint32_t>(g.nodes.size());
  auto pick = [&] { return static_cast<std::uint32_t>(rng() % g.nodes.size()); };
  for (int i = 0; i < 40; ++i) {
    switch (rng() % 4) {
      case 0: b.op(node_kind::not_, "not", {pick()}); break;
      case 1: b.op(node_kind::and_, "and", {pick(), pick()}); break;
      case 2: b.op(node_kind::or_, "or", {pick(), pick(), pick()}); break;
      default: b.crit("c" + std::to_string(i), "criterion", pick(), 1); break;
    }
  }
  // Variants: guards mostly on composite nodes, so all three outcomes occur.
  const int variants = 3 + static_cast<int>(rng() % 5);
  for (int v = 0; v < variants; ++v) {
    variant var;
    var.id = std::to_string(v + 1);
    var.title = "variant " + var.id;
    std::uint32_t guard = rng() % 4 ? leaves + static_cast<std::uint32_t>(rng() % (g.nodes.size() - leaves)) : pick();
    var.guard = always && v == variants - 1 ? -1 : static_cast<std::int32_t>(guard);
    g.variants.push_back(std::move(var));
    g.order.push_back(static_cast<std::uint32_t>(v));
  }
  std::shuffle(g.order.begin(), g.order.end(), rng);
  return g;
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
