// Evaluations per second on one core for a v1 rule (tests/v1/wells.rubric):
// a 7-item point score, an age-adjusted D-dimer cut-off in ng/mL, PERC as a
// count, GCS as an integer range and durations in seconds to hours. Single
// patient (flattened program + selection) and bit-sliced batch (64 per pass),
// on decoded patients with some items unknown, so scores are intervals.
#include <benchmark/benchmark.h>

#include <span>

#include "bench/bench_common.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"
#include "runtime/program.hpp"
#include "runtime/program_batch.hpp"

namespace {

using namespace rubric::runtime;

const graph& wells_graph() {
  static graph g = [] {
    rubric::compiler::compile_options options;
    options.verify = false;
    auto r = rubric::compiler::compile_file(RUBRIC_SOURCE_DIR "/tests/v1/wells.rubric", options);
    if (!r.graph) {
      std::fprintf(stderr, "bench: tests/v1/wells.rubric does not compile\n");
      std::exit(1);
    }
    return std::move(*r.graph);
  }();
  return g;
}

// Suspected-PE and head-injury patients; each bool item unknown one time in eight.
std::vector<patient> wells_patients(std::size_t n) {
  const graph& g = wells_graph();
  patient_decoder d(g);
  std::uint64_t s = 0x2545F4914F6CDD1Dull;
  auto next = [&] { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; };
  auto item = [&] { auto r = next() % 16; return r < 2 ? "null" : r % 3 == 0 ? "true" : "false"; };
  std::vector<patient> out;
  std::string error;
  for (std::size_t i = 0; i < n; ++i) {
    std::string line =
        next() % 4 == 0
            ? fmt::format(R"({{"presentation":"head_injury","gcs":{},"vomiting":{},"amnesia":"{} minutes",)"
                          R"("loss_of_consciousness":"{} seconds","since_injury":"{} hours"}})",
                          13 + next() % 3, next() % 3, next() % 40, next() % 20, next() % 30)
            : fmt::format(R"({{"presentation":"suspected_pe","age":"{} years","dvt_signs":{},"pe_most_likely":{},)"
                          R"("heart_rate":{},"immobilization_or_surgery":{},"previous_dvt_or_pe":{},"hemoptysis":{},)"
                          R"("malignancy":{},"oxygen_saturation":{},"leg_swelling":{},"hormone_use":{},"d_dimer":{}}})",
                          20 + next() % 70, item(), item(), 60 + next() % 70, item(), item(), item(), item(),
                          90 + next() % 10, item(), item(), 200 + next() % 900);
    patient p;
    if (d.decode(line, p, error)) out.push_back(std::move(p));
  }
  if (out.size() != n) {
    std::fprintf(stderr, "bench: a Wells patient did not decode: %s\n", error.c_str());
    std::exit(1);
  }
  return out;
}

void BM_wells_evaluate(benchmark::State& state) {
  const graph& g = wells_graph();
  program prog(g);
  auto patients = wells_patients(1024);
  evaluation e;
  std::size_t i = 0;
  for (auto _ : state) {
    evaluate(prog, patients[i++ & 1023], e);
    benchmark::DoNotOptimize(e.result);
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["nodes"] = static_cast<double>(g.nodes.size());
}
BENCHMARK(BM_wells_evaluate);

void BM_wells_batch(benchmark::State& state) {
  const graph& g = wells_graph();
  batch_evaluator be(g);
  auto patients = wells_patients(1024);
  std::vector<batch_outcome> out(64);
  std::size_t i = 0;
  for (auto _ : state) {
    be.run(std::span<const patient>(patients.data() + (i++ % 16) * 64, 64), std::span<batch_outcome>(out));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 64);
}
BENCHMARK(BM_wells_batch);

}  // namespace

BENCHMARK_MAIN();
