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
struct parsed_request {
  nlohmann::json tree;
  std::optional<simdjson::dom::element> document;
};
parsed_request parse_request(std::string_view body);

}  // namespace rubric::service
