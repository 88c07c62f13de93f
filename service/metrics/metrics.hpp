// The service's metrics in the Prometheus text exposition format (0.0.4):
//   rubric_http_requests_total{route,status}            counter
//   rubric_http_request_duration_seconds{route}         histogram
//   rubric_ratings_total{code}                          counter (PAMA rating, or "none")
//   rubric_errors_total{kind}                           counter
//
// How the service calls it: one `service_metrics` for the process; after
// answering each request,
//   metrics.record_request("/cds-services/{id}", res.status, seconds);
// with the route *pattern* (never the raw path: labels must stay few), per
// rating given `metrics.record_rating("not-appropriate")`, per failure
// `metrics.record_error("jwt_rejected")` (or "evaluation", "bad_request"...),
// and for `GET /metrics`:
//   res.set_content(metrics.exposition(), service_metrics::content_type);
// All members are safe to call from many threads; each takes one short lock.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

namespace rubric::service {

class service_metrics {
 public:
  static constexpr std::string_view content_type = "text/plain; version=0.0.4; charset=utf-8";
  // Upper bounds in seconds; a service answer is expected in milliseconds.
  static constexpr std::array<double, 12> latency_buckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1.0,  2.5};

  void record_request(std::string_view route, int status, double seconds);
  void record_rating(std::string_view code);
  void record_error(std::string_view kind);

  // Every metric, families in a fixed order and series sorted by label.
  std::string exposition() const;

 private:
  struct histogram {
    std::array<std::uint64_t, latency_buckets.size()> buckets{};  // not cumulative; summed on output
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;
  std::map<std::pair<std::string, int>, std::uint64_t, std::less<>> requests_;
  std::map<std::string, histogram, std::less<>> latency_;
  std::map<std::string, std::uint64_t, std::less<>> ratings_;
  std::map<std::string, std::uint64_t, std::less<>> errors_;
};

// A label value escaped for the exposition format (backslash, quote, newline).
std::string escape_label_value(std::string_view value);

}  // namespace rubric::service
