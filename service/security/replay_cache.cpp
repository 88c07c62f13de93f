// The replay cache: a hash map for lookups and an expiry-ordered index to purge.
#include "service/security/replay_cache.hpp"

namespace rubric::service::security {

void replay_cache::purge_expired(std::int64_t now) {
  auto it = keys_by_expiry_.begin();
  while (it != keys_by_expiry_.end() && it->first < now) {
    expiry_by_key_.erase(expiry_by_key_.find(*it->second));  // by iterator: the key it points to dies with the node
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
  // One hash and one copy of the key: the expiry index points at the map's
  // own key (a node's key keeps its address until the node is erased).
  const auto [it, inserted] = expiry_by_key_.try_emplace(std::move(key), exp);
  if (!inserted) return outcome::replayed;
  if (expiry_by_key_.size() > capacity_) {
    expiry_by_key_.erase(it);
    return outcome::full;
  }
  keys_by_expiry_.emplace(exp, &it->first);
  return outcome::fresh;
}

std::size_t replay_cache::size() const {
  std::lock_guard lock(mutex_);
  return expiry_by_key_.size();
}

}  // namespace rubric::service::security
