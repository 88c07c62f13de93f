// The edge on a real cpp-httplib server on 127.0.0.1 with a stand-in hook
// route: the JWT check of every CDS path, the generic 401, metrics by route
// pattern, `GET /metrics`, and the feedback route storing into SQLite.
#include <filesystem>
#include <thread>

#include <catch2/catch.hpp>
#include <httplib.h>

#include "service/edge/edge.hpp"
#include "test_keys.hpp"

using namespace rubric::service;
using json = nlohmann::json;

namespace {

const std::string issuer = "https://ehr.example.org";

struct running_edge {
  test::test_key key = test::make_ec_key("edge-1");
  std::filesystem::path db;
  std::shared_ptr<service_edge> edge;
  httplib::Server server;
  std::thread thread;
  int port = 0;
  std::vector<std::pair<std::string, json>> logged;
  std::mutex log_mutex;
  std::string base;

  running_edge() {
    db = std::filesystem::temp_directory_path() / ("rubric-edge-" + std::to_string(::getpid()) + ".sqlite");
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
    auto keys = security::parse_jwk_set(test::jwk_set_json({&key}));
    security::verifier_config config;
    config.issuers.push_back({issuer, std::make_shared<const security::jwk_set>(std::get<security::jwk_set>(keys)), {}});
    auto store = feedback_store::open(db);
    edge = std::make_shared<service_edge>(edge_options{
        std::make_shared<security::jwt_verifier>(std::move(config)),
        std::move(std::get<std::unique_ptr<feedback_store>>(store)),
        [](std::string_view id) { return id == "order-select" || id == "order-sign"; },
        [this](std::string_view event, json fields) {
          std::lock_guard lock(log_mutex);
          logged.emplace_back(std::string(event), std::move(fields));
        }});
    edge->install(server);
    server.Get("/cds-services", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(R"({"services":[]})", "application/json");
    });
    server.Post(R"(/cds-services/([A-Za-z0-9._-]+))", [this](const httplib::Request&, httplib::Response& res) {
      edge->metrics().record_rating("not-appropriate");
      res.set_content(R"({"cards":[]})", "application/json");
    });
    port = server.bind_to_any_port("127.0.0.1");
    base = "http://127.0.0.1:" + std::to_string(port);
    edge->set_public_url(base + "/");
    thread = std::thread([this] { server.listen_after_bind(); });
    while (!server.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~running_edge() {
    server.stop();
    thread.join();
    edge.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix);
  }

  std::string token(const std::string& path, const std::string& jti) const {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch()).count();
    return test::sign_token(key, {{"iss", issuer}, {"sub", "c"}, {"aud", base + path}, {"iat", now},
                                  {"exp", now + 60}, {"jti", jti}});
  }
  httplib::Headers auth(const std::string& path, const std::string& jti) const {
    return {{"Authorization", "Bearer " + token(path, jti)}};
  }
  json last(const std::string& event) {
    std::lock_guard lock(log_mutex);
    for (auto it = logged.rbegin(); it != logged.rend(); ++it)
      if (it->first == event) return it->second;
    return nullptr;
  }
};

const std::string feedback_body = R"({"feedback":[{"card":"9c1e9b2a-3f4d-4e5a-8b6c-7d8e9f0a1b2c",)"
                                  R"("outcome":"overridden","outcomeTimestamp":"2026-11-30T08:00:00Z"}]})";

}  // namespace

