// Base64url without padding (RFC 7515 §2, RFC 4648 §5), the encoding of
// every part of a compact JWS and of every JWK number.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace rubric::service::security {

// The bytes that `text` encodes, or nothing when it has a character outside
// the base64url alphabet, padding, or an impossible length.
std::optional<std::string> base64url_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);

}  // namespace rubric::service::security
