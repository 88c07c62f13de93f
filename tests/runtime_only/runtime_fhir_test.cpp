// The FHIR R4 Bundle decoder (runtime/fhir_bundle.hpp) against the compiled
// Low Back Pain graph and its bindings (tests/runtime_only/data): the seed
// Bundle gives variant 2 with every fact's provenance; completeness, status
// filters, windows, partial birth dates, data-absent reasons, conflicting
// resources, questionnaire answers, `or` alternatives and malformed Bundles
// each behave as docs/fhir.md says.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "runtime/evaluate.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/fhir_explain.hpp"
#include "runtime/graph_io.hpp"
#include "tests/runtime_only/fhir_test_bundles.hpp"

using namespace rubric::runtime;

namespace {

using namespace rubric::test::fhir;

// Every red flag of the screen answered no, in groups as the seed Bundle has them.
std::string all_no(const std::string& id = "screen", const std::string& authored = "2025-06-01") {
  std::string flags;
  for (const char* f : red_flag_links) flags += (flags.empty() ? "" : ",") + item(f, R"("valueBoolean":false)");
  return screen_response(id, "completed", authored, R"({"linkId":"flags","item":[)" + flags + "]}");
}

std::string seed_text() {
  std::ifstream in(std::string(RUBRIC_SOURCE_DIR) + "/guidelines/acr/cases/seed-55yo.bundle.json", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A Bundle of the seed's Patient and order, a red-flag screen (every flag
// answered no, unless `with_screen` is false), plus `extra` entries (JSON
// objects, comma-separated).
std::string bundle(const std::string& birth, const std::string& extra, bool with_screen = true) {
  std::string entries = with_screen ? all_no() : "";
  if (!extra.empty()) entries += (entries.empty() ? "" : ",") + extra;
  return order_bundle(birth, entries);
}

std::string condition(const std::string& id, const std::string& system, const std::string& code, const std::string& more) {
  return R"({"resource":{"resourceType":"Condition","id":")" + id + R"(","code":{"coding":[{"system":")" + system +
         R"(","code":")" + code + R"("}]})" + (more.empty() ? "" : "," + more) + "}}";
}

struct decoded {
  patient p;
  fhir_provenance where;
  std::string error;
  bool ok = false;
};

decoded decode(const std::string& json, const graph& g = lbp()) {
  decoded d;
  fhir_decoder decoder(g);
  d.ok = decoder.decode(json, d.p, d.where, d.error);
  return d;
}

const std::string icd = "http://hl7.org/fhir/sid/icd-10-cm";

}  // namespace

TEST_CASE("fhir: the seed Bundle gives variant 2 with every fact's provenance") {
  const graph& g = lbp();
  decoded d = decode(seed_text());
  INFO(d.error);
  REQUIRE(d.ok);
  evaluation e;
  evaluate(g, d.p, e);
  REQUIRE(e.result == status::matched);
  CHECK(g.variants[e.selected.at(0)].id == "2");
  CHECK(d.p.id == "\"seed-55yo\"");
  CHECK(format_value(g, d.p, slot(g, "age")) == "55 years");
  CHECK(format_value(g, d.p, slot(g, "symptom_duration")) == "12 weeks");
  CHECK(format_value(g, d.p, slot(g, "radiculopathy")) == "true");
  CHECK(format_value(g, d.p, slot(g, "red_flags")) == "{}");
  CHECK(format_value(g, d.p, slot(g, "conservative_therapy")) == "0 days");
  CHECK(format_value(g, d.p, slot(g, "prior_lumbar_surgery")) == "false");
  CHECK_FALSE(d.p.known(slot(g, "intervention_candidate")));
  REQUIRE(d.where.ordered_procedure >= 0);
  CHECK(g.procedures[static_cast<std::size_t>(d.where.ordered_procedure)].name == "MRI lumbar spine without IV contrast");
  CHECK(d.where.order == "ServiceRequest/mri (CPT 72148), authored 2025-06-02");
  CHECK(d.where.facts[slot(g, "age")] == "Patient/seed birthDate 1970-06-02, at the order ServiceRequest/mri authoredOn 2025-06-02");
  CHECK(d.where.facts[slot(g, "symptom_duration")] ==
        "Condition/lbp (ICD-10-CM M54.16 Radiculopathy, lumbar region), onset 2025-03-10, 84 days before the order "
        "ServiceRequest/mri authoredOn 2025-06-02");
  CHECK(d.where.facts[slot(g, "radiculopathy")] == "Condition/lbp (ICD-10-CM M54.16 Radiculopathy, lumbar region), onset 2025-03-10");
  CHECK(d.where.facts[slot(g, "red_flags")].find(
            "excludes fever: no Condition in `stdlib.codes.red_flags.fever`, and conditions are declared complete; "
            "QuestionnaireResponse/red-flag-screen item fever answered no, authored 2025-06-02") != std::string::npos);
  CHECK(d.where.facts[slot(g, "red_flags")].find(
            "excludes nocturnal_pain: QuestionnaireResponse/red-flag-screen item nocturnal-pain answered no, authored 2025-06-02") !=
        std::string::npos);
  std::string text = fhir_provenance_text(g, d.p, d.where);
  CHECK(text.find("  order: ServiceRequest/mri (CPT 72148), authored 2025-06-02 → MRI lumbar spine without IV contrast\n") != std::string::npos);
  CHECK(text.find("  conservative_therapy = 0 days: no Procedure in `stdlib.codes.low_back_pain.conservative_therapy`, and procedures are declared complete: none\n") !=
        std::string::npos);
}

