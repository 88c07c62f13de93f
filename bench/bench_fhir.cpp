// FHIR R4 Bundles through the Low Back Pain bindings on one core: a typical
// 20-resource Bundle (a Patient, the order, 14 Conditions of which two match
// code lists, 3 Procedures and a MedicationStatement) decoded into facts,
// then decoded and evaluated. Reported as Bundles/s (items_per_second). As
// in the batch path (`rubric eval --fhir-bundles`), the Bundle's text has
// the parser's padding after it, so it is parsed in place.
#include <benchmark/benchmark.h>

#include <fmt/format.h>

#include <string>

#include "bench/bench_common.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/fhir_bundle.hpp"

namespace {

using namespace rubric;

std::string condition(int i, const char* system, const char* code, const char* onset) {
  return fmt::format(R"({{"fullUrl":"urn:uuid:c{0}","resource":{{"resourceType":"Condition","id":"c{0}",)"
                     R"("clinicalStatus":{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}}]}},)"
                     R"("verificationStatus":{{"coding":[{{"system":"http://terminology.hl7.org/CodeSystem/condition-ver-status","code":"confirmed"}}]}},)"
                     R"("code":{{"coding":[{{"system":"{1}","code":"{2}","display":"Condition {0}"}}]}},)"
                     R"("subject":{{"reference":"Patient/p"}},"onsetDateTime":"{3}","recordedDate":"{3}"}}}})",
                     i, system, code, onset);
}

std::string typical_bundle() {
  const char* icd = "http://hl7.org/fhir/sid/icd-10-cm";
  std::string entries =
      R"({"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","id":"p","gender":"female","birthDate":"1970-06-02"}},)"
      R"({"fullUrl":"urn:uuid:o","resource":{"resourceType":"ServiceRequest","id":"o","status":"active","intent":"order","authoredOn":"2025-06-02",)"
      R"("code":{"coding":[{"system":"http://www.ama-assn.org/go/cpt","code":"72148"}]},"subject":{"reference":"Patient/p"}}})";
  entries += "," + condition(0, icd, "M54.16", "2025-03-10");
  entries += "," + condition(1, icd, "M81.0", "2020-01-01");
  const char* others[] = {"I10", "E11.9", "E78.5", "J45.909", "K21.9", "F41.1", "M17.11", "G47.33", "N40.0", "H52.4", "L40.0", "R51.9"};
  int i = 2;
  for (const char* code : others) entries += "," + condition(i++, icd, code, "2018-05-01");
  for (int k = 0; k < 3; ++k)
    entries += fmt::format(R"(,{{"fullUrl":"urn:uuid:x{0}","resource":{{"resourceType":"Procedure","id":"x{0}","status":"completed",)"
                           R"("code":{{"coding":[{{"system":"http://www.ama-assn.org/go/cpt","code":"{1}"}}]}},"performedPeriod":{{"start":"2024-0{2}-01","end":"2024-0{2}-20"}}}}}})",
                           k, k == 0 ? "97110" : "45378", k + 1);
  entries += R"(,{"fullUrl":"urn:uuid:m","resource":{"resourceType":"MedicationStatement","id":"m","status":"active","medicationCodeableConcept":{"text":"Ibuprofen"}}})";
  return R"({"resourceType":"Bundle","id":"typical","type":"collection","entry":[)" + entries + "]}";
}

// Decodes the typical Bundle again and again: in place (`padded`, the batch
// path) or through decode(), which copies the text into the parser's padded
// buffer first (a Bundle from a file or a request body).
void decode_typical_bundle(benchmark::State& state, bool padded) {
  const auto& g = bench::lbp_graph();
  std::string json = typical_bundle();
  json.reserve(json.size() + runtime::fhir_padding);
  runtime::fhir_decoder decoder(g);
  runtime::patient p;
  runtime::fhir_provenance where;
  std::string error;
  for (auto _ : state) {
    const bool ok = padded ? decoder.decode_padded(json, p, where, error) : decoder.decode(json, p, where, error);
    if (!ok) state.SkipWithError(error.c_str());
    benchmark::DoNotOptimize(p.slots.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(json.size()));
}

void BM_fhir_decode_bundle(benchmark::State& state) { decode_typical_bundle(state, true); }
BENCHMARK(BM_fhir_decode_bundle);

void BM_fhir_decode_bundle_copied(benchmark::State& state) { decode_typical_bundle(state, false); }
BENCHMARK(BM_fhir_decode_bundle_copied);

void BM_fhir_decode_and_evaluate_bundle(benchmark::State& state) {
  const auto& g = bench::lbp_graph();
  std::string json = typical_bundle();
  json.reserve(json.size() + runtime::fhir_padding);
  runtime::fhir_decoder decoder(g);
  runtime::patient p;
  runtime::fhir_provenance where;
  runtime::evaluation e;
  std::string error;
  for (auto _ : state) {
    if (!decoder.decode_padded(json, p, where, error)) state.SkipWithError(error.c_str());
    runtime::evaluate(g, p, e);
    benchmark::DoNotOptimize(e.result);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_fhir_decode_and_evaluate_bundle);

}  // namespace

BENCHMARK_MAIN();
