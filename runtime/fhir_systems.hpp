// The coding systems a code list may use: the short name an author writes
// (`ICD10CM`) and the FHIR system URI a Bundle carries. One table, owned by
// the runtime, for compiler and runtime alike.
#pragma once

#include <string_view>

namespace rubric::runtime {

struct coding_system {
  std::string_view name;     // as written in a code list: ICD10CM
  std::string_view uri;      // in FHIR: http://hl7.org/fhir/sid/icd-10-cm
  std::string_view display;  // in explanations: ICD-10-CM
};

// The system an author's name stands for, or nullptr.
const coding_system* coding_system_named(std::string_view name);
// The system of a FHIR system URI, or nullptr.
const coding_system* coding_system_of_uri(std::string_view uri);
// "ICD10CM, SNOMED, CPT, LOINC, RXNORM", for messages.
std::string_view coding_system_names();

}  // namespace rubric::runtime
