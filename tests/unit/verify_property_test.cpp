// Property tests of the verifier against the runtime on random graphs:
// (1) the solver encoding gives every node exactly the runtime's Kleene value
//     for random patients (known, unknown, boundary values);
// (2) every counterexample printed by a finding, decoded and evaluated by the
//     runtime, shows the claimed behaviour and breaks no assumption.
#include <catch2/catch.hpp>

#include <random>

#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_encode.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"
#include "verify_graph_builder.hpp"

using namespace rubric;
using runtime::compare_op;
using runtime::node_kind;
using runtime::truth;
using runtime::value_type;

namespace {

const std::vector<double> thresholds{0, 7, 30.4375, 42, 365.25};

runtime::graph random_graph(std::mt19937& rng) {
  test::graph_builder b;
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng() % n); };
  std::int32_t e = b.enumeration("colour", {"red", "green", "blue"});
  b.g.strings = {"left", "right"};
  std::uint32_t dur = b.fact("dur", value_type::duration);
  std::uint32_t dur2 = b.fact("dur2", value_type::duration);
  std::uint32_t num = b.fact("num", value_type::number);
  std::uint32_t flag = b.fact("flag", value_type::boolean);
  std::uint32_t col = b.fact("col", value_type::enumeration, e);
  std::uint32_t cols = b.fact("cols", value_type::set, e);
  std::uint32_t side = b.fact("side", value_type::text);
  std::vector<std::uint32_t> pool;
  auto op = [&] { return static_cast<compare_op>(pick(6)); };
  for (int i = 0; i < 10; ++i) {
    switch (pick(10)) {
      case 0: pool.push_back(b.compare(dur, op(), thresholds[pick(thresholds.size())], "dur cmp")); break;
      case 1: pool.push_back(b.compare(num, op(), static_cast<double>(pick(5)) - 2.0, "num cmp")); break;
      case 2: pool.push_back(b.simple(node_kind::fact_true, flag, 0, "flag")); break;
      case 3: pool.push_back(b.simple(node_kind::enum_in, col, 1 + pick(7), "col in")); break;
      case 4: pool.push_back(b.simple(node_kind::set_any, cols, 1 + pick(7), "cols any")); break;
      case 5: pool.push_back(b.simple(node_kind::set_all, cols, 1 + pick(7), "cols all")); break;
      case 6: pool.push_back(b.simple(node_kind::set_empty, cols, 0, "cols empty")); break;
      case 7: pool.push_back(b.simple(node_kind::is_known, static_cast<std::uint32_t>(pick(7)), 0, "known")); break;
      case 8: pool.push_back(b.compare_facts(dur, op(), dur2, "dur cmp dur2")); break;
      case 9: {
        runtime::node n;
        n.kind = node_kind::text_equals;
        n.slot = static_cast<std::int32_t>(side);
        n.op = pick(2) ? compare_op::eq : compare_op::ne;
        n.mask = pick(2);
        pool.push_back(b.add(n, "side ="));
        break;
      }
    }
  }
  for (int i = 0; i < 12; ++i) {
    std::size_t k = pick(4);
    if (k == 0) {
      pool.push_back(b.connective(node_kind::not_, {pool[pick(pool.size())]}, "not"));
    } else if (k == 3) {
      pool.push_back(b.criterion("c" + std::to_string(i), pool[pick(pool.size())]));
    } else {
      std::vector<std::uint32_t> kids;
      for (std::size_t j = 0, n = 2 + pick(2); j < n; ++j) kids.push_back(pool[pick(pool.size())]);
      pool.push_back(b.connective(k == 1 ? node_kind::and_ : node_kind::or_, kids, k == 1 ? "and" : "or"));
    }
  }
  for (std::size_t v = 0, n = 2 + pick(3); v < n; ++v)
    b.variant(std::to_string(v + 1), static_cast<std::int32_t>(pool[pool.size() - 1 - pick(8)]));
  b.g.policy = static_cast<runtime::select_policy>(pick(3));
  if (pick(2)) b.assume(b.compare_facts(dur2, compare_op::le, dur, "dur2 <= dur"), "dur2 <= dur");
  b.g.otherwise.present = pick(3) == 0;
  return b.g;
}

