// `rubric diff` time (issue 18): the synthetic pair of Low Back Pain versions
// (tests/diff/lbp_old.rubric → lbp_new.rubric: a threshold moved, a rating
// changed), and the real Suspected PE 2016 → 2022 pair. Target: under 1 s for
// two LBP-sized guidelines. Only the diff is timed (both graphs compiled once).
#include <benchmark/benchmark.h>

#include <map>
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

}  // namespace

BENCHMARK_MAIN();
