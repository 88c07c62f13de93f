// CDS Hooks prefetch (docs/serve.md, docs/fhir.md): the prefetch keys Rubric
// asks a CDS Client for, one per resource type its FHIR bindings read, with
// their FHIR query templates. The service advertises them at discovery; the
// decoder uses the same names to tell a key the client did not send (the
// record of that type is unknown) from a key sent as `null` (the client has no
// such resources: the record is known and empty). CDS Hooks 2.0, "Prefetch
// Template": "If the CDS Client has no data to populate a template prefetch
// key, the prefetch template key MUST have a value of null"; "CDS Clients MUST
// omit the prefetch key if relevant details cannot be provided".
#pragma once

#include <string_view>
#include <vector>

#include "runtime/graph.hpp"

namespace rubric::runtime {

struct prefetch_key {
  std::string_view key;            // "conditions"
  std::string_view resource_type;  // "Condition"
  std::string_view query;          // "Condition?patient={{context.patientId}}"
};

// Every key Rubric knows, in a fixed order (the Patient first).
const std::vector<prefetch_key>& prefetch_keys();
// The key that carries resources of `resource_type` ("Condition"); nullptr for a type no binding reads.
const prefetch_key* prefetch_key_for_type(std::string_view resource_type);
// The keys the bindings of `g` read: the Patient for `age at the order`, and
// one per resource type a binding reads. Empty for a graph without bindings.
std::vector<const prefetch_key*> prefetch_keys_of(const graph& g);

}  // namespace rubric::runtime
