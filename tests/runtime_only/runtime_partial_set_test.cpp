// Partial sets: a set fact known member by member (slot_value::decided). Set
// tests are Kleene over the members — checked against the completions of every
// partial set of a three-member enumeration, in all three evaluators (the
// reference sweep, the flattened program and the bit-sliced batch); the three
// agree on random graphs with random partial sets, and every definite answer
// survives every completion (so the verifier's model, which sees a set either
// whole or unknown, stays sound). The JSON form {"present": […], "absent": […]}
// in both decoders, its errors, and how a partial set is shown.
#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "runtime/evaluate.hpp"
#include "runtime/patient_fast.hpp"
#include "runtime/program.hpp"
#include "runtime/program_batch.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"
#include "tests/runtime_only/random_graph.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {

// Kleene truth by completions: yes if every completion makes it true, no if
// every one makes it false, unknown otherwise. `test` takes a complete mask.
template <class Test>
truth by_completions(std::uint64_t present, std::uint64_t decided, std::uint64_t universe, Test test) {
  bool some_true = false, some_false = false;
  const std::uint64_t open = universe & ~decided;
  // Every subset of the open members, added to the present ones.
  for (std::uint64_t sub = open;; sub = (sub - 1) & open) {
    (test(present | sub) ? some_true : some_false) = true;
    if (sub == 0) break;
  }
  return some_true && some_false ? truth::unknown : some_true ? truth::yes : truth::no;
}

// A graph over one set fact `s` of {a, b, c}: a node for `has any of m` and
// `has all of m` for every mask m, then `is empty`, `is not empty`, `is known`.
graph set_tests_graph() {
  t::graph_builder b;
  b.g.enumerations = {{"abc", "ABC", {{"a", "A"}, {"b", "B"}, {"c", "C"}}}};
  b.g.facts = {{"s", "S", value_type::set, 0, false, {}}};
  for (std::uint64_t m = 0; m < 8; ++m) {
    b.leaf(node_kind::set_any, 0, "any", compare_op::eq, 0, m);
    b.leaf(node_kind::set_all, 0, "all", compare_op::eq, 0, m);
  }
  std::uint32_t empty = b.leaf(node_kind::set_empty, 0, "s is empty");
  b.op(node_kind::not_, "s is not empty", {empty});
  b.leaf(node_kind::is_known, 0, "s is known");
  return b.g;
}

// The truth of every node under all three evaluators (they must agree).
std::vector<truth> node_values(const graph& g, const patient& p) {
  std::vector<truth> ref(g.nodes.size()), fast(g.nodes.size());
  evaluate_nodes(g, p, ref);
  program prog(g);
  prog.run(p, fast.data());
  REQUIRE(ref == fast);
  batch_evaluator be(g);
  batch_outcome o;
  be.run(std::span<const patient>(&p, 1), std::span<batch_outcome>(&o, 1));
  for (std::uint32_t i = 0; i < g.nodes.size(); ++i) REQUIRE(be.value(i, 0) == ref[i]);
  return ref;
}

}  // namespace

TEST_CASE("partial sets: every set test is Kleene over the members, in all three evaluators") {
  const graph g = set_tests_graph();
  const std::uint64_t universe = 0b111;
  int partial = 0, decided_by_partial = 0;
  // Every state of three members (present, absent, unknown): 27 values.
  for (std::uint64_t decided = 0; decided < 8; ++decided) {
    for (std::uint64_t present = decided;; present = (present - 1) & decided) {
      patient p;
      p.reset(g);
      if (decided != 0) p.set_partial(0, present, decided, universe);  // nothing decided: wholly unknown
      INFO("present " << present << " decided " << decided);
      CHECK(p.known(0) == (decided == universe));
      partial += partly_known(p.slots[0]);
      std::vector<truth> v = node_values(g, p);
      for (std::uint64_t m = 0; m < 8; ++m) {
        INFO("mask " << m);
        // A wholly unknown set leaves every test unknown (as the verifier models it).
        truth any = decided == 0 ? truth::unknown : by_completions(present, decided, universe, [&](std::uint64_t s) { return (s & m) != 0; });
        truth all = decided == 0 ? truth::unknown : by_completions(present, decided, universe, [&](std::uint64_t s) { return (s & m) == m; });
        CHECK(v[2 * m] == any);
        CHECK(v[2 * m + 1] == all);
        decided_by_partial += partly_known(p.slots[0]) && any != truth::unknown;
      }
      truth empty = by_completions(present, decided, universe, [](std::uint64_t s) { return s == 0; });
      CHECK(v[16] == empty);
      CHECK(v[17] == kleene_not(empty));
      CHECK(v[18] == (decided == universe ? truth::yes : truth::no));  // `is known`: only when every member is decided
      if (present == 0) break;
    }
  }
  CHECK(partial == 18);           // 27 states: 8 complete sets, one wholly unknown, 18 partial
  CHECK(decided_by_partial > 0);  // partial sets do decide tests
}