compiler::verify_detail::cx_patient random_patient(const runtime::graph& g, std::mt19937& rng) {
  compiler::verify_detail::cx_patient p(g.facts.size());
  for (std::size_t i = 0; i < g.facts.size(); ++i) {
    auto& v = p[i];
    v.known = rng() % 4 != 0;
    if (!v.known) continue;
    switch (g.facts[i].type) {
      case value_type::boolean: v.boolean = rng() % 2; break;
      case value_type::duration: v.number = thresholds[rng() % thresholds.size()] + static_cast<double>(rng() % 3) - 1; break;
      case value_type::number: v.number = static_cast<double>(rng() % 5) - 2.0; break;
      case value_type::enumeration: v.index = rng() % 3; break;
      case value_type::set: v.mask = rng() % 8; break;
      case value_type::text: v.index = rng() % 3; break;  // 2 = some other text
    }
    if (g.facts[i].type == value_type::duration && v.number < 0) v.number = 0;
  }
  return p;
}

}  // namespace

TEST_CASE("verify property: the solver encoding agrees with the runtime on every node", "[verify][property]") {
  std::mt19937 rng(20211101);
  for (int round = 0; round < 25; ++round) {
    runtime::graph g = random_graph(rng);
    z3::context ctx;
    compiler::verify_detail::encoding enc(ctx, g);
    runtime::patient_decoder decoder(g);
    for (int k = 0; k < 12; ++k) {
      auto cx = random_patient(g, rng);
      runtime::patient p;
      std::string error;
      std::string json = compiler::verify_detail::patient_json(g, cx);
      INFO(json);
      REQUIRE(decoder.decode(json, p, error));
      std::vector<truth> values(g.nodes.size());
      runtime::evaluate_nodes(g, p, values);
      z3::solver s(ctx);
      s.add(enc.domain());
      s.add(enc.pinned_to(cx));
      REQUIRE(s.check() == z3::sat);
      z3::model m = s.get_model();
      for (std::size_t n = 0; n < g.nodes.size(); ++n) {
        bool t = m.eval(enc.nodes()[n].t, true).is_true();
        bool f = m.eval(enc.nodes()[n].f, true).is_true();
        truth solver = t ? truth::yes : f ? truth::no : truth::unknown;
        INFO("node " << n << " kind " << static_cast<int>(g.nodes[n].kind));
        REQUIRE_FALSE((t && f));
        REQUIRE(solver == values[n]);
      }
    }
  }
}

TEST_CASE("verify property: every printed counterexample replays with its claimed behaviour", "[verify][property]") {
  std::mt19937 rng(7);
  int shown = 0;
  for (int round = 0; round < 30; ++round) {
    runtime::graph g = random_graph(rng);
    compiler::source_manager sources;
    sources.add("test.rubric", std::string(200, '\n'));
    compiler::diagnostic_sink sink;
    compiler::verify_options o;
    o.errors_only = false;
    compiler::verify_graph(g, sources, sink, o);
    runtime::patient_decoder decoder(g);
    for (const compiler::diagnostic& d : sink.items()) {
      INFO(d.message);
      for (const std::string& n : d.notes) {
        CHECK(n.find("did not replay") == std::string::npos);
        const std::string lead = "as patient JSON: ";
        if (n.rfind(lead, 0) != 0) continue;
        ++shown;
        runtime::patient p;
        std::string error;
        REQUIRE(decoder.decode(n.substr(lead.size()), p, error));
        runtime::evaluation ev;
        runtime::evaluate(g, p, ev);
        CHECK(ev.violated.empty());
        if (d.code == compiler::diag_code::coverage_gap) {
          CHECK(ev.result == runtime::status::no_criteria_apply);
          for (const auto& s : p.slots) CHECK(s.known);  // gaps are about fully known patients
        }
        if (d.code == compiler::diag_code::variant_overlap || d.code == compiler::diag_code::variant_shadowed)
          CHECK(ev.result == runtime::status::matched);
        if (d.code == compiler::diag_code::unique_overlap) {
          int holding = 0;
          for (const auto& v : g.variants) holding += v.guard < 0 || ev.values[static_cast<std::size_t>(v.guard)] == truth::yes;
          CHECK(holding >= 2);
        }
      }
    }
  }
  CHECK(shown > 20);
}

