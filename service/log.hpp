// Structured logs: one JSON object per line (time, event, then fields), with
// no patient data — hook instance, consult ids, guideline and graph hash,
// rating, status, latency. Thread-safe; each line is written whole.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <mutex>
#include <string>
#include <string_view>

namespace rubric::service {

class json_log {
 public:
  explicit json_log(std::FILE* out) : out_(out) {}
  // Writes {"ts": "2026-11-30T07:00:00.123Z", "event": EVENT, …fields}.
  void write(std::string_view event, nlohmann::json fields = nlohmann::json::object());
  // The same line with its fields already written as JSON text: `members`
  // is `,"key":value…` (each member after a comma), in the order write()
  // would give them (sorted by key). For the line of every hook call, which
  // need not build a JSON tree.
  void write_members(std::string_view event, std::string_view members);

 private:
  std::FILE* out_;
  std::mutex mutex_;
};

// Now as RFC 3339 UTC with milliseconds.
std::string utc_timestamp();

}  // namespace rubric::service