TEST_CASE("edge: every CDS path needs a token; the 401 is generic and the log has the reason", "[edge]") {
  running_edge e;
  httplib::Client client(e.base);
  auto discovery = client.Get("/cds-services");
  REQUIRE(discovery);
  CHECK(discovery->status == 401);
  CHECK(discovery->body == R"({"error":"unauthorized"})");
  CHECK(discovery->get_header_value("WWW-Authenticate") == "Bearer");
  CHECK(e.last("unauthorized") == json{{"reason", "no_token"}, {"detail", "no `Authorization: Bearer` token"},
                                       {"path", "/cds-services"}});

  auto hook = client.Post("/cds-services/order-select", e.auth("/cds-services/order-sign", "j1"), "{}", "application/json");
  REQUIRE(hook);
  CHECK(hook->status == 401);
  CHECK(hook->body == R"({"error":"unauthorized"})");
  CHECK(e.last("unauthorized")["reason"] == "aud_mismatch");

  auto ok = client.Get("/cds-services", e.auth("/cds-services", "j2"));
  REQUIRE(ok);
  CHECK(ok->status == 200);
  auto health = client.Get("/healthz");  // not a CDS path: no token needed (404 here: no such route)
  REQUIRE(health);
  CHECK(health->status == 404);
}

TEST_CASE("edge: feedback is checked, stored and counted", "[edge]") {
  running_edge e;
  httplib::Client client(e.base);
  const std::string path = "/cds-services/order-select/feedback";
  auto stored = client.Post(path.c_str(), e.auth(path, "f1"), feedback_body, "application/json");
  REQUIRE(stored);
  CHECK(stored->status == 200);
  CHECK(e.last("feedback") == json{{"service", "order-select"}, {"entries", 1}});
  auto bad = client.Post(path.c_str(), e.auth(path, "f2"), R"({"feedback":[{"card":"x"}]})", "application/json");
  REQUIRE(bad);
  CHECK(bad->status == 400);
  CHECK(bad->body == R"({"error":"feedback[0]: `card` \"x\" is not a uuid"})");
  const std::string unknown = "/cds-services/patient-view/feedback";
  auto missing = client.Post(unknown.c_str(), e.auth(unknown, "f3"), feedback_body, "application/json");
  REQUIRE(missing);
  CHECK(missing->status == 404);

  auto hook = client.Post("/cds-services/order-select", e.auth("/cds-services/order-select", "h1"), "{}", "application/json");
  REQUIRE(hook);
  CHECK(hook->status == 200);
  // Counted before each answer was written: all there at once.
  const std::vector<std::string> expected = {
      "rubric_http_requests_total{route=\"/cds-services/{id}/feedback\",status=\"200\"} 1\n",
      "rubric_http_requests_total{route=\"/cds-services/{id}/feedback\",status=\"400\"} 1\n",
      "rubric_http_requests_total{route=\"/cds-services/{id}/feedback\",status=\"404\"} 1\n",
      "rubric_http_requests_total{route=\"/cds-services/{id}\",status=\"200\"} 1\n",
      "rubric_http_request_duration_seconds_count{route=\"/cds-services/{id}\"} 1\n",
      "rubric_ratings_total{code=\"not-appropriate\"} 1\n",
      "rubric_errors_total{kind=\"bad_request\"} 1\n",
      "rubric_errors_total{kind=\"not_found\"} 1\n"};
  auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->get_header_value("Content-Type") == "text/plain; version=0.0.4; charset=utf-8");
  for (const auto& line : expected) CHECK_THAT(metrics->body, Catch::Contains(line));
}

TEST_CASE("edge: route patterns and error kinds keep labels few", "[edge]") {
  CHECK(route_pattern("/cds-services") == "/cds-services");
  CHECK(route_pattern("/cds-services/order-select") == "/cds-services/{id}");
  CHECK(route_pattern("/cds-services/order-select/feedback") == "/cds-services/{id}/feedback");
  CHECK(route_pattern("/cds-services/order-select/other") == "other");
  CHECK(route_pattern("/cds-services/") == "other");
  CHECK(route_pattern("/wp-admin/login.php") == "other");
  CHECK(route_pattern("/metrics") == "/metrics");
  CHECK(error_kind(401) == "unauthorized");
  CHECK(error_kind(412) == "precondition_failed");
  CHECK(error_kind(502) == "internal");
}
