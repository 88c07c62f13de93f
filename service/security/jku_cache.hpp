// JWK Sets fetched from a token's `jku` URL (RFC 7515 §4.1.2). The verifier
// calls it only for URLs on the issuer's allow-list, so the set of URLs is
// bounded by configuration; each answer (or failure) is kept for a while so
// tokens do not make the service fetch on every request. Thread-safe.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <variant>

#include "service/security/jwk.hpp"

namespace rubric::service::security {

class jku_cache {
 public:
  using clock = std::chrono::steady_clock;
  using result = std::variant<std::shared_ptr<const jwk_set>, std::string>;

  // `ttl`: how long a fetched set is used; `retry_after`: how long a failure
  // is remembered; `capacity`: entries kept (the oldest fetch leaves first).
  jku_cache(std::chrono::seconds ttl, std::chrono::seconds retry_after, std::size_t capacity)
      : ttl_(ttl), retry_after_(retry_after), capacity_(capacity) {}

  // The JWK Set at `url` (http or https), or why it could not be had.
  result get(const std::string& url);

 private:
  struct entry {
    result value;
    clock::time_point fetched;
  };
  static result fetch(const std::string& url);

  std::chrono::seconds ttl_;
  std::chrono::seconds retry_after_;
  std::size_t capacity_;
  std::mutex mutex_;
  std::map<std::string, entry> entries_;
};

}  // namespace rubric::service::security
