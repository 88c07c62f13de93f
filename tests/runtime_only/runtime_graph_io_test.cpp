// The graph's JSON form: round trip, a compiled graph loaded by the runtime
// alone, and clear errors for wrong format, wrong version, truncation and
// hand-edited nonsense (never a crash).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/graph_io.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {

std::string compiled_graph_path() { return std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json"; }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

std::string replace_once(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}

}  // namespace

TEST_CASE("write then load gives an equal graph") {
  graph g = t::lbp_graph();
  for (bool pretty : {true, false}) {
    graph_load_result r = load_graph_json(write_graph_json(g, pretty));
    INFO(r.error);
    REQUIRE(r);
    CHECK(*r.value == g);
  }
}

TEST_CASE("the runtime alone loads a graph compiled by `rubric compile` and evaluates the seed patient") {
  graph_load_result r = load_graph_file(compiled_graph_path());
  INFO(r.error);
  REQUIRE(r);
  const graph& g = *r.value;
  CHECK(g.id == "acr.low_back_pain");
  CHECK(g.variants.size() == 7);
  patient_decoder d(g);
  patient p;
  std::string error;
  REQUIRE(d.decode(R"({"age": "55 years", "symptom_duration": "12 weeks", "radiculopathy": true, "red_flags": [],
                       "conservative_therapy": "0 weeks", "prior_lumbar_surgery": false, "new_or_progressing_symptoms": false})",
                   p, error));
  evaluation e;
  evaluate(g, p, e);
  REQUIRE(e.result == status::matched);
  CHECK(g.variants[e.selected[0]].id == "2");
  for (const rating& ra : g.variants[e.selected[0]].ratings)
    CHECK(g.scales[g.rating_scale].levels[ra.level].id == "usually_not_appropriate");
  CHECK(write_graph_json(g) == write_graph_json(*load_graph_json(write_graph_json(g)).value));
}

TEST_CASE("format name and version are checked first") {
  std::string json = write_graph_json(t::lbp_graph());
  auto wrong_version = load_graph_json(replace_once(json, "\"version\": 4", "\"version\": 5"));
  CHECK_FALSE(wrong_version);
  CHECK(wrong_version.error == "unsupported decision graph version 5 (this runtime reads versions 1 to 4); recompile the guideline with this rubric");
  auto wrong_format = load_graph_json(replace_once(json, "rubric.decision-graph", "something.else"));
  CHECK(wrong_format.error == "not a Rubric decision graph: format is \"something.else\", expected \"rubric.decision-graph\"");
  auto not_graph = load_graph_json(R"({"hello": "world"})");
  CHECK(not_graph.error == "not a Rubric decision graph: no \"format\" field (expected \"rubric.decision-graph\")");
  auto not_json = load_graph_json("variant 2 \"Subacute\"");
  CHECK(not_json.error.rfind("not a Rubric decision graph: the file is not valid JSON", 0) == 0);
  auto missing = load_graph_file("/nonexistent/graph.json");
  CHECK(missing.error == "cannot read `/nonexistent/graph.json`");
}

TEST_CASE("a version 2 graph (before FHIR bindings) loads with no bindings and the same facts as its version 4 form") {
  // Compiled by the version-2 compiler and kept as it was written.
  const std::string v2_path = std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.v2.graph.json";
  graph_load_result v2 = load_graph_file(v2_path);
  INFO(v2.error);
  REQUIRE(v2);
  REQUIRE(read_text(v2_path).find("\"version\": 2") != std::string::npos);
  CHECK(v2.value->fhir.empty());
  graph_load_result v3 = load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json");
  REQUIRE(v3);
  CHECK_FALSE(v3.value->fhir.empty());
  CHECK(v3.value->facts.size() == v2.value->facts.size());
  CHECK(v3.value->variants.size() == v2.value->variants.size());
}