TEST_CASE("fhir: a red flag found is named with its resource; a fever outside the window is not") {
  const graph& g = lbp();
  decoded d = decode(bundle(R"("birthDate":"1970-06-02")",
                            condition("fev", "http://snomed.info/sct", "386661006", R"("onsetDateTime":"2025-05-20")")));
  REQUIRE(d.ok);
  CHECK(format_value(g, d.p, slot(g, "red_flags")) == "{fever}");
  CHECK(d.where.facts[slot(g, "red_flags")].find("includes fever: Condition/fev (SNOMED 386661006), onset 2025-05-20") != std::string::npos);
  evaluation e;
  evaluate(g, d.p, e);
  REQUIRE(e.result == status::matched);
  CHECK(g.variants[e.selected.at(0)].id == "7");

  decoded old = decode(bundle(R"("birthDate":"1970-06-02")",
                              condition("fev", icd, "R50.9", R"("onsetDateTime":"2025-01-20")")));
  REQUIRE(old.ok);
  CHECK(format_value(g, old.p, slot(g, "red_flags")) == "{}");

  decoded undated = decode(bundle(R"("birthDate":"1970-06-02")", condition("fev", icd, "R50.9", "")));
  REQUIRE(undated.ok);
  CHECK_FALSE(undated.p.known(slot(g, "red_flags")));
  CHECK(undated.where.facts[slot(g, "red_flags")].find(
            "fever (unknown: Condition/fev (ICD-10-CM R50.9) cannot be placed in the window; "
            "QuestionnaireResponse/screen item fever answered no, authored 2025-06-01)") != std::string::npos);
}

TEST_CASE("fhir: refuted, entered-in-error and resolved conditions do not count; a prefix code does") {
  const graph& g = lbp();
  auto status = [](const char* clinical, const char* verification) {
    return std::string(R"("clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":")") +
           clinical + R"("}]},"verificationStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":")" +
           verification + R"("}]})";
  };
  for (auto [c, v] : {std::pair{"active", "refuted"}, std::pair{"active", "entered-in-error"}, std::pair{"resolved", "confirmed"}}) {
    decoded d = decode(bundle(R"("birthDate":"1970-06-02")", condition("ost", icd, "M81.0", status(c, v))));
    REQUIRE(d.ok);
    CHECK(format_value(g, d.p, slot(g, "red_flags")) == "{}");
  }
  decoded d = decode(bundle(R"("birthDate":"1970-06-02")", condition("ost", icd, "M81.0", status("relapse", "confirmed"))));
  REQUIRE(d.ok);
  CHECK(format_value(g, d.p, slot(g, "red_flags")) == "{osteoporosis}");
}

