// Lowering: node sharing, Kleene-correct folding, flattening, topological
// order, durations in days, predicates per type, outcomes, and the JSON
// round trip through runtime/graph_io.
#include <catch2/catch.hpp>

#include "compiler/pipeline/dump.hpp"
#include "runtime/graph_io.hpp"
#include "tests/unit/semantic_helpers.hpp"

using rubric::test::compile_snippet;
using rubric::test::messages;
namespace rt = rubric::runtime;

namespace {

// The body node of criterion `id`.
const rt::node& body_of(const rt::graph& g, const std::string& id) {
  for (const auto& c : g.criteria) {
    if (c.id == id) {
      const auto& wrapper = g.nodes.at(c.node);
      REQUIRE(wrapper.kind == rt::node_kind::criterion);
      return g.nodes.at(g.children.at(wrapper.first));
    }
  }
  FAIL("no criterion " << id);
  return g.nodes.at(0);
}

rt::graph lowered(const std::string& body) {
  auto r = compile_snippet(body + "variant 1 \"V\"\n  when radiculopathy\n");
  INFO(messages(r));
  REQUIRE(r.graph);
  return *r.graph;
}

}  // namespace

TEST_CASE("lower: children precede parents and every node has its author's text", "[lower]") {
  auto r = rubric::compiler::compile_file(std::string(RUBRIC_SOURCE_DIR) + "/guidelines/acr/low_back_pain.rubric",
                                          {{}, "", false});
  REQUIRE(r.graph);
  const auto& g = *r.graph;
  REQUIRE(g.info.size() == g.nodes.size());
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    for (std::uint32_t k = 0; k < g.nodes[i].count; ++k) CHECK(g.children[g.nodes[i].first + k] < i);
    CHECK_FALSE(g.info[i].text.empty());
    CHECK(g.info[i].where.line > 0);
  }
  CHECK(rt::validate_graph(g).empty());
}

TEST_CASE("lower: common subexpressions share one node", "[lower]") {
  auto g = lowered(
      "criterion a \"A\":\n  symptom_duration >= 6 weeks and radiculopathy\n"
      "criterion b \"B\":\n  symptom_duration >= 42 days or red_flags is empty\n");
  const auto& a = body_of(g, "a");
  const auto& b = body_of(g, "b");
  CHECK(g.children[a.first] == g.children[b.first]);  // `>= 6 weeks` and `>= 42 days` are one node
  std::size_t compares = 0;
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    compares += g.nodes[i].kind == rt::node_kind::compare && static_cast<std::int32_t>(i) != g.pediatric.node;
  CHECK(compares == 1);  // (besides the default `age < 18 years` that says who is a child)
}

TEST_CASE("lower: constants fold the Kleene way", "[lower]") {
  auto g = lowered(
      "criterion f \"F\":\n  radiculopathy and false\n"
      "criterion t \"T\":\n  radiculopathy or true\n"
      "criterion x \"X\":\n  radiculopathy and true\n"
      "criterion y \"Y\":\n  radiculopathy or false\n"
      "criterion n \"N\":\n  not not radiculopathy\n"
      "let long = 6 weeks\n"
      "criterion c \"C\":\n  long > 5 weeks\n");
  CHECK(body_of(g, "f").kind == rt::node_kind::constant);
  CHECK(body_of(g, "f").constant == rt::truth::no);
  CHECK(body_of(g, "t").kind == rt::node_kind::constant);
  CHECK(body_of(g, "t").constant == rt::truth::yes);
  // `x and true` is x and `x or false` is x: the unknown-able fact stays.
  CHECK(body_of(g, "x").kind == rt::node_kind::fact_true);
  CHECK(body_of(g, "y").kind == rt::node_kind::fact_true);
  CHECK(body_of(g, "n").kind == rt::node_kind::fact_true);
  CHECK(body_of(g, "c").constant == rt::truth::yes);
}

