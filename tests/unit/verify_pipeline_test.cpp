// The verifier inside the pipeline: `rubric check`/`compile` get the
// error-level findings (and no graph), the data requirements are written into
// the compiled graph, and the real Low Back Pain guideline verifies clean.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/lint/lint.hpp"
#include "compiler/pipeline/pipeline.hpp"
#include "compiler/verify/verify.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"

using namespace rubric;

namespace {

std::vector<std::string> codes(const compiler::diagnostic_sink& sink) {
  std::vector<std::string> out;
  for (const auto& d : sink.items()) out.emplace_back(compiler::info(d.code).code);
  return out;
}

const std::string src = std::string(RUBRIC_SOURCE_DIR) + "/";

}  // namespace

TEST_CASE("verify pipeline: compile reports error-level findings only, and no graph", "[verify]") {
  auto r = compiler::compile_file(src + "tests/verify/guard_never_holds.rubric");
  CHECK(codes(r.diagnostics) == std::vector<std::string>{"R0501"});
  CHECK_FALSE(r.graph);
  auto warn = compiler::compile_file(src + "tests/verify/coverage_gap.rubric");
  CHECK(codes(warn.diagnostics).empty());  // a gap is a lint warning, not a compile error
  CHECK(warn.graph);
}

TEST_CASE("verify pipeline: each flawed guideline in tests/verify has its finding", "[verify]") {
  const std::pair<const char*, const char*> cases[] = {
      {"guard_never_holds", "R0501"},      {"variant_shadowed", "R0502"},       {"unique_overlap", "R0503"},
      {"coverage_gap", "R0504"},           {"variant_overlap", "R0505"},        {"transition_never_leads", "R0506"},
      {"variant_requires", "R0507"},       {"example_violates_assume", "R0508"}, {"assumptions_contradict", "R0509"},
  };
  for (const auto& [name, code] : cases) {
    INFO(name);
    auto r = compiler::lint_file(src + "tests/verify/" + name + ".rubric");
    std::vector<std::string> c = codes(r.diagnostics);
    CHECK(std::count(c.begin(), c.end(), code) >= 1);
    for (const auto& d : r.diagnostics.items())
      for (const auto& n : d.notes) CHECK(n.find("did not replay") == std::string::npos);
  }
}

TEST_CASE("verify pipeline: the Low Back Pain guideline verifies clean and lists its data needs", "[verify]") {
  auto r = compiler::compile_file(src + "guidelines/acr/low_back_pain.rubric");
  REQUIRE(r.graph);
  CHECK(r.diagnostics.error_count() == 0);
  const runtime::graph& g = *r.graph;
  auto slot = [&](const std::string& id) {
    for (std::uint32_t i = 0; i < g.facts.size(); ++i)
      if (g.facts[i].id == id || g.facts[i].id.ends_with("." + id)) return i;
    FAIL("no fact " << id);
    return 0u;
  };
  for (const auto& v : g.variants) {
    INFO("variant " << v.id);
    CHECK_FALSE(v.requires_facts.empty());
    CHECK(std::is_sorted(v.requires_facts.begin(), v.requires_facts.end()));
  }
  // Variant 4 (tried first) needs only the red flags.
  for (const auto& v : g.variants)
    if (v.id == "4") CHECK(v.requires_facts == std::vector<std::uint32_t>{slot("red_flags")});
  auto lint = compiler::lint_file(src + "guidelines/acr/low_back_pain.rubric");
  for (const auto& d : lint.diagnostics.items()) {
    INFO(d.message);
    CHECK(d.level == compiler::severity::info);  // clean with --strict: no warnings, no errors
  }
}

// An example breaks an `assume` only when it makes it false, as the runtime
// judges a patient: facts it leaves unknown keep every `assume` they touch.
TEST_CASE("verify pipeline: examples against assumptions, broken only when false", "[verify]") {
  const std::string text = R"(guideline examples_case "Examples against assumptions"
  scale stdlib.acr.appropriateness
  radiation stdlib.acr.relative_radiation_level

import stdlib.acr
import stdlib.spine

patient
  symptom_duration     : duration         "How long the pain has lasted"
  conservative_therapy : duration         "Conservative management completed"
  red_flags            : set of red_flag  "Red flags found"

criterion persistent_pain "Pain has lasted six weeks or longer":
  symptom_duration >= 6 weeks

variant 1 "Persistent pain"
  when persistent_pain
  rate "MRI lumbar spine without IV contrast" usually not appropriate
  source "test"

otherwise "No variant applies"

assume red_flags is empty "Red flags are triaged elsewhere"
assume conservative_therapy <= symptom_duration "Therapy cannot outlast the pain"
assume symptom_duration <= 1 year "Episodes are under a year"

example "A red flag"
  given red_flags = {fever}, symptom_duration = 8 weeks
  expect status no_criteria_apply

example "Unknown facts can still complete the patient"
  given conservative_therapy = 10 weeks
  expect status undetermined

example "Therapy longer than any allowed episode"
  given conservative_therapy = 2 years
  expect status undetermined
)";
  auto r = compiler::compile_text("examples_case.rubric", text);
  std::vector<std::string> messages;
  for (const auto& d : r.diagnostics.items())
    if (d.code == compiler::diag_code::example_violates_assume) messages.push_back(d.message);
  REQUIRE(messages.size() == 1);
  CHECK(messages[0] == "the `given` values of example \"A red flag\" break `assume red_flags is empty`");
  // "Therapy longer than any allowed episode" leaves symptom_duration unknown:
  // both assumptions on it are unknown, not false, and the runtime agrees.
  compiler::compile_options unverified;
  unverified.verify = false;
  auto plain = compiler::compile_text("examples_case.rubric", text, unverified);
  REQUIRE(plain.graph);
  runtime::patient_decoder dec(*plain.graph);
  runtime::patient p;
  std::string error;
  REQUIRE(dec.decode(R"({"conservative_therapy": "2 years"})", p, error));
  runtime::evaluation e;
  runtime::evaluate(*plain.graph, p, e);
  CHECK(e.violated.empty());
}