// Issue 10, item 3: the solver reads `assume` as the runtime does — broken
// only when false. Over random guards and random assumptions (of any node,
// so of unknown-sensitive ones too): whenever the solver says a guard can
// never hold (R0501), no random patient that breaks no `assume` has it true;
// whenever it says the assumptions contradict (R0509), every patient whose
// facts are all known breaks one.
TEST_CASE("verify property: a guard the solver calls impossible never holds for a patient keeping every assume",
          "[verify][property]") {
  std::mt19937 rng(31);
  int impossible = 0, contradictions = 0, patients_kept = 0;
  for (int round = 0; round < 60; ++round) {
    runtime::graph g = random_graph(rng);
    // One or two assumptions on random nodes of the graph (leaves and compounds).
    for (std::size_t k = 0, n = 1 + rng() % 2; k < n; ++k) {
      std::uint32_t node = static_cast<std::uint32_t>(rng() % g.nodes.size());
      g.assumptions.push_back({node, "", "assumption " + std::to_string(node), {}});
    }
    // And the case: `assume dur >= 0` beside a variant for patients
    // whose `dur` is unknown (`dur is unknown and …`), which a patient without
    // `dur` keeps and gets.
    auto append = [&g](runtime::node n, std::vector<std::uint32_t> kids) {
      n.first = static_cast<std::uint32_t>(g.children.size());
      n.count = static_cast<std::uint32_t>(kids.size());
      g.children.insert(g.children.end(), kids.begin(), kids.end());
      g.nodes.push_back(n);
      g.info.push_back({"added", {}});
      return static_cast<std::uint32_t>(g.nodes.size() - 1);
    };
    runtime::node leaf;
    leaf.kind = node_kind::compare;
    leaf.slot = 0;  // dur
    leaf.op = compare_op::ge;
    std::uint32_t nonnegative = append(leaf, {});
    g.assumptions.push_back({nonnegative, "", "dur >= 0", {}});
    leaf.kind = node_kind::is_known;
    std::uint32_t known = append(leaf, {});
    runtime::node op;
    op.kind = node_kind::not_;
    std::uint32_t unknown = append(op, {known});
    op.kind = node_kind::and_;
    std::uint32_t guard = append(op, {unknown, static_cast<std::uint32_t>(rng() % nonnegative)});
    runtime::variant extra;
    extra.id = "dur-unknown";
    extra.guard = static_cast<std::int32_t>(guard);
    g.variants.push_back(extra);
    g.order.push_back(static_cast<std::uint32_t>(g.variants.size() - 1));
    compiler::source_manager sources;
    sources.add("test.rubric", std::string(200, '\n'));
    compiler::diagnostic_sink sink;
    compiler::verify_options o;
    compiler::verify_graph(g, sources, sink, o);
    std::vector<std::size_t> never;
    bool contradict = false;
    for (const compiler::diagnostic& d : sink.items()) {
      if (d.code == compiler::diag_code::assumptions_contradict) contradict = true;
      if (d.code != compiler::diag_code::guard_never_holds) continue;
      for (std::size_t v = 0; v < g.variants.size(); ++v)
        if (d.message == "the guard of variant `" + g.variants[v].id + "` can never hold") never.push_back(v);
    }
    impossible += static_cast<int>(never.size());
    contradictions += contradict;
    runtime::patient_decoder decoder(g);
    for (int k = 0; k < 200; ++k) {
      auto cx = random_patient(g, rng);
      runtime::patient p;
      std::string error;
      std::string json = compiler::verify_detail::patient_json(g, cx);
      REQUIRE(decoder.decode(json, p, error));
      runtime::evaluation ev;
      runtime::evaluate(g, p, ev);
      INFO(json);
      bool all_known = true;
      for (const auto& s : p.slots) all_known = all_known && s.known;
      if (contradict && all_known) CHECK_FALSE(ev.violated.empty());
      if (!ev.violated.empty()) continue;
      ++patients_kept;
      for (std::size_t v : never) {
        INFO("variant " << g.variants[v].id);
        CHECK(ev.values[static_cast<std::size_t>(g.variants[v].guard)] != truth::yes);
      }
    }
  }
  // Not vacuous: impossible guards and patients keeping the assumptions occur.
  CHECK(impossible > 5);
  CHECK(patients_kept > 1000);
}
