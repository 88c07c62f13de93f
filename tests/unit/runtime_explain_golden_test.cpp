// Golden explanations: the Low Back Pain guideline compiled in memory, one
// patient per variant plus undetermined, no-criteria-apply and a data-quality
// case, rendered as text and JSON and compared with tests/explanations/.
// The seed patient also gets the why-not for MRI. To refresh after a reviewed
// change: RUBRIC_UPDATE_GOLDEN=1 build-<you>/tests/rubric_tests "[explain-golden]".
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/pipeline/pipeline.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/patient.hpp"
#include "runtime/why_not.hpp"

namespace fs = std::filesystem;
using namespace rubric::runtime;

namespace {

const char* guideline = "guidelines/acr/low_back_pain.rubric";
const fs::path dir = fs::path(RUBRIC_SOURCE_DIR) / "tests/explanations";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void golden(const fs::path& file, const std::string& actual) {
  if (std::getenv("RUBRIC_UPDATE_GOLDEN")) {
    std::ofstream(file, std::ios::binary) << actual;
    return;
  }
  INFO("golden file " << file.string() << " (RUBRIC_UPDATE_GOLDEN=1 rewrites it)");
  REQUIRE(fs::exists(file));
  CHECK(slurp(file) == actual);
}

const graph& lbp() {
  // Verification is `rubric check`'s job; explanations need only the graph.
  rubric::compiler::compile_options options;
  options.verify = false;
  static rubric::compiler::compile_result r = rubric::compiler::compile_file(guideline, options);
  REQUIRE(r.graph.has_value());
  return *r.graph;
}

}  // namespace

TEST_CASE("golden explanations for the Low Back Pain guideline", "[explain-golden]") {
  const graph& g = lbp();
  struct row { const char* name; const char* status; const char* variant; };
  const row rows[] = {
      {"variant1", "matched", "1"}, {"variant2_seed", "matched", "2"}, {"variant3", "matched", "3"},
      {"variant4", "matched", "4"}, {"variant5", "matched", "5"},      {"variant6", "matched", "6"},
      {"variant7", "matched", "7"}, {"undetermined", "undetermined", ""}, {"no_criteria_apply", "no_criteria_apply", ""},
      {"warnings", "no_criteria_apply", ""},
  };
  patient_decoder decoder(g);
  for (const row& r : rows) {
    INFO(r.name);
    patient p;
    std::string error;
    REQUIRE(decoder.decode(slurp(dir / (std::string(r.name) + ".patient.json")), p, error));
    evaluation e;
    evaluate(g, p, e);
    CHECK(status_name(e.result) == r.status);
    if (*r.variant) {
      REQUIRE(!e.selected.empty());
      CHECK(g.variants[e.selected[0]].id == r.variant);
    }
    explanation x = explain(g, p, e);
    std::string text = render_explanation_text(g, p, x, {false, 100});
    std::string json = render_explanation_json(g, p, x);
    if (std::string(r.name) == "variant2_seed") {
      why_not_result wn = why_not(g, p, "MRI lumbar spine without IV contrast");
      text += render_why_not_text(g, wn);
      json += render_why_not_json(g, wn) + "\n";
    }
    golden(dir / (std::string(r.name) + ".expected.txt"), text);
    golden(dir / (std::string(r.name) + ".expected.json"), json);
  }
}

TEST_CASE("the seed explanation says why MRI is usually not appropriate", "[explain-golden]") {
  const graph& g = lbp();
  patient_decoder decoder(g);
  patient p;
  std::string error;
  REQUIRE(decoder.decode(slurp(dir / "variant2_seed.patient.json"), p, error));
  evaluation e;
  evaluate(g, p, e);
  std::string text = render_explanation_text(g, p, explain(g, p, e), {false, 100});
  // The verdict, the reason in the author's labels, the fact values, the rating.
  CHECK(text.find("matched variant 2 — Subacute or chronic low back pain") != std::string::npos);
  CHECK(text.find("✓ No red flags: yes") != std::string::npos);
  CHECK(text.find("symptom_duration = 12 weeks") != std::string::npos);
  CHECK(text.find("conservative_therapy = 0 days") != std::string::npos);
  bool rated = false;
  std::istringstream lines(text);
  for (std::string l; std::getline(lines, l);)
    rated = rated || (l.rfind("  MRI lumbar spine without IV contrast ", 0) == 0 && l.find("Usually not appropriate") != std::string::npos);
  CHECK(rated);
  why_not_result wn = why_not(g, p, "MRI lumbar spine without IV contrast");
  std::string w = render_why_not_text(g, wn);
  CHECK(w.find("conservative_therapy ≥ 6 weeks, improved_with_therapy = false, intervention_candidate = true → variant 3, Usually appropriate") !=
        std::string::npos);
}
