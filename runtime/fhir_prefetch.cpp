// The prefetch keys and templates (fhir_prefetch.hpp).
#include "runtime/fhir_prefetch.hpp"

#include <algorithm>

namespace rubric::runtime {

const std::vector<prefetch_key>& prefetch_keys() {
  // Templates in the CDS Hooks 2.0 "Prefetch Template" syntax; a search
  // query's result is a searchset Bundle, the Patient read a single resource.
  static const std::vector<prefetch_key> keys = {
      {"patient", "Patient", "Patient/{{context.patientId}}"},
      {"conditions", "Condition", "Condition?patient={{context.patientId}}"},
      {"procedures", "Procedure", "Procedure?patient={{context.patientId}}"},
      {"questionnaireResponses", "QuestionnaireResponse", "QuestionnaireResponse?patient={{context.patientId}}"},
      {"observations", "Observation", "Observation?patient={{context.patientId}}"},
      {"medicationRequests", "MedicationRequest", "MedicationRequest?patient={{context.patientId}}"},
      {"medicationStatements", "MedicationStatement", "MedicationStatement?patient={{context.patientId}}"},
  };
  return keys;
}

const prefetch_key* prefetch_key_for_type(std::string_view resource_type) {
  for (const auto& k : prefetch_keys())
    if (k.resource_type == resource_type) return &k;
  return nullptr;
}

namespace {

std::string_view resource_type_of(fhir_resource r) {
  switch (r) {
    case fhir_resource::condition: return "Condition";
    case fhir_resource::procedure: return "Procedure";
    case fhir_resource::questionnaire_response: return "QuestionnaireResponse";
    case fhir_resource::observation: return "Observation";
    case fhir_resource::medication: return "MedicationRequest";  // and MedicationStatement, added below
  }
  return "";
}

}  // namespace

std::vector<const prefetch_key*> prefetch_keys_of(const graph& g) {
  std::vector<const prefetch_key*> out;
  auto add = [&](std::string_view type) {
    const prefetch_key* k = prefetch_key_for_type(type);
    if (k && std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  };
  for (const auto& b : g.fhir.bindings) {
    if (b.source == fhir_source::age_at_order)
      add("Patient");
    else if (b.source == fhir_source::observation_value)  // its `resource` field is not set for this source
      add("Observation");
    else
      add(resource_type_of(b.resource));
    if (b.resource == fhir_resource::medication) add("MedicationStatement");
  }
  std::sort(out.begin(), out.end());  // the table's order: pointers into one vector
  return out;
}

}  // namespace rubric::runtime