TEST_CASE("partial sets: a set with every member decided is stored as a known set") {
  patient p;
  t::graph_builder b;
  b.g.enumerations = {{"abc", "ABC", {{"a", "A"}, {"b", "B"}, {"c", "C"}}}};
  b.g.facts = {{"s", "S", value_type::set, 0, false, {}}};
  p.reset(b.g);
  p.set_partial(0, 0b001, 0b111, 0b111);
  CHECK(p.known(0));
  CHECK(p.slots[0].bits == 0b001);
  CHECK(p.slots[0].decided == 0);
  // Present members outside the decided ones are dropped, not guessed.
  p.set_partial(0, 0b011, 0b001, 0b111);
  CHECK_FALSE(p.known(0));
  CHECK(p.slots[0].bits == 0b001);
  CHECK(format_value(b.g, p, 0) == "{a} (b, c unknown)");
  CHECK(format_value(b.g, p, 0, true) == "{A} (B, C unknown)");
  p.set_partial(0, 0, 0b010, 0b111);
  CHECK(format_value(b.g, p, 0) == "{} (a, c unknown)");
  CHECK(format_value(b.g, p, 0, true) == "none found (A, C unknown)");
  CHECK(missing_fact_text(b.g, p, 0) == "s (undecided: a, c)");
  CHECK(undecided_members(b.g, p, 0) == "a, c");
  p.set_unknown(0);
  CHECK(format_value(b.g, p, 0) == "unknown");
  CHECK(missing_fact_text(b.g, p, 0) == "s");
}

TEST_CASE("partial sets: the three evaluators agree on random graphs with random partial sets") {
  std::mt19937_64 rng(1414);
  for (select_policy policy : {select_policy::first, select_policy::unique, select_policy::all}) {
    std::array<int, 3> seen{};
    int partial = 0;
    for (int round = 0; round < 20; ++round) {
      graph g = t::random_graph(rng, policy, round % 3 == 0, true);
      auto patients = t::random_patients(g, 200, 900 + static_cast<std::uint64_t>(round), true);
      program prog(g);
      batch_evaluator be(g);
      std::vector<batch_outcome> out(patients.size());
      be.run(std::span<const patient>(patients), std::span<batch_outcome>(out));
      evaluation e1, e2;
      for (std::size_t i = 0; i < patients.size(); ++i) {
        const patient& p = patients[i];
        partial += partly_known(p.slots[5]);
        evaluate(g, p, e1);
        evaluate(prog, p, e2);
        INFO("round " << round << " patient " << i);
        REQUIRE(e1.values == e2.values);
        CHECK(e1.result == e2.result);
        CHECK(e1.selected == e2.selected);
        CHECK(e1.candidates == e2.candidates);
        CHECK(e1.missing == e2.missing);
        REQUIRE(out[i].result == e1.result);
        REQUIRE(out[i].variant == (e1.result == status::matched ? static_cast<std::int32_t>(e1.selected.front()) : -1));
        ++seen[static_cast<std::size_t>(e1.result)];
      }
      // Node by node for the last pass of the batch evaluator (the last ≤ 64 patients).
      const std::size_t last = (patients.size() - 1) / 64 * 64;
      for (std::size_t i = last; i < patients.size(); ++i) {
        evaluate(g, patients[i], e1);
        for (std::uint32_t n = 0; n < g.nodes.size(); ++n) REQUIRE(be.value(n, static_cast<unsigned>(i - last)) == e1.values[n]);
      }
    }
    INFO("policy " << static_cast<int>(policy));
    CHECK(partial > 500);
    CHECK(seen[0] > 0);
    CHECK(seen[1] > 0);
    CHECK(seen[2] > 0);
  }
}

TEST_CASE("partial sets: a definite answer holds in every completion, and forgetting a set only adds unknowns") {
  // Kleene monotonicity: the verifier sees a set either whole or unknown, and
  // a partial set lies between the two, so what it proves still holds. The
  // exception is `is known` itself (false for a partial set, true once it is
  // complete), so nodes above `s is known` are left out of both checks.
  std::mt19937_64 rng(2718);
  int definite = 0;
  for (int round = 0; round < 10; ++round) {
    graph g = t::random_graph(rng, select_policy::first, false, true);
    std::vector<bool> asks_known(g.nodes.size(), false);
    for (std::size_t n = 0; n < g.nodes.size(); ++n) {
      const node& nd = g.nodes[n];
      asks_known[n] = nd.kind == node_kind::is_known && nd.slot == 5;
      if (!is_leaf_kind(nd.kind))
        for (std::uint32_t k = 0; k < nd.count; ++k) asks_known[n] = asks_known[n] || asks_known[g.children[nd.first + k]];
    }
    for (int i = 0; i < 200; ++i) {
      patient p = t::random_patient(g, rng, 10);
      const std::uint64_t universe = 0b11111;
      const std::uint64_t decided = rng() & universe;
      p.set_partial(5, rng() & decided, decided, universe);
      evaluation partial, whole, done;
      evaluate(g, p, partial);
      patient forgotten = p;
      forgotten.set_unknown(5);
      evaluate(g, forgotten, whole);
      for (std::size_t n = 0; n < g.nodes.size(); ++n)
        if (whole.values[n] != truth::unknown && !asks_known[n]) REQUIRE(partial.values[n] == whole.values[n]);
      for (int c = 0; c < 4; ++c) {
        patient complete = p;
        const std::uint64_t open = universe & ~decided;
        complete.set_members(5, (p.slots[5].known ? p.slots[5].bits : p.slots[5].bits & decided) | (rng() & open));
        evaluate(g, complete, done);
        for (std::size_t n = 0; n < g.nodes.size(); ++n)
          if (partial.values[n] != truth::unknown && !asks_known[n]) {
            REQUIRE(done.values[n] == partial.values[n]);
            ++definite;
          }
      }
    }
  }
  CHECK(definite > 0);
}
