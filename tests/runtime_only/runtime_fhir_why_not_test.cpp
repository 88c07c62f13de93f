// Why-not from a FHIR Bundle names the resource that would have to exist or
// change (runtime/fhir_why_not.hpp), on the compiled Low Back Pain graph and
// the seed Bundle (guidelines/acr/cases/seed-55yo.bundle.json): the exact
// text, and an independent check of every claim the seed's why-not makes
// about a resource: a Bundle built by hand with that resource added (the
// codes written here, not read from the graph) is decoded and evaluated, and
// the MRI gets the category and variant the option says.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "runtime/evaluate.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/fhir_why_not.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/why_not.hpp"

using namespace rubric::runtime;

namespace {

const graph& lbp() {
  static graph g = [] {
    graph_load_result r = load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json");
    REQUIRE(r);
    return std::move(*r.value);
  }();
  return g;
}

std::string seed_text() {
  std::ifstream in(std::string(RUBRIC_SOURCE_DIR) + "/guidelines/acr/cases/seed-55yo.bundle.json", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The seed Bundle with `entries` (JSON objects, comma-separated) added as its first entries.
std::string seed_with(const std::string& entries) {
  std::string text = seed_text();
  auto at = text.find("\"entry\"");
  REQUIRE(at != std::string::npos);
  at = text.find('[', at);
  return text.substr(0, at + 1) + entries + "," + text.substr(at + 1);
}

patient decode(const std::string& json) {
  patient p;
  fhir_provenance where;
  std::string error;
  fhir_decoder decoder(lbp());
  REQUIRE(decoder.decode(json, p, where, error));
  return p;
}

const char* const mri = "MRI lumbar spine without IV contrast";

// The MRI's category label and variant id for a patient.
std::pair<std::string, std::string> mri_rating(const patient& p) {
  const graph& g = lbp();
  evaluation e;
  evaluate(g, p, e);
  why_not_result r = why_not(g, p, mri);  // current_level and current_variant, as the why-not itself reads them
  REQUIRE(r.current_level >= 0);
  return {g.scales[static_cast<std::size_t>(g.rating_scale)].levels[static_cast<std::size_t>(r.current_level)].label,
          g.variants[static_cast<std::size_t>(r.current_variant)].id};
}

std::string condition(const std::string& id, const std::string& system, const std::string& code, const std::string& onset) {
  return R"({"resource":{"resourceType":"Condition","id":")" + id +
         R"(","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},)"
         R"("code":{"coding":[{"system":")" + system + R"(","code":")" + code + R"("}]},"onsetDateTime":")" + onset + R"("}})";
}

}  // namespace

namespace {

std::string procedure_entry(const std::string& id, const std::string& code, const std::string& start, const std::string& end) {
  return R"({"resource":{"resourceType":"Procedure","id":")" + id + R"(","status":"completed",)"
         R"("code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":")" + code + R"("}]},)"
         R"("performedPeriod":{"start":")" + start + R"(","end":")" + end + R"("}}})";
}

// The seed's red-flag screen with one item's answer turned to yes.
std::string seed_screen_yes(const std::string& link_id) {
  std::string text = seed_text();
  const std::string no = "\"linkId\": \"" + link_id + "\", \"answer\": [{\"valueBoolean\": false}]";
  auto at = text.find(no);
  REQUIRE(at != std::string::npos);
  return text.replace(at, no.size(), "\"linkId\": \"" + link_id + "\", \"answer\": [{\"valueBoolean\": true}]");
}

const std::string icd = "http://hl7.org/fhir/sid/icd-10-cm";
const std::string snomed = "http://snomed.info/sct";

}  // namespace

TEST_CASE("fhir why-not: each change of the seed's MRI why-not names the resources, in text and JSON") {
  const graph& g = lbp();
  patient p = decode(seed_text());
  why_not_result r = why_not(g, p, mri);
  REQUIRE(r.options.size() == 4);
  const std::string screen = "the latest completed QuestionnaireResponse to http://example.org/rubric/Questionnaire/lbp-red-flags "
                             "authored within 4 weeks before the order answering ";
  const std::string text = render_why_not_text(g, r, false, fhir_change_words_for(g, p));
  CHECK(text.find(
            "  • red_flags include any of {saddle_anesthesia, bowel_or_bladder_dysfunction, progressive_motor_weakness} → variant 4, Usually appropriate\n"
            "      red_flags include any of {saddle_anesthesia, bowel_or_bladder_dysfunction, progressive_motor_weakness}: for any one of them: "
            "saddle_anesthesia: an active Condition coded in `stdlib.codes.red_flags.saddle_anesthesia` (ICD-10-CM G83.4 Cauda equina syndrome, "
            "ICD-10-CM R20.0 Anesthesia of skin), or " + screen + "\"saddle-anesthesia\" with yes; ") != std::string::npos);
  CHECK(text.find("fever: an active Condition coded in `stdlib.codes.red_flags.fever` (ICD-10-CM R50.9 Fever, unspecified, SNOMED 386661006 Fever) "
                  "with its onset (else its recorded date) within 4 weeks before the order, or " + screen + "\"fever\" with yes; ") != std::string::npos);
  CHECK(text.find("; nocturnal_pain: " + screen + "\"nocturnal-pain\" with yes\n") != std::string::npos);
  CHECK(text.find("low_velocity_trauma: an active Condition coded in `stdlib.codes.red_flags.low_velocity_trauma` (ICD-10-CM W19.XXXA Unspecified fall, "
                  "initial encounter, ICD-10-CM W01* Fall on same level from slipping, tripping and stumbling) with its onset (else its recorded date) "
                  "within 6 weeks before the order, or " + screen + "\"low-velocity-trauma\" with yes; ") != std::string::npos);
  CHECK(text.find(
            "  • conservative_therapy ≥ 6 weeks, improved_with_therapy = false, intervention_candidate = true → variant 3, Usually appropriate\n"
            "      conservative_therapy ≥ 6 weeks: completed or in-progress Procedures coded in `stdlib.codes.low_back_pain.conservative_therapy` "
            "(CPT 97110 Therapeutic exercise, CPT 97161 Physical therapy evaluation, low complexity, CPT 97162 Physical therapy evaluation, "
            "moderate complexity and 2 more) whose performed periods add up to at least 6 weeks\n"
            "      improved_with_therapy = false: no resource can say so: `improved_with_therapy` is unbound (the clinician's judgement of the "
            "response to therapy; no code carries it)\n"
            "      intervention_candidate = true: no resource can say so: `intervention_candidate` is unbound (the surgeon's or "
            "interventionalist's judgement; no code carries it)\n") != std::string::npos);
  const std::string json = render_why_not_json(g, r, fhir_change_words_for(g, p));
  CHECK(json.find(R"({"fact":"intervention_candidate","condition":"intervention_candidate = true","record":"no resource can say so: )"
                  R"x(`intervention_candidate` is unbound (the surgeon's or interventionalist's judgement; no code carries it)"})x") != std::string::npos);
  // A patient given as JSON gets the why-not in facts only, as before.
  CHECK(render_why_not_text(g, r, false).find("Condition") == std::string::npos);
}