TEST_CASE("lower: and/or are flattened, repeats dropped, criteria kept as wrappers", "[lower]") {
  auto g = lowered(
      "criterion a \"A\":\n  (radiculopathy and red_flags is empty) and (pain_score > 1 and radiculopathy)\n"
      "criterion b \"B\":\n  a and radiculopathy\n");
  const auto& a = body_of(g, "a");
  CHECK(a.kind == rt::node_kind::and_);
  CHECK(a.count == 3);
  const auto& b = body_of(g, "b");
  REQUIRE(b.count == 2);
  CHECK(g.nodes[g.children[b.first]].kind == rt::node_kind::criterion);
}

TEST_CASE("lower: durations are days with one conversion table", "[lower]") {
  auto g = lowered(
      "criterion d \"D\":\n  symptom_duration > 3 d\n"
      "criterion w \"W\":\n  symptom_duration > 2 wk\n"
      "criterion m \"M\":\n  symptom_duration > 2 months\n"
      "criterion y \"Y\":\n  age > 1 a\n"
      "criterion flipped \"F\":\n  6 weeks <= symptom_duration\n");
  CHECK(body_of(g, "d").number == 3.0);
  CHECK(body_of(g, "w").number == 14.0);
  CHECK(body_of(g, "m").number == 60.875);
  CHECK(body_of(g, "y").number == 365.25);
  CHECK(body_of(g, "flipped").op == rt::compare_op::ge);
  CHECK(body_of(g, "flipped").number == 42.0);
}

TEST_CASE("lower: predicates for each fact type", "[lower]") {
  auto g = lowered(
      "criterion any_flag \"Any\":\n  red_flags has any of {saddle_anesthesia, fever}\n"
      "criterion all_flags \"All\":\n  red_flags has all of {fever}\n"
      "criterion unknown_score \"Known\":\n  pain_score is unknown\n"
      "criterion noted \"Text\":\n  note != \"none\"\n"
      "criterion facts \"Facts\":\n  symptom_duration <= age\n");
  CHECK(body_of(g, "any_flag").kind == rt::node_kind::set_any);
  CHECK(body_of(g, "any_flag").mask == ((1u << 0) | (1u << 5)));
  CHECK(body_of(g, "all_flags").kind == rt::node_kind::set_all);
  const auto& unknown = body_of(g, "unknown_score");
  REQUIRE(unknown.kind == rt::node_kind::not_);
  CHECK(g.nodes[g.children[unknown.first]].kind == rt::node_kind::is_known);
  CHECK(body_of(g, "noted").kind == rt::node_kind::text_equals);
  CHECK(g.strings.at(body_of(g, "noted").mask) == "none");
  CHECK(body_of(g, "facts").kind == rt::node_kind::compare_facts);
  CHECK(g.facts.at(static_cast<std::size_t>(body_of(g, "facts").slot)).id == "symptom_duration");
}

TEST_CASE("lower: outcomes carry ratings, advice, transitions and the otherwise", "[lower]") {
  auto r = compile_snippet(
      "criterion long_pain \"Long\":\n  symptom_duration >= 6 weeks\n"
      "variant 1 \"One\"\n  when long_pain\n  rate \"MRI lumbar spine without IV contrast\" usually appropriate score 7\n"
      "  advise \"Rest.\"\n  advise \"Image.\" when radiculopathy\n  next 2 urgent when red_flags is not empty \"Flags\"\n"
      "variant 2 \"Two\"\n  when not long_pain\n"
      "otherwise \"None\"\n  advise \"Reassess.\"\n"
      "assume symptom_duration <= age \"Episode within a lifetime\"\n");
  INFO(messages(r));
  REQUIRE(r.graph);
  const auto& g = *r.graph;
  REQUIRE(g.variants.size() == 2);
  const auto& v = g.variants[0];
  CHECK(v.title == "One");
  CHECK(v.advice.size() == 2);
  CHECK(v.advice[0].when == -1);
  CHECK(v.advice[1].when >= 0);
  REQUIRE(v.next.size() == 1);
  CHECK(v.next[0].target == 1);
  CHECK(v.next[0].urgent);
  CHECK(v.next[0].label == "Flags");
  CHECK(v.requires_facts == std::vector<std::uint32_t>{1});
  CHECK(g.otherwise.present);
  CHECK(g.otherwise.label == "None");
  REQUIRE(g.assumptions.size() == 1);
  CHECK(g.assumptions[0].text == "symptom_duration <= age");
  CHECK(g.order == std::vector<std::uint32_t>{0, 1});
  CHECK(g.facts[0].fixed);
}