// Found by the FHIRPath oracle (tests/fhir/oracle.mjs): the status is the
// coding in the status code system, not whichever coding comes first.
TEST_CASE("fhir: a Condition's status is read from its code system's coding, not a local coding beside it") {
  const graph& g = lbp();
  const std::string local = R"({"system":"http://example.org/local-status","code":"inactive"})";
  decoded active = decode(bundle(R"("birthDate":"1970-06-02")", condition("ost", icd, "M81.0",
      R"("clinicalStatus":{"coding":[)" + local + R"(,{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]})")));
  REQUIRE(active.ok);
  CHECK(format_value(g, active.p, slot(g, "red_flags")) == "{osteoporosis}");
  decoded refuted = decode(bundle(R"("birthDate":"1970-06-02")", condition("ost", icd, "M81.0",
      R"("verificationStatus":{"coding":[)" + local + R"(,{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"refuted"}]})")));
  REQUIRE(refuted.ok);
  CHECK(format_value(g, refuted.p, slot(g, "red_flags")) == "{}");
  // A status with no coding of its code system is not given: the Condition counts.
  decoded local_only = decode(bundle(R"("birthDate":"1970-06-02")", condition("ost", icd, "M81.0",
      R"("clinicalStatus":{"coding":[)" + local + "]}")));
  REQUIRE(local_only.ok);
  CHECK(format_value(g, local_only.p, slot(g, "red_flags")) == "{osteoporosis}");
}

TEST_CASE("fhir: with no record declared complete, no matching resource is unknown, not false") {
  graph g = lbp();
  g.fhir.conditions_complete = false;
  fhir_decoder decoder(g);
  patient p;
  fhir_provenance where;
  std::string error;
  REQUIRE(decoder.decode(bundle(R"("birthDate":"1970-06-02")", ""), p, where, error));
  CHECK_FALSE(p.known(slot(g, "radiculopathy")));
  CHECK(where.facts[slot(g, "radiculopathy")] ==
        "unknown: no Condition in `stdlib.codes.low_back_pain.lumbar_radiculopathy`, and the record of Conditions is not declared complete");
  CHECK_FALSE(p.known(slot(g, "red_flags")));
}

TEST_CASE("fhir: a partial birth date is an age interval, unknown only where it straddles a threshold") {
  const graph& g = lbp();
  decoded year = decode(bundle(R"("birthDate":"1970")", ""));
  REQUIRE(year.ok);
  CHECK(year.p.known(slot(g, "age")));
  CHECK(year.where.facts[slot(g, "age")] ==
        "Patient/p birthDate 1970, at the order ServiceRequest/mri authoredOn 2025-06-02; between 54 and 55 years (complete years), "
        "and every threshold on it gives the same answer across that range, so the low end stands for it");
  // Born in 1955: 69 or 70 years old at the order, across the `age > 70 years` threshold.
  decoded straddle = decode(bundle(R"("birthDate":"1955")", ""));
  REQUIRE(straddle.ok);
  CHECK_FALSE(straddle.p.known(slot(g, "age")));
  CHECK(straddle.where.facts[slot(g, "age")].ends_with("which straddles a threshold: unknown"));
  decoded month = decode(bundle(R"("birthDate":"1955-05")", ""));
  REQUIRE(month.ok);
  CHECK(month.p.known(slot(g, "age")));  // 70 years and a few days: above 70 years whichever day in May
}

TEST_CASE("fhir: a data-absent birth date and two different birth dates leave age unknown, the second with a warning") {
  const graph& g = lbp();
  decoded absent = decode(bundle(
      R"("_birthDate":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]})", ""));
  REQUIRE(absent.ok);
  CHECK_FALSE(absent.p.known(slot(g, "age")));
  CHECK(absent.where.facts[slot(g, "age")] == "unknown: Patient/p has no birthDate (data absent reason)");

  decoded two = decode(bundle(R"("birthDate":"1970-06-02")", R"({"resource":{"resourceType":"Patient","id":"q","birthDate":"1971-06-02"}})"));
  REQUIRE(two.ok);
  CHECK_FALSE(two.p.known(slot(g, "age")));
  REQUIRE(two.p.warnings.size() == 1);
  CHECK(two.p.warnings[0] == "data quality: Patient/p has birthDate 1970-06-02 but Patient/q has birthDate 1971-06-02; age is unknown");
}

TEST_CASE("fhir: a condition whose code is absent makes a complete record's absence unknown") {
  const graph& g = lbp();
  decoded d = decode(bundle(R"("birthDate":"1970-06-02")",
                            R"({"resource":{"resourceType":"Condition","id":"x","code":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"masked"}]}}})"));
  REQUIRE(d.ok);
  CHECK_FALSE(d.p.known(slot(g, "radiculopathy")));
  CHECK(d.where.facts[slot(g, "radiculopathy")] == "unknown: Condition/x has no code (data absent reason)");
}