TEST_CASE("a version 3 graph (before answers and `or`) loads its bindings with no alternatives; `or` is validated") {
  // Compiled by the version-3 compiler and kept as it was written.
  const std::string v3_path = std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.v3.graph.json";
  graph_load_result v3 = load_graph_file(v3_path);
  INFO(v3.error);
  REQUIRE(v3);
  REQUIRE(read_text(v3_path).find("\"version\": 3") != std::string::npos);
  REQUIRE(v3.value->fhir.bindings.size() == 18);
  for (const fhir_binding& b : v3.value->fhir.bindings) {
    CHECK_FALSE(b.or_previous);
    CHECK(b.question.empty());
    CHECK(b.source != fhir_source::answer);
  }
  graph_load_result v4 = load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json");
  REQUIRE(v4);
  std::size_t alternatives = 0;
  for (const fhir_binding& b : v4.value->fhir.bindings) alternatives += b.or_previous;
  CHECK(alternatives == 12);
  // An alternative must follow a binding of the same fact and member.
  graph broken = *v4.value;
  for (std::size_t i = 0; i < broken.fhir.bindings.size(); ++i)
    if (broken.fhir.bindings[i].or_previous) {
      broken.fhir.bindings[i].member = broken.fhir.bindings[i].member == 0 ? 1 : 0;
      CHECK(validate_graph(broken) == fmt::format("fhir.bindings[{}]: `or` must follow a binding of the same fact and member", i));
      break;
    }
}

TEST_CASE("a version 1 graph loads as the same graph and gives the same results as its version 2 form") {
  // Compiled by the version-1 compiler and kept as it was written.
  const std::string v1_path = std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.v1.graph.json";
  graph_load_result v1 = load_graph_file(v1_path);
  INFO(v1.error);
  REQUIRE(v1);
  REQUIRE(read_text(v1_path).find("\"version\": 1") != std::string::npos);
  graph_load_result v2 = load_graph_json(write_graph_json(*v1.value));
  REQUIRE(v2);
  CHECK(*v2.value == *v1.value);
  // Every patient from the content cases gets the same answer from both.
  patient_decoder d1(*v1.value), d2(*v2.value);
  int checked = 0;
  for (const char* json : {R"({"age": "55 years", "symptom_duration": "12 weeks", "red_flags": [], "conservative_therapy": "0 weeks"})",
                           R"({"age": "80 years", "red_flags": ["saddle_anesthesia"]})", R"({})"}) {
    patient p1, p2;
    std::string e1, e2;
    REQUIRE(d1.decode(json, p1, e1));
    REQUIRE(d2.decode(json, p2, e2));
    evaluation r1, r2;
    evaluate(*v1.value, p1, r1);
    evaluate(*v2.value, p2, r2);
    CHECK(r1.result == r2.result);
    CHECK(r1.selected == r2.selected);
    CHECK(r1.missing == r2.missing);
    CHECK(r1.values == r2.values);
    ++checked;
  }
  CHECK(checked == 3);
}

TEST_CASE("every truncation of a graph is an error, never a crash") {
  std::string json = write_graph_json(t::lbp_graph(), false);
  for (std::size_t cut = 0; cut < json.size(); cut += 7) {
    auto r = load_graph_json(std::string_view(json).substr(0, cut));
    CHECK_FALSE(r);
    CHECK_FALSE(r.error.empty());
  }
  auto r = load_graph_json(std::string_view(json).substr(0, json.size() / 2));
  CHECK(r.error.rfind("the decision graph is not valid JSON (truncated or corrupt?)", 0) == 0);
}

TEST_CASE("hand-edited nonsense is a clear error naming the field") {
  std::string json = write_graph_json(t::lbp_graph());
  struct row { const char* from; const char* to; const char* error; };
  const row rows[] = {
      {"\"kind\": \"set_any\"", "\"kind\": \"set_some\"", "invalid decision graph: nodes[0].kind: unknown value \"set_some\""},
      {"\"slot\": 3", "\"slot\": 99", "invalid decision graph: nodes[0]: fact slot 99 does not exist"},
      {"\"slot\": 3", "\"slot\": \"3\"", "invalid decision graph: nodes[0].slot: expected an integer"},
      {"\"slot\": 3", "\"slot\": 0", "invalid decision graph: nodes[0]: fact `age` is not a set"},
      {"\"order\": [\n    3", "\"order\": [\n    30", "invalid decision graph: order names variant 30 which does not exist"},
      {"\"title\": \"Low Back Pain\"", "\"title\": 7", "invalid decision graph: guideline.title: expected a string"},
      {"\"rating_scale\": 0", "\"rating_scale\": 5", "invalid decision graph: rating scale 5 does not exist"},
      {"\"guard\": 27", "\"guard\": 1000", "invalid decision graph: variant 1: guard node 1000 does not exist"},
  };
  for (const row& r : rows) {
    INFO(r.from);
    auto res = load_graph_json(replace_once(json, r.from, r.to));
    CHECK_FALSE(res);
    CHECK(res.error == r.error);
  }
}

