// Tests the example runner behind `rubric test`: `given` → patient, every
// kind of `expect` (passing and failing, with the failure's words), bad
// `given` values, assumptions, and the coverage report.
#include <catch2/catch.hpp>

#include <string>

#include "compiler/tools/example_runner.hpp"
#include "compiler/pipeline/pipeline.hpp"

namespace {

using rubric::compiler::compile_text;
using rubric::compiler::run_examples;

// A small guideline on the real stdlib; examples are appended per test.
const std::string base = R"(guideline mini "Mini guideline"
  scale     stdlib.acr.appropriateness
  radiation stdlib.acr.relative_radiation_level
  select    first

import stdlib.acr
import stdlib.spine

patient
  symptom_duration : duration        "How long the pain has lasted"
  red_flags        : set of red_flag "Red flags found"
  candidate        : bool            "Candidate for surgery"

let subacute = 6 weeks

criterion persistent_pain "Pain has lasted 6 weeks or longer":
  symptom_duration >= subacute

criterion no_red_flags "No red flags":
  red_flags is empty

variant early "Early pain"
  when not persistent_pain and no_red_flags
  rate "Radiography lumbar spine"            Usually not appropriate
  rate "MRI lumbar spine without IV contrast" Usually not appropriate
  source "test"

variant late "Persistent pain"
  when persistent_pain and no_red_flags
  rate "Radiography lumbar spine"            May be appropriate
  rate "MRI lumbar spine without IV contrast" Usually appropriate
  source "test"

otherwise "Red flags"
  advise "Not covered"

assume symptom_duration >= 0 days "Durations are not negative"
)";

struct compiled {
  rubric::compiler::compile_result result;
  const rubric::runtime::graph& graph() const { return *result.graph; }
  const rubric::compiler::ast::module& root() const { return result.modules.front(); }
};

compiled compile(const std::string& examples) {
  compiled c{compile_text("mini.rubric", base + examples)};
  INFO(rubric::compiler::render_text(c.result.sources, c.result.diagnostics.items()));
  REQUIRE_FALSE(c.result.diagnostics.has_errors());
  REQUIRE(c.result.graph);
  return c;
}

}  // namespace

TEST_CASE("examples whose expectations hold pass", "[example_runner]") {
  auto c = compile(R"(
example "early"
  given symptom_duration = 2 weeks, red_flags = {}
  expect variant early
  expect status matched
  expect "MRI lumbar spine without IV contrast" usually not appropriate
  expect "Radiography lumbar spine" usually_not_appropriate

example "late, UCUM units"
  given symptom_duration = 2 mo, red_flags = {}
  expect variant late
  expect radiography_lumbar May be appropriate

example "red flags"
  given symptom_duration = 1 wk, red_flags = {fever}
  expect status no_criteria_apply

example "undetermined"
  given red_flags = {}
  expect status undetermined
  expect missing symptom_duration
  expect candidates late, early
)");
  auto run = run_examples(c.root(), c.graph());
  REQUIRE(run.outcomes.size() == 4);
  for (const auto& o : run.outcomes) {
    INFO(o.example->title.value);
    for (const auto& f : o.failures) INFO(f.expected << " / " << f.actual);
    CHECK(o.passed);
  }
}

TEST_CASE("failed expectations say what was expected and what happened", "[example_runner]") {
  auto c = compile(R"(
example "wrong variant"
  given symptom_duration = 8 weeks, red_flags = {}
  expect variant early

example "wrong rating"
  given symptom_duration = 8 weeks, red_flags = {}
  expect "MRI lumbar spine without IV contrast" Usually not appropriate

example "wrong status and missing"
  given red_flags = {}
  expect status matched
  expect missing red_flags

example "rating when nothing is selected"
  given symptom_duration = 1 wk, red_flags = {fever}
  expect "Radiography lumbar spine" Usually not appropriate
  expect candidates early
)");
  auto run = run_examples(c.root(), c.graph());
  REQUIRE(run.outcomes.size() == 4);
  for (const auto& o : run.outcomes) CHECK_FALSE(o.passed);

  REQUIRE(run.outcomes[0].failures.size() == 1);
  CHECK(run.outcomes[0].failures[0].expected == "variant early");
  CHECK(run.outcomes[0].failures[0].actual == "variant late \"Persistent pain\"");

  REQUIRE(run.outcomes[1].failures.size() == 1);
  CHECK(run.outcomes[1].failures[0].expected == "\"MRI lumbar spine without IV contrast\" Usually not appropriate");
  CHECK(run.outcomes[1].failures[0].actual == "Usually appropriate in variant late");

  REQUIRE(run.outcomes[2].failures.size() == 2);
  CHECK(run.outcomes[2].failures[0].expected == "status matched");
  CHECK(run.outcomes[2].failures[0].actual ==
        "status undetermined: undetermined (candidates early, late; missing symptom_duration)");
  CHECK(run.outcomes[2].failures[1].expected == "missing red_flags");
  CHECK(run.outcomes[2].failures[1].actual == "missing symptom_duration");

  REQUIRE(run.outcomes[3].failures.size() == 2);
  CHECK(run.outcomes[3].failures[0].actual == "nothing is rated: no criteria apply");
  CHECK(run.outcomes[3].failures[1].expected == "candidates early");
  CHECK(run.outcomes[3].failures[1].actual == "no candidates: no criteria apply");
}

