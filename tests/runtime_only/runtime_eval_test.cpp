// Kleene truth tables, every node kind, and the selection policies first,
// unique and all, with candidates, missing facts and assumption warnings.
#include <catch2/catch.hpp>

#include "runtime/evaluate.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {
constexpr truth F = truth::no, T = truth::yes, U = truth::unknown;
}

TEST_CASE("Kleene connectives") {
  // and: false dominates; or: true dominates; otherwise unknown.
  const truth vals[] = {F, T, U};
  const truth and_table[3][3] = {{F, F, F}, {F, T, U}, {F, U, U}};
  const truth or_table[3][3] = {{F, T, U}, {T, T, T}, {U, T, U}};
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b) {
      CHECK(kleene_and(vals[a], vals[b]) == and_table[a][b]);
      CHECK(kleene_or(vals[a], vals[b]) == or_table[a][b]);
    }
  CHECK(kleene_not(T) == F);
  CHECK(kleene_not(F) == T);
  CHECK(kleene_not(U) == U);
}

namespace {

// A graph with one bool fact per input, and a node for `op` over them.
struct tiny {
  t::graph_builder b;
  std::uint32_t x, y;
  tiny() {
    b.g.facts = {{"x", "x", value_type::boolean, -1, false, {}}, {"y", "y", value_type::boolean, -1, false, {}}};
    x = b.leaf(node_kind::fact_true, 0, "x");
    y = b.leaf(node_kind::fact_true, 1, "y");
  }
  truth run(std::uint32_t node, truth vx, truth vy) {
    patient p;
    p.reset(b.g);
    if (vx != U) p.set_bool(0, vx == T);
    if (vy != U) p.set_bool(1, vy == T);
    std::vector<truth> values(b.g.nodes.size());
    evaluate_nodes(b.g, p, values);
    return values[node];
  }
};

}  // namespace

TEST_CASE("and, or and not nodes follow the Kleene tables over facts") {
  tiny g;
  std::uint32_t a = g.b.op(node_kind::and_, "x and y", {g.x, g.y});
  std::uint32_t o = g.b.op(node_kind::or_, "x or y", {g.x, g.y});
  std::uint32_t n = g.b.op(node_kind::not_, "not x", {g.x});
  std::uint32_t k = g.b.leaf(node_kind::is_known, 0, "x is known");
  const truth vals[] = {F, T, U};
  for (truth vx : vals)
    for (truth vy : vals) {
      CHECK(g.run(a, vx, vy) == kleene_and(vx, vy));
      CHECK(g.run(o, vx, vy) == kleene_or(vx, vy));
      CHECK(g.run(n, vx, vy) == kleene_not(vx));
      // `is known` is never unknown.
      CHECK(g.run(k, vx, vy) == (vx == U ? F : T));
    }
}

TEST_CASE("comparisons, set and enum tests are unknown exactly when their fact is") {
  graph g = t::lbp_graph();
  t::graph_builder b;
  b.g = g;
  std::uint32_t ge = b.leaf(node_kind::compare, t::symptom_duration, "sd >= 6 weeks", compare_op::ge, 42);
  std::uint32_t lt = b.leaf(node_kind::compare, t::symptom_duration, "sd < 6 weeks", compare_op::lt, 42);
  std::uint32_t eq = b.leaf(node_kind::compare, t::symptom_duration, "sd = 6 weeks", compare_op::eq, 42);
  std::uint32_t any = b.leaf(node_kind::set_any, t::red_flags, "any", compare_op::eq, 0, 0b11);
  std::uint32_t all = b.leaf(node_kind::set_all, t::red_flags, "all", compare_op::eq, 0, 0b11);
  std::uint32_t empty = b.leaf(node_kind::set_empty, t::red_flags, "empty");
  node cf;
  cf.kind = node_kind::compare_facts;
  cf.slot = t::conservative_therapy;
  cf.slot2 = t::symptom_duration;
  cf.op = compare_op::le;
  std::uint32_t le = b.add(cf, "therapy <= duration");
  patient p;
  p.reset(b.g);
  std::vector<truth> v(b.g.nodes.size());
  evaluate_nodes(b.g, p, v);
  for (auto n : {ge, lt, eq, any, all, empty, le}) CHECK(v[n] == U);
  p.set_number(t::symptom_duration, 42);
  p.set_members(t::red_flags, 0b01);
  evaluate_nodes(b.g, p, v);
  CHECK(v[ge] == T);
  CHECK(v[lt] == F);
  CHECK(v[eq] == T);
  CHECK(v[any] == T);
  CHECK(v[all] == F);
  CHECK(v[empty] == F);
  CHECK(v[le] == U);  // therapy still unknown
  p.set_number(t::conservative_therapy, 43);
  evaluate_nodes(b.g, p, v);
  CHECK(v[le] == F);
}

