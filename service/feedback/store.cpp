// The SQLite side of the feedback store: one table, WAL journal, FULL sync,
// prepared statements, one transaction per feedback request.
#include <sqlite3.h>

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "service/feedback/feedback.hpp"

namespace rubric::service {
namespace {

constexpr const char* schema = R"sql(
  CREATE TABLE IF NOT EXISTS feedback (
    id                   INTEGER PRIMARY KEY,
    service              TEXT NOT NULL,
    card                 TEXT NOT NULL,
    outcome              TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
    accepted_suggestions TEXT NOT NULL,  -- JSON array of suggestion uuids
    override_reason      TEXT,           -- JSON object, NULL when absent
    outcome_timestamp    TEXT NOT NULL,
    received_at          TEXT NOT NULL
  );
  CREATE INDEX IF NOT EXISTS feedback_by_card ON feedback (card);
)sql";

struct statement {
  sqlite3_stmt* handle = nullptr;
  statement(sqlite3* db, const char* sql) { sqlite3_prepare_v2(db, sql, -1, &handle, nullptr); }
  ~statement() { sqlite3_finalize(handle); }
  statement(const statement&) = delete;
  statement& operator=(const statement&) = delete;
  void bind(int index, std::string_view text) {
    // An empty view may have a null data(), which SQLite would bind as NULL.
    sqlite3_bind_text(handle, index, text.empty() ? "" : text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  }
  std::string column(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(handle, index));
    return text ? std::string(text) : std::string();
  }
};

std::string error_of(sqlite3* db, std::string_view what) {
  return std::string(what) + ": " + sqlite3_errmsg(db);
}

std::string suggestions_json(const std::vector<std::string>& ids) { return nlohmann::json(ids).dump(); }

std::vector<std::string> suggestions_from(const std::string& text) {
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  std::vector<std::string> ids;
  if (doc.is_array())
    for (const auto& id : doc)
      if (id.is_string()) ids.push_back(id.get<std::string>());
  return ids;
}

// sqlite3_exec, tried again for up to 5 s while the database is busy. The
// busy timeout does not cover everything: when two replicas open one
// database at once, switching it to WAL can give SQLITE_BUSY at once (SQLite
// will not wait where waiting could deadlock), and a replica then failed to
// start ("database is locked").
int exec_retrying_busy(sqlite3* db, const char* sql, char*& error) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &error);
    if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) || std::chrono::steady_clock::now() >= deadline) return rc;
    sqlite3_free(error);
    error = nullptr;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace

std::variant<std::unique_ptr<feedback_store>, std::string> feedback_store::open(const std::filesystem::path& path) {
  sqlite3* db = nullptr;
  const int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX;
  if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
    std::string message = "cannot open feedback database `" + path.string() + "`: " +
                          (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return message;
  }
  std::unique_ptr<feedback_store> store(new feedback_store(db));
  sqlite3_busy_timeout(db, 5000);  // another process (a replica) may hold the write lock briefly
  for (const char* pragma : {"PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", schema}) {
    char* error = nullptr;
    if (exec_retrying_busy(db, pragma, error) != SQLITE_OK) {
      std::string message = "feedback database `" + path.string() + "`: " + (error ? error : "unknown error");
      sqlite3_free(error);
      return message;
    }
  }
  return store;
}

feedback_store::~feedback_store() { sqlite3_close(db_); }

std::optional<std::string> feedback_store::append(std::string_view service, const std::vector<feedback_entry>& entries,
                                                  std::string_view received_at) {
  if (entries.empty()) return std::nullopt;
  std::lock_guard lock(mutex_);
  if (sqlite3_exec(db_, "BEGIN IMMEDIATE;", nullptr, nullptr, nullptr) != SQLITE_OK)
    return error_of(db_, "cannot begin a feedback transaction");
  statement insert(db_,
                   "INSERT INTO feedback (service, card, outcome, accepted_suggestions, override_reason,"
                   " outcome_timestamp, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);");
  for (const feedback_entry& entry : entries) {
    if (!insert.handle) break;
    sqlite3_reset(insert.handle);
    insert.bind(1, service);
    insert.bind(2, entry.card);
    insert.bind(3, entry.outcome);
    insert.bind(4, suggestions_json(entry.accepted_suggestions));
    if (entry.override_reason.empty()) sqlite3_bind_null(insert.handle, 5);
    else insert.bind(5, entry.override_reason);
    insert.bind(6, entry.outcome_timestamp);
    insert.bind(7, received_at);
    if (sqlite3_step(insert.handle) != SQLITE_DONE) break;
    if (&entry == &entries.back()) {
      if (sqlite3_exec(db_, "COMMIT;", nullptr, nullptr, nullptr) == SQLITE_OK) return std::nullopt;
      break;
    }
  }
  std::string message = error_of(db_, "cannot store feedback");
  sqlite3_exec(db_, "ROLLBACK;", nullptr, nullptr, nullptr);
  return message;
}

std::vector<stored_feedback> feedback_store::read(std::string_view service) const {
  std::lock_guard lock(mutex_);
  statement select(db_,
                   "SELECT id, service, card, outcome, accepted_suggestions, override_reason, outcome_timestamp,"
                   " received_at FROM feedback WHERE ?1 = '' OR service = ?1 ORDER BY id;");
  std::vector<stored_feedback> rows;
  if (!select.handle) return rows;
  select.bind(1, service);
  while (sqlite3_step(select.handle) == SQLITE_ROW) {
    feedback_entry entry{select.column(2), select.column(3), suggestions_from(select.column(4)), select.column(5),
                         select.column(6)};
    rows.push_back({sqlite3_column_int64(select.handle, 0), select.column(1), std::move(entry), select.column(7)});
  }
  return rows;
}

std::int64_t feedback_store::count() const {
  std::lock_guard lock(mutex_);
  statement select(db_, "SELECT COUNT(*) FROM feedback;");
  if (!select.handle || sqlite3_step(select.handle) != SQLITE_ROW) return -1;
  return sqlite3_column_int64(select.handle, 0);
}

}  // namespace rubric::service
