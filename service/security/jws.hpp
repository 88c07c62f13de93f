// Compact JWS (RFC 7515 §7.1): splitting `header.payload.signature` and
// checking an ES384 or RS384 signature (RFC 7518 §3.3, §3.4) with EVP.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "service/security/jwk.hpp"

namespace rubric::service::security {

// A compact JWS split and decoded; the header and payload are still JSON text.
struct compact_jws {
  std::string header_json;
  std::string payload_json;
  std::string signature;       // raw bytes
  std::string_view signing_input;  // "header.payload" inside the token
};

// Nothing when the token is not three base64url parts.
std::optional<compact_jws> split_compact_jws(std::string_view token);

// True when `signature` is a valid `alg` signature of `signing_input` under
// `key`. `alg` must be ES384 (key of type ec_p384, signature R || S, 96 bytes)
// or RS384 (RSA key, PKCS #1 v1.5); anything else is false.
bool verify_signature(std::string_view alg, const public_key& key, std::string_view signing_input,
                      std::string_view signature);

// The raw R || S form of a DER ECDSA signature, zero-padded to `half` bytes
// each (what a JWS signer does with EVP_DigestSign's output).
std::optional<std::string> ecdsa_der_to_raw(std::string_view der, std::size_t half);

}  // namespace rubric::service::security
