// Patient facts from a FHIR R4 Bundle (docs/fhir.md). The graph's compiled
// bindings (graph::fhir) say which resources give which fact; the decoder
// reads the Bundle (or a CDS Hooks prefetch object), finds the order (the
// ServiceRequest whose CPT code is in the catalog), and fills a patient with
// three-valued facts and, for each fact, where it came from. No FHIRPath and
// no compiler: the bindings are plain data.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

struct fhir_request_parts;  // fhir_request.hpp

// Where each fact of one patient came from, and the order.
struct fhir_provenance {
  std::vector<std::string> facts;       // per slot: "Condition/lbp (ICD-10-CM M54.16 …), onset 2025-03-09"; "" = not bound
  std::int32_t ordered_procedure = -1;  // index into graph::procedures, -1 when no ServiceRequest matched the catalog
  std::string order;                    // "ServiceRequest/mri (CPT 72148), authored 2025-06-01"
  // Per binding (graph::fhir.bindings): what a set member's binding decided,
  // before the set is assembled (unknown for other bindings). Tests compare
  // it with an independent evaluator; explanations read `facts`.
  std::vector<truth> members;
  void clear() { facts.clear(); ordered_procedure = -1; order.clear(); members.clear(); }
};

// Limits on untrusted input (docs/limits.md): the largest Bundle in bytes and
// the most entries read from one Bundle.
inline constexpr std::size_t max_bundle_bytes = 16u << 20;
inline constexpr std::size_t max_bundle_entries = 10000;
// Readable bytes fhir_decoder::decode_padded() needs after its text.
inline constexpr std::size_t fhir_padding = 64;

// Decodes Bundles for one graph; holds a simdjson parser, so decoding many
// Bundles reuses it. Not thread-safe: one per thread.
class fhir_decoder {
 public:
  explicit fhir_decoder(const graph& g);
  ~fhir_decoder();
  fhir_decoder(const fhir_decoder&) = delete;
  fhir_decoder& operator=(const fhir_decoder&) = delete;

  // Decodes one Bundle into `out` (reset first) and `where`. Returns false
  // with `error` naming what is wrong when the text is not a Bundle or
  // prefetch object ("entry[3].resource: expected an object"). A Bundle that
  // merely lacks data gives unknown facts, never an error. Data-quality
  // problems (two birth dates) become warnings in `out.warnings`.
  bool decode(std::string_view json, patient& out, fhir_provenance& where, std::string& error);
  // As decode(), for text followed by at least fhir_padding readable bytes
  // (a std::string with that much spare capacity, a line inside a larger
  // buffer): the JSON parser then reads it in place instead of copying it.
  bool decode_padded(std::string_view json, patient& out, fhir_provenance& where, std::string& error);
  // As decode() of the request text `parts` stands for (fhir_request.hpp),
  // without writing or parsing text.
  bool decode_request(const fhir_request_parts& parts, patient& out, fhir_provenance& where, std::string& error);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// A FHIR date or dateTime as a range of days since 1970-01-01: `1960` is the
// whole year, `1960-05` the month, `1960-05-14` (or a dateTime) one day.
// False when malformed.
bool fhir_date_days(std::string_view text, std::int64_t& first, std::int64_t& last);
// Completed calendar years from `birth` to `on` as days (years × 365.25)
// plus the days since the last birthday: what `age` holds.
double age_days(std::int64_t birth, std::int64_t on);

}  // namespace rubric::runtime
