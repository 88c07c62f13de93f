// Verification time: every finding (errors, warnings, infos — what `rubric
// lint` runs) on the Low Back Pain guideline, target < 1 s; and on the
// synthetic 200-topic corpus, target < 30 s on one core. The corpus is the
// one bench_compile generates; write it with
//   bench_compile --corpus-dir DIR --benchmark_filter=none
// and pass the same folder here:
//   bench_verify [--corpus-dir DIR] [google-benchmark flags]
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "compiler/pipeline/pipeline.hpp"
#include "compiler/verify/verify.hpp"

namespace {

using namespace rubric;

compiler::compile_result compile_unverified(const std::string& path) {
  compiler::compile_options o;
  o.verify = false;
  return compiler::compile_file(path, o);
}

std::size_t verify_all(const compiler::compile_result& r) {
  compiler::diagnostic_sink sink;
  compiler::verify_options o;
  o.errors_only = false;
  o.modules = &r.modules;
  compiler::verify_graph(*r.graph, r.sources, sink, o);
  return sink.items().size();
}

const compiler::compile_result& lbp() {
  static const compiler::compile_result r = compile_unverified(RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric");
  return r;
}

void bm_verify_lbp(benchmark::State& state) {
  const auto& r = lbp();
  if (!r.graph) {
    state.SkipWithError("the Low Back Pain guideline does not compile");
    return;
  }
  std::size_t findings = 0;
  for (auto _ : state) {
    findings = verify_all(r);
    benchmark::DoNotOptimize(findings);
  }
  state.counters["findings"] = static_cast<double>(findings);
}
BENCHMARK(bm_verify_lbp)->Unit(benchmark::kMillisecond);

void bm_verify_lbp_check(benchmark::State& state) {
  const auto& r = lbp();
  if (!r.graph) {
    state.SkipWithError("the Low Back Pain guideline does not compile");
    return;
  }
  for (auto _ : state) {
    compiler::diagnostic_sink sink;
    compiler::verify_options o;  // errors only: what `rubric check` adds to compilation
    o.modules = &r.modules;
    compiler::verify_graph(*r.graph, r.sources, sink, o);
    benchmark::DoNotOptimize(sink.items().size());
  }
}
BENCHMARK(bm_verify_lbp_check)->Unit(benchmark::kMillisecond);

// One timed pass over the corpus: compile (not timed), then verify everything.
int run_corpus(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".rubric") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<compiler::compile_result> results;
  for (const std::string& f : files) {
    results.push_back(compile_unverified(f));
    if (!results.back().graph) {
      fmt::print(stderr, "{} does not compile\n", f);
      return 1;
    }
  }
  auto start = std::chrono::steady_clock::now();
  std::size_t findings = 0;
  for (const auto& r : results) findings += verify_all(r);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("corpus: {} topics verified (all findings) in {:.2f} s, {:.1f} ms per topic, {} findings — target < 30 s: {}\n",
             files.size(), seconds, 1000 * seconds / static_cast<double>(std::max<std::size_t>(1, files.size())), findings,
             seconds < 30 ? "met" : "MISSED");
  return seconds < 30 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string corpus_dir;
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strcmp(argv[i], "--corpus-dir") == 0 && i + 1 < argc) {
      corpus_dir = argv[++i];
      continue;
    }
    rest.push_back(argv[i]);
  }
  int rest_argc = static_cast<int>(rest.size());
  benchmark::Initialize(&rest_argc, rest.data());
  auto start = std::chrono::steady_clock::now();
  std::size_t findings = lbp().graph ? verify_all(lbp()) : 0;
  double once = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("low back pain: first full verification {:.1f} ms, {} findings — target < 1 s: {}\n", once * 1000, findings,
             once < 1 ? "met" : "MISSED");
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return corpus_dir.empty() ? 0 : run_corpus(corpus_dir);
}
