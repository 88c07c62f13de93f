// End-to-end NDJSON throughput on one core (Low Back Pain): read lines in
// chunks, decode, evaluate, write the result line with ratings — exactly what
// `rubric eval --patients FILE --format ndjson` does. Target: ≥ 1M patients/s.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "bench/bench_common.hpp"
#include "runtime/batch.hpp"

namespace {

using namespace rubric::runtime;

void BM_batch_ndjson(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  const std::size_t n = 200000;
  std::string input;
  for (const auto& l : rubric::bench::patient_lines(n)) input += l + "\n";
  std::FILE* out = std::fopen("/dev/null", "wb");
  batch_options options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t lines = 0;
  for (auto _ : state) {
    std::FILE* in = fmemopen(input.data(), input.size(), "rb");
    batch_stats s = run_batch(g, in, out, options);
    std::fclose(in);
    lines += s.lines;
    if (s.lines != n) state.SkipWithError("lines in != lines out");
  }
  std::fclose(out);
  state.SetItemsProcessed(static_cast<std::int64_t>(lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input.size()));
}
BENCHMARK(BM_batch_ndjson)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(3);

void BM_format_line(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  patient_decoder d(g);
  patient p;
  std::string error, line;
  d.decode(rubric::bench::patient_lines(1)[0], p, error);
  evaluation e;
  evaluate(g, p, e);
  result_formatter f(g);
  for (auto _ : state) {
    line.clear();
    f.write(p, e, line);
    benchmark::DoNotOptimize(line.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_format_line);

}  // namespace

BENCHMARK_MAIN();