TEST_CASE("a given that cannot be applied fails the example without evaluating it", "[example_runner]") {
  auto c = compile(R"(
example "to be edited"
  given symptom_duration = 2 weeks, red_flags = {}
  expect variant early
)");
  // The compiler rejects such examples; edit the parsed example to reach the runner's own checks.
  auto root = c.root();
  auto& given = root.examples[0].given;

  SECTION("a duration without a unit") {
    given[0].value.number_value.unit_of = rubric::compiler::ast::unit::none;
    auto run = run_examples(root, c.graph());
    REQUIRE(run.outcomes[0].failures.size() == 1);
    CHECK(run.outcomes[0].failures[0].actual == "`symptom_duration` needs a duration such as `6 weeks`");
    CHECK(run.outcomes[0].evaluation.values.empty());
  }
  SECTION("a name that is not a fact") {
    given[0].fact.text = "symptom_length";
    auto run = run_examples(root, c.graph());
    REQUIRE(run.outcomes[0].failures.size() == 1);
    CHECK(run.outcomes[0].failures[0].actual == "`symptom_length` is not a patient fact of this guideline");
  }
  SECTION("a member that is not in the enum") {
    rubric::compiler::ast::expr member;
    member.kind = rubric::compiler::ast::expr_kind::name;
    member.text_value = "headache";
    given[1].value.operands.push_back(member);
    auto run = run_examples(root, c.graph());
    REQUIRE(run.outcomes[0].failures.size() == 1);
    CHECK(run.outcomes[0].failures[0].actual == "`headache` is not a member of `red_flag`");
  }
  SECTION("the same fact twice") {
    given.push_back(given[0]);
    auto run = run_examples(root, c.graph());
    REQUIRE(run.outcomes[0].failures.size() == 1);
    CHECK(run.outcomes[0].failures[0].actual == "`symptom_duration` is given twice");
  }
}

TEST_CASE("coverage counts variants, ratings and both truth values of criteria", "[example_runner]") {
  auto c = compile(R"(
example "early"
  given symptom_duration = 2 weeks, red_flags = {}
  expect "Radiography lumbar spine" Usually not appropriate
)");
  auto run = run_examples(c.root(), c.graph());
  const auto& g = c.graph();
  const auto& cov = run.coverage;
  CHECK(cov.examples == 1);
  CHECK(cov.matched == 1);
  REQUIRE(g.variants.size() == 2);
  CHECK(cov.variant_hits[0] == 1);
  CHECK(cov.variant_hits[1] == 0);
  CHECK(cov.rating_asserts[0][0] == 1);
  CHECK(cov.rating_asserts[0][1] == 0);
  CHECK_FALSE(rubric::compiler::coverage_complete(g, cov));

  auto report = rubric::compiler::render_coverage(g, cov, "mini.rubric");
  CHECK(report.find("coverage of mini.rubric (1 example)\n") != std::string::npos);
  CHECK(report.find("  variants   1/2 selected by an example\n") != std::string::npos);
  CHECK(report.find("  ratings    2/4 reached (1 checked by an `expect`)\n") != std::string::npos);
  CHECK(report.find("  criteria   0/2 seen both true and false\n") != std::string::npos);
  CHECK(report.find("not reached by any example:\n") != std::string::npos);
  CHECK(report.find("  variant late \"Persistent pain\" is never selected (2 ratings unreached)\n") !=
        std::string::npos);
  CHECK(report.find("  criterion `persistent_pain` is never true\n") != std::string::npos);
  CHECK(report.find("  criterion `no_red_flags` is never false\n") != std::string::npos);
  CHECK(report.find("  the `otherwise` outcome \"Red flags\" is never reached\n") != std::string::npos);
}

TEST_CASE("full coverage reports nothing unreached", "[example_runner]") {
  auto c = compile(R"(
example "early"
  given symptom_duration = 2 weeks, red_flags = {}
  expect variant early
example "late"
  given symptom_duration = 8 weeks, red_flags = {}
  expect variant late
example "red flags"
  given symptom_duration = 8 weeks, red_flags = {fever}
  expect status no_criteria_apply
)");
  auto run = run_examples(c.root(), c.graph());
  CHECK(rubric::compiler::coverage_complete(c.graph(), run.coverage));
  auto report = rubric::compiler::render_coverage(c.graph(), run.coverage, "mini.rubric");
  CHECK(report.find("not reached by any example: nothing\n") != std::string::npos);
}
