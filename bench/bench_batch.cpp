// NDJSON batch throughput on the Low Back Pain graph, end to end and by phase.
// BM_batch_ndjson is `rubric eval --format ndjson` reading a stream (as from
// a pipe) from memory to /dev/null; BM_batch_file is `--patients FILE`, whose
// regular file is mapped (target: ≥ 3M patients/s on one core). The phases
// — split (find line ends), decode (the fast reader; the full decoder for
// comparison), evaluate (bit-sliced, 64 per pass), evaluate + format (result
// lines; format = the difference) — are measured alone over the same
// patients, beside the floor for the same output bytes: memcpy into a
// cache-sized buffer (line by line from a hot source, as the engine copies
// its per-variant blocks; and streamed from memory), write(2) to /dev/null,
// and gathering instead of copying (writev(2) of line fragments). Items are
// patients: items_per_second is patients/s (per core: CPU time, except where
// the name says real_time), its inverse ns/patient. docs/scale.md has
// numbers and how to reproduce them.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <sys/uio.h>
#include <unistd.h>

#include <climits>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "bench/bench_common.hpp"
#include "runtime/batch.hpp"
#include "runtime/line_writer.hpp"
#include "runtime/patient_fast.hpp"
#include "runtime/program.hpp"
#include "runtime/program_batch.hpp"

namespace {

using namespace rubric::runtime;

constexpr std::size_t patients_n = 200000;

const std::string& input() {
  static std::string text = [] {
    std::string s;
    for (const auto& l : rubric::bench::patient_lines(patients_n)) s += l + "\n";
    return s;
  }();
  return text;
}

// The whole output of one run, for the floors.
const std::string& output() {
  static std::string out = [] {
    std::string o;
    run_batch(rubric::bench::lbp_graph(), input(), o);
    return o;
  }();
  return out;
}

struct memory_in final : batch_source {
  std::string_view rest;
  std::ptrdiff_t read(char* buf, std::size_t size) override {
    std::size_t n = std::min(size, rest.size());
    std::memcpy(buf, rest.data(), n);
    rest.remove_prefix(n);
    return static_cast<std::ptrdiff_t>(n);
  }
};

struct fd_out final : batch_sink {
  int fd;
  bool write(const char* data, std::size_t size) override { return ::write(fd, data, size) == static_cast<ssize_t>(size); }
};

void BM_batch_ndjson(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  fd_out out;
  out.fd = ::open("/dev/null", O_WRONLY);
  batch_options options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t lines = 0;
  for (auto _ : state) {
    memory_in in;
    in.rest = input();
    batch_stats s = run_batch(g, in, out, options);
    lines += s.lines;
    if (s.lines != patients_n) state.SkipWithError("lines in != lines out");
  }
  ::close(out.fd);
  state.SetItemsProcessed(static_cast<std::int64_t>(lines));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
  state.counters["out_bytes_per_line"] = double(output().size()) / patients_n;
}
// One thread: measured in CPU time, so items_per_second is patients/s per
// core however busy the machine is. Two threads: wall time (the scaling).
BENCHMARK(BM_batch_ndjson)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2);
BENCHMARK(BM_batch_ndjson)->Arg(2)->Unit(benchmark::kMillisecond)->MinTime(2)->UseRealTime();

// The CLI's own path: the same patients in a regular file, which run_batch
// maps instead of reading (no copy through read(2)), written to /dev/null.
// CPU time includes the kernel's (page faults on the mapping, write(2)).
void BM_batch_file(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  std::FILE* in = std::tmpfile();
  std::FILE* out = std::fopen("/dev/null", "wb");
  std::fwrite(input().data(), 1, input().size(), in);
  std::fflush(in);
  batch_options options;
  options.threads = static_cast<unsigned>(state.range(0));
  for (auto _ : state) {
    std::rewind(in);
    batch_stats s = run_batch(g, in, out, options);
    if (s.lines != patients_n) state.SkipWithError("lines in != lines out");
  }
  std::fclose(in);
  std::fclose(out);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * patients_n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * input().size()));
}
BENCHMARK(BM_batch_file)->Arg(1)->Unit(benchmark::kMillisecond)->MinTime(2);

// The compact audit line: id, status, variant, the MRI's category.
void BM_batch_ndjson_compact(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  fd_out out;
  out.fd = ::open("/dev/null", O_WRONLY);
  batch_options options;
  std::string error;
  options.fields = *parse_fields("id,status,variant,ordered", error);
  options.procedure = find_procedure(g, "MRI lumbar spine without IV contrast");
  for (auto _ : state) {
    memory_in in;
    in.rest = input();
    run_batch(g, in, out, options);
  }
  ::close(out.fd);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * patients_n));
}
BENCHMARK(BM_batch_ndjson_compact)->Unit(benchmark::kMillisecond)->MinTime(2);

