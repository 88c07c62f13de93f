// Shared fixtures of the FHIR Bundle decoder tests (runtime_fhir_test.cpp,
// runtime_fhir_answers_test.cpp, runtime_partial_set_lbp_test.cpp): the
// compiled Low Back Pain graph, fact slots by name, and Bundles built from
// JSON pieces — the seed patient's order, the clinician's red-flag screen.
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "runtime/graph_io.hpp"

namespace rubric::test::fhir {

// The compiled Low Back Pain graph (tests/runtime_only/data), loaded once.
inline const runtime::graph& lbp() {
  static runtime::graph g = [] {
    runtime::graph_load_result r =
        runtime::load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json");
    REQUIRE(r);
    return std::move(*r.value);
  }();
  return g;
}

inline std::uint32_t slot(const runtime::graph& g, const std::string& id) {
  for (std::uint32_t i = 0; i < g.facts.size(); ++i)
    if (g.facts[i].id == id) return i;
  FAIL("no fact " << id);
  return 0;
}

// The red-flag screen of the Low Back Pain bindings (this project's own questionnaire).
inline constexpr const char* screen_url = "http://example.org/rubric/Questionnaire/lbp-red-flags";

// Its items' linkIds, one per red flag.
inline constexpr const char* red_flag_links[] = {
    "saddle-anesthesia", "bowel-or-bladder-dysfunction", "progressive-motor-weakness", "history-of-cancer",
    "unexplained-weight-loss", "fever", "immunosuppression", "iv-drug-use", "nocturnal-pain",
    "low-velocity-trauma", "osteoporosis", "chronic-steroid-use", "significant-trauma"};

// One answered item: `value` is the answer's JSON members (`"valueBoolean":false`).
inline std::string item(const std::string& link, const std::string& value) {
  return R"({"linkId":")" + link + R"(","answer":[{)" + value + "}]}";
}

// A QuestionnaireResponse to the screen (version 1.0, which the decoder
// ignores) whose top-level items are `items` (JSON objects, comma-separated).
inline std::string screen_response(const std::string& id, const std::string& status, const std::string& authored,
                                   const std::string& items) {
  return R"({"resource":{"resourceType":"QuestionnaireResponse","id":")" + id + R"(","questionnaire":")" + screen_url +
         R"(|1.0","status":")" + status + R"(","authored":")" + authored + R"(","item":[)" + items + "]}}";
}

// A Bundle: Patient/p with `patient_fields` (`"birthDate":"1970-06-02"`), the
// order ServiceRequest/mri (CPT 72148, authored 2025-06-02), then `entries`
// (JSON objects, comma-separated; may be empty).
inline std::string order_bundle(const std::string& patient_fields, const std::string& entries) {
  return R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"p")" +
         (patient_fields.empty() ? "" : "," + patient_fields) +
         R"(}},{"resource":{"resourceType":"ServiceRequest","id":"mri","status":"active","authoredOn":"2025-06-02",)"
         R"("code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72148"}]}}})" +
         (entries.empty() ? "" : "," + entries) + "]}";
}

}  // namespace rubric::test::fhir
