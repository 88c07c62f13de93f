// The CDS Hooks request body as a nlohmann tree, parsed by simdjson: the tree
// `nlohmann::json::parse(body, nullptr, false)` gives, several times faster
// (nlohmann's lexer reads one byte at a time through an input adapter).
// Whatever simdjson refuses or might read otherwise than nlohmann does —
// any parse error (invalid UTF-8, depth, big integers, out-of-range numbers),
// a negative zero, an escaped surrogate — is handed to nlohmann itself, so
// the tree (or the parse error) is always nlohmann's own.
#pragma once

#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <optional>
#include <string_view>

namespace rubric::service {

// The parsed body; is_discarded() when it is not valid JSON.
nlohmann::json parse_request_json(std::string_view body);

// The body as above, and simdjson's document of it when it reads exactly as
// the tree does: simdjson parsed it and no object in it has a duplicate key
// (the tree keeps the last of them, a reader of the document would meet
// both). The document stays valid until the next parse on this thread.
// The request's `prefetch` (most of a request: the patient's resources) is
// then left out of the tree when it is an object: prefetch_in_document, and
// its reader takes it from the document (prefetch_tree() when a tree is
// needed after all).
struct parsed_request {
  nlohmann::json tree;
  std::optional<simdjson::dom::element> document;
  bool prefetch_in_document = false;
};
parsed_request parse_request(std::string_view body);

// A prefetch left in the document, as the tree would have held it.
nlohmann::json prefetch_tree(simdjson::dom::element prefetch);

}  // namespace rubric::service
