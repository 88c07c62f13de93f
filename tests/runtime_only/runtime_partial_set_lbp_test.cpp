// Partial sets end to end on the compiled Low Back Pain graph: the JSON form
// {"present": […], "absent": […]} in the full and the fast decoder (the same
// patient; malformed forms are errors naming the fact and value), a patient
// with fever found and night pain undecided placed in variant 7 (suspicion of
// cancer, infection or immunosuppression: /work/shared/acr/low_back_pain_2021.md
// names fever among the red flags) instead of undetermined, the explanation
// and why-not text and JSON, and the same from a FHIR Bundle whose night-pain
// code list is empty (the shipped one).
#include <catch2/catch.hpp>

#include <string>

#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/graph_io.hpp"
#include "tests/runtime_only/fhir_test_bundles.hpp"
#include "runtime/patient_fast.hpp"
#include "runtime/why_not.hpp"

using namespace rubric::runtime;

namespace {

using namespace rubric::test::fhir;

// The red flags other than fever and night pain, as JSON list items.
const std::string others =
    R"("saddle_anesthesia","bowel_or_bladder_dysfunction","progressive_motor_weakness","history_of_cancer",)"
    R"("unexplained_weight_loss","immunosuppression","iv_drug_use","low_velocity_trauma","osteoporosis",)"
    R"("chronic_steroid_use","significant_trauma")";
const std::string all_but_night_pain = "[" + others + R"(,"fever"])";

std::string seed_with(const std::string& red_flags) {
  return R"({"id":"p","age":"55 years","symptom_duration":"12 weeks","radiculopathy":true,"red_flags":)" + red_flags +
         R"(,"conservative_therapy":"0 weeks","prior_lumbar_surgery":false,"new_or_progressing_symptoms":false})";
}

patient decode_both(const std::string& json) {
  const graph& g = lbp();
  patient full, fast;
  std::string error;
  patient_decoder decoder(g);
  INFO(json);
  REQUIRE(decoder.decode(json, full, error));
  CHECK(error.empty());
  fast_patient_decoder quick(g);
  REQUIRE(quick.decode(json, fast));
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) {
    CHECK(fast.slots[s].known == full.slots[s].known);
    CHECK(fast.slots[s].bits == full.slots[s].bits);
    CHECK(fast.slots[s].decided == full.slots[s].decided);
    CHECK(fast.slots[s].number == full.slots[s].number);
  }
  return full;
}

std::string decode_error(const std::string& json) {
  patient p;
  std::string error;
  patient_decoder decoder(lbp());
  CHECK_FALSE(decoder.decode(json, p, error));
  fast_patient_decoder quick(lbp());
  CHECK_FALSE(quick.decode(json, p));  // the fast path leaves errors to the full decoder
  return error;
}

}  // namespace

TEST_CASE("partial sets: fever found and night pain undecided is variant 7, not undetermined") {
  const graph& g = lbp();
  const std::string flags = R"({"present":["fever"],"absent":[)" + others + "]}";
  patient p = decode_both(seed_with(flags));
  const std::uint32_t rf = slot(g, "red_flags");
  CHECK_FALSE(p.known(rf));
  CHECK(format_value(g, p, rf) == "{fever} (nocturnal_pain unknown)");
  evaluation e;
  evaluate(g, p, e);
  REQUIRE(e.result == status::matched);
  CHECK(g.variants[e.selected.at(0)].id == "7");
  // With the whole set unknown, the same patient stays undetermined.
  patient whole = decode_both(seed_with("null"));
  evaluate(g, whole, e);
  CHECK(e.result == status::undetermined);
}

TEST_CASE("partial sets: only night pain undecided leaves variant 7 open, and missing names the member") {
  const graph& g = lbp();
  patient p = decode_both(seed_with(R"({"absent":)" + all_but_night_pain + "}"));
  evaluation e;
  evaluate(g, p, e);
  REQUIRE(e.result == status::undetermined);
  REQUIRE(e.candidates.size() == 2);
  CHECK(g.variants[e.candidates[0]].id == "7");
  CHECK(g.variants[e.candidates[1]].id == "2");
  REQUIRE(e.missing == std::vector<std::uint32_t>{slot(g, "red_flags")});
  explanation x = explain(g, p, e);
  std::string text = render_explanation_text(g, p, x);
  CHECK(text.find("missing facts that would decide it: red_flags (undecided: nocturnal_pain)\n") != std::string::npos);
  CHECK(text.find("none found (Night pain that wakes the patient unknown)") != std::string::npos);
  std::string json = render_explanation_json(g, p, x, false);
  CHECK(json.find(R"x("red_flags":"{} (nocturnal_pain unknown)")x") != std::string::npos);
  CHECK(json.find(R"("missing":["red_flags"],"missing_members":{"red_flags":["nocturnal_pain"]})") != std::string::npos);
  // Why not MRI: finding a red flag of variant 7 rates it better; the change
  // decides that member only and leaves night pain undecided.
  why_not_result r = why_not(g, p, "MRI lumbar spine without IV contrast");
  REQUIRE(r.error.empty());
  INFO(render_why_not_text(g, r));
  const why_not_option* to7 = nullptr;
  for (const why_not_option& o : r.options)
    if (g.variants[o.variant].id == "7" && o.changes.size() == 1) to7 = &o;
  REQUIRE(to7 != nullptr);
  CHECK(to7->changes[0].condition ==
        "red_flags include any of {history_of_cancer, unexplained_weight_loss, fever, immunosuppression, iv_drug_use, nocturnal_pain}");
  CHECK(partly_known(to7->changes[0].value));
  CHECK(to7->changes[0].value.bits == std::uint64_t(1) << 3);  // history_of_cancer, the class's first member
}

