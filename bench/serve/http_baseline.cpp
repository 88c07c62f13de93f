// The yardstick of bench/serve/serve_bench.sh: a bare cpp-httplib server (same
// library, same default thread pool and the same connection settings as
// `rubric serve`: TCP_NODELAY, long keep-alive) that answers every POST with
// a fixed CDS Hooks response, with no JWT check and no evaluation.
// Usage: serve_http_baseline PORT THREADS [BODY_FILE]   (listens on 127.0.0.1;
// SIGTERM stops it). BODY_FILE: the fixed body, for example the service's own
// answer to the benchmark's request, so both send the same bytes; without
// it, a 0.5 KB card.
#include <httplib.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>

namespace {

httplib::Server* running = nullptr;

extern "C" void stop_on_signal(int) {
  if (running) running->stop();
}

// About the size of a real order-select answer's card.
const std::string fixed_body =
    R"({"cards":[{"uuid":"0b3a3b8e-1c56-4d51-9e55-0c7d6c0f5a11","summary":"CT lumbar spine without IV contrast: )"
    R"(Usually not appropriate","indicator":"warning","source":{"label":"ACR Appropriateness Criteria, Low Back )"
    R"(Pain"},"detail":"Variant 1: acute low back pain without red flags. Imaging is not indicated.",)"
    R"("selectionBehavior":"at-most-one","suggestions":[]}],"systemActions":[]})";

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3 && argc != 4) {
    std::fprintf(stderr, "usage: serve_http_baseline PORT THREADS [BODY_FILE]\n");
    return 2;
  }
  static std::string body = fixed_body;
  if (argc == 4) {
    std::ifstream in(argv[3], std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "serve_http_baseline: cannot read %s\n", argv[3]);
      return 2;
    }
    body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  httplib::Server server;
  server.set_tcp_nodelay(true);
  server.set_keep_alive_max_count(10000);  // as rubric serve (service/edge/edge.hpp)
  const auto threads = static_cast<std::size_t>(std::atoi(argv[2]));
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.Post(R"(/cds-services/([^/]+))", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(body, "application/json");
  });
  running = &server;
  std::signal(SIGTERM, stop_on_signal);
  std::signal(SIGINT, stop_on_signal);
  return server.listen("127.0.0.1", std::atoi(argv[1])) ? 0 : 1;
}
