// The hook call's log line written as text (hook_log_members +
// json_log::write_members) is the line json_log::write gives for the same
// fields as a JSON tree, byte for byte but the time stamp.
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <regex>
#include <thread>
#include <string>

#include "service/hook.hpp"
#include "service/log.hpp"

namespace {

using namespace rubric;
using nlohmann::json;

// What json_log wrote to `f`, without the time stamp's value.
std::string logged_without_time(std::FILE* f) {
  std::rewind(f);
  std::string text;
  char chunk[4096];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, f)) > 0;) text.append(chunk, n);
  const auto ts = text.find("\"ts\":\"");
  REQUIRE(ts != std::string::npos);
  text.erase(ts + 6, text.find('"', ts + 6) - (ts + 6));
  return text;
}

// The fields as server.cpp built them before (a nlohmann tree).
json tree_fields(std::string_view service, const service::hook_reply& r, double latency_ms) {
  json orders = json::array();
  for (const auto& o : r.orders)
    orders.push_back({{"consultId", o.consult_id}, {"guideline", o.guideline}, {"graphHash", o.graph_hash}, {"status", o.status},
                      {"rating", o.rating.empty() ? json(nullptr) : json(o.rating)}});
  json fields = {{"service", service}, {"hookInstance", r.hook_instance}, {"status", r.status}, {"orders", orders}, {"latencyMs", latency_ms}};
  if (!r.error.empty()) fields["errorAt"] = r.error.substr(0, r.error.find(": "));
  return fields;
}

void check_same_line(const service::hook_reply& r, double latency_ms) {
  std::FILE* as_tree = std::tmpfile();
  std::FILE* as_text = std::tmpfile();
  REQUIRE(as_tree);
  REQUIRE(as_text);
  {
    service::json_log tree_log(as_tree), text_log(as_text);
    tree_log.write("hook", tree_fields("order-select", r, latency_ms));
    text_log.write_members("hook", service::hook_log_members("order-select", r, latency_ms));
  }
  const std::string expected = logged_without_time(as_tree);
  CHECK(logged_without_time(as_text) == expected);
  CHECK(expected.back() == '\n');
  std::fclose(as_tree);
  std::fclose(as_text);
}

}  // namespace

TEST_CASE("service: the hook log line written as text is the tree's line") {
  service::hook_reply ok;
  ok.hook_instance = "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea";
  ok.orders.push_back({"urn:uuid:0b3a3b8e-1c56-4d51-9e55-0c7d6c0f5a11", "low_back_pain", "sha256:abc", "matched", "not-appropriate"});
  ok.orders.push_back({"urn:uuid:1b3a3b8e-1c56-4d51-9e55-0c7d6c0f5a12", "low_back_pain", "sha256:abc", "undetermined", ""});
  for (double latency : {0.0, 0.123456789, 12.5, 1e-7, 3.0, 1234.5678}) check_same_line(ok, latency);

  service::hook_reply bad;
  bad.status = 400;
  bad.hook_instance = "quote \" newline \n é \x01";
  bad.error = "context.draftOrders: expected a FHIR Bundle of draft orders";
  check_same_line(bad, 0.25);

  service::hook_reply no_orders;
  no_orders.hook_instance = "";
  no_orders.error = "the body is not valid JSON";  // no ": ": the whole message is the place
  no_orders.status = 400;
  check_same_line(no_orders, 0.5);
}

TEST_CASE("the log's time stamp is RFC 3339 UTC with milliseconds, the clock's own second", "[log]") {
  // The date and time are formatted once per second and thread: each stamp
  // must still be the second and millisecond of its own call.
  const std::regex form(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z)");
  std::string previous;
  for (int i = 0; i < 1100; ++i) {  // ~1.1 s, 1 ms apart: at least one change of second
    const auto before = std::chrono::system_clock::now();
    const std::string stamp = service::utc_timestamp();
    const auto after = std::chrono::system_clock::now();
    REQUIRE(std::regex_match(stamp, form));
    auto text_of = [](std::chrono::system_clock::time_point t) {
      const std::time_t s = std::chrono::system_clock::to_time_t(t);
      std::tm tm{};
      gmtime_r(&s, &tm);
      char text[32];
      std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count() % 1000;
      return std::string(text) + "." + std::to_string(1000 + ms).substr(1) + "Z";
    };
    REQUIRE(text_of(before) <= stamp);
    REQUIRE(stamp <= text_of(after));
    REQUIRE(previous <= stamp);
    previous = stamp;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}
