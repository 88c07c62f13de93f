// What the JWT verifier trusts: per issuer (`iss`), a JWK Set file and/or the
// `jku` URLs it may name; plus clock skew, token lifetime and cache bounds.
// Read from a JSON file (see docs/serve.md §Security):
//   {"issuers": [{"iss": "https://ehr.example.org",
//                 "jwks_file": "ehr-keys.json",          (relative to this file)
//                 "jku": ["https://ehr.example.org/.well-known/jwks.json"]}],
//    "clock_skew_seconds": 30, "max_lifetime_seconds": 300,
//    "replay_capacity": 1000000}
#pragma once

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "service/security/jwk.hpp"

namespace rubric::service::security {

struct issuer_policy {
  std::string iss;
  // Keys from the configured JWK Set file; null when the issuer uses `jku` only.
  std::shared_ptr<const jwk_set> keys;
  // Exact URLs a token from this issuer may name in `jku`; empty: `jku` refused.
  std::vector<std::string> jku_allow;
};

struct verifier_config {
  std::vector<issuer_policy> issuers;
  // Tolerated clock difference for `iat` in the future and `exp` in the past.
  std::chrono::seconds clock_skew{30};
  // `exp` may lie at most this far after now (CDS Hooks: 5 minutes), which
  // also bounds how long the replay cache holds a `jti`.
  std::chrono::seconds max_lifetime{300};
  std::size_t replay_capacity = 1'000'000;
  std::chrono::seconds jku_ttl{300};
  std::chrono::seconds jku_retry_after{10};
  std::size_t max_token_bytes = 8192;
};

// The configuration in `json_text`; `base_dir` resolves relative `jwks_file`s.
std::variant<verifier_config, std::string> parse_verifier_config(std::string_view json_text,
                                                                 const std::filesystem::path& base_dir);
std::variant<verifier_config, std::string> load_verifier_config(const std::filesystem::path& file);

}  // namespace rubric::service::security
