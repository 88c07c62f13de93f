// The HTTP side of `rubric serve` (server.hpp).
#include "service/server.hpp"

#include <fmt/format.h>
#include <httplib.h>
#include <openssl/crypto.h>

#include "service/edge/whole_answer.hpp"
#include "service/json_text.hpp"

namespace rubric::service {

using nlohmann::json;

namespace {

void reply_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  // What set_content() does, without copying the text: body.dump()'s bytes, faster (json_text.hpp).
  res.body = json_text(body);
  res.set_header("Content-Type", "application/json");
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

// Whether the request carries `Authorization: Bearer KEY` (constant-time compare).
bool has_key(const httplib::Request& req, const std::string& key) {
  std::string h = req.get_header_value("Authorization");
  std::string_view prefix = "Bearer ";
  if (key.empty() || h.size() != prefix.size() + key.size() || !h.starts_with(prefix)) return false;
  return CRYPTO_memcmp(h.data() + prefix.size(), key.data(), key.size()) == 0;
}

}  // namespace

cds_server::cds_server(server_options options, std::shared_ptr<const catalog> initial, catalog_loader loader, json_log& log)
    : options_(std::move(options)), catalog_(std::move(initial)), loader_(std::move(loader)), log_(log) {
  if (!options_.tls_cert.empty())
    http_ = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(), options_.tls_key.c_str());
  else
    http_ = std::make_unique<httplib::Server>();
  http_->set_payload_max_length(options_.max_body_bytes);
  http_->set_read_timeout(options_.read_timeout.count());
  http_->set_write_timeout(options_.write_timeout.count());
  http_->set_keep_alive_timeout(options_.keep_alive_timeout.count());
  // Without TCP_NODELAY a small answer waits for the peer's delayed ACK (40 ms).
  http_->set_tcp_nodelay(true);
  // Long keep-alive: each reconnect goes through cpp-httplib's listen backlog (edge.hpp).
  http_->set_keep_alive_max_count(keep_alive_requests);
  // cpp-httplib serves a keep-alive connection on one worker until it
  // closes: with fewer workers than connections, the rest wait their turn.
  auto n = static_cast<std::size_t>(options_.threads > 0 ? options_.threads : default_threads);
  http_->new_task_queue = [n] { return new httplib::ThreadPool(n); };
  add_routes();
}

cds_server::~cds_server() = default;

std::shared_ptr<const catalog> cds_server::current() const {
  std::lock_guard lock(catalog_mutex_);
  return catalog_;
}

bool cds_server::reload(std::string& message) {
  std::lock_guard one_at_a_time(reload_mutex_);
  auto loaded = loader_();
  if (auto* error = std::get_if<std::string>(&loaded)) {
    message = "reload refused, the catalog in use stays: " + *error;
    log_.write("reload_refused", {{"reason", *error}});
    return false;
  }
  auto next = std::get<std::shared_ptr<const catalog>>(std::move(loaded));
  json hashes = json::array();
  for (const auto& g : next->guidelines()) hashes.push_back({{"guideline", g.graph.id}, {"graphHash", g.hash}});
  {
    std::lock_guard lock(catalog_mutex_);
    catalog_ = std::move(next);
  }
  message = fmt::format("reloaded: {} guidelines", hashes.size());
  log_.write("reload", {{"guidelines", hashes}});
  return true;
}

int cds_server::bind(std::string& error) {
  if (!http_->is_valid()) {
    error = "cannot start TLS: check --tls-cert and --tls-key";
    return -1;
  }
  int port = options_.port == 0 ? http_->bind_to_any_port(options_.host) : (http_->bind_to_port(options_.host, options_.port) ? options_.port : -1);
  if (port < 0) {
    error = fmt::format("cannot listen on {}:{}", options_.host, options_.port);
    return port;
  }
  if (options_.public_base_url.empty())
    options_.public_base_url = fmt::format("{}://{}:{}", options_.tls_cert.empty() ? "http" : "https", options_.host, port);
  if (options_.edge) options_.edge->set_public_url(options_.public_base_url);
  return port;
}

void cds_server::run() { http_->listen_after_bind(); }
void cds_server::stop() { http_->stop(); }
bool cds_server::running() const { return http_->is_running(); }

void cds_server::add_routes() {
  if (options_.edge) {
    options_.edge->install(*http_);
  } else {  // the edge holds answers whole (whole_answer.hpp); without it, the server does
    http_->set_post_routing_handler([](const httplib::Request& req, httplib::Response&) { hold_answer(req); });
    http_->set_logger([](const httplib::Request& req, const httplib::Response&) { release_answer(req); });
  }
  http_->set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty()) reply_json(res, res.status, {{"error", fmt::format("HTTP {}", res.status)}});
  });
  http_->set_exception_handler([this](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
    std::string what = "unknown";
    try {
      std::rethrow_exception(ep);
    } catch (const std::exception& e) {
      what = e.what();
    } catch (...) {
    }
    log_.write("internal_error", {{"path", req.path}, {"what", what}});
    reply_json(res, 500, {{"error", "internal error"}});
  });
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) { reply_json(res, 200, {{"status", "ok"}}); });
  http_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    auto c = current();
    bool ready = c && !c->guidelines().empty();
    reply_json(res, ready ? 200 : 503, {{"status", ready ? "ready" : "no catalog"}, {"guidelines", c ? c->guidelines().size() : 0}});
  });
  http_->Post("/admin/reload", [this](const httplib::Request& req, httplib::Response& res) {
    if (options_.admin_key.empty()) return reply_json(res, 404, {{"error", "Not Found"}});
    if (!has_key(req, options_.admin_key)) {
      res.set_header("WWW-Authenticate", "Bearer");
      return reply_json(res, 401, {{"error", "unauthorized"}});
    }
    std::string message;
    bool ok = reload(message);
    reply_json(res, ok ? 200 : 409, {{ok ? "status" : "error", message}});
  });
  add_hook_routes();
}

void cds_server::add_hook_routes() {
  http_->Get("/cds-services", [this](const httplib::Request&, httplib::Response& res) { reply_json(res, 200, discovery(*current())); });
  http_->Post(R"(/cds-services/([A-Za-z0-9._-]+))", [this](const httplib::Request& req, httplib::Response& res) {
    auto t0 = std::chrono::steady_clock::now();
    std::string id = req.matches[1];
    if (id != hook_order_select && id != hook_order_sign) return reply_json(res, 404, {{"error", fmt::format("no service \"{}\"", id)}});
    auto c = current();  // this request finishes on this catalog, whatever a reload does meanwhile
    hook_reply r = handle_hook(*c, id, req.body, options_.hooks);
    if (r.status == 200) {
      res.body = std::move(r.text);
      res.set_header("Content-Type", "application/json");
    } else {
      reply_json(res, r.status, r.body);
    }
    if (options_.edge)
      for (const auto& o : r.orders) options_.edge->metrics().record_rating(o.rating.empty() ? "none" : o.rating);
    log_.write_members("hook", hook_log_members(id, r, ms_since(t0)));
  });
}

}  // namespace rubric::service
