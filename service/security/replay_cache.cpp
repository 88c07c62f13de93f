// The replay cache: a hash map for lookups and an expiry-ordered index to purge.
#include "service/security/replay_cache.hpp"

namespace rubric::service::security {

void replay_cache::purge_expired(std::int64_t now) {
  auto it = keys_by_expiry_.begin();
  while (it != keys_by_expiry_.end() && it->first < now) {
    expiry_by_key_.erase(it->second);
    it = keys_by_expiry_.erase(it);
  }
}

replay_cache::outcome replay_cache::remember(std::string_view iss, std::string_view jti, std::int64_t exp,
                                             std::int64_t now) {
  // A NUL cannot occur in a JSON-decoded `iss` that we allow-list, so the key is unambiguous.
  std::string key;
  key.reserve(iss.size() + 1 + jti.size());
  key.append(iss).push_back('\0');
  key.append(jti);
  std::lock_guard lock(mutex_);
  purge_expired(now);
  if (expiry_by_key_.count(key) != 0) return outcome::replayed;
  if (expiry_by_key_.size() >= capacity_) return outcome::full;
  expiry_by_key_.emplace(key, exp);
  keys_by_expiry_.emplace(exp, std::move(key));
  return outcome::fresh;
}

std::size_t replay_cache::size() const {
  std::lock_guard lock(mutex_);
  return expiry_by_key_.size();
}

}  // namespace rubric::service::security
