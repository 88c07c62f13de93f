// Public keys from a JWK Set (RFC 7517): EC P-384 keys (`x`, `y`) for ES384
// and RSA keys (`n`, `e`) for RS384, built as OpenSSL 3 EVP_PKEYs. Keys of
// any other kind or curve, private keys and keys without `kid` are refused
// with a reason, so a JWK Set file with a mistake fails at load time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>

#include "service/security/openssl_ptr.hpp"

namespace rubric::service::security {

enum class key_type { ec_p384, rsa };

struct public_key {
  std::string kid;
  key_type type;
  // The JWK's `alg` when present: a key that names one algorithm is never
  // used with another.
  std::string alg;
  std::shared_ptr<EVP_PKEY> pkey;
};

// A parsed JWK Set, by `kid`. Immutable once built; shared between threads.
struct jwk_set {
  std::map<std::string, public_key, std::less<>> keys;
  const public_key* find(std::string_view kid) const;
};

// The set in `json_text`, or a message naming the key and field at fault.
std::variant<jwk_set, std::string> parse_jwk_set(std::string_view json_text);

}  // namespace rubric::service::security