// Phase: finding the line ends one by one, as a line reader would (the
// engine's fast reader finds them while decoding; see BM_phase_decode_fast).
void BM_phase_split(benchmark::State& state) {
  const std::string& text = input();
  for (auto _ : state) {
    std::size_t pos = 0, n = 0;
    while (const void* nl = std::memchr(text.data() + pos, '\n', text.size() - pos)) {
      pos = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
      ++n;
    }
    benchmark::DoNotOptimize(n);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * patients_n));
}
BENCHMARK(BM_phase_split)->Unit(benchmark::kMillisecond);

std::vector<std::string_view> line_views() {
  std::vector<std::string_view> out;
  const std::string& text = input();
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    out.emplace_back(text.data() + pos, nl - pos);
    pos = nl + 1;
  }
  return out;
}

// Phase: decoding with the fast reader (every bench line takes the fast path).
// As the engine runs it: each line from its start, its end found on the way
// (decode_line), so this includes what BM_phase_split measures separately.
void BM_phase_decode_fast(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  const std::string& text = input();
  fast_patient_decoder d(g);
  patient p;
  std::size_t fast = 0;
  for (auto _ : state)
    for (const char *at = text.data(), *end = text.data() + text.size(); at && at < end; ++fast) at = d.decode_line(at, end, p);
  if (fast != state.iterations() * patients_n) state.SkipWithError("a bench line left the fast path");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * patients_n));
}
BENCHMARK(BM_phase_decode_fast)->Unit(benchmark::kMillisecond);

// The full (simdjson On-Demand) decoder on the same lines, for comparison.
void BM_phase_decode_full(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  auto lines = line_views();
  patient_decoder d(g);
  patient p;
  std::string error;
  const std::string& text = input();
  for (auto _ : state)
    for (auto l : lines) benchmark::DoNotOptimize(d.decode(l, p, error, static_cast<std::size_t>(text.data() + text.size() - l.data())));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * lines.size()));
}
BENCHMARK(BM_phase_decode_full)->Unit(benchmark::kMillisecond);

struct decoded {
  std::vector<patient> patients;
  std::vector<const patient*> ptrs;
};

const decoded& decoded_patients() {
  static decoded d = [] {
    decoded out;
    fast_patient_decoder dec(rubric::bench::lbp_graph());
    auto lines = line_views();
    out.patients.resize(lines.size());
    for (std::size_t i = 0; i < lines.size(); ++i) dec.decode(lines[i], out.patients[i]);
    for (const auto& p : out.patients) out.ptrs.push_back(&p);
    return out;
  }();
  return d;
}

// Phase: bit-sliced evaluation and selection, 64 patients per pass.
void BM_phase_evaluate(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  const decoded& d = decoded_patients();
  batch_evaluator be(g);
  std::vector<batch_outcome> out(64);
  for (auto _ : state)
    for (std::size_t i = 0; i < d.ptrs.size(); i += 64) {
      std::size_t n = std::min<std::size_t>(64, d.ptrs.size() - i);
      be.run(std::span<const patient* const>(d.ptrs.data() + i, n), std::span<batch_outcome>(out.data(), n));
      benchmark::DoNotOptimize(out.data());
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.ptrs.size()));
}
BENCHMARK(BM_phase_evaluate)->Unit(benchmark::kMillisecond);

// Phase: evaluation and result lines together, as the engine runs them (the
// format cost is this minus BM_phase_evaluate): settled lines from the
// per-variant JSON, the others through evaluate() and the reference writer;
// the buffer is cleared every 128 lines, as the engine writes its blocks.
void BM_phase_evaluate_format(benchmark::State& state) {
  const graph& g = rubric::bench::lbp_graph();
  const decoded& d = decoded_patients();
  batch_evaluator be(g);
  line_writer w(g, {});
  program prog(g);
  evaluation e;
  std::vector<batch_outcome> out(64);
  std::string text;
  text.reserve(1 << 20);
  std::size_t settled = 0, lines = 0;
  for (auto _ : state) {
    for (std::size_t i = 0; i < d.ptrs.size(); i += 64) {
      std::size_t n = std::min<std::size_t>(64, d.ptrs.size() - i);
      be.run(std::span<const patient* const>(d.ptrs.data() + i, n), std::span<batch_outcome>(out.data(), n));
      for (unsigned l = 0; l < n; ++l) {
        const patient& p = *d.ptrs[i + l];
        if (out[l].settled && p.warnings.empty()) {
          w.write_settled(p, out[l].result, out[l].variant, node_truth(be, l), text);
          ++settled;
        } else {
          evaluate(prog, p, e);
          w.write(p, e, text);
        }
        text.push_back('\n');
        if ((++lines & 127) == 0) text.clear();
      }
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.ptrs.size()));
  state.counters["settled_fraction"] = double(settled) / double(lines);
}
BENCHMARK(BM_phase_evaluate_format)->Unit(benchmark::kMillisecond);

