// A CDS Hooks request that its caller has already parsed with simdjson, in
// the parts the FHIR decoder reads (fhir_bundle.hpp): a service that parsed
// the request to route it need not write each order's request out as text
// for the decoder to parse again.
#pragma once

#include <simdjson.h>

#include <span>
#include <string_view>
#include <utility>

namespace rubric::runtime {

// What fhir_decoder::decode() reads of the request text
//   {"context": {…, "draftOrders": {"entry": [{"resource": ORDER}], …}}, "prefetch": {KEY: VALUE, …}}
// The caller keeps the parsed document alive for the decode, sends each key
// once, in the order the decoder is to read them, and vouches that no object
// inside has a duplicate key (the text reader takes the first of them).
struct fhir_request_parts {
  std::span<const std::pair<std::string_view, simdjson::dom::element>> prefetch;  // a value may be JSON null
  simdjson::dom::element order;  // the one draft ServiceRequest, read as `context.draftOrders.entry[0].resource`
};

}  // namespace rubric::runtime
