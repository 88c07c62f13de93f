// The service's fast paths give the answers of the slow ones: the decision
// cache (answer_cache.hpp) against fresh evaluations for a spread of
// requests — several variants, undetermined (with its why-not search), no
// criteria apply, switch and cancel suggestions — and json_text against
// nlohmann's own dump.
#include <catch2/catch.hpp>

#include <fstream>
#include <vector>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

#include "lbp_fixture.hpp"
#include "runtime/graph_io.hpp"
#include "service/hook.hpp"
#include "service/json_text.hpp"
#include "service/request_json.hpp"

using namespace rubric;
using namespace rubric::service_test;
using nlohmann::json;

namespace {

// The red-flag screen of the seed patient's Bundle (every flag answered no).
json red_flag_screen(const std::string& authored) {
  std::ifstream in(std::string(RUBRIC_SOURCE_DIR) + "/guidelines/acr/cases/seed-55yo.bundle.json");
  std::stringstream s;
  s << in.rdbuf();
  const json bundle = json::parse(s.str());
  for (const auto& e : bundle["entry"])
    if (e["resource"]["resourceType"] == "QuestionnaireResponse") {
      json qr = e["resource"];
      qr["subject"] = {{"reference", "Patient/p1"}};
      qr["authored"] = authored;
      return qr;
    }
  FAIL("the seed Bundle has no QuestionnaireResponse");
  return {};
}

json condition(const std::string& id, const std::string& system, const std::string& code, const std::string& onset) {
  return {{"resourceType", "Condition"}, {"id", id},
          {"clinicalStatus", {{"coding", {{{"system", "http://terminology.hl7.org/CodeSystem/condition-clinical"}, {"code", "active"}}}}}},
          {"code", {{"coding", {{{"system", system}, {"code", code}}}}}}, {"subject", {{"reference", "Patient/p1"}}}, {"onsetDateTime", onset}};
}

json searchset(const std::vector<json>& resources) {
  json b = {{"resourceType", "Bundle"}, {"type", "searchset"}, {"entry", json::array()}};
  for (const auto& r : resources) b["entry"].push_back({{"resource", r}});
  return b;
}

struct record {
  std::string birth = "1980-02-01";
  std::vector<json> conditions;
  std::vector<json> procedures;  // empty: `null` (none)
  bool screen = true;            // the red-flag screen in the prefetch
  bool conditions_sent = true;   // false: the key left out (unknown)
};

std::string request(const std::string& hook, const std::string& order_cpt, const record& r, int n) {
  json order = {{"resourceType", "ServiceRequest"}, {"id", "o" + order_cpt}, {"status", "draft"}, {"intent", "order"},
                {"code", {{"coding", {{{"system", cpt}, {"code", order_cpt}}}}}}, {"subject", {{"reference", "Patient/p1"}}},
                {"authoredOn", "2026-11-30"}, {"reasonCode", {{{"coding", {{{"system", snomed}, {"code", "279039007"}}}}}}}};
  json prefetch = {{"patient", {{"resourceType", "Patient"}, {"id", "p1"}, {"birthDate", r.birth}}},
                   {"procedures", r.procedures.empty() ? json(nullptr) : searchset(r.procedures)}};
  if (r.conditions_sent) prefetch["conditions"] = searchset(r.conditions);
  if (r.screen) prefetch["questionnaireResponses"] = searchset({red_flag_screen("2026-11-29")});
  json context = {{"userId", "Practitioner/x"}, {"patientId", "p1"},
                  {"draftOrders", {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", {{{"resource", order}}}}}}};
  if (hook == "order-select") context["selections"] = {"ServiceRequest/o" + order_cpt};
  return json{{"hook", hook}, {"hookInstance", "h-" + std::to_string(n)}, {"context", context}, {"prefetch", prefetch}}.dump();
}

std::vector<std::string> spread() {
  const json back_pain_2w = condition("lbp", snomed, "279039007", "2026-11-16");
  const json back_pain_12w = condition("lbp", snomed, "279039007", "2026-09-01");
  const json radiculopathy = condition("rad", icd, "M54.16", "2026-09-01");
  const json cancer = condition("ca", icd, "Z85.3", "2020-01-01");
  const json osteoporosis = condition("op", icd, "M81.0", "2019-01-01");
  const json fever = condition("fe", icd, "R50.9", "2026-11-28");
  const json trauma = condition("tr", icd, "S32.0", "2026-11-27");
  const json therapy = {{"resourceType", "Procedure"}, {"id", "pt"}, {"status", "completed"},
                        {"code", {{"coding", {{{"system", cpt}, {"code", "97110"}}}}}}, {"subject", {{"reference", "Patient/p1"}}},
                        {"performedPeriod", {{"start", "2026-09-15"}, {"end", "2026-11-01"}}}};
  const json surgery = {{"resourceType", "Procedure"}, {"id", "sx"}, {"status", "completed"},
                        {"code", {{"coding", {{{"system", cpt}, {"code", "63030"}}}}}}, {"subject", {{"reference", "Patient/p1"}}},
                        {"performedDateTime", "2024-03-01"}};
  std::vector<record> records = {
      {"1980-02-01", {back_pain_2w}, {}, true, true},                 // acute, no red flags
      {"1980-02-01", {back_pain_2w}, {}, false, true},                // no screen: red flags unknown
      {"1980-02-01", {}, {}, true, false},                            // conditions not sent
      {"1980-02-01", {back_pain_12w, radiculopathy}, {}, true, true}, // subacute, no therapy yet
      {"1950-06-01", {back_pain_12w, radiculopathy}, {therapy}, true, true},
      {"1960-01-01", {back_pain_2w, cancer}, {}, true, true},
      {"1940-01-01", {back_pain_2w, osteoporosis}, {}, true, true},
      {"1990-01-01", {back_pain_2w, fever}, {}, false, true},
      {"1970-01-01", {back_pain_12w}, {surgery}, true, true},
      {"2001-01-01", {}, {}, true, true},                             // no back pain on record
      {"1985-01-01", {back_pain_2w, trauma}, {}, true, true},         // spine trauma: no variant of this topic
  };
  std::vector<std::string> out;
  int n = 0;
  for (const auto& r : records)
    for (const char* code : {"72133", "72148", "72100"})
      for (const char* hook : {"order-sign", "order-select"}) out.push_back(request(hook, code, r, n++));
  return out;
}

// A rated order sent again, with other extensions: the copies in the answer
// drop the old PAMA extensions and keep the others (or the member, when
// nothing is kept); a null `extension` takes the new rating.
const json pama_old = {{"url", "http://fhir.org/argonaut/Extension/pama-rating-consult-id"}, {"valueUri", "urn:uuid:old"}};
const json other_extension = {{"url", "http://example.org/fhir/StructureDefinition/priority-note"}, {"valueString", "call back \"soon\""}};
std::vector<std::string> with_extensions() {
  std::vector<std::string> out;
  int n = 1000;
  for (const json& extension : {json::array({pama_old, other_extension, 7}), json::array({pama_old}), json(nullptr)})
    for (const auto& body : spread()) {
      json request = json::parse(body);
      request["hookInstance"] = "h-" + std::to_string(n++);
      request["context"]["draftOrders"]["entry"][0]["resource"]["extension"] = extension;
      out.push_back(request.dump());
    }
  return out;
}

// `j` as JSON text with every object's members in reverse order of their
// keys (nlohmann writes them sorted) and white space between tokens.
std::string reordered(const json& j) {
  if (j.is_array()) {
    std::string out = "[ ";
    for (const auto& v : j) out += (out.size() > 2 ? " ,\n " : "") + reordered(v);
    return out + " ]";
  }
  if (!j.is_object()) return j.dump();
  std::vector<std::string> keys;
  for (const auto& [key, value] : j.items()) keys.push_back(key);
  std::string out = "{\t";
  for (auto k = keys.rbegin(); k != keys.rend(); ++k) out += (k != keys.rbegin() ? ", " : "") + json(*k).dump() + " : " + reordered(j[*k]);
  return out + " }";
}

// The answer with every fresh id (card and suggestion uuids, consult ids) replaced.
std::string without_fresh_ids(const json& body) {
  static const std::regex uuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  return std::regex_replace(body.dump(), uuid, "UUID");
}

}  // namespace

TEST_CASE("service: cached answers are the answers of a fresh evaluation, for every kind of outcome") {
  runtime::graph g = lbp_graph();
  auto requests = spread();
  for (auto& r : with_extensions()) requests.push_back(std::move(r));
  service::hook_settings fresh, cached;
  fresh.answer = {"0.1.0", "G-TEST", false};
  cached.answer = {"0.1.0", "G-TEST", true};
  service::catalog shared({{g, "lbp"}});
  std::vector<std::string> expected;
  std::set<std::string> statuses, variants, suggestion_kinds;
  for (const auto& body : requests) {
    service::catalog own({{g, "lbp"}});  // nothing cached: every answer evaluated afresh
    auto r = service::handle_hook(own, json::parse(body)["hook"].get<std::string>(), body, fresh);
    REQUIRE(r.status == 200);
    const json answer = json::parse(r.text);
    REQUIRE(answer["cards"].size() == 1);
    CHECK(own.guidelines()[0].cache->size() == 0);
    const json& card = answer["cards"][0];
    const json& decided = card["extension"]["org.rubric.decision"];
    statuses.insert(decided["status"].get<std::string>());
    if (decided.contains("variant")) variants.insert(decided["variant"].get<std::string>());
    for (const auto& s : card.value("suggestions", json::array()))
      suggestion_kinds.insert(s["actions"][0]["type"].get<std::string>());
    expected.push_back(without_fresh_ids(answer));
  }
  // The spread reaches every kind of answer.
  CHECK(statuses == std::set<std::string>{"matched", "undetermined", "no_criteria_apply"});
  CHECK(variants.size() >= 3);
  CHECK(suggestion_kinds == std::set<std::string>{"update", "delete"});
  // Twice through the shared catalog, forwards then backwards: first misses, then hits.
  for (int round = 0; round < 2; ++round)
    for (std::size_t k = 0; k < requests.size(); ++k) {
      std::size_t i = round == 0 ? k : requests.size() - 1 - k;
      const std::string hook = json::parse(requests[i])["hook"].get<std::string>();
      auto r = service::handle_hook(shared, hook, requests[i], cached);
      REQUIRE(r.status == 200);
      INFO("request " << i << " round " << round);
      const json answer = json::parse(r.text);
      CHECK(without_fresh_ids(answer) == expected[i]);
      // The text is what nlohmann writes for the same values: keys sorted, compact.
      CHECK(answer.dump(-1, ' ', false, json::error_handler_t::replace) == r.text);
    }
  // One decision per record and order: order-sign and order-select of the same order share it.
  CHECK(shared.guidelines()[0].cache->size() == spread().size() / 2);
}

TEST_CASE("service: two answers never share an id, cached or not") {
  runtime::graph g = lbp_graph();
  service::catalog c({{g, "lbp"}});
  service::hook_settings settings;
  settings.answer = {"0.1.0", "G-TEST", true};
  const std::string body = spread()[0];
  auto a = service::handle_hook(c, "order-sign", body, settings);
  auto b = service::handle_hook(c, "order-sign", body, settings);
  REQUIRE(a.orders.size() == 1);
  REQUIRE(b.orders.size() == 1);
  CHECK(a.orders[0].consult_id != b.orders[0].consult_id);
  CHECK(json::parse(a.text)["cards"][0]["uuid"] != json::parse(b.text)["cards"][0]["uuid"]);
  CHECK(without_fresh_ids(json::parse(a.text)) == without_fresh_ids(json::parse(b.text)));
}

TEST_CASE("service: json_text writes what nlohmann's dump writes") {
  json cases = json::array({
      json::object(), json::array(), nullptr, true, false, 0, -1, 42u, std::int64_t{-9007199254740993}, std::uint64_t{18446744073709551615u},
      0.1, -2.5e-300, 1e300, 3.0, "", "plain", "quote \" backslash \\ slash /", "\b\f\n\r\t", std::string("nul \0 x", 7), "\x01\x1f\x7f",
      "é ☢ 𝄞 — “quoted”", "bad \xff utf-8", "truncated \xe2\x98", "overlong \xc0\xaf", "surrogate \xed\xa0\x80",
      json{{"b", 1}, {"a", json::array({1, "x", nullptr})}, {"é", {{"nested", "\n"}}}},
  });
  for (const auto& c : cases) {
    INFO(c.dump(-1, ' ', true, json::error_handler_t::replace));
    CHECK(service::json_text(c) == c.dump(-1, ' ', false, json::error_handler_t::replace));
  }
  CHECK(service::json_text(cases) == cases.dump(-1, ' ', false, json::error_handler_t::replace));
}

// json_text tests 16 bytes at a time: every special byte at every place of a
// block, and strings of every length around the block size, must come out
// as nlohmann writes them.
TEST_CASE("service: json_text escapes at every position of a 16-byte block") {
  const std::vector<std::string> specials = {"\"", "\\", "\n", std::string(1, '\0'), "\x1f", "\x7f", "é", "𝄞", "\xff", "\xe2\x98"};
  for (std::size_t length = 0; length <= 40; ++length)
    for (std::size_t at = 0; at <= length; ++at)
      for (const auto& special : specials) {
        std::string s(length, 'a');
        s.insert(at, special);
        json j = s;
        INFO("length " << length << " at " << at);
        CHECK(service::json_text(j) == j.dump(-1, ' ', false, json::error_handler_t::replace));
      }
}

TEST_CASE("service: copies of a rated order drop its old PAMA extensions and keep the others") {
  runtime::graph g = lbp_graph();
  service::catalog c({{g, "lbp"}});
  service::hook_settings settings;
  settings.answer = {"0.1.0", "G-TEST", true};
  // A subacute record with radiculopathy, MRI ordered: rated, with switch suggestions.
  const auto requests = with_extensions();
  const std::size_t per_kind = spread().size();
  auto first_with_both = [&](std::size_t from) -> json {
    for (std::size_t i = from; i < from + per_kind; ++i) {
      json answer = json::parse(service::handle_hook(c, json::parse(requests[i])["hook"].get<std::string>(), requests[i], settings).text);
      if (answer.contains("systemActions") && answer["cards"][0].contains("suggestions") &&
          answer["cards"][0]["suggestions"][0]["actions"][0]["type"] == "update")
        return answer;
    }
    FAIL("no answer with both a rating and a switch suggestion");
    return {};
  };
  auto rated_extensions = [](const json& answer) { return answer["systemActions"][0]["resource"]["extension"]; };
  auto switched_order = [](const json& answer) { return answer["cards"][0]["suggestions"][0]["actions"][0]["resource"]; };

  json kept = first_with_both(0);
  REQUIRE(rated_extensions(kept).size() == 6);
  CHECK(rated_extensions(kept)[0] == other_extension);
  CHECK(rated_extensions(kept)[1] == 7);
  CHECK(rated_extensions(kept)[2]["url"] == "http://fhir.org/argonaut/Extension/pama-rating");
  CHECK(rated_extensions(kept)[4]["valueUri"] == kept["cards"][0]["extension"]["org.rubric.decision"]["consultId"]);
  CHECK(switched_order(kept)["extension"] == json::array({other_extension, 7}));

  json only_pama = first_with_both(per_kind);
  CHECK(rated_extensions(only_pama).size() == 4);
  CHECK_FALSE(switched_order(only_pama).contains("extension"));

  json null_extension = first_with_both(2 * per_kind);
  CHECK(rated_extensions(null_extension).size() == 4);
  CHECK(switched_order(null_extension)["extension"].is_null());

  // An `extension` that is not an array cannot take the rating: an internal error (HTTP 500), as before.
  json request = json::parse(requests[0]);
  request["context"]["draftOrders"]["entry"][0]["resource"]["extension"] = {{"url", "x"}};
  bool rated = json::parse(service::handle_hook(c, request["hook"].get<std::string>(), requests[0], settings).text).contains("systemActions");
  REQUIRE(rated);
  CHECK_THROWS_AS(service::handle_hook(c, request["hook"].get<std::string>(), request.dump(), settings), std::invalid_argument);
}

// The decoder reads each order's record from the parsed request (hook.cpp)
// instead of that order's request written out as text: the same answers, and
// the same 400s, whatever the member order, for several orders in one
// request; a request with a duplicate key is read from the text.
TEST_CASE("service: reading the parsed request gives the answers of reading each order's request text") {
  runtime::graph g = lbp_graph();
  service::hook_settings text, parsed;
  text.answer = parsed.answer = {"0.1.0", "G-TEST", false};
  text.read_parsed_request = false;
  std::vector<std::string> requests = spread();
  for (auto& r : with_extensions()) requests.push_back(std::move(r));
  for (std::size_t i = 0, n = requests.size(); i < n; ++i) requests.push_back(reordered(json::parse(requests[i])));
  // Two rated orders and one no guideline rates, after a resource of another kind.
  json two = json::parse(spread()[6]);
  json& entries = two["context"]["draftOrders"]["entry"];
  json mri = entries[0]["resource"], unknown = entries[0]["resource"];
  mri["id"] = "mri";
  mri["code"]["coding"][0]["code"] = "72148";
  unknown["id"] = "other";
  unknown["code"]["coding"][0]["code"] = "99999";
  entries.insert(entries.begin(), json{{"resource", {{"resourceType", "MedicationRequest"}, {"id", "m1"}}}});
  entries.push_back({{"resource", unknown}});
  entries.push_back({{"resource", mri}});
  requests.push_back(two.dump());
  requests.push_back(reordered(two));
  // Malformed FHIR data in the prefetch: a 400 naming the place.
  json bad_date = json::parse(spread()[0]);
  bad_date["prefetch"]["patient"]["birthDate"] = 5;
  json bad_entry = json::parse(spread()[0]);
  bad_entry["prefetch"]["conditions"]["entry"][0]["resource"] = "Condition/lbp";
  json bad_order = json::parse(spread()[0]);
  bad_order["context"]["draftOrders"]["entry"][0]["resource"]["authoredOn"] = 5;
  requests.push_back(bad_date.dump());
  requests.push_back(bad_entry.dump());
  requests.push_back(bad_order.dump());
  // A second Patient under a key that sorts first, sent last: which is read
  // first shows in the data-quality warning on the two birth dates.
  json two_patients = json::parse(spread()[0]);
  std::string two_patients_text = two_patients.dump();
  two_patients_text.insert(two_patients_text.size() - 2,
                           R"(,"aPatient":{"resourceType":"Patient","id":"p0","birthDate":"1950-01-01"})");
  requests.push_back(two_patients_text);
  std::size_t answered = 0, refused = 0;
  for (const auto& body : requests) {
    INFO(body);
    const std::string hook = json::parse(body)["hook"].get<std::string>();
    service::catalog a({{g, "lbp"}}), b({{g, "lbp"}});
    auto from_text = service::handle_hook(a, hook, body, text);
    auto from_parsed = service::handle_hook(b, hook, body, parsed);
    REQUIRE(from_text.status == from_parsed.status);
    if (from_text.status != 200) {
      CHECK(from_parsed.body == from_text.body);
      ++refused;
      continue;
    }
    CHECK(without_fresh_ids(json::parse(from_parsed.text)) == without_fresh_ids(json::parse(from_text.text)));
    ++answered;
  }
  CHECK(answered == requests.size() - 3);
  CHECK(refused == 3);
  service::catalog c({{g, "lbp"}});
  auto r = service::handle_hook(c, "order-sign", two.dump(), parsed);
  CHECK(json::parse(r.text)["cards"].size() == 2);
  CHECK(json::parse(r.text)["cards"][0]["extension"]["org.rubric.decision"]["order"] == "ServiceRequest/o72133");
  CHECK(json::parse(r.text)["cards"][1]["extension"]["org.rubric.decision"]["order"] == "ServiceRequest/mri");
  CHECK(service::handle_hook(c, "order-sign", bad_date.dump(), parsed).body ==
        json{{"error", "prefetch.patient.birthDate: expected a string"}});
  // A prefetch value that is no resource: the first such key in byte order, as the tree names it.
  std::string misfits = spread()[0];
  REQUIRE(misfits.ends_with("}}"));  // the prefetch is the last member (nlohmann sorts the keys)
  misfits.insert(misfits.size() - 2, R"(,"zeta":5,"alpha":"Patient/p1")");
  CHECK(service::handle_hook(c, "order-sign", misfits, parsed).body ==
        json{{"error", "prefetch.alpha: expected a FHIR resource, a Bundle or null"}});
  CHECK(service::handle_hook(c, "order-sign", misfits, text).body ==
        json{{"error", "prefetch.alpha: expected a FHIR resource, a Bundle or null"}});
  CHECK(service::handle_hook(c, "order-sign", bad_order.dump(), parsed).body ==
        json{{"error", "context.draftOrders.entry[0].resource.authoredOn: expected a string"}});
  const std::string warned = service::handle_hook(c, "order-sign", two_patients_text, parsed).text;
  CHECK(warned.find("Patient/p0") < warned.find("Patient/p1"));

  // A duplicate key: the tree keeps the last, so the request is read from
  // the text written from the tree (the document would show both).
  std::string dup = spread()[0];
  const std::string birth = "\"birthDate\":\"1980-02-01\"";
  REQUIRE(dup.find(birth) != std::string::npos);
  dup.replace(dup.find(birth), birth.size(), "\"birthDate\":\"2020-01-01\"," + birth);
  CHECK_FALSE(service::parse_request(dup).document.has_value());
  CHECK(service::parse_request(spread()[0]).document.has_value());
  service::catalog d1({{g, "lbp"}}), d2({{g, "lbp"}});
  const auto dup_text = service::handle_hook(d1, "order-sign", dup, text);
  const auto dup_parsed = service::handle_hook(d2, "order-sign", dup, parsed);
  REQUIRE(dup_parsed.status == 200);
  CHECK(without_fresh_ids(json::parse(dup_parsed.text)) == without_fresh_ids(json::parse(dup_text.text)));
  CHECK(without_fresh_ids(json::parse(dup_parsed.text)) == without_fresh_ids(json::parse(service::handle_hook(d1, "order-sign", spread()[0], text).text)));
}
