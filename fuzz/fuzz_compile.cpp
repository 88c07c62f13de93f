// Fuzzes the compile pipeline on arbitrary bytes (no solver): parse, resolve,
// typecheck, check, lower. Every input must end in diagnostics or a graph;
// a graph must survive the runtime's own loader (the compiler never writes
// what the runtime refuses), and every diagnostic must render.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/pipeline/pipeline.hpp"
#include "fuzz/fuzz_common.hpp"
#include "runtime/graph_io.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rubric;
  compiler::compile_options options;
  options.verify = false;
  compiler::compile_result r =
      compiler::compile_text("fuzz.rubric", std::string(reinterpret_cast<const char*>(data), size), options);
  std::string rendered = compiler::render_text(r.sources, r.diagnostics.items());
  fuzz::require(r.graph.has_value() || r.diagnostics.has_errors() || (!r.modules.empty() &&
                r.modules[0].head.kind == compiler::ast::module_kind::library),
                "no graph and no error for a guideline");
  if (r.graph) {
    runtime::graph_load_result loaded = runtime::load_graph_json(runtime::write_graph_json(*r.graph));
    fuzz::require(loaded.value.has_value(), "the runtime refuses a compiled graph", loaded.error);
  }
  return 0;
}
