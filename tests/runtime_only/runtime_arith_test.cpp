// Format version 2: interval arithmetic, scores and counts in every evaluator.
// Random graphs that use every new node kind are evaluated by the reference
// evaluator (evaluate_nodes), the flattened program and the bit-sliced batch
// program, which must agree; three-valued answers must be sound (a true or
// false answer with unknown facts holds for every value those facts can
// take); `missing` on a Wells-shaped score names exactly the items that can
// still change the decision; graphs round-trip through JSON and the loader
// rejects malformed arithmetic.
#include <catch2/catch.hpp>

#include <cmath>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "runtime/evaluate.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/program.hpp"
#include "runtime/program_batch.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {

// Facts: three bools, a bounded integer, a half-open number, an unbounded
// number and a duration.
void arith_facts(graph& g) {
  g.facts = {{"b0", "b0", value_type::boolean, -1, false, {}},
             {"b1", "b1", value_type::boolean, -1, false, {}},
             {"b2", "b2", value_type::boolean, -1, false, {}},
             {"gcs", "gcs", value_type::number, -1, false, {}},
             {"rate", "rate", value_type::number, -1, false, {}},
             {"free", "free", value_type::number, -1, false, {}},
             {"age", "age", value_type::duration, -1, false, {}}};
  g.facts[3].integer = true;
  g.facts[3].min = 3;
  g.facts[3].max = 15;
  g.facts[4].unit = "/min";
  g.facts[4].min = 0;
  g.facts[6].min = 0;
  g.facts[6].max = 365.25 * 120;
}

std::uint32_t num(t::graph_builder& b, node_kind k, double number, std::initializer_list<std::uint32_t> kids,
                  std::int32_t slot = -1, compare_op op = compare_op::eq) {
  node n;
  n.kind = k;
  n.number = number;
  n.slot = slot;
  n.op = op;
  return b.add(n, "arith", kids);
}

// A random graph mixing the v1 kinds with every v2 kind; conditions and
// numbers are kept apart so every node's children have the right sort.
graph random_arith_graph(std::mt19937_64& rng, select_policy policy) {
  t::graph_builder b;
  graph& g = b.g;
  g.policy = policy;
  arith_facts(g);
  std::vector<std::uint32_t> conds, nums;
  for (std::int32_t s = 0; s < 3; ++s) conds.push_back(b.leaf(node_kind::fact_true, s, "b"));
  conds.push_back(b.leaf(node_kind::compare, 3, "gcs < 15", compare_op::lt, 15));
  conds.push_back(b.leaf(node_kind::compare, 4, "rate > 100", compare_op::gt, 100));
  for (std::int32_t s = 3; s < 7; ++s) nums.push_back(num(b, node_kind::num_fact, 0, {}, s));
  nums.push_back(num(b, node_kind::num_const, 2.5, {}));
  auto cond = [&] { return conds[rng() % conds.size()]; };
  auto number = [&] { return nums[rng() % nums.size()]; };
  const compare_op ops[] = {compare_op::lt, compare_op::le, compare_op::gt, compare_op::ge, compare_op::eq, compare_op::ne};
  for (int i = 0; i < 30; ++i) {
    switch (rng() % 10) {
      case 0: nums.push_back(num(b, node_kind::num_points, static_cast<double>(rng() % 7) * 0.5 - 1, {cond()})); break;
      case 1: nums.push_back(num(b, node_kind::num_sum, static_cast<double>(rng() % 5), {number(), number(), number()})); break;
      case 2: nums.push_back(num(b, node_kind::num_scale, rng() % 2 ? 10 : -0.5, {number()})); break;
      case 3: nums.push_back(num(b, node_kind::num_if, 0, {cond(), number(), number()})); break;
      case 4: nums.push_back(num(b, rng() % 2 ? node_kind::num_min : node_kind::num_max, 0, {number(), number()})); break;
      case 5: {
        node n;
        n.kind = node_kind::score;
        n.criterion = static_cast<std::int32_t>(g.scores.size());
        std::uint32_t child = number();
        std::uint32_t idx = b.add(n, "score", {child});
        score s;
        s.id = "s" + std::to_string(i);
        s.node = idx;
        g.scores.push_back(s);
        nums.push_back(idx);
        break;
      }
      case 6:
      case 7:
        conds.push_back(num(b, node_kind::compare_num, static_cast<double>(rng() % 12) - 1, {number()}, -1, ops[rng() % 6]));
        break;
      case 8: conds.push_back(num(b, node_kind::at_least, static_cast<double>(rng() % 4), {cond(), cond(), cond()})); break;
      default: conds.push_back(b.op(rng() % 2 ? node_kind::and_ : node_kind::or_, "junction", {cond(), cond()})); break;
    }
  }
  const int variants = 3 + static_cast<int>(rng() % 4);
  for (int v = 0; v < variants; ++v) {
    variant var;
    var.id = std::to_string(v + 1);
    var.title = "variant " + var.id;
    var.guard = static_cast<std::int32_t>(conds[conds.size() - 1 - static_cast<std::size_t>(rng() % std::min<std::size_t>(conds.size(), 12))]);
    g.variants.push_back(std::move(var));
    g.order.push_back(static_cast<std::uint32_t>(v));
  }
  return g;
}