TEST_CASE("fhir: physical therapy periods add up; a CDS Hooks prefetch object reads like a Bundle") {
  const graph& g = lbp();
  std::string pt = R"({"resource":{"resourceType":"Procedure","id":"pt","status":"completed","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"97110"}]},"performedPeriod":{"start":"2025-04-01","end":"2025-05-12"}}})";
  decoded d = decode(bundle(R"("birthDate":"1970-06-02")", pt));
  REQUIRE(d.ok);
  CHECK(format_value(g, d.p, slot(g, "conservative_therapy")) == "6 weeks");
  CHECK(d.where.facts[slot(g, "conservative_therapy")] == "Procedure/pt 2025-04-01 to 2025-05-12");

  decoded hooks = decode(R"({"hook":"order-select","prefetch":{"patient":{"resourceType":"Patient","id":"p","birthDate":"1970-06-02"},)"
                         R"("order":{"resourceType":"ServiceRequest","id":"o","authoredOn":"2025-06-02","code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72100"}]}},)"
                         R"("conditions":{"resourceType":"Bundle","entry":[)" + condition("lbp", icd, "M54.50", R"("onsetDateTime":"2025-05-26")") + "]},\"missing\":null}}");
  INFO(hooks.error);
  REQUIRE(hooks.ok);
  CHECK(g.procedures[static_cast<std::size_t>(hooks.where.ordered_procedure)].name == "Radiography lumbar spine");
  CHECK(format_value(g, hooks.p, slot(g, "symptom_duration")) == "1 week");
  CHECK(format_value(g, hooks.p, slot(g, "radiculopathy")) == "false");
}

TEST_CASE("fhir: malformed input is an error naming what is wrong") {
  auto error_of = [](const std::string& json) {
    decoded d = decode(json);
    CHECK_FALSE(d.ok);
    return d.error;
  };
  CHECK(error_of("{").rfind("not valid JSON: ", 0) == 0);
  CHECK(error_of("[1]") == "expected a FHIR Bundle or a CDS Hooks prefetch object, not a JSON array");
  CHECK(error_of(R"({"resourceType":"Patient"})") == "expected a FHIR Bundle, not a resource of type \"Patient\"");
  CHECK(error_of(R"({"id":"x"})") == "expected a FHIR Bundle (\"resourceType\": \"Bundle\") or a CDS Hooks object with \"prefetch\"");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":{}})") == "entry: expected an array");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[3]})") == "entry[0]: expected an object");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"id":"x"}}]})") == "entry[0].resource: a resource has no \"resourceType\"");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Patient","birthDate":"1970-13-01"}}]})") ==
        "entry[0].resource.birthDate: \"1970-13-01\" is not a FHIR date");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","code":{"coding":{}}}}]})") ==
        "entry[0].resource.code.coding: expected an array");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","code":{"coding":[{"code":7}]}}}]})") ==
        "entry[0].resource.code.coding[0].code: expected a string");
  // Two bad members of one Coding: reported in the order system, code, display, whatever their order in the text.
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","code":{"coding":[{"display":1,"system":2}]}}}]})") ==
        "entry[0].resource.code.coding[0].system: expected a string");
  // The first of a duplicate key counts, as everywhere else in the reader.
  CHECK(decode(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","code":{"coding":[{"code":"M54.5","code":7}]}}}]})").ok);
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","code":{"coding":[{"code":7,"code":"M54.5"}]}}}]})") ==
        "entry[0].resource.code.coding[0].code: expected a string");
  // Members of a nested object name their whole path.
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Procedure","performedPeriod":{"start":"2024-01-01","end":"2024-02-30"}}}]})") ==
        "entry[0].resource.performedPeriod.end: \"2024-02-30\" is not a FHIR date");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Condition","onsetPeriod":{"start":5}}}]})") ==
        "entry[0].resource.onsetPeriod.start: expected a string");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"Observation","effectivePeriod":{"start":"2024"},"valueQuantity":{"value":3,"unit":[]}}}]})") ==
        "entry[0].resource.valueQuantity.unit: expected a string");
  CHECK(error_of(R"({"resourceType":"Bundle","entry":[{"resource":{"resourceType":"MedicationStatement","effectivePeriod":{"start":"2024-13"}}}]})") ==
        "entry[0].resource.effectivePeriod.start: \"2024-13\" is not a FHIR date");
}

