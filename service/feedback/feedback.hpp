// CDS Hooks 2.0 feedback (`POST /cds-services/{id}/feedback`): validating a
// body and keeping every entry in SQLite (WAL journal, synchronous=FULL), so
// a restart, or a crash after the answer, loses nothing.
//
// How the service calls it: open one store at start,
//   auto store = feedback_store::open(dir / "feedback.sqlite");   // or error text
// and per feedback request, after the JWT check:
//   auto parsed = parse_feedback(req.body);
//   if (auto* e = std::get_if<feedback_error>(&parsed)) reply 400 with e->message;
//   else if (auto err = store->append(service_id, std::get<0>(parsed), now_iso8601()))
//     reply 500 (log *err);  else reply 200.
// The store is safe to share between the server's threads.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

struct sqlite3;

namespace rubric::service {

struct feedback_entry {
  std::string card;                               // the card's uuid
  std::string outcome;                            // "accepted" or "overridden"
  std::vector<std::string> accepted_suggestions;  // suggestion uuids, for "accepted"
  std::string override_reason;                    // the overrideReason object as JSON; empty when absent
  std::string outcome_timestamp;                  // ISO 8601, as sent
};

struct stored_feedback {
  std::int64_t id;
  std::string service;
  feedback_entry entry;
  std::string received_at;
};

struct feedback_error {
  std::string message;  // names the entry index, field and value at fault
};

// The entries of a feedback body, or what is wrong with it.
std::variant<std::vector<feedback_entry>, feedback_error> parse_feedback(std::string_view body);

class feedback_store {
 public:
  // Opens (creating if needed) the database at `path`, or says why it cannot.
  static std::variant<std::unique_ptr<feedback_store>, std::string> open(const std::filesystem::path& path);
  ~feedback_store();
  feedback_store(const feedback_store&) = delete;
  feedback_store& operator=(const feedback_store&) = delete;

  // Appends all entries in one transaction; an error message, or nothing.
  std::optional<std::string> append(std::string_view service, const std::vector<feedback_entry>& entries,
                                    std::string_view received_at);
  // Every stored entry for `service` (all services when empty), oldest first.
  std::vector<stored_feedback> read(std::string_view service = {}) const;
  std::int64_t count() const;

 private:
  explicit feedback_store(sqlite3* db) : db_(db) {}
  sqlite3* db_;
  mutable std::mutex mutex_;  // one connection, one writer at a time
};

}  // namespace rubric::service
