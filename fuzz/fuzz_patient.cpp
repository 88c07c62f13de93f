// Fuzzes the patient decoder: the input is NDJSON, decoded line by line
// against three compiled guidelines (ACR low back pain; a fixture using every
// v0 construct; the v1 acceptance rule with units, scores and counts). Each accepted patient is evaluated every way (the evaluators
// must agree) and explained; then the whole input runs through the batch
// path, whose output must equal the single-patient results line by line.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "compiler/pipeline/pipeline.hpp"
#include "fuzz/fuzz_eval.hpp"
#include "runtime/batch.hpp"

namespace {

using namespace rubric;

std::vector<runtime::graph> load_graphs() {
  std::vector<runtime::graph> out;
  compiler::compile_options options;
  options.verify = false;
  // Language v1 (units, integer ranges, scores, values, counts) through tests/v1/wells.rubric.
  for (const char* path : {"guidelines/acr/low_back_pain.rubric", "tests/fixtures/every_construct.rubric", "tests/v1/wells.rubric"}) {
    compiler::compile_result r = compiler::compile_file(fuzz::source_path(path), options);
    fuzz::require(r.graph.has_value(), "a seed guideline does not compile", path);
    out.push_back(std::move(*r.graph));
  }
  return out;
}

// The input's lines as the batch reader splits them.
std::vector<std::string_view> split_lines(std::string_view all) {
  std::vector<std::string_view> lines;
  while (!all.empty()) {
    std::size_t nl = all.find('\n');
    std::string_view line = all.substr(0, nl);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    all.remove_prefix(nl + 1);
  }
  return lines;
}

std::string run_batch_on(const runtime::graph& g, std::string_view input) {
  std::string copy(input);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> in(
      copy.empty() ? std::fopen("/dev/null", "rb") : fmemopen(copy.data(), copy.size(), "rb"), &std::fclose);
  char* buf = nullptr;
  std::size_t len = 0;
  std::FILE* out = open_memstream(&buf, &len);
  runtime::run_batch(g, in.get(), out, {});
  std::fclose(out);
  std::string result(buf, len);
  std::free(buf);
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::vector<runtime::graph> graphs = load_graphs();
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> lines = split_lines(input);
  for (const runtime::graph& g : graphs) {
    runtime::patient_decoder decoder(g);
    runtime::result_formatter formatter(g);
    runtime::patient p;
    std::string error, expected;
    for (std::size_t i = 0; i < lines.size(); ++i) {
      if (decoder.decode(lines[i], p, error)) {
        fuzz::require(error.empty(), "a decoded patient with an error", error);
        runtime::evaluation e;
        runtime::evaluate(g, p, e);
        formatter.write(p, e, expected);
        if (i < 4) fuzz::evaluate_everything(g, p, i == 0 ? 300 : 0);
      } else {
        fuzz::require(!error.empty(), "a refused patient without a reason");
        formatter.write_error(p.id, "line " + std::to_string(i + 1) + ": " + error, expected);
      }
      expected.push_back('\n');
    }
    std::string batch = run_batch_on(g, input);
    fuzz::require(batch == expected, "batch and single-patient results differ", batch + "\n---\n" + expected);
  }
  return 0;
}
