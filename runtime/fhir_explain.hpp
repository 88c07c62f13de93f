// Provenance in explanations (docs/fhir.md): each bound fact with its value
// and where it came from, and the order, as text lines and as a JSON object.
#pragma once

#include <string>

#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/fhir_bundle.hpp"

namespace rubric::runtime {

// "  order: ServiceRequest/mri (CPT 72148), authored 2025-06-01 → MRI lumbar spine without IV contrast"
// then "  age = 55 years: Patient/p birthDate …" for every bound fact.
std::string fhir_provenance_text(const graph& g, const patient& p, const fhir_provenance& where);

// {"order","ordered_procedure","ordered_rating","facts":[{"fact","value","source"}]};
// ordered_rating is the ordered procedure's rating in the first matched variant
// of `e` (null when none), so batch lines and single explanations agree.
std::string fhir_provenance_json(const graph& g, const patient& p, const fhir_provenance& where, const evaluation& e);

// Appends `"fhir": OBJECT` as the last key of a JSON object text (`{…}`).
void append_fhir_key(std::string& json_object, const std::string& fhir_json);

// The ordered procedure first, the others in the variant's order.
void order_first(std::vector<rating_line>& ratings, std::int32_t ordered_procedure);

}  // namespace rubric::runtime
