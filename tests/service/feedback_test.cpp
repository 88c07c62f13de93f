// The feedback store: validation messages, durability across close and
// reopen, and several threads writing at once.
#include <atomic>
#include <filesystem>
#include <mutex>
#include <thread>

#include <catch2/catch.hpp>

#include "service/feedback/feedback.hpp"

using namespace rubric::service;

namespace {

const std::string card = "9c1e9b2a-3f4d-4e5a-8b6c-7d8e9f0a1b2c";

std::filesystem::path fresh_db(const char* name) {
  const auto path = std::filesystem::temp_directory_path() /
                    (std::string("rubric-feedback-") + name + "-" + std::to_string(::getpid()) + ".sqlite");
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  return path;
}

std::unique_ptr<feedback_store> open_store(const std::filesystem::path& path) {
  auto opened = feedback_store::open(path);
  REQUIRE(std::holds_alternative<std::unique_ptr<feedback_store>>(opened));
  return std::move(std::get<std::unique_ptr<feedback_store>>(opened));
}

std::vector<feedback_entry> parsed(std::string_view body) {
  auto result = parse_feedback(body);
  if (auto* error = std::get_if<feedback_error>(&result)) FAIL(error->message);
  return std::get<std::vector<feedback_entry>>(result);
}

std::string error_of(std::string_view body) {
  auto result = parse_feedback(body);
  REQUIRE(std::holds_alternative<feedback_error>(result));
  return std::get<feedback_error>(result).message;
}

const std::string accepted_body = R"({"feedback": [{"card": ")" + card + R"(", "outcome": "accepted",
  "acceptedSuggestions": [{"id": "e56e1945-20b3-4393-8503-a1a20fd73152"}],
  "outcomeTimestamp": "2026-11-30T08:01:02Z"}]})";
const std::string overridden_body = R"({"feedback": [{"card": ")" + card + R"(", "outcome": "overridden",
  "overrideReason": {"reason": {"code": "pt-preference", "system": "http://example.org/override",
  "display": "Patient preference"}, "userComment": "discussed with patient"},
  "outcomeTimestamp": "2026-11-30T08:03:00.250+01:00"}]})";

}  // namespace

TEST_CASE("feedback bodies of both outcomes parse", "[feedback]") {
  const auto accepted = parsed(accepted_body);
  REQUIRE(accepted.size() == 1);
  CHECK(accepted[0].card == card);
  CHECK(accepted[0].accepted_suggestions == std::vector<std::string>{"e56e1945-20b3-4393-8503-a1a20fd73152"});
  CHECK(accepted[0].override_reason.empty());
  const auto overridden = parsed(overridden_body);
  REQUIRE(overridden.size() == 1);
  CHECK(overridden[0].outcome == "overridden");
  CHECK(overridden[0].override_reason.find("pt-preference") != std::string::npos);
  CHECK(overridden[0].outcome_timestamp == "2026-11-30T08:03:00.250+01:00");
}

TEST_CASE("invalid feedback is refused with the entry, field and value", "[feedback]") {
  CHECK(error_of("[1]") == "the body is not a JSON object");
  CHECK(error_of(R"({"feedback": []})") == "`feedback` must be a non-empty array");
  CHECK(error_of(R"({"feedback": [{"outcome": "accepted"}]})") == "feedback[0]: `card` is missing");
  CHECK(error_of(R"({"feedback": [{"card": "card-1"}]})") == "feedback[0]: `card` \"card-1\" is not a uuid");
  CHECK(error_of(R"({"feedback": [{"card": ")" + card + R"(", "outcome": "ignored"}]})") ==
        "feedback[0]: `outcome` \"ignored\" is not \"accepted\" or \"overridden\"");
  CHECK(error_of(R"({"feedback": [{"card": ")" + card + R"(", "outcome": "accepted",
                    "outcomeTimestamp": "2026-11-30T08:01:02Z"}]})") ==
        "feedback[0]: `acceptedSuggestions` is required when `outcome` is \"accepted\"");
  CHECK(error_of(R"({"feedback": [{"card": ")" + card + R"(", "outcome": "overridden", "acceptedSuggestions": [],
                    "outcomeTimestamp": "2026-11-30T08:01:02Z"}]})") ==
        "feedback[0]: `acceptedSuggestions` is only allowed when `outcome` is \"accepted\"");
  CHECK(error_of(R"({"feedback": [{"card": ")" + card + R"(", "outcome": "accepted", "acceptedSuggestions": [],
                    "overrideReason": {}, "outcomeTimestamp": "2026-11-30T08:01:02Z"}]})") ==
        "feedback[0]: `overrideReason` is only allowed when `outcome` is \"overridden\"");
  CHECK(error_of(R"({"feedback": [{"card": ")" + card + R"(", "outcome": "overridden",
                    "overrideReason": {"reason": "no"}, "outcomeTimestamp": "2026-11-30T08:01:02Z"}]})") ==
        "feedback[0]: `overrideReason.reason` is not a Coding with a `code`");
  CHECK(error_of(R"({"feedback": [{"card": ")" + card + R"(", "outcome": "overridden",
                    "outcomeTimestamp": "30/11/2026"}]})") ==
        "feedback[0]: `outcomeTimestamp` \"30/11/2026\" is not an ISO 8601 instant");
}

