// The CDS Hooks service without sockets (service/catalog, answer, hook):
// which guideline a draft order reaches, the content hash, the PAMA code of a
// level, consult ids, summaries under 140 characters, discovery, 412.
#include <catch2/catch.hpp>

#include <set>

#include "lbp_fixture.hpp"
#include "runtime/graph_io.hpp"
#include "service/answer.hpp"
#include "service/card_text.hpp"
#include "service/hook.hpp"

using namespace rubric;
using namespace rubric::service_test;
using nlohmann::json;

TEST_CASE("service: an order reaches the guideline listing its CPT code; the reasonCode breaks a tie") {
  runtime::graph lbp = lbp_graph();
  runtime::graph other = lbp;  // the same catalog, but code lists that hold no indication
  other.id = "test.other_topic";
  for (auto& list : other.fhir.code_lists) list.codes.clear();
  service::catalog c({{other, "other"}, {lbp, "lbp"}});
  auto by_reason = c.find({{cpt, "72133"}}, {{snomed, "279039007"}});
  REQUIRE(by_reason);
  CHECK(by_reason.guideline->graph.id == "acr.low_back_pain");
  CHECK(by_reason.guideline->graph.procedures[static_cast<std::size_t>(by_reason.procedure)].name == "CT lumbar spine without and with IV contrast");
  CHECK(c.find({{cpt, "72133"}}, {}).guideline->graph.id == "test.other_topic");  // no reason: the first loaded
  CHECK_FALSE(c.find({{cpt, "73721"}}, {{snomed, "279039007"}}));      // not in any catalog
  CHECK_FALSE(c.find({{"http://loinc.org", "72133"}}, {}));            // a CPT number in another system
  runtime::graph no_fhir = lbp;
  no_fhir.fhir = {};
  CHECK_FALSE(service::catalog({{no_fhir, "x"}}).find({{cpt, "72133"}}, {}));  // cannot read a request
}

TEST_CASE("service: the content hash is SHA-256 of the compact graph, equal for equal graphs") {
  CHECK(service::sha256_hex("abc") == "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  runtime::graph a = lbp_graph(), b = lbp_graph();
  service::catalog ca({{a, "a"}}), cb({{b, "b"}});
  CHECK(ca.guidelines()[0].hash == cb.guidelines()[0].hash);
  b.variants[0].ratings[0].level = 0;
  CHECK(service::catalog({{b, "b"}}).guidelines()[0].hash != ca.guidelines()[0].hash);
}

TEST_CASE("service: the PAMA code of a level; consult ids are fresh version 4 UUIDs") {
  runtime::graph g = lbp_graph();
  const auto& levels = g.scales[static_cast<std::size_t>(g.rating_scale)].levels;
  REQUIRE(levels.back().id == "usually_not_appropriate");
  CHECK(service::pama_code(g, 0) == "appropriate");
  CHECK(service::pama_code(g, 1) == "appropriate");
  CHECK(service::pama_code(g, static_cast<std::int32_t>(levels.size()) - 1) == "not-appropriate");
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string u = service::random_uuid();
    REQUIRE(u.size() == 36);
    CHECK(u[14] == '4');
    CHECK(std::string("89ab").find(u[19]) != std::string::npos);
    seen.insert(u);
  }
  CHECK(seen.size() == 1000);
}

TEST_CASE("service: discovery offers one service per hook with the bindings' prefetch keys") {
  service::catalog c({{lbp_graph(), "lbp"}});
  json d = service::discovery(c);
  REQUIRE(d["services"].size() == 2);
  CHECK(d["services"][0]["id"] == "order-select");
  CHECK(d["services"][1]["hook"] == "order-sign");
  CHECK(d["services"][0]["prefetch"] == json{{"patient", "Patient/{{context.patientId}}"},
                                              {"conditions", "Condition?patient={{context.patientId}}"},
                                              {"procedures", "Procedure?patient={{context.patientId}}"},
                                              {"questionnaireResponses", "QuestionnaireResponse?patient={{context.patientId}}"}});
  runtime::graph no_fhir = lbp_graph();
  no_fhir.fhir = {};
  CHECK_FALSE(service::discovery(service::catalog({{no_fhir, "x"}}))["services"][0].contains("prefetch"));
}

TEST_CASE("service: a request without the Patient and no FHIR server to read is 412") {
  service::catalog c({{lbp_graph(), "lbp"}});
  json order = {{"resourceType", "ServiceRequest"}, {"id", "ct"}, {"status", "draft"}, {"intent", "order"},
                {"code", {{"coding", {{{"system", cpt}, {"code", "72133"}}}}}}, {"subject", {{"reference", "Patient/p"}}}};
  json request = {{"hook", "order-sign"}, {"hookInstance", "h-1"},
                  {"context", {{"patientId", "p"}, {"draftOrders", {{"resourceType", "Bundle"}, {"entry", {{{"resource", order}}}}}}}},
                  {"prefetch", {{"conditions", nullptr}, {"procedures", nullptr}}}};
  service::hook_settings settings;
  auto r = service::handle_hook(c, "order-sign", request.dump(), settings);
  CHECK(r.status == 412);
  CHECK(r.body["error"] == "the Patient is required: not in the prefetch, and the request gives no FHIR server this service may read");
  CHECK(r.hook_instance == "h-1");
  request["prefetch"]["patient"] = {{"resourceType", "Patient"}, {"id", "p"}, {"birthDate", "1970-01-01"}};
  r = service::handle_hook(c, "order-sign", request.dump(), settings);
  CHECK(r.status == 200);
  REQUIRE(r.orders.size() == 1);
  CHECK(r.orders[0].guideline == "acr.low_back_pain");
  const json answer = json::parse(r.text);
  CHECK(answer["cards"][0]["summary"].get<std::string>().size() > 0);
  CHECK(service::code_points(answer["cards"][0]["summary"].get<std::string>()) < 140);
}
