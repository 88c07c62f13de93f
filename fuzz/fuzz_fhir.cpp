// Fuzzes the FHIR Bundle decoder (runtime/fhir_bundle.hpp): any bytes as a
// Bundle or CDS Hooks prefetch object for the compiled Low Back Pain graph and
// its bindings. A Bundle is refused with a reason or decodes into a patient
// that evaluates every way (the evaluators agree) and explains, with its
// provenance in text and JSON; a decoder reused for the next Bundle gives the
// same answer as a fresh one.
#include <cstddef>
#include <cstdint>
#include <string>

#include "compiler/pipeline/pipeline.hpp"
#include "fuzz/fuzz_eval.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/fhir_explain.hpp"

namespace {

using namespace rubric;

runtime::graph load_graph() {
  compiler::compile_options options;
  options.verify = false;
  compiler::compile_result r = compiler::compile_file(fuzz::source_path("guidelines/acr/low_back_pain.rubric"), options);
  fuzz::require(r.graph.has_value() && !r.graph->fhir.bindings.empty(), "the seed guideline has no bindings");
  return std::move(*r.graph);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const runtime::graph g = load_graph();
  static runtime::fhir_decoder reused(g);
  std::string_view input(reinterpret_cast<const char*>(data), size);
  runtime::patient p;
  runtime::fhir_provenance where;
  std::string error;
  bool ok = reused.decode(input, p, where, error);
  runtime::fhir_decoder fresh(g);
  runtime::patient p2;
  runtime::fhir_provenance where2;
  std::string error2;
  fuzz::require(fresh.decode(input, p2, where2, error2) == ok && error2 == error, "a reused decoder answers differently", error);
  // The batch path's in-place parse, with bytes after the text that are not its own.
  std::string padded(input);
  padded.append(runtime::fhir_padding, '}');
  runtime::patient p3;
  runtime::fhir_provenance where3;
  std::string error3;
  fuzz::require(fresh.decode_padded(std::string_view(padded.data(), size), p3, where3, error3) == ok && error3 == error &&
                    where3.facts == where.facts && where3.order == where.order,
                "decode_padded answers differently from decode", error);
  if (!ok) {
    fuzz::require(!error.empty(), "a refused Bundle without a reason");
    return 0;
  }
  fuzz::require(error.empty(), "a decoded Bundle with an error", error);
  fuzz::evaluate_everything(g, p, 0);
  (void)runtime::fhir_provenance_text(g, p, where);
  runtime::evaluation e;
  runtime::evaluate(g, p, e);
  (void)runtime::fhir_provenance_json(g, p, where, e);
  return 0;
}
