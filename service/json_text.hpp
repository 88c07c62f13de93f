// Compact JSON text of a nlohmann::json value, byte for byte what
// `j.dump(-1, ' ', false, json::error_handler_t::replace)` writes (keys in
// the object's order, control characters as \u00xx, UTF-8 kept), several
// times faster: nlohmann decodes every byte of every string through its UTF-8
// state machine, while this copies runs of plain bytes at once. Floats and
// strings that are not valid UTF-8 (rare: nothing the service writes) are
// handed to nlohmann itself, so the text never differs.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace rubric::service {

// Appends the compact text of `j` to `out`.
void append_json_text(std::string& out, const nlohmann::json& j);
// Appends `s` as a JSON string (with quotes), as nlohmann would write it.
void append_json_string_text(std::string& out, std::string_view s);
std::string json_text(const nlohmann::json& j);

}  // namespace rubric::service
