// Fetching a JWK Set with the cpp-httplib client: short timeouts, no
// redirects, a size cap, and the answer parsed like a configured file.
#include "service/security/jku_cache.hpp"

#include <httplib.h>

namespace rubric::service::security {
namespace {

constexpr std::size_t max_jwks_bytes = 64 * 1024;
constexpr int timeout_seconds = 2;

}  // namespace

jku_cache::result jku_cache::fetch(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::string("`jku` is not an absolute URL");
  const auto path_begin = url.find('/', scheme_end + 3);
  const std::string origin = url.substr(0, path_begin);
  const std::string path = path_begin == std::string::npos ? "/" : url.substr(path_begin);
  httplib::Client client(origin);
  if (!client.is_valid()) return std::string("`jku` scheme is not http or https");
  client.set_connection_timeout(timeout_seconds, 0);
  client.set_read_timeout(timeout_seconds, 0);
  client.set_follow_location(false);
  std::string body;
  bool too_large = false;
  auto response = client.Get(path.c_str(), [&](const char* data, std::size_t length) {
    if (body.size() + length > max_jwks_bytes) {
      too_large = true;
      return false;
    }
    body.append(data, length);
    return true;
  });
  if (too_large) return std::string("`jku` answer is larger than 64 KiB");
  if (!response) return "could not fetch `jku`: " + httplib::to_string(response.error()) + " error";
  if (response->status != 200) return "`jku` answered HTTP " + std::to_string(response->status);
  auto parsed = parse_jwk_set(body);
  if (auto* message = std::get_if<std::string>(&parsed)) return "`jku` JWK Set: " + *message;
  return std::make_shared<const jwk_set>(std::move(std::get<jwk_set>(parsed)));
}

jku_cache::result jku_cache::get(const std::string& url) {
  {
    std::lock_guard lock(mutex_);
    const auto it = entries_.find(url);
    if (it != entries_.end()) {
      const bool failed = std::holds_alternative<std::string>(it->second.value);
      if (clock::now() - it->second.fetched < (failed ? retry_after_ : ttl_)) return it->second.value;
    }
  }
  // Fetch without the lock: a slow key server must not stall other issuers.
  result fetched = fetch(url);
  std::lock_guard lock(mutex_);
  if (entries_.size() >= capacity_ && entries_.count(url) == 0) {
    auto oldest = entries_.begin();
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
      if (it->second.fetched < oldest->second.fetched) oldest = it;
    entries_.erase(oldest);
  }
  entries_.insert_or_assign(url, entry{fetched, clock::now()});
  return fetched;
}

}  // namespace rubric::service::security
