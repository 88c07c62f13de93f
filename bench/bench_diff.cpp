// `rubric diff` time (issue 18): the synthetic pair of Low Back Pain versions
// (tests/diff/lbp_old.rubric → lbp_new.rubric: a threshold moved, a rating
// changed), and the real Suspected PE 2016 → 2022 pair. Target: under 1 s for
// two LBP-sized guidelines. Only the diff is timed (both graphs compiled once).
// With --corpus-dir DIR (the 200-topic corpus `bench_compile --corpus-dir DIR
// --benchmark_filter=none` writes), each topic is diffed once against a revision
// of itself (its `threshold` one week shorter, one rating changed): target < 60 s.
//   bench_diff [--corpus-dir DIR] [google-benchmark flags]
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>

#include "compiler/pipeline/pipeline.hpp"
#include "compiler/tools/guideline_diff.hpp"

namespace {

using namespace rubric;

const runtime::graph& compiled(const std::string& relative) {
  static std::map<std::string, runtime::graph> cache;
  auto it = cache.find(relative);
  if (it != cache.end()) return it->second;
  compiler::compile_result r = compiler::compile_file(std::string(RUBRIC_SOURCE_DIR) + "/" + relative);
  if (!r.graph) throw std::runtime_error(relative + " does not compile");
  return cache.emplace(relative, std::move(*r.graph)).first->second;
}

void run_diff(benchmark::State& state, const char* before, const char* after, compiler::diff_options options) {
  const runtime::graph& a = compiled(before);
  const runtime::graph& b = compiled(after);
  std::size_t regions = 0;
  for (auto _ : state) {
    compiler::guideline_diff d = compiler::diff_guidelines(a, b, options);
    regions = d.changes.size();
    benchmark::DoNotOptimize(regions);
  }
  state.counters["regions"] = static_cast<double>(regions);
}

void BM_diff_low_back_pain_pair(benchmark::State& state) {
  run_diff(state, "tests/diff/lbp_old.rubric", "tests/diff/lbp_new.rubric", {});
}
BENCHMARK(BM_diff_low_back_pain_pair)->Unit(benchmark::kMillisecond);

void BM_diff_suspected_pe_2016_2022(benchmark::State& state) {
  compiler::diff_options o;
  o.variants = {{"3", "4"}};
  o.renames = {{"X-ray chest", "Radiography chest"},
               {"CTA chest with IV contrast", "CTA pulmonary arteries with IV contrast"},
               {"Tc-99m V/Q scan lung", "V/Q scan lung"},
               {"MRA chest without and with IV contrast", "MRA pulmonary arteries without and with IV contrast"},
               {"MRA chest without IV contrast", "MRA pulmonary arteries without IV contrast"}};
  run_diff(state, "guidelines/acr/history/suspected_pe_2016.rubric", "guidelines/acr/suspected_pe.rubric", o);
}
BENCHMARK(BM_diff_suspected_pe_2016_2022)->Unit(benchmark::kMillisecond);

// The revision of a corpus topic: `let threshold = N weeks` one week shorter and
// the first "usually appropriate" rating made "may be appropriate".
std::string revise(std::string text) {
  auto at = text.find("let threshold = ");
  if (at != std::string::npos) {
    auto num = at + std::strlen("let threshold = ");
    int weeks = std::atoi(text.c_str() + num);
    auto end = text.find(' ', num);
    text.replace(num, end - num, std::to_string(std::max(1, weeks - 1)));
  }
  auto rate = text.find("usually appropriate\n");
  if (rate != std::string::npos) text.replace(rate, std::strlen("usually appropriate"), "may be appropriate");
  return text;
}

int run_corpus(const std::string& dir) {
  std::vector<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".rubric") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  std::vector<std::pair<runtime::graph, runtime::graph>> pairs;
  compiler::compile_options o;
  o.verify = false;
  for (const std::string& f : files) {
    std::ifstream in(f);
    std::stringstream text;
    text << in.rdbuf();
    auto a = compiler::compile_text(f, text.str(), o);
    auto b = compiler::compile_text(f, revise(text.str()), o);
    if (!a.graph || !b.graph) {
      fmt::print(stderr, "{} (or its revision) does not compile\n", f);
      return 1;
    }
    pairs.emplace_back(std::move(*a.graph), std::move(*b.graph));
  }
  auto start = std::chrono::steady_clock::now();
  std::size_t regions = 0;
  for (const auto& [a, b] : pairs) regions += compiler::diff_guidelines(a, b, {}).changes.size();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("corpus: {} topic pairs diffed in {:.2f} s, {:.1f} ms per pair, {} regions — target < 60 s: {}\n",
             pairs.size(), seconds, 1000 * seconds / static_cast<double>(std::max<std::size_t>(1, pairs.size())),
             regions, seconds < 60 ? "met" : "MISSED");
  return seconds < 60 ? 0 : 1;
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
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return corpus_dir.empty() ? 0 : run_corpus(corpus_dir);
}
