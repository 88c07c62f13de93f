// Questionnaire answers that are quantities (docs/fhir.md, "Questionnaire
// answers"): a valueQuantity is converted through the unit table into the
// fact's unit exactly as an Observation's value is (UCUM `wk`, `d`, `mo`, or
// a unit's name), a unit of another dimension or a plain number for a
// duration is unknown with a data-quality warning naming the response, the
// item and the value; and a duration reads in the unit the guideline writes
// its thresholds in ("70 years 93 days", not "25660.5 days").
#include <catch2/catch.hpp>

#include <string>

#include "compiler/pipeline/pipeline.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/patient.hpp"

using namespace rubric;
using namespace rubric::runtime;

namespace {

// A test guideline (no clinical content): each fact from one item of one questionnaire.
constexpr const char* source = R"rubric(guideline answers "Answers that are quantities (a test guideline)"
  scale stdlib.acr.appropriateness

import stdlib.acr
import stdlib.spine

patient
  age              : duration        "Age"
  symptom_duration : duration        "How long the pain has lasted"
  weight           : number 0.. kg   "Body weight"
  pain_score       : integer 0..10   "A pain score"

criterion long "Six weeks or more":
  symptom_duration >= 6 weeks

criterion older "Fifty years or older":
  age >= 50 years

variant 1 "Long"
  when long
  rate "MRI lumbar spine without IV contrast" usually not appropriate

variant 2 "Short"
  when not long and not older and weight > 10 kg and pain_score > 1
  rate "MRI lumbar spine without IV contrast" usually not appropriate

fhir "Everything from one form"
  age              from age at the order
  symptom_duration from answer "duration" in questionnaire "http://example.org/q"
  weight           from answer "weight" in questionnaire "http://example.org/q"
  pain_score       from answer "pain-score" in questionnaire "http://example.org/q"
)rubric";

const graph& answers_graph() {
  static graph g = [] {
    compiler::compile_options o;
    o.verify = false;
    compiler::compile_result r = compiler::compile_text("answers.rubric", source, o);
    INFO(r.diagnostics.items().size());
    REQUIRE(r.graph.has_value());
    return std::move(*r.graph);
  }();
  return g;
}

std::uint32_t slot(const std::string& id) {
  for (std::uint32_t i = 0; i < answers_graph().facts.size(); ++i)
    if (answers_graph().facts[i].id == id) return i;
  FAIL("no fact " << id);
  return 0;
}

// A Bundle: a Patient born `birth`, the order on 2025-06-02, and a completed
// response whose item `link` has the answer `value` (a JSON member).
std::string bundle(const std::string& link, const std::string& value, const std::string& birth = "1955-03-01") {
  return R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","id":"p","birthDate":")" + birth +
         R"("}},{"resource":{"resourceType":"ServiceRequest","id":"mri","authoredOn":"2025-06-02",)"
         R"("code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72148"}]}}},)"
         R"({"resource":{"resourceType":"QuestionnaireResponse","id":"q","questionnaire":"http://example.org/q",)"
         R"("status":"completed","authored":"2025-06-01","item":[{"linkId":")" + link + R"(","answer":[{)" + value + "}]}]}}]}";
}

std::string quantity(const std::string& value, const std::string& unit, const std::string& code) {
  return R"("valueQuantity":{"value":)" + value + R"(,"unit":")" + unit + R"(")" +
         (code.empty() ? "" : R"(,"system":"http://unitsofmeasure.org","code":")" + code + R"(")") + "}";
}

struct decoded {
  patient p;
  fhir_provenance where;
  std::string error;
};

decoded decode(const std::string& json) {
  decoded d;
  fhir_decoder decoder(answers_graph());
  bool ok = decoder.decode(json, d.p, d.where, d.error);
  INFO(d.error);
  REQUIRE(ok);
  return d;
}

}  // namespace

TEST_CASE("fhir answer quantities: a duration answer converts through the unit table, UCUM code or unit name") {
  const std::uint32_t s = slot("symptom_duration");
  decoded weeks = decode(bundle("duration", quantity("6", "wk", "wk")));
  REQUIRE(weeks.p.known(s));
  CHECK(weeks.p.slots[s].number == 42);
  CHECK(format_value(answers_graph(), weeks.p, s) == "6 weeks");
  CHECK(weeks.where.facts[s] == "QuestionnaireResponse/q item duration answered 6 wk, authored 2025-06-01");
  CHECK(weeks.p.warnings.empty());

  decoded days = decode(bundle("duration", quantity("42", "days", "d")));
  CHECK(days.p.slots[s].number == 42);
  decoded months = decode(bundle("duration", quantity("2", "months", "mo")));
  CHECK(months.p.slots[s].number == Approx(2 * units::days_per_month));
  // No UCUM code: the unit's name is looked up in the table.
  decoded named = decode(bundle("duration", quantity("3", "weeks", "")));
  CHECK(named.p.slots[s].number == 21);
  CHECK(named.where.facts[s] == "QuestionnaireResponse/q item duration answered 3 weeks, authored 2025-06-01");
}

