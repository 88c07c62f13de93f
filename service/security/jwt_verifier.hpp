// Verifies the JWT a CDS Client sends on every call (CDS Hooks 2.0 §Trusting
// CDS Clients): ES384 or RS384 over a compact JWS, keys by `kid` from the
// issuer's JWK Set file or from an allow-listed `jku`, then the claims
// (`iss`, `sub`, `aud`, `exp`, `iat`, `jti`) and a replay check.
//
// How the service calls it: build one `jwt_verifier` at start from
// `load_verifier_config(path)` (keep it across catalog reloads: it holds the
// replay cache), then for every request, discovery included:
//
//   auto v = verifier.verify(req.get_header_value("Authorization"),
//                            public_base_url + req.path);   // the `aud`
//   if (!v.ok()) { log(to_string(*v.reason), v.detail); reply 401 with a
//                  generic body and `WWW-Authenticate: Bearer`; }
//
// The audience must be the endpoint URL as the client knows it (the
// configured public base URL, never the Host header). `reason` and `detail`
// are for the log only; they may name keys and must never reach the client.
// Safe to call from many threads at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "service/security/jku_cache.hpp"
#include "service/security/replay_cache.hpp"
#include "service/security/verifier_config.hpp"

namespace rubric::service::security {

enum class rejection {
  no_token,           // no `Authorization: Bearer` header
  malformed,          // not a compact JWS, header or payload not JSON objects, `crit`
  alg_none,           // `alg` is `none`
  alg_hmac,           // `alg` is HS256/HS384/HS512: a shared secret is never accepted
  alg_unsupported,    // any other `alg` than ES384 or RS384
  kid_missing,
  kid_unknown,        // no key with this `kid` for the issuer
  claim_missing,      // one of iss, sub, aud, exp, iat, jti absent or of the wrong type
  iss_not_allowed,
  jku_not_allowed,    // `jku` not on the issuer's allow-list
  jku_unavailable,    // allow-listed `jku` could not be fetched or parsed
  key_alg_mismatch,   // the key's type or `alg` does not fit the token's `alg`
  bad_signature,
  aud_mismatch,       // `aud` is not exactly the endpoint URL
  expired,            // `exp` earlier than now minus the skew
  issued_in_future,   // `iat` later than now plus the skew
  lifetime_too_long,  // `exp` later than now plus the maximum lifetime
  jti_replayed,       // this `iss` + `jti` was accepted before
  replay_cache_full,  // too many live tokens to remember: fail closed
};

// The stable name of a reason, for logs and metrics ("alg_none", ...).
std::string_view to_string(rejection reason);

struct jwt_claims {
  std::string iss, sub, jti, tenant;  // tenant is optional: empty when absent
  std::int64_t iat = 0, exp = 0;
};

struct verification {
  std::optional<rejection> reason;  // empty: the token is accepted
  std::string detail;               // for the log: which claim, value or key
  jwt_claims claims;                // filled when accepted
  bool ok() const { return !reason; }
};

class jwt_verifier {
 public:
  explicit jwt_verifier(verifier_config config);

  // `authorization` is the whole header value ("Bearer eyJ..."); `audience`
  // the endpoint URL. Uses the system clock.
  verification verify(std::string_view authorization, std::string_view audience);
  // The same at a given time (seconds since the epoch), for tests.
  verification verify_at(std::string_view authorization, std::string_view audience, std::int64_t now);

  std::size_t remembered_tokens() const { return replay_.size(); }

 private:
  struct header_fields;
  verification check_token(std::string_view token, std::string_view audience, std::int64_t now);
  std::optional<verification> find_key(const header_fields& header, const issuer_policy& issuer,
                                       std::shared_ptr<const jwk_set>& keys_out, const public_key*& key_out);
  const issuer_policy* find_issuer(std::string_view iss) const;

  verifier_config config_;
  replay_cache replay_;
  jku_cache jku_;
};

// The token in an `Authorization` header value: "Bearer <token>", the scheme
// case-insensitive; nothing for any other form.
std::optional<std::string_view> bearer_token(std::string_view authorization);

}  // namespace rubric::service::security