// A random value for each fact (in range), unknown with probability pct/100.
patient random_patient(const graph& g, std::mt19937_64& rng, unsigned pct) {
  patient p;
  p.reset(g);
  const double picks[] = {0, 3, 4, 14, 15, 99, 100, 101, 2.5, -3, 365.25 * 50, 365.25 * 51};
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) {
    if (rng() % 100 < pct) continue;
    const fact& f = g.facts[s];
    if (f.type == value_type::boolean) {
      p.set_bool(s, rng() % 2);
      continue;
    }
    double v = picks[rng() % std::size(picks)];
    if (f.min && v < *f.min) v = *f.min;
    if (f.max && v > *f.max) v = *f.max;
    if (f.integer) v = std::floor(v);
    p.set_number(s, v);
  }
  return p;
}

}  // namespace

TEST_CASE("the three evaluators agree on random graphs with every arithmetic and count node") {
  std::mt19937_64 rng(12);
  int undetermined = 0, matched = 0;
  for (select_policy policy : {select_policy::first, select_policy::unique, select_policy::all}) {
    for (int round = 0; round < 20; ++round) {
      graph g = random_arith_graph(rng, policy);
      INFO("round " << round);
      REQUIRE(validate_graph(g).empty());
      program prog(g);
      batch_evaluator be(g);
      std::vector<patient> patients;
      for (int i = 0; i < 200; ++i) patients.push_back(random_patient(g, rng, i % 3 == 0 ? 50 : 10));
      std::vector<batch_outcome> out(patients.size());
      be.run(std::span<const patient>(patients), std::span<batch_outcome>(out));
      std::vector<truth> ref(g.nodes.size()), fast(g.nodes.size());
      std::vector<interval> ref_n(g.nodes.size()), fast_n(g.nodes.size());
      evaluation e;
      for (std::size_t i = 0; i < patients.size(); ++i) {
        evaluate_nodes(g, patients[i], ref, ref_n);
        prog.run(patients[i], fast.data(), fast_n.data());
        for (std::size_t k = 0; k < g.nodes.size(); ++k) {
          REQUIRE(ref[k] == fast[k]);
          if (is_numeric(g.nodes[k].kind)) REQUIRE(ref_n[k] == fast_n[k]);
        }
        evaluate(g, patients[i], e);
        REQUIRE(out[i].result == e.result);
        REQUIRE(out[i].variant == (e.result == status::matched ? static_cast<std::int32_t>(e.selected.front()) : -1));
        undetermined += e.result == status::undetermined;
        matched += e.result == status::matched;
      }
    }
  }
  CHECK(undetermined > 0);
  CHECK(matched > 0);
}

TEST_CASE("a decided answer with unknown facts holds for every value they can take") {
  std::mt19937_64 rng(99);
  std::size_t decided_with_unknowns = 0;
  for (int round = 0; round < 30; ++round) {
    graph g = random_arith_graph(rng, select_policy::first);
    std::vector<truth> partial(g.nodes.size()), full(g.nodes.size());
    std::vector<interval> pn(g.nodes.size()), fn(g.nodes.size());
    for (int i = 0; i < 60; ++i) {
      patient p = random_patient(g, rng, 40);
      evaluate_nodes(g, p, partial, pn);
      for (int completion = 0; completion < 20; ++completion) {
        patient q = random_patient(g, rng, 0);
        for (std::uint32_t s = 0; s < g.facts.size(); ++s)
          if (p.known(s)) q.slots[s] = p.slots[s];
        evaluate_nodes(g, q, full, fn);
        for (std::size_t k = 0; k < g.nodes.size(); ++k) {
          if (is_numeric(g.nodes[k].kind)) {
            INFO("node " << k << " [" << pn[k].lo << ", " << pn[k].hi << "] holds " << fn[k].lo);
            REQUIRE(full[k] == truth::yes);  // every fact known: one number
            REQUIRE(pn[k].lo <= fn[k].lo);
            REQUIRE(fn[k].lo <= pn[k].hi);
          } else if (partial[k] != truth::unknown) {
            REQUIRE(full[k] == partial[k]);
            decided_with_unknowns += completion == 0;
          }
        }
      }
    }
  }
  CHECK(decided_with_unknowns > 100);
}

