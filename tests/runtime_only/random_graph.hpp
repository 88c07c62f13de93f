// Random patients and random graphs with every node kind, for the tests that
// compare the batch evaluator and batch lines with the reference evaluator.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "runtime/graph.hpp"
#include "runtime/patient.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"

namespace rubric::testing {

using namespace rubric::runtime;

// Numbers worth trying for a slot: the constants it is compared with (so
// equality and boundaries are hit), their neighbours, and a few others.
inline std::vector<double> interesting_numbers(const graph& g, std::uint32_t slot) {
  std::vector<double> out = {0, 1, 7, 42, 100};
  for (const node& n : g.nodes)
    if (n.kind == node_kind::compare && n.slot == static_cast<std::int32_t>(slot))
      for (double d : {n.number - 1, n.number, n.number + 1}) out.push_back(d);
  return out;
}

// A random patient: each fact unknown with probability `unknown_pct`/100,
// otherwise a random value of its type.
// With `partial_sets`, a set fact is sometimes known member by member (some
// members present, some absent, the rest unknown: slot_value's partial set).
inline patient random_patient(const graph& g, std::mt19937_64& rng, unsigned unknown_pct, bool partial_sets = false) {
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
        if (partial_sets && rng() % 2 == 0) {
          const std::uint64_t universe = (std::uint64_t(1) << m) - 1;
          p.set_partial(s, mask, rng() & universe, universe);
          break;
        }
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

inline std::vector<patient> random_patients(const graph& g, std::size_t n, std::uint64_t seed, bool partial_sets = false) {
  std::mt19937_64 rng(seed);
  std::vector<patient> out;
  for (std::size_t i = 0; i < n; ++i)
    out.push_back(random_patient(g, rng, static_cast<unsigned>(i % 4 == 0 ? 40 : 8), partial_sets));
  return out;
}

// A random graph with every node kind: leaves of each kind over seven facts,
// then random not/and/or over earlier nodes, criteria, and `variants`
// variants guarded by random nodes (one always holds when `always` is set).
// `set_tests` adds a test of each member and of every member at once, so
// partial sets meet tests their decided members settle and tests they do not.
inline graph random_graph(std::mt19937_64& rng, select_policy policy, bool always, bool set_tests = false) {
  graph_builder b;
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
  if (set_tests) {
    for (std::uint64_t m = 0; m < 5; ++m) b.leaf(node_kind::set_any, 5, "s has member", compare_op::eq, 0, std::uint64_t(1) << m);
    b.leaf(node_kind::set_all, 5, "s has all of {a, b, c, d, e}", compare_op::eq, 0, 0b11111);
    b.leaf(node_kind::set_any, 5, "s has any of {a, b, c, d, e}", compare_op::eq, 0, 0b11111);
    b.leaf(node_kind::set_all, 5, "s has all of {c}", compare_op::eq, 0, 0b00100);
  }
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

}  // namespace rubric::testing