// Each claim, checked on a Bundle built by hand: the resource the words
// name, added to the seed (or the screen changed), gives the variant and
// category the option says; one just outside a window named does not.
TEST_CASE("fhir why-not: the resources named for the seed's MRI change its rating as claimed") {
  const graph& g = lbp();
  REQUIRE(mri_rating(decode(seed_text())) == std::make_pair(std::string("Usually not appropriate"), std::string("2")));
  const auto appropriate_in = [](const char* variant) { return std::make_pair(std::string("Usually appropriate"), std::string(variant)); };
  // Variant 4: cauda equina signs on the problem list (any of the three members).
  CHECK(mri_rating(decode(seed_with(condition("ce", icd, "G83.4", "2025-05-30")))) == appropriate_in("4"));
  CHECK(mri_rating(decode(seed_with(condition("ret", icd, "R33.9", "2024-01-10")))) == appropriate_in("4"));
  CHECK(mri_rating(decode(seed_with(condition("weak", icd, "R53.1", "2025-05-01")))) == appropriate_in("4"));
  CHECK(mri_rating(decode(seed_screen_yes("saddle-anesthesia"))) == appropriate_in("4"));
  // Variant 7: fever within 4 weeks before the order (2025-06-02), not before; a cancer history; night pain on the screen.
  CHECK(mri_rating(decode(seed_with(condition("fev", snomed, "386661006", "2025-05-05")))) == appropriate_in("7"));
  CHECK(mri_rating(decode(seed_with(condition("old-fev", snomed, "386661006", "2025-05-04")))).second == "2");
  CHECK(mri_rating(decode(seed_with(condition("ca", icd, "Z85.3", "2019-02-01")))) == appropriate_in("7"));
  CHECK(mri_rating(decode(seed_screen_yes("nocturnal-pain"))) == appropriate_in("7"));
  CHECK(mri_rating(decode(seed_screen_yes("fever"))) == appropriate_in("7"));
  // Variant 6: osteoporosis; a fall within 6 weeks before the order.
  CHECK(mri_rating(decode(seed_with(condition("op", icd, "M81.0", "2021-03-01")))) == appropriate_in("6"));
  CHECK(mri_rating(decode(seed_with(condition("fall", icd, "W19.XXXA", "2025-04-21")))) == appropriate_in("6"));
  CHECK(mri_rating(decode(seed_with(condition("old-fall", icd, "W19.XXXA", "2025-04-20")))).second == "2");
  // Variant 3: six weeks of physical therapy make conservative_therapy at least 6 weeks, as said; the other two
  // facts are declared unbound, so no Bundle gives them and the MRI cannot reach variant 3 from FHIR alone.
  patient pt = decode(seed_with(procedure_entry("pt", "97110", "2025-03-17", "2025-04-27")));
  std::uint32_t therapy = 0, improved = 0, candidate = 0;
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) {
    if (g.facts[s].id == "conservative_therapy") therapy = s;
    if (g.facts[s].id == "improved_with_therapy") improved = s;
    if (g.facts[s].id == "intervention_candidate") candidate = s;
  }
  REQUIRE(pt.slots[therapy].known);
  CHECK(pt.slots[therapy].number == 42);
  CHECK(!pt.slots[improved].known);
  CHECK(!pt.slots[candidate].known);
  bool declared_improved = false, declared_candidate = false;
  for (const fhir_unbound& u : g.fhir.unbound) {
    declared_improved = declared_improved || (u.slot == improved && u.member < 0);
    declared_candidate = declared_candidate || (u.slot == candidate && u.member < 0);
  }
  CHECK(declared_improved);
  CHECK(declared_candidate);
}