TEST_CASE("select first: the seed patient gets variant 2") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  evaluation e;
  evaluate(g, p, e);
  CHECK(e.result == status::matched);
  REQUIRE(e.selected.size() == 1);
  CHECK(g.variants[e.selected[0]].id == "2");
  CHECK(e.candidates.empty());
  CHECK(e.missing.empty());
  int mri = find_procedure(g, "MRI lumbar spine without IV contrast");
  REQUIRE(mri >= 0);
  CHECK(g.scales[0].levels[rating_level(g, e, mri)].id == "usually_not_appropriate");
  CHECK(find_procedure(g, "mri lumbar spine WITHOUT iv contrast") == mri);
  CHECK(find_procedure(g, "MRI of the knee") == -1);
}

TEST_CASE("select first: an unknown guard before the first true one makes it undetermined") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  p.set_unknown(t::prior_lumbar_surgery);  // variant 5 comes before 2 in the order
  evaluation e;
  evaluate(g, p, e);
  CHECK(e.result == status::undetermined);
  CHECK(e.selected.empty());
  REQUIRE(e.candidates.size() == 2);
  CHECK(g.variants[e.candidates[0]].id == "5");
  CHECK(g.variants[e.candidates[1]].id == "2");
  // Only the facts that are unknown under the unknown guard.
  CHECK(e.missing == std::vector<std::uint32_t>{t::prior_lumbar_surgery, t::new_or_progressing_symptoms});
  // Knowing one of them decides it.
  p.set_bool(t::new_or_progressing_symptoms, false);
  evaluate(g, p, e);
  CHECK(e.result == status::matched);
}

TEST_CASE("select first: unknown symptom duration leaves variants 3, 2 and 1 open") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  p.set_unknown(t::symptom_duration);
  p.set_bool(t::new_or_progressing_symptoms, false);
  evaluation e;
  evaluate(g, p, e);
  CHECK(e.result == status::undetermined);
  std::vector<std::string> ids;
  for (auto v : e.candidates) ids.push_back(g.variants[v].id);
  CHECK(ids == std::vector<std::string>{"2", "1"});
  CHECK(e.missing == std::vector<std::uint32_t>{t::symptom_duration});
}

TEST_CASE("select first: no variant holds means no criteria apply") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  p.set_number(t::conservative_therapy, 56);
  p.set_bool(t::improved_with_therapy, true);
  p.set_bool(t::new_or_progressing_symptoms, false);
  evaluation e;
  evaluate(g, p, e);
  CHECK(e.result == status::no_criteria_apply);
  CHECK(e.selected.empty());
  CHECK(e.candidates.empty());
}

TEST_CASE("select unique: one true guard decides even with others unknown; two are a conflict") {
  graph g = t::lbp_graph();
  g.policy = select_policy::unique;
  patient p = t::seed_patient(g);
  p.set_unknown(t::prior_lumbar_surgery);
  evaluation e;
  evaluate(g, p, e);
  CHECK(e.result == status::matched);
  CHECK(g.variants[e.selected[0]].id == "2");
  p.set_members(t::red_flags, 1u << 5);  // fever: variant 7; variant 2 no longer holds
  evaluate(g, p, e);
  CHECK(g.variants[e.selected[0]].id == "7");
  p.set_members(t::red_flags, (1u << 5) | 1u);  // and saddle anesthesia: variant 4 too
  evaluate(g, p, e);
  CHECK(e.result == status::matched);
  CHECK(g.variants[e.selected[0]].id == "4");
  REQUIRE(e.conflicts.size() == 1);
  CHECK(g.variants[e.conflicts[0]].id == "7");
}