TEST_CASE("fhir: decode_padded reads a line of a larger buffer in place, with the same facts and words as decode") {
  const graph& g = lbp();
  const std::string seed = seed_text();
  // The Bundle as one line of an NDJSON buffer, with the next line after it (more than fhir_padding bytes).
  std::string buffer = seed + "\n" + seed + "\n";
  fhir_decoder decoder(g);
  decoded padded;
  padded.ok = decoder.decode_padded(std::string_view(buffer.data(), seed.size()), padded.p, padded.where, padded.error);
  REQUIRE(padded.ok);
  decoded copied = decode(seed);
  REQUIRE(copied.ok);
  CHECK(padded.where.facts == copied.where.facts);
  CHECK(padded.where.order == copied.where.order);
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) CHECK(format_value(g, padded.p, s) == format_value(g, copied.p, s));
  // Bytes after the line are not read as part of it.
  const std::size_t without_last_brace = seed.rfind('}');
  std::string truncated = seed.substr(0, without_last_brace) + std::string(fhir_padding, '}');
  decoded bad;
  bad.ok = decoder.decode_padded(std::string_view(truncated.data(), without_last_brace), bad.p, bad.where, bad.error);
  CHECK_FALSE(bad.ok);
  CHECK(bad.error.rfind("not valid JSON: ", 0) == 0);
}

TEST_CASE("fhir: dates, partial dates and ages") {
  std::int64_t a = 0, b = 0;
  REQUIRE(fhir_date_days("1970-01-01", a, b));
  CHECK(a == 0);
  CHECK(b == 0);
  REQUIRE(fhir_date_days("1970", a, b));
  CHECK((a == 0 && b == 364));
  REQUIRE(fhir_date_days("2024-02", a, b));
  CHECK(b - a == 28);
  REQUIRE(fhir_date_days("2025-06-02T10:30:00+02:00", a, b));
  CHECK(a == b);
  for (const char* bad : {"", "70", "1970-1", "1970-02-30", "1970-01-01X", "0000", "1970/01/01"}) CHECK_FALSE(fhir_date_days(bad, a, b));
  std::int64_t birth = 0, on = 0;
  REQUIRE(fhir_date_days("2000-02-29", birth, b));
  REQUIRE(fhir_date_days("2025-02-28", on, b));
  // A 29 February birthday falls on the 28th in a common year, for the years
  // and for the days since alike (the FHIRPath oracle found the years counted
  // from 1 March but the days from the 28th: 24 years + 365 days on the 28th).
  CHECK(age_days(birth, on) == 25 * 365.25);
  REQUIRE(fhir_date_days("2025-02-27", on, b));
  CHECK(age_days(birth, on) == 24 * 365.25 + 364);
  REQUIRE(fhir_date_days("2025-03-01", on, b));
  CHECK(age_days(birth, on) == 25 * 365.25 + 1);
  REQUIRE(fhir_date_days("2024-02-29", on, b));
  CHECK(age_days(birth, on) == 24 * 365.25);
}

TEST_CASE("fhir: a code list with no codes leaves its finding unknown even in a complete record") {
  // A copy of the graph whose fever list has no codes: the problem list can
  // never show fever absent, so "no" from the screen is not enough (no or
  // unknown is unknown).
  graph g = lbp();
  for (fhir_code_list& list : g.fhir.code_lists)
    if (list.id == "stdlib.codes.red_flags.fever") list.codes.clear();
  decoded d = decode(seed_text(), g);
  REQUIRE(d.ok);
  CHECK_FALSE(d.p.known(slot(g, "red_flags")));
  CHECK(d.where.facts[slot(g, "red_flags")].find(
            "undecided fever (unknown: `stdlib.codes.red_flags.fever` has no codes, so no Condition can show it either way; "
            "QuestionnaireResponse/red-flag-screen item fever answered no, authored 2025-06-02)") != std::string::npos);
  evaluation e;
  evaluate(g, d.p, e);
  CHECK(e.result == status::undetermined);
  CHECK(e.missing == std::vector<std::uint32_t>{slot(g, "red_flags")});
}

TEST_CASE("fhir: the ordered procedure leads the ratings, the others keep the variant's order") {
  const graph& g = lbp();
  decoded d = decode(seed_text());
  REQUIRE(d.ok);
  REQUIRE(d.where.ordered_procedure >= 0);
  CHECK(g.procedures[static_cast<std::size_t>(d.where.ordered_procedure)].name == "MRI lumbar spine without IV contrast");
  std::vector<rating_line> ratings;
  auto line_for = [](std::uint32_t p) {
    rating_line r;
    r.procedure = p;
    return r;
  };
  for (std::uint32_t p : {0u, 1u, 2u}) ratings.push_back(line_for(p));
  ratings.push_back(line_for(static_cast<std::uint32_t>(d.where.ordered_procedure)));
  order_first(ratings, d.where.ordered_procedure);
  CHECK(ratings[0].procedure == static_cast<std::uint32_t>(d.where.ordered_procedure));
  CHECK(ratings[1].procedure == 0u);
  CHECK(ratings[3].procedure == 2u);
}

