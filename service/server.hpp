// `rubric serve`: the CDS Hooks 2.0 service over HTTP (cpp-httplib). Routes:
//   GET  /cds-services                 discovery
//   POST /cds-services/{id}            order-select, order-sign (hook.hpp)
//   POST /cds-services/{id}/feedback   feedback
//   GET  /healthz, /readyz             liveness, readiness (a catalog is loaded)
//   GET  /metrics                      Prometheus text          } service/edge/:
//   POST /cds-services/{id}/feedback   kept in SQLite           } with the JWT check of
//                                                                 every /cds-services call
//   POST /admin/reload                 swap in a freshly loaded catalog (admin key)
// The catalog is an immutable shared_ptr swapped under a lock: a request
// copies the pointer once and finishes on that catalog even if a reload
// lands meanwhile. Limits on body size and read/write/keep-alive time come
// from httplib's settings; headers are bounded by httplib itself (8 KiB).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

#include "service/catalog.hpp"
#include "service/edge/edge.hpp"
#include "service/hook.hpp"
#include "service/log.hpp"

namespace httplib {
class Server;
}

namespace rubric::service {

// Workers when none are configured: 64 keep-alive connections (a proxy's
// upstream pool, or a busy EHR) are served at once instead of queueing
// behind cpp-httplib's default of 8.
inline constexpr int default_threads = 64;

struct server_options {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (bind() returns it)
  std::string tls_cert, tls_key;  // both set: HTTPS
  std::string admin_key;          // the secret of POST /admin/reload; empty: the route is off
  std::size_t max_body_bytes = 8u << 20;
  std::chrono::seconds read_timeout{5}, write_timeout{5}, keep_alive_timeout{5};
  int threads = 0;  // worker threads, one per open keep-alive connection; 0: default_threads
  hook_settings hooks;
  // JWT check, metrics, feedback (service/edge/). Null only when the
  // operator chose --insecure-no-auth: then no JWT, no metrics, no feedback.
  std::shared_ptr<service_edge> edge;
  // The base URL clients call ("https://cds.example.org"), the JWT audience's
  // prefix. Empty: http(s)://HOST:PORT as bound.
  std::string public_base_url;
};

// Loads the catalog again from the same sources (the CLI compiles them), or
// says why it cannot.
using catalog_loader = std::function<std::variant<std::shared_ptr<const catalog>, std::string>()>;

class cds_server {
 public:
  cds_server(server_options options, std::shared_ptr<const catalog> initial, catalog_loader loader, json_log& log);
  ~cds_server();
  cds_server(const cds_server&) = delete;
  cds_server& operator=(const cds_server&) = delete;

  // Binds the listening socket; the port, or -1 with `error`.
  int bind(std::string& error);
  // Serves until stop(); call after bind().
  void run();
  // Ends run(). Call it once run() has started serving (running()): a stop
  // that comes before is lost and run() would serve on.
  void stop();
  bool running() const;
  // Loads a new catalog and swaps it in; on failure the old one stays. The outcome in words.
  bool reload(std::string& message);
  std::shared_ptr<const catalog> current() const;

 private:
  void add_routes();
  void add_hook_routes();

  server_options options_;
  std::unique_ptr<httplib::Server> http_;
  mutable std::mutex catalog_mutex_;
  std::shared_ptr<const catalog> catalog_;
  std::mutex reload_mutex_;  // one reload at a time
  catalog_loader loader_;
  json_log& log_;
};

}  // namespace rubric::service
