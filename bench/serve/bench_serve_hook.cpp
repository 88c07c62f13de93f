// The CDS Hooks call without sockets and without a JWT: `handle_hook` for
// order-select on the Low Back Pain guideline, CPU time per call. Two
// request mixes: the load test's body (tests/load/order_select.json) sent
// again and again, and 512 distinct patients (birth dates and onsets vary,
// so the age, duration and card text differ; each is answered from the
// service's decision cache after its first call), and the body with the
// cache off, which is what a record never seen before costs.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "service/hook.hpp"

namespace {

using namespace rubric;

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

const service::catalog& lbp_catalog() {
  static service::catalog c({{bench::lbp_graph(), "low_back_pain.rubric"}});
  return c;
}

// The load test's body with another birth date and onset: another patient.
std::string varied(const std::string& body, int i) {
  std::string out = body;
  auto put = [&](const std::string& from, const std::string& to) { out.replace(out.find(from), from.size(), to); };
  put("1980-02-01", fmt::format("{}-{:02}-{:02}", 1940 + i % 60, 1 + i % 12, 1 + i % 28));
  put("2026-11-16", fmt::format("2026-{:02}-{:02}", 1 + (i / 7) % 11, 1 + (i * 5) % 28));
  return out;
}

void run(benchmark::State& state, const std::vector<std::string>& bodies, bool use_cache = true) {
  service::hook_settings settings;
  settings.answer = {"0.1.0", "G1234", use_cache};
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    auto r = service::handle_hook(lbp_catalog(), "order-select", bodies[i++ % bodies.size()], settings);
    if (r.status != 200) state.SkipWithError(r.error.c_str());
    bytes += r.text.size();  // what the server writes
    benchmark::DoNotOptimize(r.text.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["answer_bytes"] = static_cast<double>(bytes) / static_cast<double>(std::max<std::size_t>(i, 1));
}

void BM_order_select_same_body(benchmark::State& state) {
  run(state, {read_text(RUBRIC_SOURCE_DIR "/tests/load/order_select.json")});
}

void BM_order_select_512_patients(benchmark::State& state) {
  std::string body = read_text(RUBRIC_SOURCE_DIR "/tests/load/order_select.json");
  std::vector<std::string> bodies;
  for (int i = 0; i < 512; ++i) bodies.push_back(varied(body, i));
  run(state, bodies);
}

// Every call evaluates and words its card afresh (what a record never seen
// before costs).
void BM_order_select_uncached(benchmark::State& state) {
  run(state, {read_text(RUBRIC_SOURCE_DIR "/tests/load/order_select.json")}, false);
}

}  // namespace

BENCHMARK(BM_order_select_same_body);
BENCHMARK(BM_order_select_uncached);
BENCHMARK(BM_order_select_512_patients);
BENCHMARK_MAIN();