// Found by the FHIRPath oracle (tests/fhir/oracle.mjs): partial dates make
// every duration a range, and a window edge is placed for every day the
// order might have been.
TEST_CASE("fhir: partial dates give honest ranges for total time, latest onset and windows") {
  const graph& g = lbp();
  const std::uint32_t therapy = slot(g, "conservative_therapy"), duration = slot(g, "symptom_duration");
  auto pt = [](const std::string& id, const std::string& period) {
    return R"({"resource":{"resourceType":"Procedure","id":")" + id + R"(","status":"completed",)"
           R"("code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"97110"}]},"performedPeriod":)" + period + "}}";
  };
  // 10 January to some day of 2025: 1 to 356 days, across the 6-week threshold.
  decoded open = decode(bundle(R"("birthDate":"1970-06-02")", pt("x", R"({"start":"2025-01-10","end":"2025"})")));
  REQUIRE(open.ok);
  CHECK_FALSE(open.p.known(therapy));
  CHECK(open.where.facts[therapy] == "Procedure/x 2025-01-10 to 2025; between 1 day and 356 days, which straddles a threshold: unknown");
  // 1 January to some day of March: 59 to 90 days, above the 6-week
  // threshold throughout, but the graph also compares it with
  // symptom_duration, so the range stays unknown.
  decoded march = decode(bundle(R"("birthDate":"1970-06-02")", pt("x", R"({"start":"2025-01-01","end":"2025-03"})")));
  REQUIRE(march.ok);
  CHECK_FALSE(march.p.known(therapy));
  CHECK(march.where.facts[therapy] == "Procedure/x 2025-01-01 to 2025-03; between 60 days and 90 days, which the guideline compares with another fact or computes with: unknown");
  // A Procedure whose code is absent might be physical therapy.
  decoded absent = decode(bundle(R"("birthDate":"1970-06-02")",
      R"({"resource":{"resourceType":"Procedure","id":"y","status":"completed","code":{"extension":[{"url":"http://hl7.org/fhir/StructureDefinition/data-absent-reason","valueCode":"unknown"}]}}})"));
  REQUIRE(absent.ok);
  CHECK_FALSE(absent.p.known(therapy));
  CHECK(absent.where.facts[therapy] == "unknown: Procedure/y has no code (data absent reason) and might be one of them");
  // The latest onset of "2025-03" and "2025-03-15" is between 15 and 31 March: 63 to 79 days before 2 June.
  decoded latest = decode(bundle(R"("birthDate":"1970-06-02")", condition("a", icd, "M54.50", R"("onsetDateTime":"2025-03")") + "," +
                                                                 condition("b", icd, "M54.16", R"("onsetDateTime":"2025-03-15")")));
  REQUIRE(latest.ok);
  CHECK_FALSE(latest.p.known(duration));
  CHECK(latest.where.facts[duration] == "Condition/b (ICD-10-CM M54.16), onset 2025-03-15, 79 days before the order ServiceRequest/mri "
                                        "authoredOn 2025-06-02; between 9 weeks and 79 days, which the guideline compares with another fact or computes with: unknown");
  // An order authored some day of June 2025: a fever on 20 May is within 4 weeks of 1 June, not of 30 June.
  std::string partial_order = bundle(R"("birthDate":"1970-06-02")", condition("fev", icd, "R50.9", R"("onsetDateTime":"2025-05-20")"));
  partial_order.replace(partial_order.find("2025-06-02"), 10, "2025-06");
  decoded window = decode(partial_order);
  REQUIRE(window.ok);
  CHECK_FALSE(window.p.known(slot(g, "red_flags")));
  CHECK(window.where.facts[slot(g, "red_flags")].find(
            "fever (unknown: Condition/fev (ICD-10-CM R50.9) cannot be placed in the window; no completed QuestionnaireResponse to "
            "`http://example.org/rubric/Questionnaire/lbp-red-flags` that can be placed in the window)") != std::string::npos);
}