TEST_CASE("children must precede their parents") {
  graph g = t::lbp_graph();
  g.children[0] = static_cast<std::uint32_t>(g.nodes.size() - 1);
  CHECK(validate_graph(g).find("does not precede its parent") != std::string::npos);
  auto r = load_graph_json(write_graph_json(g));
  CHECK_FALSE(r);
}

// Issue 19: the loader refuses what the compiler could never write.
TEST_CASE("what the compiler never writes is refused: duplicate keys and ids, missing files, leaf children") {
  std::string json = write_graph_json(t::lbp_graph());
  struct row { const char* from; const char* to; const char* error; };
  const row rows[] = {
      {"\"kind\": \"set_any\"", "\"kind\": \"set_any\", \"kind\": \"set_all\"",
       "invalid decision graph: nodes[0]: field \"kind\" appears twice"},
      {"\"format\"", "\"order\": [], \"format\"", "invalid decision graph: field \"order\" appears twice"},
      {"\"id\": \"symptom_duration\"", "\"id\": \"age\"", "invalid decision graph: two facts have the id `age`"},
      {"\"at\": [\n        0,", "\"at\": [\n        5,", "invalid decision graph: fact `age`: source file 5 does not exist (the graph lists 1)"},
  };
  for (const row& r : rows) {
    INFO(r.from);
    auto res = load_graph_json(replace_once(json, r.from, r.to));
    CHECK_FALSE(res);
    CHECK(res.error == r.error);
  }
  graph g = t::lbp_graph();
  g.nodes[0].count = 1;  // a set test with a child
  CHECK(validate_graph(g) == "nodes[0]: a fact test or constant has 1 children");
}

TEST_CASE("a missing top-level field is named without an empty path segment") {
  std::string json = write_graph_json(t::lbp_graph());
  auto res = load_graph_json(replace_once(json, "\"guideline\":", "\"guide\":"));
  CHECK(res.error == "invalid decision graph: missing field \"guideline\"");
}

// Issue 19, bug 2: 50,000 single-child `and` nodes over a guard overflowed the
// explainer's stack; the loader now enforces the compiler's depth limit.
TEST_CASE("a graph nesting deeper than max_condition_depth is refused; one at the limit loads") {
  auto deepen = [](std::uint32_t levels) {
    graph g = t::lbp_graph();
    variant& v = g.variants[g.order[0]];
    auto prev = static_cast<std::uint32_t>(v.guard);
    for (std::uint32_t i = 0; i < levels; ++i) {
      node n;
      n.kind = node_kind::and_;
      n.first = static_cast<std::uint32_t>(g.children.size());
      n.count = 1;
      g.children.push_back(prev);
      g.nodes.push_back(n);
      g.info.push_back({"deep", {0, 1, 1, 1, 1}});
      prev = static_cast<std::uint32_t>(g.nodes.size() - 1);
    }
    v.guard = static_cast<std::int32_t>(prev);
    return g;
  };
  graph deep = deepen(50000);
  std::string problem = validate_graph(deep);
  CHECK(problem.find("more than the limit of 1024 (docs/limits.md)") != std::string::npos);
  CHECK_FALSE(load_graph_json(write_graph_json(deep, false)));
  graph base = t::lbp_graph();
  std::uint32_t guard_depth = node_depths(base)[static_cast<std::size_t>(base.variants[base.order[0]].guard)];
  graph at_limit = deepen(max_condition_depth - guard_depth);
  CHECK(validate_graph(at_limit).empty());
  CHECK_FALSE(validate_graph(deepen(max_condition_depth - guard_depth + 1)).empty());
}

// Found by fuzz_graph: an inner node (criterion, and, or, not) carrying a
// `slot` the loader never checks (it means nothing there) made the
// explanation read a fact past the end of the facts. Only the kinds that
// read a fact contribute their slots.
TEST_CASE("an inner node's meaningless slot is never read as a fact by the explanation") {
  graph_load_result r =
      load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/junk_slot_on_inner_node.graph.json");
  REQUIRE(r);
  const graph& g = *r.value;
  patient p;
  p.reset(g);
  evaluation e;
  evaluate(g, p, e);
  explanation x = explain(g, p, e);
  // Under AddressSanitizer (make sanitize) a read past the facts fails here.
  CHECK_FALSE(render_explanation_text(g, p, x).empty());
  CHECK_FALSE(render_explanation_json(g, p, x).empty());
}
