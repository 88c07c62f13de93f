// The verification order matters: everything that needs no key is checked
// first, the signature before any claim is believed, and the replay cache is
// touched last so tokens that fail elsewhere never fill it.
#include "service/security/jwt_verifier.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

#include "service/security/jose_json.hpp"
#include "service/security/jws.hpp"

namespace rubric::service::security {
namespace {

verification reject(rejection reason, std::string detail) {
  return verification{reason, std::move(detail), {}};
}

bool iequals(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) ==
                                                std::tolower(static_cast<unsigned char>(y)); });
}

std::optional<rejection> classify_alg(std::string_view alg) {
  if (iequals(alg, "none")) return rejection::alg_none;
  if (alg == "HS256" || alg == "HS384" || alg == "HS512") return rejection::alg_hmac;
  if (alg != "ES384" && alg != "RS384") return rejection::alg_unsupported;
  return std::nullopt;
}

// A NumericDate (RFC 7519 §2): a JSON number of seconds, fractions dropped.
std::optional<std::int64_t> numeric_date(const jose_object& object, std::string_view name) {
  const auto value = object.number(name);
  if (!value || !std::isfinite(*value) || *value < 0 || *value > 1e15) return std::nullopt;
  return static_cast<std::int64_t>(std::floor(*value));
}

}  // namespace

struct jwt_verifier::header_fields {
  std::string alg, kid;
  std::optional<std::string> jku;
};

std::string_view to_string(rejection reason) {
  switch (reason) {
    case rejection::no_token: return "no_token";
    case rejection::malformed: return "malformed";
    case rejection::alg_none: return "alg_none";
    case rejection::alg_hmac: return "alg_hmac";
    case rejection::alg_unsupported: return "alg_unsupported";
    case rejection::kid_missing: return "kid_missing";
    case rejection::kid_unknown: return "kid_unknown";
    case rejection::claim_missing: return "claim_missing";
    case rejection::iss_not_allowed: return "iss_not_allowed";
    case rejection::jku_not_allowed: return "jku_not_allowed";
    case rejection::jku_unavailable: return "jku_unavailable";
    case rejection::key_alg_mismatch: return "key_alg_mismatch";
    case rejection::bad_signature: return "bad_signature";
    case rejection::aud_mismatch: return "aud_mismatch";
    case rejection::expired: return "expired";
    case rejection::issued_in_future: return "issued_in_future";
    case rejection::lifetime_too_long: return "lifetime_too_long";
    case rejection::jti_replayed: return "jti_replayed";
    case rejection::replay_cache_full: return "replay_cache_full";
  }
  return "unknown";
}

std::optional<std::string_view> bearer_token(std::string_view authorization) {
  constexpr std::string_view scheme = "bearer ";
  if (authorization.size() <= scheme.size() || !iequals(authorization.substr(0, scheme.size()), scheme))
    return std::nullopt;
  std::string_view token = authorization.substr(scheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  if (token.empty()) return std::nullopt;
  return token;
}

jwt_verifier::jwt_verifier(verifier_config config)
    : config_(std::move(config)),
      replay_(config_.replay_capacity),
      jku_(config_.jku_ttl, config_.jku_retry_after, std::max<std::size_t>(config_.issuers.size() * 4, 8)) {}

verification jwt_verifier::verify(std::string_view authorization, std::string_view audience) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  return verify_at(authorization, audience, now.count());
}

verification jwt_verifier::verify_at(std::string_view authorization, std::string_view audience, std::int64_t now) {
  const auto token = bearer_token(authorization);
  if (!token) return reject(rejection::no_token, "no `Authorization: Bearer` token");
  if (token->size() > config_.max_token_bytes)
    return reject(rejection::malformed, "token of " + std::to_string(token->size()) + " bytes");
  return check_token(*token, audience, now);
}

const issuer_policy* jwt_verifier::find_issuer(std::string_view iss) const {
  for (const auto& issuer : config_.issuers)
    if (issuer.iss == iss) return &issuer;
  return nullptr;
}

std::optional<verification> jwt_verifier::find_key(const header_fields& header, const issuer_policy& issuer,
                                                   std::shared_ptr<const jwk_set>& keys_out,
                                                   const public_key*& key_out) {
  keys_out = issuer.keys;
  if (header.jku) {
    const auto& allow = issuer.jku_allow;
    if (std::find(allow.begin(), allow.end(), *header.jku) == allow.end())
      return reject(rejection::jku_not_allowed, "`jku` `" + *header.jku + "` for issuer `" + issuer.iss + "`");
    auto fetched = jku_.get(*header.jku);
    if (auto* message = std::get_if<std::string>(&fetched)) return reject(rejection::jku_unavailable, *message);
    keys_out = std::get<std::shared_ptr<const jwk_set>>(fetched);
  }
  key_out = keys_out ? keys_out->find(header.kid) : nullptr;
  if (!key_out) return reject(rejection::kid_unknown, "`kid` `" + header.kid + "` for issuer `" + issuer.iss + "`");
  const bool type_fits = (header.alg == "ES384") == (key_out->type == key_type::ec_p384);
  if (!type_fits || (!key_out->alg.empty() && key_out->alg != header.alg))
    return reject(rejection::key_alg_mismatch, "key `" + header.kid + "` cannot verify `" + header.alg + "`");
  return std::nullopt;
}