TEST_CASE("stored feedback survives closing and reopening the database", "[feedback]") {
  const auto path = fresh_db("reopen");
  {
    auto store = open_store(path);
    REQUIRE_FALSE(store->append("rubric-order-select", parsed(accepted_body), "2026-11-30T08:01:03Z"));
    REQUIRE_FALSE(store->append("rubric-order-sign", parsed(overridden_body), "2026-11-30T08:03:01Z"));
  }
  auto store = open_store(path);
  CHECK(store->count() == 2);
  const auto rows = store->read("rubric-order-sign");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].service == "rubric-order-sign");
  CHECK(rows[0].entry.card == card);
  CHECK(rows[0].entry.outcome == "overridden");
  CHECK(rows[0].entry.override_reason ==
        R"({"reason":{"code":"pt-preference","display":"Patient preference","system":"http://example.org/override"},"userComment":"discussed with patient"})");
  CHECK(rows[0].entry.outcome_timestamp == "2026-11-30T08:03:00.250+01:00");
  CHECK(rows[0].received_at == "2026-11-30T08:03:01Z");
  const auto all = store->read();
  REQUIRE(all.size() == 2);
  CHECK(all[0].entry.accepted_suggestions == std::vector<std::string>{"e56e1945-20b3-4393-8503-a1a20fd73152"});
  store.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

TEST_CASE("several threads, and a second connection, write without losing an entry", "[feedback]") {
  const auto path = fresh_db("threads");
  auto store = open_store(path);
  auto second = open_store(path);  // as a second replica would
  const auto entries = parsed(accepted_body);
  std::vector<std::thread> writers;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    writers.emplace_back([&, t] {
      feedback_store& target = t % 2 == 0 ? *store : *second;
      for (int i = 0; i < 25; ++i)
        if (target.append("svc-" + std::to_string(t), entries, "2026-11-30T08:00:00Z")) ++failures;
    });
  for (auto& w : writers) w.join();
  CHECK(failures == 0);
  CHECK(store->count() == 100);
  CHECK(second->read("svc-3").size() == 25);
  store.reset();
  second.reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
}

// Replicas started together open one new database at once; each must start
// (SQLite can answer "database is locked" at once while another switches
// the file to WAL, without waiting for its busy timeout).
TEST_CASE("several replicas opening one new database at once all start", "[feedback]") {
  for (int round = 0; round < 30; ++round) {
    const auto path = fresh_db("together");
    std::atomic<int> ready{0}, failures{0};
    std::vector<std::thread> replicas;
    std::string failure;
    std::mutex failure_mutex;
    for (int r = 0; r < 6; ++r)
      replicas.emplace_back([&] {
        ++ready;
        while (ready < 6) std::this_thread::yield();
        auto opened = feedback_store::open(path);
        if (auto* error = std::get_if<std::string>(&opened)) {
          ++failures;
          std::lock_guard lock(failure_mutex);
          failure = *error;
        }
      });
    for (auto& t : replicas) t.join();
    INFO("round " << round << ": " << failure);
    CHECK(failures == 0);
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path.string() + suffix);
  }
}

TEST_CASE("a database that cannot be opened says where", "[feedback]") {
  auto opened = feedback_store::open("/nonexistent-dir/feedback.sqlite");
  REQUIRE(std::holds_alternative<std::string>(opened));
  CHECK(std::get<std::string>(opened) ==
        "cannot open feedback database `/nonexistent-dir/feedback.sqlite`: unable to open database file");
}
