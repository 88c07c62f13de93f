// A CDS Hooks 2.0 service call (`POST /cds-services/{id}`) for the hooks
// `order-select` and `order-sign`: validate the request, find the draft
// imaging orders Rubric rates (order-select: only the `selections`), make
// sure the FHIR data they need is there (prefetch, else the client's FHIR
// server when allowed, else HTTP 412 for the Patient), and answer each
// order (answer.hpp). Pure: no sockets except the optional fetcher.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/answer.hpp"
#include "service/catalog.hpp"

namespace rubric::service {

// The services this server offers: one per hook, the id is the hook's name.
inline constexpr std::string_view hook_order_select = "order-select";
inline constexpr std::string_view hook_order_sign = "order-sign";

// Discovery (CDS Hooks 2.0 "Discovery"): `{"services": [...]}` with the
// prefetch templates the loaded bindings read.
nlohmann::json discovery(const catalog& c);

// What was decided for one order, for the log (no patient data).
struct order_outcome {
  std::string consult_id, guideline, graph_hash, status, rating;
};

struct hook_reply {
  int status = 200;
  // The answer (status 200) as the JSON text sent, written as nlohmann's
  // dump() would write it; empty otherwise.
  std::string text;
  nlohmann::json body;  // the error's body (status 4xx); null for an answer
  std::string hook_instance;
  std::vector<order_outcome> orders;
  std::string error;  // for the log: why a 4xx
};

// Reads one prefetch key from the client's FHIR server: `query` is the
// template with the patient id filled in ("Condition?patient=123"). Returns
// the resource or Bundle, or nothing with `error` set.
using fhir_fetcher = std::function<std::optional<nlohmann::json>(const std::string& fhir_server, const std::string& access_token,
                                                                 const std::string& query, std::string& error)>;

struct hook_settings {
  answer_settings answer;
  // fhirServer URLs the service may call (exact prefixes); empty: never fetch.
  std::vector<std::string> fhir_server_allow;
  fhir_fetcher fetch;  // may be empty: never fetch
  // Let the FHIR decoder read the request as parsed instead of each order's
  // request written out as text (the same facts: hook.cpp); off only in
  // tests that compare the two.
  bool read_parsed_request = true;
};

hook_reply handle_hook(const catalog& c, std::string_view service_id, std::string_view body, const hook_settings& settings);

// The fields of a hook call's log line (no patient data) as JSON text for
// json_log::write_members: ,"errorAt" (a 4xx's JSON path, never the values),
// "hookInstance", "latencyMs", "orders" (consult id, guideline, graph hash,
// rating or null, status), "service", "status" — sorted, as write() sorts.
std::string hook_log_members(std::string_view service, const hook_reply& r, double latency_ms);

}  // namespace rubric::service
