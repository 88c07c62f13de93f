// Counting under one mutex (a few map lookups per request) and rendering
// the text format; `le` bounds and sums print in shortest round-trip form.
#include "service/metrics/metrics.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace rubric::service {
namespace {

template <typename Map, typename Key>
typename Map::mapped_type& slot(Map& map, const Key& key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(typename Map::key_type(key), typename Map::mapped_type{}).first;
  return it->second;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void counter_family(std::string& out, std::string_view name, std::string_view label, std::string_view help,
                    const std::map<std::string, std::uint64_t, std::less<>>& series) {
  family(out, name, "counter", help);
  for (const auto& [value, count] : series)
    fmt::format_to(std::back_inserter(out), "{}{{{}=\"{}\"}} {}\n", name, label, escape_label_value(value), count);
}

}  // namespace

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

void service_metrics::record_request(std::string_view route, int status, double seconds) {
  const auto bucket = static_cast<std::size_t>(
      std::lower_bound(latency_buckets.begin(), latency_buckets.end(), seconds) - latency_buckets.begin());
  std::lock_guard lock(mutex_);
  ++slot(requests_, std::pair<std::string, int>(route, status));
  histogram& h = slot(latency_, route);
  if (bucket < h.buckets.size()) ++h.buckets[bucket];
  ++h.count;
  h.sum += seconds;
}

void service_metrics::record_rating(std::string_view code) {
  std::lock_guard lock(mutex_);
  ++slot(ratings_, code);
}

void service_metrics::record_error(std::string_view kind) {
  std::lock_guard lock(mutex_);
  ++slot(errors_, kind);
}

std::string service_metrics::exposition() const {
  std::string out;
  std::lock_guard lock(mutex_);
  family(out, "rubric_http_requests_total", "counter", "HTTP requests answered, by route pattern and status.");
  for (const auto& [key, count] : requests_)
    fmt::format_to(std::back_inserter(out), "rubric_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n",
                   escape_label_value(key.first), key.second, count);
  constexpr std::string_view latency = "rubric_http_request_duration_seconds";
  family(out, latency, "histogram", "Time from request to answer, by route pattern.");
  for (const auto& [route, h] : latency_) {
    const std::string label = escape_label_value(route);
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
      cumulative += h.buckets[i];
      fmt::format_to(std::back_inserter(out), "{}_bucket{{route=\"{}\",le=\"{}\"}} {}\n", latency, label,
                     latency_buckets[i], cumulative);
    }
    fmt::format_to(std::back_inserter(out), "{}_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n", latency, label, h.count);
    fmt::format_to(std::back_inserter(out), "{}_sum{{route=\"{}\"}} {}\n", latency, label, h.sum);
    fmt::format_to(std::back_inserter(out), "{}_count{{route=\"{}\"}} {}\n", latency, label, h.count);
  }
  counter_family(out, "rubric_ratings_total", "code", "PAMA ratings given (\"none\": undetermined, no rating).",
                 ratings_);
  counter_family(out, "rubric_errors_total", "kind", "Requests that failed, by kind.", errors_);
  return out;
}

}  // namespace rubric::service
