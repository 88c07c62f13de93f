// Questionnaire answers and `or` alternatives in the FHIR Bundle decoder
// (docs/fhir.md, "Questionnaire answers"), against the compiled Low Back Pain
// graph: each red flag comes from a Condition or the clinician's red-flag
// screen. The latest completed screen wins, nested items count, an
// unanswered item or an answer of the wrong type is unknown, two screens of
// the same day that disagree are a data-quality warning, and the
// alternatives combine by Kleene OR.
#include <catch2/catch.hpp>

#include <string>

#include "runtime/evaluate.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/graph_io.hpp"
#include "tests/runtime_only/fhir_test_bundles.hpp"

using namespace rubric::runtime;

namespace {

using namespace rubric::test::fhir;

std::uint32_t red_flags() { return slot(lbp(), "red_flags"); }

// A screen answering every flag no except those in `except` (linkId → answer value; nullptr: unanswered).
std::string screen(const std::string& id, const std::string& status, const std::string& authored,
                   std::initializer_list<std::pair<const char*, const char*>> except = {}) {
  std::string items;
  for (const char* f : red_flag_links) {
    std::string value = R"("valueBoolean":false)";
    bool skip = false;
    for (const auto& [link, v] : except)
      if (std::string(link) == f) {
        skip = v == nullptr;
        if (v) value = v;
      }
    if (!skip) items += (items.empty() ? "" : ",") + item(f, value);
  }
  return screen_response(id, status, authored, R"({"linkId":"flags","item":[)" + items + "]}");
}

std::string bundle(const std::string& extra) { return order_bundle(R"("birthDate":"1970-06-02")", extra); }

struct decoded {
  patient p;
  fhir_provenance where;
  std::string error;
  bool ok = false;
  std::string words() const { return where.facts[red_flags()]; }
  std::string value() const { return format_value(lbp(), p, red_flags()); }
};

decoded decode(const std::string& json) {
  decoded d;
  fhir_decoder decoder(lbp());
  d.ok = decoder.decode(json, d.p, d.where, d.error);
  INFO(d.error);
  REQUIRE(d.ok);
  return d;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("fhir answers: a screen with every flag no decides red_flags as none; a yes names the item") {
  decoded none = decode(bundle(screen("s", "completed", "2025-06-01")));
  CHECK(none.value() == "{}");
  CHECK(has(none.words(), "excludes nocturnal_pain: QuestionnaireResponse/s item nocturnal-pain answered no, authored 2025-06-01"));

  decoded night = decode(bundle(screen("s", "completed", "2025-06-01", {{"nocturnal-pain", R"("valueBoolean":true)"}})));
  CHECK(night.value() == "{nocturnal_pain}");
  CHECK(has(night.words(), "includes nocturnal_pain: QuestionnaireResponse/s item nocturnal-pain answered yes, authored 2025-06-01"));
  evaluation e;
  evaluate(lbp(), night.p, e);
  REQUIRE(e.result == status::matched);
  CHECK(lbp().variants[e.selected.at(0)].id == "7");
}

TEST_CASE("fhir answers: no screen, an unfinished one, another questionnaire's or an old one leave red flags unknown") {
  decoded without = decode(bundle(""));
  CHECK_FALSE(without.p.known(red_flags()));
  CHECK(has(without.words(), "nocturnal_pain (unknown: no completed QuestionnaireResponse to "
                             "`http://example.org/rubric/Questionnaire/lbp-red-flags` in the window)"));
  CHECK_FALSE(decode(bundle(screen("s", "in-progress", "2025-06-01"))).p.known(red_flags()));
  std::string other = screen("s", "completed", "2025-06-01");
  other.replace(other.find("lbp-red-flags"), 13, "other-screen");
  CHECK_FALSE(decode(bundle(other)).p.known(red_flags()));
  decoded old = decode(bundle(screen("s", "completed", "2025-04-01")));  // 9 weeks before the order: outside 4 weeks
  CHECK_FALSE(old.p.known(red_flags()));
  CHECK(decode(bundle(screen("s", "amended", "2025-05-06"))).value() == "{}");  // 27 days before: inside
}

TEST_CASE("fhir answers: the latest screen wins; an unanswered item is unknown; same-day screens that disagree warn") {
  decoded later = decode(bundle(screen("old", "completed", "2025-05-20", {{"fever", R"("valueBoolean":true)"}}) + "," +
                                screen("new", "completed", "2025-06-01")));
  CHECK(later.value() == "{}");
  CHECK(has(later.words(), "excludes fever: no Condition in `stdlib.codes.red_flags.fever`, and conditions are declared complete; "
                           "QuestionnaireResponse/new item fever answered no, authored 2025-06-01"));

  decoded skipped = decode(bundle(screen("s", "completed", "2025-06-01", {{"fever", nullptr}})));
  CHECK_FALSE(skipped.p.known(red_flags()));
  CHECK(has(skipped.words(), "undecided fever (unknown: no Condition in `stdlib.codes.red_flags.fever`, and conditions are declared complete; "
                             "QuestionnaireResponse/s (authored 2025-06-01) leaves item fever unanswered)"));

  decoded clash = decode(bundle(screen("a", "completed", "2025-06-01") + "," +
                                screen("b", "completed", "2025-06-01", {{"fever", R"("valueBoolean":true)"}})));
  CHECK_FALSE(clash.p.known(red_flags()));
  REQUIRE(clash.p.warnings.size() == 1);
  CHECK(clash.p.warnings[0] ==
        "data quality: QuestionnaireResponse/a and QuestionnaireResponse/b (authored 2025-06-01) answer item fever differently (no and yes); it is unknown");
}

TEST_CASE("fhir answers: yes/no Codings count; other answer types are unknown") {
  decoded loinc = decode(bundle(screen("s", "completed", "2025-06-01",
                                       {{"fever", R"("valueCoding":{"system":"http://loinc.org","code":"LA33-6","display":"Yes"})"},
                                        {"osteoporosis", R"("valueCoding":{"system":"http://terminology.hl7.org/CodeSystem/v2-0136","code":"N"})"}})));
  CHECK(loinc.value() == "{fever}");
  CHECK(has(loinc.words(), "includes fever: QuestionnaireResponse/s item fever answered LA33-6 Yes, authored 2025-06-01"));
  decoded text = decode(bundle(screen("s", "completed", "2025-06-01", {{"fever", R"("valueString":"maybe")"}})));
  CHECK_FALSE(text.p.known(red_flags()));
  CHECK(has(text.words(), "QuestionnaireResponse/s item fever answered an answer of another type, not yes or no (authored 2025-06-01)"));
  decoded number = decode(bundle(screen("s", "completed", "2025-06-01", {{"fever", R"("valueInteger":1)"}})));
  CHECK(has(number.words(), "QuestionnaireResponse/s item fever answered 1, not yes or no (authored 2025-06-01)"));
}

TEST_CASE("fhir answers: `or` is Kleene OR — a Condition's yes wins over the screen's no, and a yes decides an unknown") {
  std::string fever = R"({"resource":{"resourceType":"Condition","id":"fev","code":{"coding":[{"system":"http://snomed.info/sct","code":"386661006"}]},"onsetDateTime":"2025-05-30"}})";
  decoded both = decode(bundle(screen("s", "completed", "2025-06-01") + "," + fever));
  CHECK(both.value() == "{fever}");
  CHECK(has(both.words(), "includes fever: Condition/fev (SNOMED 386661006), onset 2025-05-30\n"));
  // The fever Condition has no date, so it cannot be placed in the window (unknown); the screen says yes.
  std::string undated = R"({"resource":{"resourceType":"Condition","id":"fev","code":{"coding":[{"system":"http://snomed.info/sct","code":"386661006"}]}}})";
  decoded yes = decode(bundle(screen("s", "completed", "2025-06-01", {{"fever", R"("valueBoolean":true)"}}) + "," + undated));
  CHECK(yes.value() == "{fever}");
  CHECK(has(yes.words(), "includes fever: QuestionnaireResponse/s item fever answered yes, authored 2025-06-01"));
}

TEST_CASE("fhir answers: malformed QuestionnaireResponse items are errors naming their path") {
  fhir_decoder decoder(lbp());
  patient p;
  fhir_provenance where;
  std::string error;
  auto qr = [](const std::string& items) {
    return bundle(R"({"resource":{"resourceType":"QuestionnaireResponse","id":"s","status":"completed","item":)" + items + "}}");
  };
  CHECK_FALSE(decoder.decode(qr("{}"), p, where, error));
  CHECK(error == "entry[2].resource.item: expected an array");
  CHECK_FALSE(decoder.decode(qr(R"([{"linkId":"a","answer":[{"valueBoolean":"no"}]}])"), p, where, error));
  CHECK(error == "entry[2].resource.item[0].answer[0].valueBoolean: expected true or false");
  CHECK_FALSE(decoder.decode(qr(R"([{"linkId":"a","item":[{"linkId":7}]}])"), p, where, error));
  CHECK(error == "entry[2].resource.item[0].item[0].linkId: expected a string");
}