TEST_CASE("lower: compile → JSON → load gives an equal graph", "[lower]") {
  auto r = rubric::compiler::compile_file(std::string(RUBRIC_SOURCE_DIR) + "/guidelines/acr/low_back_pain.rubric",
                                          {{}, "", false});
  REQUIRE(r.graph);
  std::string json = rt::write_graph_json(*r.graph);
  CHECK(json.find("rubric.decision-graph") != std::string::npos);
  auto back = rt::load_graph_json(json);
  INFO(back.error);
  REQUIRE(back);
  CHECK(*back.value == *r.graph);
}

TEST_CASE("lower: dumps after every pass are stable", "[lower]") {
  for (const auto& pass : rubric::compiler::pass_names()) {
    rubric::compiler::compile_options o;
    o.verify = false;
    o.dump_after = pass;
    auto first = rubric::compiler::compile_file(std::string(RUBRIC_SOURCE_DIR) + "/guidelines/acr/low_back_pain.rubric", o);
    auto second = rubric::compiler::compile_file(std::string(RUBRIC_SOURCE_DIR) + "/guidelines/acr/low_back_pain.rubric", o);
    INFO(pass);
    CHECK_FALSE(first.dump.empty());
    CHECK(first.dump == second.dump);
  }
}

TEST_CASE("lower: folding leaves no unused nodes behind", "[lower]") {
  auto g = lowered(
      "criterion a \"A\":\n  not not radiculopathy\n"
      "criterion b \"B\":\n  radiculopathy and true and (false or red_flags is empty)\n");
  std::vector<int> used(g.nodes.size(), 0);
  for (const auto& c : g.criteria) used[c.node] = 1;
  for (const auto& v : g.variants) used[static_cast<std::size_t>(v.guard)] = 1;
  if (g.pediatric.node >= 0) used[static_cast<std::size_t>(g.pediatric.node)] = 1;
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    for (std::uint32_t k = 0; k < g.nodes[i].count; ++k) used[g.children[g.nodes[i].first + k]] = 1;
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    INFO(i << " " << g.info[i].text);
    CHECK(used[i] == 1);
  }
  // fact_true, criterion a, set_empty, and, criterion b, and the default
  // pediatric `age < 18 years`: nothing folded away is left.
  CHECK(g.nodes.size() == 6);
}

// Issue 10, item 4: who is a child. The header's `pediatric when` is lowered
// to a node; without it the default `age < 18 years` applies to a guideline
// with a duration fact `age`, and a guideline without one has no rule.
TEST_CASE("lower: pediatric when, its default, and none", "[lower]") {
  auto g = lowered("");
  REQUIRE(g.pediatric.node >= 0);
  const auto& n = g.nodes[static_cast<std::size_t>(g.pediatric.node)];
  CHECK(n.kind == rt::node_kind::compare);
  CHECK(n.op == rt::compare_op::lt);
  CHECK(n.number == 18 * 365.25);
  CHECK(g.pediatric.text == "age < 18 years");
  auto own = rubric::test::compile_snippet("", "  pediatric when age < 16 years or radiculopathy\n");
  INFO(rubric::test::messages(own));
  REQUIRE(own.graph);
  CHECK(own.graph->pediatric.text == "age < 16 years or radiculopathy");
  CHECK(own.graph->nodes[static_cast<std::size_t>(own.graph->pediatric.node)].kind == rt::node_kind::or_);
  rubric::compiler::compile_options o;
  o.verify = false;
  auto none = rubric::compiler::compile_text("test.rubric",
                                     "guideline test \"T\"\n  scale stdlib.acr.appropriateness\nimport stdlib.acr\n"
                                     "patient\n  pain : bool \"Pain\"\n",
                                     o);
  REQUIRE(none.graph);
  CHECK(none.graph->pediatric.node == -1);
  auto wrong = rubric::test::compile_snippet("", "  pediatric when age\n");
  CHECK(rubric::test::codes(wrong) == std::vector<std::string>{"R0302"});
}
