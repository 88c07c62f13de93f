// JSON-line logs (log.hpp).
#include "service/log.hpp"

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <chrono>

#include "service/json_text.hpp"

namespace rubric::service {

std::string utc_timestamp() {
  // Every hook call logs a line: the date and time are formatted once per
  // second and thread, the milliseconds on each call.
  thread_local std::time_t formatted_second = -1;
  thread_local std::string second_text;
  const auto now = std::chrono::system_clock::now();
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  if (t != formatted_second) {
    std::tm tm{};
    gmtime_r(&t, &tm);
    second_text = fmt::format("{:%Y-%m-%dT%H:%M:%S}", tm);
    formatted_second = t;
  }
  std::string out = second_text;
  out += '.';
  out += static_cast<char>('0' + ms / 100);
  out += static_cast<char>('0' + ms / 10 % 10);
  out += static_cast<char>('0' + ms % 10);
  out += 'Z';
  return out;
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
