// Remembers each accepted token's `iss` + `jti` until the token expires, so
// the same token is accepted once (CDS Hooks 2.0: `jti` protects against
// replay). Bounded: entries leave when their `exp` passes, and when the cache
// is full of unexpired entries a new token is refused (fails closed) rather
// than forgetting one that could then be replayed. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

namespace rubric::service::security {

class replay_cache {
 public:
  enum class outcome { fresh, replayed, full };

  explicit replay_cache(std::size_t capacity) : capacity_(capacity) {}

  // Records (iss, jti) until `exp` unless already present; `now` purges first.
  outcome remember(std::string_view iss, std::string_view jti, std::int64_t exp, std::int64_t now);
  std::size_t size() const;

 private:
  void purge_expired(std::int64_t now);

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::int64_t> expiry_by_key_;
  std::multimap<std::int64_t, const std::string*> keys_by_expiry_;  // oldest first, for purging; the keys of expiry_by_key_
};

}  // namespace rubric::service::security
