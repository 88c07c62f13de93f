// The FHIR server reader (fhir_fetch.hpp).
#include "service/fhir_fetch.hpp"

#include <fmt/format.h>
#include <httplib.h>

namespace rubric::service {

fhir_fetcher http_fhir_fetcher(std::chrono::milliseconds timeout) {
  return [timeout](const std::string& server, const std::string& token, const std::string& query,
                   std::string& error) -> std::optional<nlohmann::json> {
    // "https://ehr.example.org/fhir" → scheme+host+port and the base path.
    std::size_t scheme = server.find("://");
    if (scheme == std::string::npos) {
      error = "fhirServer is not an absolute URL";
      return std::nullopt;
    }
    std::size_t slash = server.find('/', scheme + 3);
    std::string origin = server.substr(0, slash);
    std::string base = slash == std::string::npos ? "" : server.substr(slash);
    while (!base.empty() && base.back() == '/') base.pop_back();
    httplib::Client client(origin);
    client.set_connection_timeout(timeout);
    client.set_read_timeout(timeout);
    client.set_write_timeout(timeout);
    httplib::Headers headers = {{"Authorization", "Bearer " + token}, {"Accept", "application/fhir+json"}};
    auto res = client.Get(base + "/" + query, headers);
    if (!res) {
      error = fmt::format("GET {}: {}", query, httplib::to_string(res.error()));
      return std::nullopt;
    }
    if (res->status != 200) {
      error = fmt::format("GET {}: HTTP {}", query, res->status);
      return std::nullopt;
    }
    auto value = nlohmann::json::parse(res->body, nullptr, false);
    if (value.is_discarded() || !value.is_object()) {
      error = fmt::format("GET {}: the answer is not a FHIR resource", query);
      return std::nullopt;
    }
    return value;
  };
}

}  // namespace rubric::service