verification jwt_verifier::check_token(std::string_view token, std::string_view audience, std::int64_t now) {
  const auto jws = split_compact_jws(token);
  if (!jws) return reject(rejection::malformed, "not three base64url parts");
  thread_local simdjson::dom::parser header_parser, payload_parser;  // warm buffers, one call at a time per thread
  jose_object header(header_parser), payload(payload_parser);
  const bool header_ok = header.parse(jws->header_json);
  if (!payload.parse(jws->payload_json) || !header_ok)
    return reject(rejection::malformed, "header or payload is not a JSON object");
  header_fields fields;
  const auto alg = header.string("alg");
  if (!alg) return reject(rejection::malformed, "no `alg` string in the header");
  fields.alg = *alg;
  if (auto reason = classify_alg(fields.alg)) return reject(*reason, "`alg` `" + fields.alg + "`");
  if (header.contains("crit")) return reject(rejection::malformed, "`crit` header parameters are not supported");
  const auto kid = header.string("kid");
  if (!kid || kid->empty()) return reject(rejection::kid_missing, "no `kid` in the header");
  fields.kid = *kid;
  if (header.contains("jku")) {
    const auto jku = header.string("jku");
    if (!jku) return reject(rejection::malformed, "`jku` is not a string");
    fields.jku = std::string(*jku);
  }
  const auto iss = payload.string("iss");
  if (!iss) return reject(rejection::claim_missing, "claim `iss`");
  const issuer_policy* issuer = find_issuer(*iss);
  if (!issuer) return reject(rejection::iss_not_allowed, "`iss` `" + std::string(*iss) + "`");

  std::shared_ptr<const jwk_set> keys;  // keeps a fetched set alive while its key is used
  const public_key* key = nullptr;
  if (auto failed = find_key(fields, *issuer, keys, key)) return std::move(*failed);
  if (!verify_signature(fields.alg, *key, jws->signing_input, jws->signature))
    return reject(rejection::bad_signature, "`" + fields.alg + "` signature with key `" + fields.kid + "`");

  const auto sub = payload.string("sub");
  const auto jti = payload.string("jti");
  const auto exp = numeric_date(payload, "exp");
  const auto iat = numeric_date(payload, "iat");
  for (auto [present, name] : {std::pair{sub.has_value(), "sub"}, std::pair{payload.string_or_array("aud"), "aud"},
                               std::pair{exp.has_value(), "exp"}, std::pair{iat.has_value(), "iat"},
                               std::pair{jti.has_value() && !jti->empty(), "jti"}})
    if (!present) return reject(rejection::claim_missing, std::string("claim `") + name + "`");
  if (!payload.names("aud", audience))
    return reject(rejection::aud_mismatch, "`aud` `" + payload.log_text("aud") + "`, endpoint `" + std::string(audience) + "`");
  const std::int64_t skew = config_.clock_skew.count();
  if (*exp + skew <= now) return reject(rejection::expired, "`exp` " + std::to_string(*exp) + ", now " + std::to_string(now));
  if (*iat > now + skew) return reject(rejection::issued_in_future, "`iat` " + std::to_string(*iat) + ", now " + std::to_string(now));
  if (*exp > now + config_.max_lifetime.count() + skew)
    return reject(rejection::lifetime_too_long, "`exp` " + std::to_string(*exp) + ", now " + std::to_string(now));
  switch (replay_.remember(*iss, *jti, *exp + skew, now)) {
    case replay_cache::outcome::replayed:
      return reject(rejection::jti_replayed, "`jti` `" + std::string(*jti) + "` from `" + std::string(*iss) + "`");
    case replay_cache::outcome::full: return reject(rejection::replay_cache_full, "replay cache full");
    case replay_cache::outcome::fresh: break;
  }
  jwt_claims claims;
  claims.iss = *iss;
  claims.sub = *sub;
  claims.jti = *jti;
  claims.tenant = payload.string("tenant").value_or("");
  claims.iat = *iat;
  claims.exp = *exp;
  return verification{std::nullopt, {}, std::move(claims)};
}

}  // namespace rubric::service::security
