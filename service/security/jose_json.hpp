// A JOSE header or JWT claims set, the JSON object a token carries, read the
// way the verifier reads it: parsed by simdjson into a per-thread parser (no
// tree, no allocation once warm), and by nlohmann when simdjson refuses the
// text or might read it otherwise (an escaped surrogate), so that what is
// accepted and every member's value are nlohmann's either way. Of duplicate
// members the later wins, as in nlohmann's tree (RFC 7519 §4: parsers use
// "only the lexically last duplicate member name").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>
#include <simdjson.h>

namespace rubric::service::security {

// Whether `text` escapes a UTF-16 surrogate ("\uD800"–"\uDFFF"): JSON that
// nlohmann must read itself, since simdjson reads such escapes its own way.
bool escapes_surrogate(std::string_view text);

class jose_object {
 public:
  // `parser` must outlive this object and parse nothing else meanwhile.
  explicit jose_object(simdjson::dom::parser& parser) : parser_(parser) {}

  // False when `text` is not a JSON object. `text` must outlive this object.
  bool parse(std::string_view text);

  bool contains(std::string_view name) const;
  // The member's value when it is a string.
  std::optional<std::string_view> string(std::string_view name) const;
  // The member's value when it is a number, as a double.
  std::optional<double> number(std::string_view name) const;
  // Whether the member is a string or an array (what `aud` may be).
  bool string_or_array(std::string_view name) const;
  // Whether the member is the string `value`, or an array holding it.
  bool names(std::string_view name, std::string_view value) const;
  // The member as the log shows it: a string's value, else its JSON text.
  std::string log_text(std::string_view name) const;

 private:
  std::optional<simdjson::dom::element> last(std::string_view name) const;
  const nlohmann::json* tree_member(std::string_view name) const;

  simdjson::dom::parser& parser_;
  std::string_view text_;
  simdjson::dom::object object_;
  bool from_tree_ = false;
  nlohmann::json tree_;  // when nlohmann parsed the text
};

}  // namespace rubric::service::security
