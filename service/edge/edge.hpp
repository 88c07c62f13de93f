// The service's edge on its cpp-httplib server: what every request passes
// through before and after the CDS Hooks routes. It installs
//   - the JWT check of every `/cds-services…` call, discovery and feedback
//     included (a pre-routing handler): 401, `WWW-Authenticate: Bearer` and
//     a generic body on failure; the reason goes to the log only;
//   - request counting and latency by route pattern, and an error count by
//     kind for every 4xx/5xx (a post-routing handler: counted before the
//     answer is written);
//   - `GET /metrics` (Prometheus text) and
//     `POST /cds-services/{id}/feedback` (validated, stored in SQLite);
//   - whole answers or none (whole_answer.hpp: held from the post-routing
//     handler until cpp-httplib's logger), so a replica killed mid-answer
//     leaves nothing a proxy could not retry;
//   - 100 requests per keep-alive connection (cpp-httplib's default is 5),
//     so a proxy's upstream keep-alive connections are reused, and
//     TCP_NODELAY, so an answer does not wait 40 ms for a delayed ACK.
//
// How the service calls it: build one at start and install it on the
// server before listening (it takes httplib's pre- and post-routing
// handlers and its logger, so the server must not set those itself):
//   auto edge = std::make_shared<service_edge>(edge_options{...});
//   edge->install(server);                 // with the hook routes
//   edge->set_public_url(url);              // once the port is known
// and per answered order: `edge->metrics().record_rating(code or "none")`.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "service/feedback/feedback.hpp"
#include "service/metrics/metrics.hpp"
#include "service/security/jwt_verifier.hpp"

namespace httplib {
class Server;
}

namespace rubric::service {

// Requests on one keep-alive connection before the server closes it
// (cpp-httplib's default is 5). Each close makes the client reconnect
// through cpp-httplib's listen backlog of 5, where a connect that finds it
// full waits for a SYN retransmission (1 s): at 64 busy connections and 100
// requests each, a reconnect came every 2 ms or so. Bounded all the same, so
// a connection that stays busy still ends now and then; an idle one ends
// after the keep-alive timeout (5 s).
inline constexpr std::size_t keep_alive_requests = 10000;

struct edge_options {
  std::shared_ptr<security::jwt_verifier> verifier;  // required
  std::shared_ptr<feedback_store> feedback;          // null: the feedback route answers 503
  // Which `{id}`s exist, for the feedback route (404 for others).
  std::function<bool(std::string_view)> known_service;
  // A structured log line (event, fields): never patient data.
  std::function<void(std::string_view, nlohmann::json)> log;
};

class service_edge {
 public:
  explicit service_edge(edge_options options);

  void install(httplib::Server& server);
  // The base of every token's `aud`: "https://cds.example.org", no trailing slash.
  void set_public_url(std::string url);
  std::string public_url() const;

  service_metrics& metrics() { return metrics_; }

 private:
  void handle_feedback(std::string_view service, std::string_view body, int& status, std::string& reply);

  edge_options options_;
  service_metrics metrics_;
  mutable std::mutex url_mutex_;
  std::string public_url_;
};

// The route pattern of a path, the `route` label of the metrics:
// "/cds-services/{id}", "/cds-services/{id}/feedback", "/healthz", … "other".
std::string_view route_pattern(std::string_view path);

// The `kind` label counted for an HTTP error status ("unauthorized", …).
std::string_view error_kind(int status);

}  // namespace rubric::service