TEST_CASE("fhir answer quantities: a number fact with a unit converts; a plain number is in the fact's unit") {
  const std::uint32_t w = slot("weight");
  decoded grams = decode(bundle("weight", quantity("70000", "g", "g")));
  REQUIRE(grams.p.known(w));
  CHECK(grams.p.slots[w].number == 70);
  decoded plain = decode(bundle("weight", R"("valueDecimal":70.5)"));
  CHECK(plain.p.slots[w].number == 70.5);
  decoded score = decode(bundle("pain-score", R"("valueInteger":4)"));
  CHECK(score.p.slots[slot("pain_score")].number == 4);
}

TEST_CASE("fhir answer quantities: a unit of another dimension, a plain number for a duration, or a value out of range is unknown with a warning") {
  const std::uint32_t s = slot("symptom_duration");
  decoded kilos = decode(bundle("duration", quantity("6", "kg", "kg")));
  CHECK_FALSE(kilos.p.known(s));
  REQUIRE(kilos.p.warnings.size() == 1);
  CHECK(kilos.p.warnings[0].starts_with("data quality: QuestionnaireResponse/q item duration has value 6 kg: "));
  CHECK(kilos.where.facts[s] ==
        "unknown: QuestionnaireResponse/q item duration answered 6 kg, which does not convert to `symptom_duration` (authored 2025-06-01)");

  decoded bare = decode(bundle("duration", R"("valueInteger":6)"));
  CHECK_FALSE(bare.p.known(s));
  REQUIRE(bare.p.warnings.size() == 1);
  CHECK(bare.p.warnings[0] == "data quality: QuestionnaireResponse/q item duration has value 6: a number without a unit is not a duration");

  decoded high = decode(bundle("pain-score", R"("valueInteger":11)"));
  CHECK_FALSE(high.p.known(slot("pain_score")));
  REQUIRE(high.p.warnings.size() == 1);
  CHECK(high.p.warnings[0] ==
        "data quality: QuestionnaireResponse/q item pain-score has value 11: not a value `pain_score` can take (its declared range, or a whole number)");

  decoded empty = decode(bundle("duration", R"("valueQuantity":{"unit":"wk"})"));
  CHECK_FALSE(empty.p.known(s));
  REQUIRE(empty.p.warnings.size() == 1);
  CHECK(empty.p.warnings[0] == "data quality: QuestionnaireResponse/q item duration has value a quantity with no value wk: the quantity has no value");
}

TEST_CASE("fhir answer quantities: a malformed valueQuantity is an error naming its path") {
  fhir_decoder decoder(answers_graph());
  patient p;
  fhir_provenance where;
  std::string error;
  CHECK_FALSE(decoder.decode(bundle("duration", R"("valueQuantity":{"value":"6","unit":"wk"})"), p, where, error));
  CHECK(error == "entry[2].resource.item[0].answer[0].valueQuantity.value: expected a number");
}

TEST_CASE("durations read in the unit the guideline writes their thresholds in") {
  const std::uint32_t age = slot("age");
  CHECK(written_unit_days(answers_graph(), age) == units::days_per_year);
  CHECK(written_unit_days(answers_graph(), slot("symptom_duration")) == units::days_per_week);
  // 1955-03-01 to 2025-06-02: 70 complete years and 93 days.
  decoded seventy = decode(bundle("pain-score", R"("valueInteger":4)"));
  CHECK(format_value(answers_graph(), seventy.p, age) == "70 years 93 days");
  CHECK(seventy.where.facts[age].starts_with("Patient/p birthDate 1955-03-01"));
  // A whole number of the unit, and a value under one unit, read as before.
  decoded birthday = decode(bundle("pain-score", R"("valueInteger":4)", "1955-06-02"));
  CHECK(format_value(answers_graph(), birthday.p, age) == "70 years");
  CHECK(format_duration_in(10, units::days_per_week) == "10 days");  // days read well beside weeks
  CHECK(format_duration_in(5, units::days_per_week) == "5 days");
  CHECK(format_duration_in(84, units::days_per_week) == "12 weeks");
  CHECK(format_duration_in(100, units::days_per_month) == "3 months 8.7 days");
  CHECK(format_duration_in(25660.5, 0) == "25660.5 days");
  // A partial birth date whose range straddles no threshold: the low end, in years, and the range in complete years.
  decoded partial = decode(bundle("pain-score", R"("valueInteger":4)", "1960"));
  CHECK(format_value(answers_graph(), partial.p, age) == "64 years 153 days");
  CHECK(partial.where.facts[age].find("between 64 and 65 years (complete years)") != std::string::npos);
}