TEST_CASE("select all: every true guard, undetermined while any is unknown") {
  graph g = t::lbp_graph();
  g.policy = select_policy::all;
  patient p = t::seed_patient(g);
  p.set_bool(t::new_or_progressing_symptoms, false);
  p.set_members(t::red_flags, (1u << 5) | 1u);
  evaluation e;
  evaluate(g, p, e);
  CHECK(e.result == status::matched);
  std::vector<std::string> ids;
  for (auto v : e.selected) ids.push_back(g.variants[v].id);
  CHECK(ids == std::vector<std::string>{"4", "7"});
  p.set_unknown(t::new_or_progressing_symptoms);
  p.set_bool(t::prior_lumbar_surgery, true);
  evaluate(g, p, e);
  CHECK(e.result == status::undetermined);
  CHECK(e.selected.size() == 2);
  REQUIRE(e.candidates.size() == 1);
  CHECK(g.variants[e.candidates[0]].id == "5");
}

TEST_CASE("a violated assumption is reported, unknown ones are not") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  evaluation e;
  p.set_number(t::conservative_therapy, 200);  // longer than the 12-week episode
  evaluate(g, p, e);
  CHECK(e.violated == std::vector<std::uint32_t>{0});
  p.set_unknown(t::symptom_duration);
  evaluate(g, p, e);
  CHECK(e.violated.empty());
}

TEST_CASE("evaluate does not allocate once its buffers are sized") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  evaluation e;
  evaluate(g, p, e);
  const truth* values = e.values.data();
  auto cap = e.selected.capacity();
  for (int i = 0; i < 100; ++i) evaluate(g, p, e);
  CHECK(e.values.data() == values);
  CHECK(e.selected.capacity() == cap);
}

#include "runtime/program.hpp"

TEST_CASE("the flattened program agrees with the reference sweep on every node") {
  graph g = t::lbp_graph();
  // Extra nodes so every opcode is exercised.
  t::graph_builder b;
  b.g = g;
  for (auto op : {compare_op::lt, compare_op::le, compare_op::gt, compare_op::ge, compare_op::eq, compare_op::ne})
    b.leaf(node_kind::compare, t::symptom_duration, "sd", op, 42);
  b.leaf(node_kind::set_all, t::red_flags, "all", compare_op::eq, 0, 0b101);
  b.leaf(node_kind::is_known, t::improved_with_therapy, "known");
  node c;
  c.kind = node_kind::constant;
  c.constant = truth::unknown;
  b.add(c, "unknown");
  program prog(b.g);
  std::uint64_t s = 12345;
  auto next = [&] { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; };
  std::vector<truth> ref(b.g.nodes.size()), fast(b.g.nodes.size());
  for (int i = 0; i < 5000; ++i) {
    patient p;
    p.reset(b.g);
    for (std::uint32_t slot = 0; slot < b.g.facts.size(); ++slot) {
      if (next() % 4 == 0) continue;  // unknown
      switch (b.g.facts[slot].type) {
        case value_type::boolean: p.set_bool(slot, next() % 2); break;
        case value_type::set: p.set_members(slot, next() & 0x1FFF & (next() & 0x1FFF)); break;
        default: p.set_number(slot, static_cast<double>(next() % 20) * 7); break;
      }
    }
    evaluate_nodes(b.g, p, ref);
    prog.run(p, fast.data());
    REQUIRE(ref == fast);
    evaluation e1, e2;
    evaluate(b.g, p, e1);
    evaluate(prog, p, e2);
    CHECK(e1.result == e2.result);
    CHECK(e1.selected == e2.selected);
    CHECK(e1.candidates == e2.candidates);
    CHECK(e1.missing == e2.missing);
  }
}