TEST_CASE("partial sets: the JSON object form, and its errors name the fact and value") {
  const graph& g = lbp();
  const std::uint32_t rf = slot(g, "red_flags");
  // Every member listed: a known set, as the array form would give.
  patient p = decode_both(seed_with(R"({"present":["fever"],"absent":[)" + others + R"(,"nocturnal_pain"]})"));
  CHECK(p.known(rf));
  CHECK(format_value(g, p, rf) == "{fever}");
  patient empty_object = decode_both(seed_with("{}"));
  CHECK_FALSE(empty_object.known(rf));
  CHECK(format_value(g, empty_object, rf) == "unknown");
  patient array = decode_both(seed_with(R"(["fever"])"));
  CHECK(array.known(rf));
  CHECK(format_value(g, array, rf) == "{fever}");

  CHECK(decode_error(seed_with(R"({"present":["fever"],"absent":["fever"]})")) == "`red_flags`: \"fever\" is listed both present and absent");
  CHECK(decode_error(seed_with(R"({"present":["fever"],"maybe":["osteoporosis"]})")) ==
        "`red_flags`: \"maybe\" is not a key of a partly known set; write \"present\" and \"absent\" lists (members in neither are unknown)");
  CHECK(decode_error(seed_with(R"({"present":["fever"],"present":[]})")) == "`red_flags`: \"present\" is given twice");
  CHECK(decode_error(seed_with(R"({"absent":"fever"})")) == "`red_flags`: \"absent\" must be a list of `stdlib.spine.red_flag` members, not \"fever\"");
  CHECK(decode_error(seed_with(R"({"present":["feverish"]})")).starts_with("`red_flags`: \"feverish\" is not a member of `stdlib.spine.red_flag`"));
  CHECK(decode_error(seed_with("3")) ==
        "`red_flags`: 3 is not a list; write an array of `stdlib.spine.red_flag` members, e.g. [], or "
        "{\"present\": [...], \"absent\": [...]} when only some members are known");
}

TEST_CASE("partial sets: a Bundle with fever found and night pain unanswered is variant 7 with its provenance") {
  // Each red flag is a Condition or the clinician's screen (`or`): the screen
  // answers every flag no but night pain, which has no code either, so only
  // night pain stays undecided; the fever Condition still decides
  // `has any of {…, fever, …}` (and rules out nothing else).
  const graph& g = lbp();
  std::string items;
  for (const char* f : red_flag_links)
    if (std::string(f) != "nocturnal-pain") items += (items.empty() ? "" : ",") + item(f, R"("valueBoolean":false)");
  const std::string bundle = order_bundle(
      R"("birthDate":"1970-06-02")",
      screen_response("screen", "completed", "2025-06-01", R"({"linkId":"flags","item":[)" + items + "]}") + "," +
          R"({"resource":{"resourceType":"Condition","id":"fev","code":{"coding":[{"system":"http://snomed.info/sct","code":"386661006"}]},)"
          R"("onsetDateTime":"2025-05-20"}})");
  fhir_decoder decoder(g);
  patient p;
  fhir_provenance where;
  std::string error;
  REQUIRE(decoder.decode(bundle, p, where, error));
  const std::uint32_t rf = slot(g, "red_flags");
  INFO(where.facts[rf]);
  CHECK(format_value(g, p, rf) == "{fever} (nocturnal_pain unknown)");
  CHECK(where.facts[rf].starts_with("partly known: undecided nocturnal_pain ("));
  CHECK(where.facts[rf].find("includes fever: Condition/fev (SNOMED 386661006") != std::string::npos);
  evaluation e;
  evaluate(g, p, e);
  REQUIRE(e.result == status::matched);
  CHECK(g.variants[e.selected.at(0)].id == "7");
}
