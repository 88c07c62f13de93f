// The edge's handlers. Latency is measured from the pre-routing handler to
// the post-routing handler, which cpp-httplib runs on the same worker thread
// for one request; a request refused before routing (413, 400) counts as 0 s.
#include "service/edge/edge.hpp"

#include <chrono>
#include <ctime>
#include <optional>

#include <httplib.h>

#include "service/edge/whole_answer.hpp"

namespace rubric::service {
namespace {

using clock = std::chrono::steady_clock;
thread_local std::optional<clock::time_point> request_start;

constexpr std::string_view unauthorized_body = R"({"error":"unauthorized"})";

bool is_cds_path(std::string_view path) {
  return path == "/cds-services" || path.starts_with("/cds-services/");
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &parts);
  return text;
}

}  // namespace

std::string_view route_pattern(std::string_view path) {
  for (std::string_view fixed : {"/cds-services", "/healthz", "/readyz", "/metrics", "/admin/reload"})
    if (path == fixed) return fixed;
  if (!path.starts_with("/cds-services/")) return "other";
  const std::string_view rest = path.substr(std::string_view("/cds-services/").size());
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos) return rest.empty() ? "other" : "/cds-services/{id}";
  return rest.substr(slash) == "/feedback" && slash > 0 ? "/cds-services/{id}/feedback" : "other";
}

std::string_view error_kind(int status) {
  switch (status) {
    case 400: return "bad_request";
    case 401: return "unauthorized";
    case 404: return "not_found";
    case 405: return "method_not_allowed";
    case 408: return "timeout";
    case 409: return "conflict";
    case 412: return "precondition_failed";
    case 413: return "payload_too_large";
    case 414: return "uri_too_long";
    case 503: return "unavailable";
    default: return status >= 500 ? "internal" : "client_error";
  }
}

service_edge::service_edge(edge_options options) : options_(std::move(options)) {}

void service_edge::set_public_url(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  std::lock_guard lock(url_mutex_);
  public_url_ = std::move(url);
}

std::string service_edge::public_url() const {
  std::lock_guard lock(url_mutex_);
  return public_url_;
}

void service_edge::handle_feedback(std::string_view service, std::string_view body, int& status, std::string& reply) {
  if (options_.known_service && !options_.known_service(service)) {
    status = 404;
    reply = nlohmann::json{{"error", "no service \"" + std::string(service) + "\""}}.dump();
    return;
  }
  if (!options_.feedback) {
    status = 503;
    reply = R"({"error":"feedback is not stored by this service"})";
    return;
  }
  auto parsed = parse_feedback(body);
  if (auto* error = std::get_if<feedback_error>(&parsed)) {
    status = 400;
    reply = nlohmann::json{{"error", error->message}}.dump();
    return;
  }
  const auto& entries = std::get<std::vector<feedback_entry>>(parsed);
  if (auto failure = options_.feedback->append(service, entries, utc_now())) {
    if (options_.log) options_.log("feedback_error", {{"service", service}, {"what", *failure}});
    status = 500;
    reply = R"({"error":"feedback could not be stored"})";
    return;
  }
  if (options_.log) options_.log("feedback", {{"service", service}, {"entries", entries.size()}});
  status = 200;
  reply = "{}";
}

void service_edge::install(httplib::Server& server) {
  // Long keep-alive (keep_alive_requests, edge.hpp): behind nginx (upstream
  // keep-alive) or a busy EHR, reconnects go through a listen backlog of 5.
  server.set_keep_alive_max_count(keep_alive_requests);
  // Without TCP_NODELAY a small answer waits for the peer's delayed ACK (40 ms).
  server.set_tcp_nodelay(true);
  server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    request_start = clock::now();
    if (!is_cds_path(req.path)) return httplib::Server::HandlerResponse::Unhandled;
    const auto verdict = options_.verifier->verify(req.get_header_value("Authorization"), public_url() + req.path);
    if (verdict.ok()) return httplib::Server::HandlerResponse::Unhandled;
    if (options_.log)
      options_.log("unauthorized",
                   {{"reason", security::to_string(*verdict.reason)}, {"detail", verdict.detail}, {"path", req.path}});
    res.status = 401;
    res.set_header("WWW-Authenticate", "Bearer");
    res.set_content(std::string(unauthorized_body), "application/json");
    return httplib::Server::HandlerResponse::Handled;
  });
  // Counted in the post-routing handler, which cpp-httplib runs for every
  // answer (errors included) just before writing it: a client that reads
  // /metrics right after an answer sees that answer counted.
  server.set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    double seconds = 0;
    if (request_start) seconds = std::chrono::duration<double>(clock::now() - *request_start).count();
    request_start.reset();
    metrics_.record_request(route_pattern(req.path), res.status, seconds);
    if (res.status >= 400) metrics_.record_error(error_kind(res.status));
    hold_answer(req);
  });
  // cpp-httplib calls its logger once the body is written: the held answer leaves whole.
  server.set_logger([](const httplib::Request& req, const httplib::Response&) { release_answer(req); });
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.set_content(metrics_.exposition(), std::string(service_metrics::content_type).c_str());
  });
  server.Post(R"(/cds-services/([A-Za-z0-9._-]+)/feedback)", [this](const httplib::Request& req, httplib::Response& res) {
    int status = 500;
    std::string reply;
    handle_feedback(req.matches[1].str(), req.body, status, reply);
    res.status = status;
    res.set_content(reply, "application/json");
  });
}

}  // namespace rubric::service
