// The request body parsed by simdjson into a nlohmann tree (request_json.hpp).
#include "service/request_json.hpp"

#include "service/security/jose_json.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <vector>
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

// Whether `element` reads from simdjson's document as from nlohmann's tree:
// no object has a key twice (the tree keeps the last), no number is a
// negative zero (nlohmann's "-0" is the integer 0).
bool reads_alike(simdjson::dom::element element) {
  using simdjson::dom::element_type;
  switch (element.type()) {
    case element_type::OBJECT: {
      const simdjson::dom::object object(element);
      for (auto [key, value] : object)
        if (!reads_alike(value)) return false;
      // A few keys compared pairwise; more sorted (n log n, not n²).
      constexpr std::size_t few = 16;
      std::array<std::string_view, few> some;
      std::vector<std::string_view> many;
      std::size_t n = 0;
      for (auto [key, value] : object) {
        if (n < few) {
          for (std::size_t i = 0; i < n; ++i)
            if (some[i] == key) return false;
          some[n++] = key;
          continue;
        }
        if (many.empty()) many.assign(some.begin(), some.end());
        many.push_back(key);
      }
      std::sort(many.begin(), many.end());
      return std::adjacent_find(many.begin(), many.end()) == many.end();
    }
    case element_type::ARRAY:
      for (simdjson::dom::element value : simdjson::dom::array(element))
        if (!reads_alike(value)) return false;
      return true;
    case element_type::DOUBLE: {
      const double v = double(element);
      return !(v == 0 && std::signbit(v));
    }
    default: return true;
  }
}

// The root object into `out.tree`, but for an object `prefetch` that reads
// alike (read from the document instead: hook.cpp); false as convert().
bool convert_request(simdjson::dom::object root, parsed_request& out, bool& duplicates) {
  out.tree = json::object();
  std::optional<simdjson::dom::element> prefetch;  // the last, as in the tree
  int prefetch_members = 0;
  for (auto [key, value] : root) {
    if (key == "prefetch") {
      prefetch = value;
      ++prefetch_members;
      continue;
    }
    const std::size_t before = out.tree.size();
    json& slot = out.tree[std::string(key)];
    if (out.tree.size() == before) duplicates = true;
    if (!convert(value, slot, duplicates)) return false;
  }
  if (!prefetch) return true;
  if (prefetch_members > 1) duplicates = true;
  if (!duplicates && prefetch->is_object() && reads_alike(*prefetch)) {
    out.prefetch_in_document = true;
    return true;
  }
  return convert(*prefetch, out.tree["prefetch"], duplicates);
}

}  // namespace

json prefetch_tree(simdjson::dom::element prefetch) {
  json out;
  bool duplicates = false;
  if (!convert(prefetch, out, duplicates)) throw std::logic_error("prefetch_tree: a prefetch that does not read alike");
  return out;
}

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
      simdjson::dom::object object;
      const bool converted = root.get_object().get(object) == simdjson::SUCCESS ? convert_request(object, out, duplicates)
                                                                                 : convert(root, out.tree, duplicates);
      if (converted) {
        if (!duplicates) out.document = root;
        return out;
      }
    }
  }
  return {json::parse(body, nullptr, false), std::nullopt};
}

json parse_request_json(std::string_view body) {
  parsed_request parsed = parse_request(body);
  if (parsed.prefetch_in_document) parsed.tree["prefetch"] = prefetch_tree((*parsed.document)["prefetch"].value_unsafe());
  return std::move(parsed.tree);
}

}  // namespace rubric::service
