// Fuzzes compile with verification (the solver's findings and the data
// requirements) on small inputs, with small solver limits so no input takes
// long; a graph must still load in the runtime.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/pipeline/pipeline.hpp"
#include "compiler/verify/verify.hpp"
#include "fuzz/fuzz_common.hpp"
#include "runtime/graph_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rubric;
  if (size > 4096) return 0;  // the solver's cost grows with the guideline; small ones find the bugs
  compiler::compile_options options;
  options.verify = false;
  compiler::compile_result r =
      compiler::compile_text("fuzz.rubric", std::string(reinterpret_cast<const char*>(data), size), options);
  if (!r.graph) return 0;
  compiler::verify_options vo;
  vo.errors_only = false;
  vo.modules = &r.modules;
  vo.timeout_ms = 500;
  vo.budget_ms = 3000;
  compiler::diagnostic_sink sink;
  compiler::verify_graph(*r.graph, r.sources, sink, vo);
  std::string rendered = compiler::render_text(r.sources, sink.items());
  compiler::write_requirements(*r.graph, 500, 2000);
  runtime::graph_load_result loaded = runtime::load_graph_json(runtime::write_graph_json(*r.graph));
  fuzz::require(loaded.value.has_value(), "the runtime refuses a verified graph", loaded.error);
  return 0;
}
