// JOSE JSON objects read by simdjson, or by nlohmann as the fallback (jose_json.hpp).
#include "service/security/jose_json.hpp"

#include <algorithm>
#include <cstring>

namespace rubric::service::security {

using nlohmann::json;

// Whether `text` escapes a UTF-16 surrogate ("\uD800"–"\uDFFF"): nlohmann
// refuses a lone one and simdjson's handling is its own, so such text goes
// to nlohmann (tokens here, request bodies in service/request_json.cpp).
bool escapes_surrogate(std::string_view text) {
  for (std::size_t at = text.find("\\u"); at != std::string_view::npos; at = text.find("\\u", at + 2)) {
    if (at + 3 >= text.size()) return false;
    const char first = text[at + 2], second = text[at + 3];
    if ((first == 'd' || first == 'D') && second != '\0' && std::strchr("89abcdefABCDEF", second)) return true;
  }
  return false;
}

bool jose_object::parse(std::string_view text) {
  text_ = text;
  simdjson::dom::element root;
  if (!escapes_surrogate(text) && parser_.parse(text.data(), text.size()).get(root) == simdjson::SUCCESS) {
    from_tree_ = false;
    return root.get_object().get(object_) == simdjson::SUCCESS;
  }
  from_tree_ = true;
  tree_ = json::parse(text, nullptr, false);
  return tree_.is_object();
}

std::optional<simdjson::dom::element> jose_object::last(std::string_view name) const {
  std::optional<simdjson::dom::element> found;
  for (auto field : object_)
    if (field.key == name) found = field.value;
  return found;
}

const json* jose_object::tree_member(std::string_view name) const {
  const auto it = tree_.find(name);
  return it == tree_.end() ? nullptr : &*it;
}

bool jose_object::contains(std::string_view name) const {
  return from_tree_ ? tree_member(name) != nullptr : last(name).has_value();
}

std::optional<std::string_view> jose_object::string(std::string_view name) const {
  if (from_tree_) {
    const json* member = tree_member(name);
    if (!member || !member->is_string()) return std::nullopt;
    return std::string_view(member->get_ref<const std::string&>());
  }
  std::string_view value;
  if (const auto member = last(name); member && member->get_string().get(value) == simdjson::SUCCESS) return value;
  return std::nullopt;
}

std::optional<double> jose_object::number(std::string_view name) const {
  if (from_tree_) {
    const json* member = tree_member(name);
    if (!member || !member->is_number()) return std::nullopt;
    return member->get<double>();
  }
  const auto member = last(name);
  if (!member) return std::nullopt;
  using simdjson::dom::element_type;
  switch (member->type()) {
    case element_type::INT64: return static_cast<double>(std::int64_t(*member));
    case element_type::UINT64: return static_cast<double>(std::uint64_t(*member));
    case element_type::DOUBLE: return double(*member);
    default: return std::nullopt;
  }
}

bool jose_object::string_or_array(std::string_view name) const {
  if (from_tree_) {
    const json* member = tree_member(name);
    return member && (member->is_string() || member->is_array());
  }
  const auto member = last(name);
  return member && (member->is_string() || member->is_array());
}

bool jose_object::names(std::string_view name, std::string_view value) const {
  if (from_tree_) {
    const json* member = tree_member(name);
    if (!member) return false;
    if (member->is_string()) return member->get_ref<const std::string&>() == value;
    return member->is_array() && std::any_of(member->begin(), member->end(), [&](const json& entry) {
             return entry.is_string() && entry.get_ref<const std::string&>() == value;
           });
  }
  const auto member = last(name);
  if (!member) return false;
  std::string_view text;
  if (member->get_string().get(text) == simdjson::SUCCESS) return text == value;
  simdjson::dom::array entries;
  if (member->get_array().get(entries) != simdjson::SUCCESS) return false;
  for (simdjson::dom::element entry : entries)
    if (entry.get_string().get(text) == simdjson::SUCCESS && text == value) return true;
  return false;
}

std::string jose_object::log_text(std::string_view name) const {
  if (auto text = string(name)) return std::string(*text);
  // Only on a rejection: nlohmann writes the member, as the log always showed it.
  const json tree = from_tree_ ? json() : json::parse(text_, nullptr, false);
  const json& object = from_tree_ ? tree_ : tree;
  const auto it = object.find(name);
  return it == object.end() ? std::string() : it->dump();
}

}  // namespace rubric::service::security
