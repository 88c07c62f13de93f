// Evaluations per second on one core for decoded patients (Low Back Pain):
// the node sweep alone, sweep + selection (what `rubric eval` does per
// patient), the bit-sliced batch evaluator (64 patients per pass), and
// decoding one JSON patient. Target: ≥ 20M evaluations/s.
#include <benchmark/benchmark.h>

#include "bench/bench_common.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"
#include "runtime/program.hpp"
#include "runtime/program_batch.hpp"

namespace {

using namespace rubric::runtime;

std::vector<patient> decoded_patients(std::size_t n) {
  const graph& g = rubric::bench::lbp_graph();
  patient_decoder d(g);
  std::vector<patient> out;
  std::string error;
  for (const auto& line : rubric::bench::patient_lines(n)) {
    patient p;
    if (d.decode(line, p, error)) out.push_back(std::move(p));
  }
  return out;
}

void BM_evaluate_nodes(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  auto patients = decoded_patients(1024);
  std::vector<truth> values(g.nodes.size());
  std::size_t i = 0;
  for (auto _ : state) {
    evaluate_nodes(g, patients[i++ & 1023], values);
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["nodes"] = static_cast<double>(g.nodes.size());
}
BENCHMARK(BM_evaluate_nodes);

void BM_evaluate_and_select(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  auto patients = decoded_patients(1024);
  evaluation e;
  std::size_t i = 0;
  for (auto _ : state) {
    evaluate(g, patients[i++ & 1023], e);
    benchmark::DoNotOptimize(e.result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_evaluate_and_select);

void BM_program_run(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  program prog(g);
  auto patients = decoded_patients(1024);
  std::vector<truth> values(g.nodes.size());
  std::size_t i = 0;
  for (auto _ : state) {
    prog.run(patients[i++ & 1023], values.data());
    benchmark::DoNotOptimize(values.data());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_program_run);

// The headline figure: a decoded patient to a selected variant.
void BM_program_evaluate_and_select(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  program prog(g);
  auto patients = decoded_patients(1024);
  evaluation e;
  std::size_t i = 0;
  for (auto _ : state) {
    evaluate(prog, patients[i++ & 1023], e);
    benchmark::DoNotOptimize(e.result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_program_evaluate_and_select);

// The same with the patient in L1 (as right after decoding it in a batch).
void BM_program_evaluate_hot_patient(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  program prog(g);
  auto patients = decoded_patients(8);
  evaluation e;
  std::size_t i = 0;
  for (auto _ : state) {
    evaluate(prog, patients[i++ & 7], e);
    benchmark::DoNotOptimize(e.result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_program_evaluate_hot_patient);

// Bit-sliced: 64 decoded patients per pass to status and selected variant
// (runtime/program_batch.hpp). items_per_second counts patients.
void BM_program_batch64_evaluate_and_select(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  batch_evaluator be(g);
  auto patients = decoded_patients(1024);
  std::vector<batch_outcome> out(64);
  const std::size_t passes = patients.size() / 64;  // 16 unless a line failed to decode
  std::size_t i = 0;
  for (auto _ : state) {
    be.run(std::span<const patient>(patients.data() + (i++ % passes) * 64, 64), std::span<batch_outcome>(out));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 64);
}
BENCHMARK(BM_program_batch64_evaluate_and_select);

// The same over all 1024 patients in one call (16 passes).
void BM_program_batch_evaluate_and_select_1024(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  batch_evaluator be(g);
  auto patients = decoded_patients(1024);
  std::vector<batch_outcome> out(patients.size());
  for (auto _ : state) {
    be.run(std::span<const patient>(patients), std::span<batch_outcome>(out));
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(patients.size()));
}
BENCHMARK(BM_program_batch_evaluate_and_select_1024);

void BM_decode_patient(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  auto lines = rubric::bench::patient_lines(1024);
  patient_decoder d(g);
  patient p;
  std::string error;
  std::size_t i = 0, bytes = 0;
  for (auto _ : state) {
    const std::string& l = lines[i++ & 1023];
    bytes += l.size();
    benchmark::DoNotOptimize(d.decode(l, p, error));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_decode_patient);

}  // namespace

BENCHMARK_MAIN();
