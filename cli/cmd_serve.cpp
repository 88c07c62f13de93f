// `rubric serve --catalog DIR|FILE… [--listen 127.0.0.1:8080]`: the CDS Hooks
// service (service/, docs/serve.md). This file is the edge where `.rubric`
// catalogs are compiled (the service library links only the runtime); it
// owns the signals: SIGHUP reloads the catalog, SIGINT/SIGTERM stop the
// server and exit 0 once requests in flight are done.
#include <fmt/format.h>
#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "service/fhir_fetch.hpp"
#include "service/server.hpp"

namespace rubric::cli {

namespace {

struct serve_cli {
  std::vector<std::string> catalog;
  std::string listen = "127.0.0.1:8080";
  std::string tls_cert, tls_key;
  std::string admin_key_file;
  std::string qcdsm_id = "unassigned";
  std::vector<std::string> fhir_server_allow;
  std::size_t max_body_bytes = 8u << 20;
  unsigned timeout_seconds = 5;
  unsigned fhir_timeout_seconds = 2;  // each read from a client's FHIR server (connect, send, answer)
  int threads = 0;
  std::string log_file;
  std::string auth_config;   // which CDS clients to trust (docs/serve.md, Security)
  bool insecure_no_auth = false;
  std::string public_url;    // the base URL clients call, for the JWT audience
  std::string feedback_db;   // SQLite file for feedback
};

// The guideline files of the catalog arguments: a file as given, a folder's
// `.rubric` and `.json` files (not its subfolders), in name order.
std::vector<std::string> catalog_files(const std::vector<std::string>& args, std::string& error) {
  std::vector<std::string> files;
  for (const auto& a : args) {
    std::error_code ec;
    if (!std::filesystem::is_directory(a, ec)) {
      files.push_back(a);
      continue;
    }
    std::vector<std::string> in_dir;
    for (const auto& e : std::filesystem::directory_iterator(a, ec)) {
      auto ext = e.path().extension();
      if (e.is_regular_file() && (ext == ".rubric" || ext == ".json")) in_dir.push_back(e.path().string());
    }
    if (ec) error = fmt::format("cannot read the folder `{}`: {}", a, ec.message());
    std::sort(in_dir.begin(), in_dir.end());
    files.insert(files.end(), in_dir.begin(), in_dir.end());
  }
  if (files.empty() && error.empty()) error = "the catalog holds no guideline (.rubric or compiled .json)";
  return files;
}

// Compiles or loads every guideline; any failure refuses the whole catalog.
std::variant<std::shared_ptr<const service::catalog>, std::string> load_catalog(const std::vector<std::string>& args) {
  std::string error;
  auto files = catalog_files(args, error);
  if (!error.empty()) return error;
  std::vector<service::catalog::source> sources;
  for (const auto& f : files) {
    auto g = load_guideline(f, "never");  // diagnostics go to stderr
    if (!g) return fmt::format("`{}` does not load (see the diagnostics on stderr)", f);
    sources.push_back({std::move(*g), f});
  }
  return std::make_shared<const service::catalog>(std::move(sources));
}

bool split_listen(const std::string& listen, std::string& host, int& port) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  host = listen.substr(0, colon);
  try {
    std::size_t used = 0;
    port = std::stoi(listen.substr(colon + 1), &used);
    return used == listen.size() - colon - 1 && port >= 0 && port <= 65535;
  } catch (...) {
    return false;
  }
}

// The JWT check, metrics and feedback store of the service's edge.
std::variant<std::shared_ptr<service::service_edge>, std::string> make_edge(const serve_cli& cli, service::json_log& log) {
  auto config = service::security::load_verifier_config(cli.auth_config);
  if (auto* error = std::get_if<std::string>(&config)) return fmt::format("--auth-config `{}`: {}", cli.auth_config, *error);
  service::edge_options edge;
  edge.verifier = std::make_shared<service::security::jwt_verifier>(std::get<0>(std::move(config)));
  if (!cli.feedback_db.empty()) {
    auto store = service::feedback_store::open(cli.feedback_db);
    if (auto* error = std::get_if<std::string>(&store)) return fmt::format("--feedback-db `{}`: {}", cli.feedback_db, *error);
    edge.feedback = std::move(std::get<0>(store));
  }
  edge.known_service = [](std::string_view id) { return id == service::hook_order_select || id == service::hook_order_sign; };
  edge.log = [&log](std::string_view event, nlohmann::json fields) { log.write(event, std::move(fields)); };
  return std::make_shared<service::service_edge>(std::move(edge));
}

int run_serve(const serve_cli& cli) {
  service::server_options options;
  if (!split_listen(cli.listen, options.host, options.port)) {
    fmt::print(stderr, "error: --listen `{}`: expected HOST:PORT, such as 127.0.0.1:8080\n", cli.listen);
    return exit_usage;
  }
  if (cli.tls_cert.empty() != cli.tls_key.empty()) {
    fmt::print(stderr, "error: --tls-cert and --tls-key go together\n");
    return exit_usage;
  }
  if (!cli.admin_key_file.empty()) {
    auto key = read_file_text(cli.admin_key_file);
    if (!key) return exit_usage;
    while (!key->empty() && (key->back() == '\n' || key->back() == '\r')) key->pop_back();
    if (key->size() < 16) {
      fmt::print(stderr, "error: the admin key in `{}` is shorter than 16 characters\n", cli.admin_key_file);
      return exit_usage;
    }
    options.admin_key = *key;
  }
  if (cli.auth_config.empty() == !cli.insecure_no_auth) {
    fmt::print(stderr, "error: {}\n", cli.insecure_no_auth ? "--auth-config and --insecure-no-auth exclude each other"
                                                           : "give --auth-config FILE (which CDS clients to trust), or --insecure-no-auth for a local trial");
    return exit_usage;
  }
  std::FILE* log_out = stdout;
  if (!cli.log_file.empty() && !(log_out = std::fopen(cli.log_file.c_str(), "a"))) {
    fmt::print(stderr, "error: cannot open the log file `{}`\n", cli.log_file);
    return exit_usage;
  }
  auto loaded = load_catalog(cli.catalog);
  if (auto* error = std::get_if<std::string>(&loaded)) {
    fmt::print(stderr, "error: {}\n", *error);
    return exit_findings;
  }
  options.tls_cert = cli.tls_cert;
  options.tls_key = cli.tls_key;
  options.max_body_bytes = cli.max_body_bytes;
  options.read_timeout = options.write_timeout = options.keep_alive_timeout = std::chrono::seconds(cli.timeout_seconds);
  options.threads = cli.threads;
  options.hooks.answer = {RUBRIC_VERSION, cli.qcdsm_id};
  options.hooks.fhir_server_allow = cli.fhir_server_allow;
  options.hooks.fetch = service::http_fhir_fetcher(std::chrono::seconds(cli.fhir_timeout_seconds));

  // Signals are taken by this thread alone (sigwait), never by the workers.
  sigset_t signals;
  sigemptyset(&signals);
  for (int s : {SIGHUP, SIGINT, SIGTERM}) sigaddset(&signals, s);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  service::json_log log(log_out);
  if (!cli.auth_config.empty()) {
    auto edge = make_edge(cli, log);
    if (auto* error = std::get_if<std::string>(&edge)) {
      fmt::print(stderr, "error: {}\n", *error);
      return exit_usage;
    }
    options.edge = std::get<0>(std::move(edge));
  }
  options.public_base_url = cli.public_url;
  auto args = cli.catalog;
  service::cds_server server(options, std::get<0>(std::move(loaded)), [args] { return load_catalog(args); }, log);
  std::string error;
  int port = server.bind(error);
  if (port < 0) {
    fmt::print(stderr, "error: {}\n", error);
    return exit_findings;
  }
  nlohmann::json graphs = nlohmann::json::array();
  for (const auto& g : server.current()->guidelines()) graphs.push_back({{"guideline", g.graph.id}, {"graphHash", g.hash}});
  log.write("listening", {{"host", options.host}, {"port", port}, {"tls", !options.tls_cert.empty()}, {"auth", options.edge ? "jwt" : "none"},
                          {"rubricVersion", RUBRIC_VERSION}, {"guidelines", graphs}});
  std::atomic<bool> ended{false};
  std::thread worker([&server, &ended] {
    server.run();
    ended = true;
    kill(getpid(), SIGTERM);  // the listener ended on its own: wake the signal loop
  });
  for (;;) {
    int s = 0;
    sigwait(&signals, &s);
    if (s != SIGHUP) break;
    std::string message;
    server.reload(message);
  }
  // A signal can come before the listener runs (a client that stops the
  // service right after it logged `listening`); a stop before then is lost.
  while (!server.running() && !ended) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!ended) server.stop();
  worker.join();
  log.write("stopped");
  if (log_out != stdout) std::fclose(log_out);
  return exit_ok;
}

}  // namespace

