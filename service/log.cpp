// JSON-line logs (log.hpp).
#include "service/log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "service/json_text.hpp"

namespace rubric::service {

std::string utc_timestamp() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z", tm, ms);
}

void json_log::write(std::string_view event, nlohmann::json fields) {
  nlohmann::ordered_json line = {{"ts", utc_timestamp()}, {"event", event}};  // time and event first, for a reader
  for (auto& [k, v] : fields.items()) line[k] = std::move(v);
  std::string text = line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

void json_log::write_members(std::string_view event, std::string_view members) {
  std::string text = "{\"ts\":";
  text.reserve(members.size() + 64);
  append_json_string_text(text, utc_timestamp());
  text += ",\"event\":";
  append_json_string_text(text, event);
  text += members;
  text += "}\n";
  std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace rubric::service
