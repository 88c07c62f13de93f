// Fuzzes the FHIR Bundle decoder (runtime/fhir_bundle.hpp): any bytes as a
// Bundle or CDS Hooks prefetch object for the compiled Low Back Pain graph and
// its bindings. A Bundle is refused with a reason or decodes into a patient
// that evaluates every way (the evaluators agree) and explains, with its
// provenance in text and JSON; a decoder reused for the next Bundle gives the
// same answer as a fresh one, and a CDS Hooks request reads the same as
// parsed parts (decode_request) as from text.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include <simdjson.h>

#include "compiler/pipeline/pipeline.hpp"
#include "fuzz/fuzz_eval.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/fhir_explain.hpp"
#include "runtime/fhir_request.hpp"

namespace {

using namespace rubric;

runtime::graph load_graph() {
  compiler::compile_options options;
  options.verify = false;
  compiler::compile_result r = compiler::compile_file(fuzz::source_path("guidelines/acr/low_back_pain.rubric"), options);
  fuzz::require(r.graph.has_value() && !r.graph->fhir.bindings.empty(), "the seed guideline has no bindings");
  return std::move(*r.graph);
}

// Whether no object inside `e` has a key twice (the one promise
// decode_request asks of its caller) and no key needs escaping.
bool plain_keys(simdjson::dom::element e) {
  if (e.is_array()) {
    for (simdjson::dom::element v : simdjson::dom::array(e))
      if (!plain_keys(v)) return false;
    return true;
  }
  if (!e.is_object()) return true;
  std::vector<std::string_view> keys;
  for (auto [key, value] : simdjson::dom::object(e)) {
    for (char c : key)
      if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) return false;
    keys.push_back(key);
    if (!plain_keys(value)) return false;
  }
  std::sort(keys.begin(), keys.end());
  return std::adjacent_find(keys.begin(), keys.end()) == keys.end();
}

// A CDS Hooks request with a prefetch object and a first draft order, read
// as parts (decode_request) and as the text of that order alone with the
// prefetch: the same answer, error, facts and words.
void check_request_parts(const runtime::graph& g, std::string_view input) {
  thread_local simdjson::dom::parser parser;
  simdjson::dom::element root, prefetch, order;
  if (parser.parse(input.data(), input.size()).get(root) || !root.is_object() || !plain_keys(root)) return;
  if (root["prefetch"].get(prefetch) || !prefetch.is_object()) return;
  if (root["context"]["draftOrders"]["entry"].at(0)["resource"].get(order)) return;
  std::vector<std::pair<std::string_view, simdjson::dom::element>> parts;
  for (auto [key, value] : simdjson::dom::object(prefetch)) parts.emplace_back(key, value);
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string text = "{\"context\":{\"draftOrders\":{\"entry\":[{\"resource\":" + simdjson::minify(order) +
                     "}],\"resourceType\":\"Bundle\",\"type\":\"collection\"}},\"prefetch\":{";
  for (const auto& [key, value] : parts) {
    if (&key != &parts.front().first) text += ',';
    text += '"';
    text += key;
    text += "\":" + simdjson::minify(value);
  }
  text += "}}";
  runtime::fhir_decoder decoder(g);
  runtime::patient from_text, from_parts;
  runtime::fhir_provenance where_text, where_parts;
  std::string error_text, error_parts;
  const bool ok_text = decoder.decode(text, from_text, where_text, error_text);
  const bool ok_parts = decoder.decode_request({parts, order}, from_parts, where_parts, error_parts);
  fuzz::require(ok_text == ok_parts && error_text == error_parts, "decode_request answers differently from decode", error_text + " / " + error_parts);
  if (ok_text)
    fuzz::require(where_text.facts == where_parts.facts && where_text.order == where_parts.order &&
                      where_text.members == where_parts.members && from_text.id == from_parts.id,
                  "decode_request reads other facts than decode", text);
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
  check_request_parts(g, input);
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
