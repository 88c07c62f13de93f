// The Prometheus exposition for known counts, byte for byte, and counting
// from many threads.
#include <thread>

#include <catch2/catch.hpp>

#include "service/metrics/metrics.hpp"

using rubric::service::service_metrics;

TEST_CASE("the exposition text for known counts", "[metrics]") {
  service_metrics metrics;
  metrics.record_request("/cds-services/{id}", 200, 0.00048828125);  // 2^-11: sums stay exact
  metrics.record_request("/cds-services/{id}", 200, 0.00390625);       // 2^-8
  metrics.record_request("/cds-services/{id}", 401, 0.0000152587890625);  // 2^-16
  metrics.record_request("/healthz", 200, 3.0);
  metrics.record_rating("not-appropriate");
  metrics.record_rating("appropriate");
  metrics.record_rating("not-appropriate");
  metrics.record_error("jwt_rejected");
  CHECK(metrics.exposition() ==
        "# HELP rubric_http_requests_total HTTP requests answered, by route pattern and status.\n"
        "# TYPE rubric_http_requests_total counter\n"
        "rubric_http_requests_total{route=\"/cds-services/{id}\",status=\"200\"} 2\n"
        "rubric_http_requests_total{route=\"/cds-services/{id}\",status=\"401\"} 1\n"
        "rubric_http_requests_total{route=\"/healthz\",status=\"200\"} 1\n"
        "# HELP rubric_http_request_duration_seconds Time from request to answer, by route pattern.\n"
        "# TYPE rubric_http_request_duration_seconds histogram\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.0005\"} 2\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.001\"} 2\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.0025\"} 2\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.005\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.01\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.025\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.05\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.1\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.25\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.5\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"1\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"2.5\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"+Inf\"} 3\n"
        "rubric_http_request_duration_seconds_sum{route=\"/cds-services/{id}\"} 0.0044097900390625\n"
        "rubric_http_request_duration_seconds_count{route=\"/cds-services/{id}\"} 3\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0005\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.001\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.0025\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.005\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.01\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.025\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.05\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.1\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.25\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"0.5\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"1\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"2.5\"} 0\n"
        "rubric_http_request_duration_seconds_bucket{route=\"/healthz\",le=\"+Inf\"} 1\n"
        "rubric_http_request_duration_seconds_sum{route=\"/healthz\"} 3\n"
        "rubric_http_request_duration_seconds_count{route=\"/healthz\"} 1\n"
        "# HELP rubric_ratings_total PAMA ratings given (\"none\": undetermined, no rating).\n"
        "# TYPE rubric_ratings_total counter\n"
        "rubric_ratings_total{code=\"appropriate\"} 1\n"
        "rubric_ratings_total{code=\"not-appropriate\"} 2\n"
        "# HELP rubric_errors_total Requests that failed, by kind.\n"
        "# TYPE rubric_errors_total counter\n"
        "rubric_errors_total{kind=\"jwt_rejected\"} 1\n");
}

TEST_CASE("label values are escaped", "[metrics]") {
  CHECK(rubric::service::escape_label_value("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
  service_metrics metrics;
  metrics.record_error("odd \"kind\"");
  CHECK(metrics.exposition().find("rubric_errors_total{kind=\"odd \\\"kind\\\"\"} 1\n") != std::string::npos);
}

TEST_CASE("counts from many threads add up", "[metrics]") {
  service_metrics metrics;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) metrics.record_request("/cds-services/{id}", 200, 0.002);
    });
  for (auto& t : threads) t.join();
  const std::string text = metrics.exposition();
  CHECK(text.find("rubric_http_requests_total{route=\"/cds-services/{id}\",status=\"200\"} 4000\n") != std::string::npos);
  CHECK(text.find("rubric_http_request_duration_seconds_bucket{route=\"/cds-services/{id}\",le=\"0.0025\"} 4000\n") !=
        std::string::npos);
  CHECK(text.find("rubric_http_request_duration_seconds_count{route=\"/cds-services/{id}\"} 4000\n") != std::string::npos);
}
