// Language v1 end to end below the CLI: quantities with units, integer
// ranges, scores, values, counts and contextual keywords — parsed, checked
// (with the message text of each new diagnostic), lowered to the version-2
// node kinds, and evaluated as intervals.
#include <catch2/catch.hpp>

#include <string>

#include "runtime/evaluate.hpp"
#include "tests/unit/semantic_helpers.hpp"

using rubric::test::codes;
using rubric::test::compile_snippet;
using rubric::test::messages;
namespace rt = rubric::runtime;

namespace {

const char* wells_facts =
    "patient\n"
    "  dvt_signs : bool \"DVT signs\"\n"
    "  hemoptysis : bool \"Haemoptysis\"\n"
    "  malignancy : bool \"Malignancy\"\n"
    "  heart_rate : number /min \"Heart rate\"\n"
    "  d_dimer : number 0.. ng/mL \"D-dimer\"\n"
    "  gcs : integer 3..15 \"GCS\"\n";

std::string wells_body(const std::string& more) {
  return std::string(wells_facts) +
         "score wells \"Wells\"\n"
         "  3   if dvt_signs\n"
         "  1.5 if heart_rate > 100 /min\n"
         "  1   if hemoptysis\n"
         "  1   if malignancy\n"
         "value cutoff \"Cut-off\" =\n"
         "  if age > 50 years then (age in years) * 10 ng/mL else 500 ng/mL\n" +
         more;
}

int count_kind(const rt::graph& g, rt::node_kind k) {
  int n = 0;
  for (const auto& node : g.nodes) n += node.kind == k;
  return n;
}

}  // namespace

TEST_CASE("v1: a score, a value, counts and quantities compile to version-2 nodes") {
  auto r = compile_snippet(wells_body(
      "criterion likely \"PE likely\":\n  wells > 4\n"
      "criterion positive \"D-dimer positive\":\n  d_dimer >= cutoff\n"
      "criterion perc \"PERC\":\n  none of (age >= 50 years, heart_rate >= 100 /min, hemoptysis)\n"
      "criterion head \"Head\":\n  at least 1 of (gcs < 15, symptom_duration >= 30 minutes)\n"
      "variant 1 \"Likely\"\n  when likely and positive and not perc and head\n"
      "  rate \"MRI lumbar spine without IV contrast\" usually not appropriate\n"));
  INFO(messages(r));
  REQUIRE(r.graph);
  const rt::graph& g = *r.graph;
  REQUIRE(g.scores.size() == 2);
  CHECK(g.scores[0].id == "wells");
  CHECK(g.scores[0].lines.size() == 4);
  CHECK(g.scores[0].lines[1].points_text == "1.5");
  CHECK(g.scores[1].is_value);
  CHECK(g.scores[1].unit == "ng/mL");
  CHECK(count_kind(g, rt::node_kind::num_points) == 4);
  CHECK(count_kind(g, rt::node_kind::at_least) == 2);
  CHECK(count_kind(g, rt::node_kind::num_if) == 1);
  CHECK(count_kind(g, rt::node_kind::compare_num) >= 2);
  // Declared units and ranges reach the graph.
  for (const auto& f : g.facts) {
    if (f.id == "heart_rate") CHECK(f.unit == "/min");
    if (f.id == "gcs") {
      CHECK(f.integer);
      CHECK(f.min == 3.0);
      CHECK(f.max == 15.0);
    }
    if (f.id == "d_dimer") {
      CHECK(f.min == 0.0);
      CHECK_FALSE(f.max.has_value());
    }
  }
  // `gcs < 15` reads a ranged fact: an interval comparison, not a plain one.
  CHECK(count_kind(g, rt::node_kind::num_fact) >= 2);
}

TEST_CASE("v1: thresholds convert exactly into the fact's unit") {
  auto r = compile_snippet(std::string(wells_facts) +
                           "criterion a \"a\":\n  d_dimer > 0.7 mg/L\n"
                           "criterion b \"b\":\n  heart_rate >= 2 /s\n"
                           "variant 1 \"x\"\n  when a and b\n"
                           "  rate \"MRI lumbar spine without IV contrast\" usually not appropriate\n");
  INFO(messages(r));
  REQUIRE(r.graph);
  std::vector<double> thresholds;
  for (const auto& n : r.graph->nodes)
    if (n.kind == rt::node_kind::compare || n.kind == rt::node_kind::compare_num) thresholds.push_back(n.number);
  CHECK(std::find(thresholds.begin(), thresholds.end(), 700.0) != thresholds.end());
  CHECK(std::find(thresholds.begin(), thresholds.end(), 120.0) != thresholds.end());
}