void add_serve_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<serve_cli>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the catalog as a CDS Hooks 2.0 service (order-select, order-sign) with PAMA ratings");
  cmd->add_option("--catalog", cli->catalog, "Guideline files (.rubric or compiled .json) or folders of them")->required()->expected(1, -1);
  cmd->add_option("--listen", cli->listen, "HOST:PORT to listen on (port 0: any free port, logged at start)")->capture_default_str();
  cmd->add_option("--tls-cert", cli->tls_cert, "PEM certificate: serve HTTPS (with --tls-key)");
  cmd->add_option("--tls-key", cli->tls_key, "PEM private key of --tls-cert");
  cmd->add_option("--admin-key-file", cli->admin_key_file, "File holding the bearer key of POST /admin/reload (off without it)");
  cmd->add_option("--qcdsm-id", cli->qcdsm_id, "CMS-assigned G-code of this qCDSM, for the pama-rating-qcdsm-consulted extension")->capture_default_str();
  cmd->add_option("--fhir-server-allow", cli->fhir_server_allow, "fhirServer URL prefixes the service may read missing prefetch data from");
  cmd->add_option("--max-body-bytes", cli->max_body_bytes, "Largest request body accepted (413 beyond)")->capture_default_str();
  cmd->add_option("--fhir-timeout", cli->fhir_timeout_seconds, "Timeout in seconds of each read from a client's FHIR server")
      ->capture_default_str()
      ->check(CLI::Range(1u, 60u));
  cmd->add_option("--timeout", cli->timeout_seconds, "Read, write and keep-alive timeout in seconds")->capture_default_str()->check(CLI::Range(1u, 300u));
  cmd->add_option("--threads", cli->threads, "Worker threads, one per open keep-alive connection (0: 64)")->capture_default_str()->check(CLI::Range(0, 1024));
  cmd->add_option("--auth-config", cli->auth_config, "JSON file naming the CDS clients to trust: issuers, their JWK Sets, allowed jku URLs");
  cmd->add_flag("--insecure-no-auth", cli->insecure_no_auth, "Accept calls without a JWT, and serve no metrics or feedback (a local trial only)");
  cmd->add_option("--public-url", cli->public_url, "Base URL clients call, the JWT audience's prefix (default http(s)://HOST:PORT as bound)");
  cmd->add_option("--feedback-db", cli->feedback_db, "SQLite file where card feedback is kept (created if needed)");
  cmd->add_option("--log", cli->log_file, "Append the JSON-line log to this file (default: stdout)");
  cmd->callback([cli, &exit_code] { exit_code = run_serve(*cli); });
}

}  // namespace rubric::cli
