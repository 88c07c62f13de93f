// Patient decoding tables: every accepted spelling and every malformed kind,
// each error naming the fact and the value.
#include <catch2/catch.hpp>

#include <cmath>

#include "runtime/patient.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {

struct decoded {
  bool ok;
  patient p;
  std::string error;
};

decoded decode(const graph& g, const std::string& json) {
  patient_decoder d(g);
  decoded r{false, {}, {}};
  r.ok = d.decode(json, r.p, r.error);
  return r;
}

}  // namespace

TEST_CASE("durations decode from words, UCUM and FHIR Quantity, in days") {
  graph g = t::lbp_graph();
  struct row { const char* json; double days; };
  const row rows[] = {
      {R"("12 weeks")", 84},
      {R"("1 week")", 7},
      {R"("3 months")", 3 * 30.4375},
      {R"("1 month")", 30.4375},
      {R"("20 days")", 20},
      {R"("1 day")", 1},
      {R"("1 year")", 365.25},
      {R"("55 years")", 55 * 365.25},
      {R"("12 wk")", 84},
      {R"("2 a")", 730.5},
      {R"("10 d")", 10},
      {R"("1.5 weeks")", 10.5},
      {R"({"value": 3, "unit": "mo"})", 3 * 30.4375},
      {R"({"value": 7, "unit": "weeks", "system": "http://unitsofmeasure.org", "code": "wk"})", 49},
      {R"({"value": 2, "system": "http://unitsofmeasure.org", "code": "a"})", 730.5},
      {R"({"value": 0, "unit": "d"})", 0},
  };
  for (const row& r : rows) {
    INFO(r.json);
    decoded d = decode(g, std::string(R"({"symptom_duration": )") + r.json + "}");
    REQUIRE(d.ok);
    CHECK(d.p.known(t::symptom_duration));
    CHECK(d.p.slots[t::symptom_duration].number == Approx(r.days));
  }
}

TEST_CASE("missing keys and null are unknown; sets are arrays; bools are booleans") {
  graph g = t::lbp_graph();
  decoded d = decode(g, R"({"id": "p1", "radiculopathy": true, "red_flags": ["fever", "osteoporosis"], "improved_with_therapy": null})");
  REQUIRE(d.ok);
  CHECK(d.p.id == "\"p1\"");
  CHECK(d.p.known(t::radiculopathy));
  CHECK(d.p.slots[t::radiculopathy].bits == 1);
  CHECK_FALSE(d.p.known(t::improved_with_therapy));
  CHECK_FALSE(d.p.known(t::age));
  CHECK(d.p.slots[t::red_flags].bits == ((1u << 5) | (1u << 10)));
  CHECK(format_value(g, d.p, t::red_flags) == "{fever, osteoporosis}");
  decoded empty = decode(g, R"({"red_flags": []})");
  REQUIRE(empty.ok);
  CHECK(empty.p.known(t::red_flags));
  CHECK(empty.p.slots[t::red_flags].bits == 0);
}

TEST_CASE("unknown keys are warnings, never silently dropped") {
  graph g = t::lbp_graph();
  decoded d = decode(g, R"({"age": "40 years", "smoker": true, "notes": {"a": [1, 2]}})");
  REQUIRE(d.ok);
  REQUIRE(d.p.warnings.size() == 2);
  CHECK(d.p.warnings[0] == "unknown fact `smoker` ignored");
  CHECK(d.p.warnings[1] == "unknown fact `notes` ignored");
}

TEST_CASE("malformed values are errors naming the fact and the value") {
  graph g = t::lbp_graph();
  struct row { const char* json; const char* error; };
  const row rows[] = {
      {R"({"age": "fifty-five years"})", "`age`: \"fifty-five years\" is not a duration; write a number and a unit, e.g. \"12 weeks\""},
      {R"({"symptom_duration": "twelve weeks"})", "`symptom_duration`: \"twelve weeks\" is not a duration; write a number and a unit, e.g. \"12 weeks\""},
      {R"({"symptom_duration": "-3 weeks"})", "`symptom_duration`: \"-3 weeks\" is negative; a duration cannot be negative"},
      {R"({"symptom_duration": {"value": -3, "unit": "wk"}})", "`symptom_duration`: -3 is negative; a duration cannot be negative"},
      {R"({"symptom_duration": "12 fortnights"})", "`symptom_duration`: \"12 fortnights\" has an unknown unit; use seconds, minutes, hours, days, weeks, months or years (UCUM s, min, h, d, wk, mo, a)"},
      {R"({"symptom_duration": {"value": 3, "unit": "parsec"}})", "`symptom_duration`: 3 parsec has an unknown unit; use seconds, minutes, hours, days, weeks, months or years (UCUM s, min, h, d, wk, mo, a)"},
      {R"({"symptom_duration": {"value": 3, "system": "http://snomed.info/sct", "code": "258705008"}})", "`symptom_duration`: unknown unit system \"http://snomed.info/sct\"; use \"http://unitsofmeasure.org\" (UCUM)"},
      {R"({"symptom_duration": {"value": "3", "unit": "wk"}})", "`symptom_duration`: quantity value \"3\" is not a number"},
      {R"({"symptom_duration": {"unit": "wk"}})", "`symptom_duration`: the quantity has no \"value\""},
      {R"({"symptom_duration": 12})", "`symptom_duration`: 12 has no unit; write e.g. \"12 weeks\""},
      {R"({"symptom_duration": true})", "`symptom_duration`: true is not a duration; write e.g. \"12 weeks\""},
      {R"({"radiculopathy": "yes"})", "`radiculopathy`: \"yes\" is not true or false"},
      {R"({"radiculopathy": 1})", "`radiculopathy`: 1 is not true or false"},
      {R"({"red_flags": ["fever", "headache"]})", "`red_flags`: \"headache\" is not a member of `red_flag` (saddle_anesthesia, bowel_or_bladder_dysfunction, progressive_motor_weakness, history_of_cancer, unexplained_weight_loss, fever, immunosuppression, iv_drug_use, …)"},
      {R"({"red_flags": "fever"})", "`red_flags`: \"fever\" is not a list; write an array of `red_flag` members, e.g. [], or {\"present\": [...], \"absent\": [...]} when only some members are known"},
      {R"({"red_flags": {"present": ["fever"], "absent": ["fever"]}})", "`red_flags`: \"fever\" is listed both present and absent"},
      {R"({"red_flags": {"present": ["fever"], "unknown": ["osteoporosis"]}})", "`red_flags`: \"unknown\" is not a key of a partly known set; write \"present\" and \"absent\" lists (members in neither are unknown)"},
      {R"({"red_flags": {"absent": [], "absent": []}})", "`red_flags`: \"absent\" is given twice"},
      {R"({"red_flags": {"present": "fever"}})", "`red_flags`: \"present\" must be a list of `red_flag` members, not \"fever\""},
      {R"({"red_flags": {"present": [3]}})", "`red_flags`: 3 is not a member name of `red_flag`"},
      {R"({"red_flags": [3]})", "`red_flags`: 3 is not a member name of `red_flag`"},
      {R"({"age": "55 years", "age": "56 years"})", "`age` is given twice"},
      {R"({"id": [1]})", "\"id\" must be a string or a number, not a list"},
      {R"([1, 2])", "malformed JSON: expected an object {…} with one key per fact"},
      {R"()", "empty line; expected a JSON object with one key per fact"},
      {R"({"age": )", ""},
      {R"({"age": "55 years")", ""},
  };
  for (const row& r : rows) {
    INFO(r.json);
    decoded d = decode(g, r.json);
    CHECK_FALSE(d.ok);
    if (*r.error) CHECK(d.error == r.error);
    else CHECK(d.error.rfind("malformed JSON", 0) == 0);
  }
}

// Issue 19, bug 5: the value is checked after conversion to days, so no
// duration is infinite, and no number problem is reported as a unit problem.
TEST_CASE("durations too large, with exponents or malformed numbers are errors saying so") {
  graph g = t::lbp_graph();
  const std::string digits308 = "1" + std::string(308, '0');
  const std::string digits400 = "1" + std::string(399, '0');
  struct row { std::string json; std::string error; };
  const row rows[] = {
      {R"({"value": 1e308, "unit": "a"})", "`age`: 1e308 a is too large for a duration"},
      {"\"" + digits308 + " years\"", "`age`: \"" + digits308.substr(0, 57) + "…\" is too large for a duration"},
      {"\"" + digits400 + " days\"", "`age`: \"" + digits400.substr(0, 57) + "…\" is too large for a duration"},
      {R"("1e308 years")", "`age`: \"1e308 years\" is too large for a duration"},
      {R"("1.2.3 weeks")", "`age`: \"1.2.3 weeks\" has a malformed number; write digits with at most one `.`, e.g. \"1.5 weeks\""},
      {R"({"value": 1e400, "unit": "a"})", "`age`: quantity value 1e400 is too large for a number"},
      {R"({"value": 3, "value": 4, "unit": "a"})", "`age`: the quantity gives \"value\" twice"},
      {R"({"value": 3, "unit": "a", "unit": "d"})", "`age`: the quantity gives \"unit\" twice"},
  };
  for (const row& r : rows) {
    INFO(r.json);
    decoded d = decode(g, R"({"id": "p", "age": )" + r.json + "}");
    CHECK_FALSE(d.ok);
    CHECK(d.error == r.error);
    CHECK(d.p.id == "\"p\"");
  }
}

// A number with an exponent is a number like any other (UCUM quantities may
// be written so): it is converted exactly, never read as a unit.
TEST_CASE("a duration written with an exponent is converted") {
  graph g = t::lbp_graph();
  decoded d = decode(g, R"({"age": "1e3 days", "symptom_duration": "1.5e1 wk"})");
  REQUIRE(d.ok);
  CHECK(d.p.slots[t::age].number == 1000.0);
  CHECK(d.p.slots[t::symptom_duration].number == 105.0);
}

TEST_CASE("a zero duration is 0 days, never -0 days") {
  graph g = t::lbp_graph();
  decoded d = decode(g, R"({"symptom_duration": {"value": -0, "unit": "wk"}})");
  REQUIRE(d.ok);
  CHECK(format_value(g, d.p, t::symptom_duration) == "0 days");
  CHECK_FALSE(std::signbit(d.p.slots[t::symptom_duration].number));
}

TEST_CASE("text after the record is named as such, and the record's id is kept") {
  graph g = t::lbp_graph();
  struct row { const char* json; const char* error; };
  const row rows[] = {
      {R"({"id": 1, "age": "55 years"} x)", "unexpected text after the record: `x`"},
      {R"({"id": 1} ,)", "unexpected text after the record: `,`"},
      {R"({"id": 1} // c)", "unexpected text after the record: `// c`"},
      {R"({"id": 1}})", "unexpected text after the record: `}`"},
      {R"({"id": 1} {"age": "5 years"})", "unexpected text after the record: `{\"age\": \"5 years\"}`"},
      {R"({"id": 1, "age": "x"} y)", "`age`: \"x\" is not a duration; write a number and a unit, e.g. \"12 weeks\""},
  };
  for (const row& r : rows) {
    INFO(r.json);
    decoded d = decode(g, r.json);
    CHECK_FALSE(d.ok);
    CHECK(d.error == r.error);
    CHECK(d.p.id == "1");
  }
}

TEST_CASE("a UTF-8 byte order mark before the record is accepted") {
  graph g = t::lbp_graph();
  decoded d = decode(g, "\xEF\xBB\xBF{\"id\": 7, \"radiculopathy\": true}\n");
  REQUIRE(d.ok);
  CHECK(d.p.id == "7");
  CHECK(d.p.known(t::radiculopathy));
}

TEST_CASE("every duplicate key is an error: facts, id, unknown keys") {
  graph g = t::lbp_graph();
  struct row { const char* json; const char* error; };
  const row rows[] = {
      {R"({"id": 1, "id": 2})", "\"id\" is given twice"},
      {R"({"smoker": true, "smoker": false})", "`smoker` is given twice"},
      {R"({"radiculopathy": true, "radiculopathy": true})", "`radiculopathy` is given twice"},
  };
  for (const row& r : rows) {
    INFO(r.json);
    decoded d = decode(g, r.json);
    CHECK_FALSE(d.ok);
    CHECK(d.error == r.error);
  }
}

TEST_CASE("an enum fact decodes to its member; unknown members are errors") {
  graph g = t::lbp_graph();
  g.facts.push_back({"flag", "A flag", value_type::enumeration, 0, false, {}});
  decoded d = decode(g, R"({"flag": "fever"})");
  REQUIRE(d.ok);
  CHECK(d.p.slots[9].bits == (1u << 5));
  decoded bad = decode(g, R"({"flag": "cough"})");
  CHECK_FALSE(bad.ok);
  CHECK(bad.error.rfind("`flag`: \"cough\" is not a member of `red_flag`", 0) == 0);
}

TEST_CASE("durations print the way an author writes them") {
  CHECK(format_duration(42) == "6 weeks");
  CHECK(format_duration(7) == "1 week");
  CHECK(format_duration(70 * 365.25) == "70 years");
  CHECK(format_duration(3 * 30.4375) == "3 months");
  CHECK(format_duration(10) == "10 days");
  CHECK(format_duration(1) == "1 day");
  CHECK(parse_duration_text("  6 Weeks ") == Approx(42));
  CHECK_FALSE(parse_duration_text("weeks").has_value());
  CHECK_FALSE(parse_duration_text("6").has_value());
}

TEST_CASE("mangled patient lines never crash the decoder") {
  graph g = t::lbp_graph();
  patient_decoder d(g);
  patient p;
  std::string error;
  const std::string base =
      R"({"id":"x","age":"55 years","symptom_duration":{"value":3,"unit":"mo"},"radiculopathy":true,"red_flags":["fever"],"conservative_therapy":"0 weeks"})";
  std::uint64_t s = 99;
  auto next = [&] { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; };
  const char alphabet[] = "{}[]\":,\\ 0123456789-.eE truefalsnul\x01\xff";
  for (int i = 0; i < 20000; ++i) {
    std::string line = base;
    int edits = 1 + static_cast<int>(next() % 4);
    for (int k = 0; k < edits; ++k) {
      std::size_t at = next() % (line.size() + 1);
      switch (next() % 3) {
        case 0: if (at < line.size()) line.erase(at, 1 + next() % 8); break;
        case 1: line.insert(at, 1, alphabet[next() % (sizeof alphabet - 1)]); break;
        default: line.resize(at); break;
      }
    }
    bool ok = d.decode(line, p, error);
    CHECK((ok || !error.empty()));
  }
}