// The floor: copying the run's output bytes (hundreds of MB, from memory)
// through a 256 KiB buffer: memory bandwidth, not what the engine pays.
void BM_floor_memcpy(benchmark::State& state) {
  const std::string& out = output();
  std::string buf(1 << 18, '\0');
  for (auto _ : state)
    for (std::size_t pos = 0; pos < out.size(); pos += buf.size()) {
      std::size_t n = std::min(buf.size(), out.size() - pos);
      std::memcpy(buf.data(), out.data() + pos, n);
      benchmark::DoNotOptimize(buf.data());
    }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * patients_n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_floor_memcpy)->Unit(benchmark::kMillisecond);

// The floor for assembling the lines: the same bytes, line by line, copied
// from a cache-resident source (as the per-variant blocks are) into a
// 256 KiB buffer that is reused (as the engine's output buffer is).
void BM_floor_memcpy_lines(benchmark::State& state) {
  const std::string& out = output();
  std::vector<std::size_t> sizes;  // each output line's length with its newline
  for (std::size_t pos = 0; pos < out.size();) {
    std::size_t nl = out.find('\n', pos);
    sizes.push_back(nl + 1 - pos);
    pos = nl + 1;
  }
  const std::string source = out.substr(0, 64 << 10);  // hot: fits in L2 beside the buffer
  std::string buf(1 << 18, '\0');
  for (auto _ : state) {
    std::size_t at = 0, from = 0;
    for (std::size_t n : sizes) {
      if (at + n > buf.size()) at = 0;
      if (from + n > source.size()) from = 0;
      std::memcpy(buf.data() + at, source.data() + from, n);
      at += n;
      from += n;
    }
    benchmark::DoNotOptimize(buf.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * patients_n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_floor_memcpy_lines)->Unit(benchmark::kMillisecond);

// The floor: write(2) of the same bytes to /dev/null in 256 KiB blocks.
void BM_floor_write(benchmark::State& state) {
  const std::string& out = output();
  int fd = ::open("/dev/null", O_WRONLY);
  for (auto _ : state)
    for (std::size_t pos = 0; pos < out.size(); pos += 1 << 18) {
      std::size_t n = std::min<std::size_t>(1 << 18, out.size() - pos);
      benchmark::DoNotOptimize(::write(fd, out.data() + pos, n));
    }
  ::close(fd);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * patients_n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_floor_write)->Unit(benchmark::kMillisecond);

// The alternative to copying: the same bytes handed to the kernel as
// fragments that point into a hot source (as the per-variant blocks would be),
// range(0) fragments per line, IOV_MAX per writev(2) to /dev/null. For
// /dev/null the kernel only sums the lengths, so this is the least gathering
// can cost; a file or a pipe copies the bytes in the kernel anyway.
void BM_floor_writev_lines(benchmark::State& state) {
  const std::string& out = output();
  const auto parts = static_cast<std::size_t>(state.range(0));
  std::vector<std::size_t> sizes;
  for (std::size_t pos = 0; pos < out.size();) {
    std::size_t nl = out.find('\n', pos);
    sizes.push_back(nl + 1 - pos);
    pos = nl + 1;
  }
  const std::string source = out.substr(0, 64 << 10);
  const int fd = ::open("/dev/null", O_WRONLY);
  std::vector<iovec> iov(IOV_MAX);
  for (auto _ : state) {
    std::size_t used = 0, from = 0;
    for (std::size_t n : sizes) {
      if (from + n > source.size()) from = 0;
      for (std::size_t k = 0; k < parts; ++k) {
        const std::size_t a = n * k / parts, b = n * (k + 1) / parts;
        iov[used++] = {const_cast<char*>(source.data() + from + a), b - a};
        if (used == iov.size()) {
          benchmark::DoNotOptimize(::writev(fd, iov.data(), static_cast<int>(used)));
          used = 0;
        }
      }
      from += n;
    }
    if (used > 0) benchmark::DoNotOptimize(::writev(fd, iov.data(), static_cast<int>(used)));
  }
  ::close(fd);
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * patients_n));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_floor_writev_lines)->Arg(1)->Arg(6)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