TEST_CASE("v1: unknown items leave the score an interval; the cut-off follows the age") {
  auto r = compile_snippet(wells_body(
      "criterion likely \"PE likely\":\n  wells > 4\n"
      "variant 1 \"Likely\"\n  when likely\n"
      "  rate \"MRI lumbar spine without IV contrast\" usually not appropriate\n"));
  INFO(messages(r));
  REQUIRE(r.graph);
  const rt::graph& g = *r.graph;
  rt::patient_decoder d(g);
  rt::patient p;
  std::string error;
  REQUIRE(d.decode(R"({"age":"62 years","dvt_signs":true,"heart_rate":110,"malignancy":false})", p, error));
  rt::evaluation e;
  rt::evaluate(g, p, e);
  CHECK(e.numbers[g.scores[0].node] == rt::interval{4.5, 5.5});
  CHECK(e.result == rt::status::matched);
  CHECK(e.numbers[g.scores[1].node] == rt::interval{620, 620});
  REQUIRE(d.decode(R"({"age":"40 years","dvt_signs":true,"heart_rate":80,"malignancy":true})", p, error));
  rt::evaluate(g, p, e);
  CHECK(e.result == rt::status::undetermined);
  REQUIRE(e.missing.size() == 1);
  CHECK(g.facts[e.missing[0]].id == "hemoptysis");
  CHECK(e.numbers[g.scores[1].node] == rt::interval{500, 500});
}

TEST_CASE("v1: contextual keywords are names, and a category may contain any word") {
  auto r = compile_snippet(
      "patient\n"
      "  score : integer 0..10 \"A fact named score\"\n"
      "  level : bool \"A fact named level\"\n"
      "  code : bool \"A fact named code\"\n"
      "  first : bool \"A fact named first\"\n"
      "  all : bool \"A fact named all\"\n"
      "  of : bool \"A fact named of\"\n"
      "criterion value \"A criterion named value\":\n  score >= 3 and level and code and first and all and of\n"
      "variant 1 \"x\"\n  when value\n"
      "  rate \"MRI lumbar spine without IV contrast\" usually not appropriate\n");
  INFO(messages(r));
  CHECK(r.graph);
  // A scale label with `of` in it, as words and in quotes.
  auto q = compile_snippet(
      "scale pecarn \"PECARN\"\n"
      "  level observe \"Observation versus CT on the basis of other clinical factors\"\n"
      "  level ct \"CT recommended\"\n"
      "variant 1 \"x\"\n"
      "  rate \"MRI lumbar spine without IV contrast\" Observation versus CT on the basis of other clinical factors\n"
      "variant 2 \"y\"\n"
      "  rate \"MRI lumbar spine without IV contrast\" \"CT recommended\"\n",
      "  scale pecarn\n");
  INFO(messages(q));
  CHECK(codes(q).empty());
}

TEST_CASE("v1: a negative score line does not continue the line above") {
  auto r = compile_snippet(
      "patient\n  young : bool \"Young\"\n  sick : bool \"Sick\"\n"
      "score s \"S\"\n  2 if sick\n  -1 if young\n"
      "criterion c \"c\":\n  s >= 1\n"
      "variant 1 \"x\"\n  when c\n  rate \"MRI lumbar spine without IV contrast\" usually not appropriate\n");
  INFO(messages(r));
  REQUIRE(r.graph);
  REQUIRE(r.graph->scores[0].lines.size() == 2);
  CHECK(r.graph->scores[0].lines[1].points == -1);
}

TEST_CASE("v1: unit, dimension and linearity errors say why, naming the units") {
  auto check = [](const std::string& body, const std::string& code, const std::string& text) {
    auto r = compile_snippet(std::string(wells_facts) + body);
    INFO(messages(r));
    CHECK(codes(r) == std::vector<std::string>{code});
    CHECK(messages(r).find(text) != std::string::npos);
  };
  check("criterion a \"a\":\n  heart_rate > 100\n", "R0313",
        "`heart_rate` is a quantity in `/min` (rate), but `100` is a bare number");
  check("criterion a \"a\":\n  d_dimer >= 500 mm[Hg]\n", "R0314", "(mass concentration)");
  check("criterion a \"a\":\n  d_dimer >= 5 mmHg\n", "R0315", "write the UCUM code `mm[Hg]`");
  check("value v \"v\" =\n  (age in years) * heart_rate\ncriterion a \"a\":\n  v > 1 /min\n", "R0316",
        "both depend on the patient");
  check("value v \"v\" =\n  dvt_signs + 1\ncriterion a \"a\":\n  v > 1\n", "R0317",
        "`dvt_signs` is a true/false condition, but `+` needs a number");
  check("criterion a \"a\":\n  symptom_duration >= 6\n", "R0301", "(UCUM `s`, `min`, `h`, `d`, `wk`, `mo`, `a`)");
}

TEST_CASE("v1: a score that uses itself through a criterion is a cycle") {
  auto r = compile_snippet(
      "patient\n  x : bool \"x\"\n"
      "score s \"S\"\n  1 if x\n  1 if c\n"
      "criterion c \"c\":\n  s > 1\n");
  INFO(messages(r));
  CHECK(codes(r) == std::vector<std::string>{"R0306"});
}