namespace {

// The Wells score: seven bool items with their points, `wells > 4`.
struct wells_graph {
  graph g;
  std::uint32_t likely = 0;
  wells_graph() {
    t::graph_builder b;
    const char* items[] = {"dvt_signs", "pe_most_likely", "tachycardia", "immobilization", "previous_dvt", "hemoptysis", "malignancy"};
    const double points[] = {3, 3, 1.5, 1.5, 1.5, 1, 1};
    std::vector<std::uint32_t> lines;
    for (std::int32_t i = 0; i < 7; ++i) {
      b.g.facts.push_back({items[i], items[i], value_type::boolean, -1, false, {}});
      std::uint32_t c = b.leaf(node_kind::fact_true, i, items[i]);
      lines.push_back(num(b, node_kind::num_points, points[i], {c}));
    }
    node sum;
    sum.kind = node_kind::num_sum;
    std::uint32_t total = b.add(sum, "wells", {lines[0], lines[1], lines[2], lines[3], lines[4], lines[5], lines[6]});
    node sc;
    sc.kind = node_kind::score;
    sc.criterion = 0;
    std::uint32_t score_node = b.add(sc, "wells", {total});
    b.g.scores.push_back({"wells", "Wells score", false, "", "", score_node, {}, {}});
    likely = num(b, node_kind::compare_num, 4, {score_node}, -1, compare_op::gt);
    variant v;
    v.id = "likely";
    v.guard = static_cast<std::int32_t>(likely);
    b.g.variants.push_back(v);
    b.g.order.push_back(0);
    g = std::move(b.g);
  }
  // Items given as 1/0; -1 leaves the item unknown.
  patient with(std::initializer_list<int> values) const {
    patient p;
    p.reset(g);
    std::uint32_t s = 0;
    for (int v : values) {
      if (v >= 0) p.set_bool(s, v == 1);
      ++s;
    }
    return p;
  }
  std::vector<std::string> missing(const patient& p) const {
    evaluation e;
    evaluate(g, p, e);
    std::vector<std::string> out;
    for (auto s : e.missing) out.push_back(g.facts[s].id);
    return out;
  }
};

}  // namespace

TEST_CASE("an unknown score item leaves the score an interval that may still decide") {
  wells_graph w;
  REQUIRE(validate_graph(w.g).empty());
  evaluation e;
  // DVT signs and PE most likely: 6 to 7 whatever hemoptysis is.
  evaluate(w.g, w.with({1, 1, 0, 0, 0, -1, 0}), e);
  CHECK(e.result == status::matched);
  CHECK(e.numbers[w.g.scores[0].node] == interval{6, 7});
  // DVT signs alone: 3 to 4, never above 4.
  evaluate(w.g, w.with({1, 0, 0, 0, 0, -1, 0}), e);
  CHECK(e.result == status::no_criteria_apply);
  CHECK(e.numbers[w.g.scores[0].node] == interval{3, 4});
  // DVT signs and malignancy: 4 to 5, so hemoptysis decides.
  evaluate(w.g, w.with({1, 0, 0, 0, 0, -1, 1}), e);
  CHECK(e.result == status::undetermined);
  CHECK(w.missing(w.with({1, 0, 0, 0, 0, -1, 1})) == std::vector<std::string>{"hemoptysis"});
}

TEST_CASE("missing lists only the score items that can still move the score across the threshold") {
  wells_graph w;
  // 2.5 known is impossible here; use 3 + unknown pe_most_likely (3) and
  // hemoptysis (1): with PE most likely the score is 6-7 (> 4), without it
  // 3-4 (<= 4), so only pe_most_likely decides.
  CHECK(w.missing(w.with({1, -1, 0, 0, 0, -1, 0})) == std::vector<std::string>{"pe_most_likely"});
  // 1.5 + four unknown 1-point-ish items: tachycardia known, hemoptysis,
  // malignancy, dvt, immobilization unknown: each can matter.
  CHECK(w.missing(w.with({-1, 0, 1, -1, 0, -1, -1})) ==
        std::vector<std::string>{"dvt_signs", "immobilization", "hemoptysis", "malignancy"});
  // Four unknown items worth 1, 1, 1.5, 1.5 over a known 0: any one of them
  // can be the item that lifts the sum above 4 (1 + 1.5 + 1.5 = 4, plus 1 = 5).
  CHECK(w.missing(w.with({0, 0, -1, -1, 0, -1, -1})) ==
        std::vector<std::string>{"tachycardia", "immobilization", "hemoptysis", "malignancy"});
}

TEST_CASE("version 2 graphs round-trip through JSON; the loader rejects bad arithmetic") {
  wells_graph w;
  std::string json = write_graph_json(w.g, true);
  CHECK(json.find("\"version\": 4") != std::string::npos);
  graph_load_result r = load_graph_json(json);
  INFO(r.error);
  REQUIRE(r);
  CHECK(*r.value == w.g);

  // A number where a condition belongs.
  graph bad = w.g;
  bad.variants[0].guard = static_cast<std::int32_t>(bad.scores[0].node);
  CHECK(validate_graph(bad) == "variant likely: guard node 15 is a number, not a condition");
  bad = w.g;
  bad.nodes[w.likely].number = std::nan("");
  CHECK(validate_graph(bad) == "nodes[16]: the number is not finite");
  bad = w.g;
  bad.facts[1].min = 5;
  bad.facts[1].max = 1;
  CHECK(validate_graph(bad) == "fact `pe_most_likely`: only numbers and durations have a range");

  // A version 1 graph cannot hold version 2 nodes.
  std::string v1 = json;
  v1.replace(v1.find("\"version\": 4"), 12, "\"version\": 1");
  graph_load_result old = load_graph_json(v1);
  CHECK_FALSE(old);
  CHECK(old.error.find("is a version 2 node kind") != std::string::npos);
}
