// The request body parsed by simdjson into a nlohmann tree (request_json.hpp).
#include "service/request_json.hpp"

#include "service/security/jose_json.hpp"

#include <simdjson.h>

#include <cmath>
#include <string>

namespace rubric::service {
namespace {

using nlohmann::json;

using security::escapes_surrogate;  // shared with the token reader

// `element` as nlohmann would have parsed its text, or false when that is not
// certain (then the caller asks nlohmann). Integers: nlohmann keeps a
// non-negative one unsigned, a negative one signed; doubles are the same
// correctly rounded value; later duplicate keys replace earlier ones, as in
// nlohmann's DOM parser.
// `duplicates` is set when an object has a key twice.
bool convert(simdjson::dom::element element, json& out, bool& duplicates) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      out = json::object();
      for (auto [key, value] : simdjson::dom::object(element)) {
        const std::size_t before = out.size();
        json& slot = out[std::string(key)];
        if (out.size() == before) duplicates = true;
        if (!convert(value, slot, duplicates)) return false;
      }
      return true;
    }
    case element_type::ARRAY: {
      out = json::array();
      for (simdjson::dom::element value : simdjson::dom::array(element)) {
        out.push_back(nullptr);
        if (!convert(value, out.back(), duplicates)) return false;
      }
      return true;
    }
    case element_type::STRING: out = std::string(std::string_view(element)); return true;
    case element_type::INT64: {
      const std::int64_t v = std::int64_t(element);
      if (v >= 0) out = static_cast<std::uint64_t>(v);
      else out = v;
      return true;
    }
    case element_type::UINT64: out = std::uint64_t(element); return true;
    case element_type::DOUBLE: {
      const double v = double(element);
      if (v == 0 && std::signbit(v)) return false;  // "-0" is nlohmann's integer 0, "-0.0" its double: the text decides
      out = v;
      return true;
    }
    case element_type::BOOL: out = bool(element); return true;
    case element_type::NULL_VALUE: out = nullptr; return true;
  }
  return false;
}

}  // namespace

parsed_request parse_request(std::string_view body) {
  // Each worker thread keeps its parser's buffers, sized by the largest body
  // it parsed: large bodies (rare) go to nlohmann, so none grows past this.
  constexpr std::size_t largest_for_simdjson = 256 * 1024;
  thread_local simdjson::dom::parser parser;
  if (body.size() <= largest_for_simdjson && !escapes_surrogate(body)) {
    simdjson::dom::element root;
    if (parser.parse(body.data(), body.size()).get(root) == simdjson::SUCCESS) {
      parsed_request out;
      bool duplicates = false;
      if (convert(root, out.tree, duplicates)) {
        if (!duplicates) out.document = root;
        return out;
      }
    }
  }
  return {json::parse(body, nullptr, false), std::nullopt};
}

json parse_request_json(std::string_view body) { return parse_request(body).tree; }

}  // namespace rubric::service
