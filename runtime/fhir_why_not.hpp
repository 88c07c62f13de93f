// Why-not for a patient read from FHIR (docs/fhir.md, docs/explanations.md):
// for each fact change of a why-not option, the resource that would have to
// exist or change, in plain words, derived from the compiled bindings alone
// ("an active Condition coded in `…fever` (SNOMED 386661006 Fever, …) with
// its onset within 4 weeks before the order"). A fact declared `is unbound`
// says so with its reason; a change no Bundle can bring about says why.
#pragma once

#include <string>

#include "runtime/graph.hpp"
#include "runtime/patient.hpp"
#include "runtime/why_not.hpp"

namespace rubric::runtime {

// What the record would have to hold for `change` to be true of a patient
// decoded from a Bundle with `g`'s bindings. `now` is that patient.
std::string fhir_change_words(const graph& g, const patient& now, const fact_change& change);

// `fhir_change_words` bound to one graph and patient, for the why-not renderers.
change_words fhir_change_words_for(const graph& g, const patient& now);

}  // namespace rubric::runtime
