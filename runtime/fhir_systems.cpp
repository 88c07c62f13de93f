// The coding system table (fhir_systems.hpp). URIs from the FHIR R4
// terminology pages (terminologies-systems.html).
#include "runtime/fhir_systems.hpp"

#include <array>

namespace rubric::runtime {

namespace {
constexpr std::array<coding_system, 5> systems = {{
    {"ICD10CM", "http://hl7.org/fhir/sid/icd-10-cm", "ICD-10-CM"},
    {"SNOMED", "http://snomed.info/sct", "SNOMED"},
    {"CPT", "http://www.ama-assn.org/go/cpt", "CPT"},
    {"LOINC", "http://loinc.org", "LOINC"},
    {"RXNORM", "http://www.nlm.nih.gov/research/umls/rxnorm", "RxNorm"},
}};
}  // namespace

const coding_system* coding_system_named(std::string_view name) {
  for (const auto& s : systems)
    if (s.name == name) return &s;
  return nullptr;
}

const coding_system* coding_system_of_uri(std::string_view uri) {
  for (const auto& s : systems)
    if (s.uri == uri) return &s;
  return nullptr;
}

std::string_view coding_system_names() { return "ICD10CM, SNOMED, CPT, LOINC, RXNORM"; }

}  // namespace rubric::runtime
