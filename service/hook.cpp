// CDS Hooks service calls (hook.hpp).
#include "service/hook.hpp"

#include "service/json_text.hpp"
#include "service/request_json.hpp"
#include "runtime/fhir_request.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

namespace rubric::service {

using nlohmann::json;

nlohmann::json discovery(const catalog& c) {
  json prefetch = json::object();
  for (const auto* k : c.prefetch()) prefetch[std::string(k->key)] = std::string(k->query);
  std::string topics;
  for (const auto& g : c.guidelines())
    if (!g.graph.fhir.empty()) topics += (topics.empty() ? "" : ", ") + g.graph.title;
  json services = json::array();
  for (std::string_view hook : {hook_order_select, hook_order_sign}) {
    json s = {{"hook", hook},
              {"id", hook},
              {"title", fmt::format("Imaging appropriateness ({})", hook)},
              {"description", fmt::format("Rates draft imaging orders against the ACR Appropriateness Criteria ({}) and records the PAMA "
                                          "appropriateness rating; names the missing facts when the record does not decide.",
                                          topics.empty() ? "no guideline loaded" : topics)},
              {"usageRequirements", "Draft ServiceRequests coded in CPT; a reasonCode in ICD-10-CM or SNOMED CT helps choose the guideline."}};
    if (!prefetch.empty()) s["prefetch"] = prefetch;
    services.push_back(std::move(s));
  }
  return {{"services", services}};
}

namespace {

// The part of an error message before its first ": " — the JSON path — so
// logs never carry the values a request held.
std::string_view error_place(std::string_view message) { return message.substr(0, message.find(": ")); }

hook_reply bad_request(std::string message) {
  hook_reply r;
  r.status = 400;
  r.body = {{"error", message}};
  r.error = std::move(message);
  return r;
}

std::vector<coding_ref> codings(const json& cc) {
  std::vector<coding_ref> out;
  if (!cc.is_object() || !cc.contains("coding") || !cc["coding"].is_array()) return out;
  for (const auto& c : cc["coding"])
    if (c.is_object() && c.contains("system") && c["system"].is_string() && c.contains("code") && c["code"].is_string())
      out.push_back({c["system"].get<std::string>(), c["code"].get<std::string>()});
  return out;
}

std::vector<coding_ref> reason_codings(const json& order) {
  std::vector<coding_ref> out;
  if (!order.contains("reasonCode") || !order["reasonCode"].is_array()) return out;
  for (const auto& r : order["reasonCode"]) {
    auto c = codings(r);
    out.insert(out.end(), c.begin(), c.end());
  }
  return out;
}

struct draft {
  const json* order;
  order_match match;
  std::size_t entry;  // its index in context.draftOrders.entry
};

// The draft ServiceRequests this service rates, or a 400 naming what is wrong.
std::optional<hook_reply> drafts(const catalog& c, const json& context, bool select, std::vector<draft>& out) {
  if (!context.contains("draftOrders") || !context["draftOrders"].is_object())
    return bad_request("context.draftOrders: expected a FHIR Bundle of draft orders");
  const json& bundle = context["draftOrders"];
  if (bundle.value("resourceType", "") != "Bundle") return bad_request("context.draftOrders: expected a FHIR Bundle (\"resourceType\": \"Bundle\")");
  std::vector<std::string> selections;
  if (select) {
    if (!context.contains("selections") || !context["selections"].is_array())
      return bad_request("context.selections: expected an array of references (order-select)");
    for (const auto& s : context["selections"]) {
      if (!s.is_string()) return bad_request("context.selections: expected strings such as \"ServiceRequest/123\"");
      selections.push_back(s.get<std::string>());
    }
  }
  if (!bundle.contains("entry")) return std::nullopt;
  if (!bundle["entry"].is_array()) return bad_request("context.draftOrders.entry: expected an array");
  std::size_t index = 0;
  for (const auto& entry : bundle["entry"]) {
    const std::size_t at = index++;
    if (!entry.is_object() || !entry.contains("resource") || !entry["resource"].is_object()) continue;
    const json& r = entry["resource"];
    if (r.value("resourceType", "") != "ServiceRequest") continue;
    std::string ref = "ServiceRequest/" + (r.contains("id") && r["id"].is_string() ? r["id"].get<std::string>() : std::string());
    if (select && std::find(selections.begin(), selections.end(), ref) == selections.end()) continue;
    order_match m = r.contains("code") ? c.find(codings(r["code"]), reason_codings(r)) : order_match{};
    if (m) out.push_back({&r, m, at});
  }
  return std::nullopt;
}

// The request's prefetch: nlohmann's tree, or simdjson's document when
// parse_request left it there (most of a request is its prefetch), made a
// tree only when one is needed: a fetched key added, or the per-order text
// written.
class prefetch_values {
 public:
  explicit prefetch_values(json tree) : tree_(std::move(tree)) {}
  explicit prefetch_values(simdjson::dom::element document) : document_(document) {}

  bool has(const std::string& key) const {
    simdjson::dom::element unused;
    return document_ ? (*document_)[key].get(unused) == simdjson::SUCCESS : tree_.contains(key);
  }
  void add(const std::string& key, json value) {
    tree()[key] = std::move(value);
    fetched_ = true;
  }
  bool fetched() const { return fetched_; }
  json& tree() {
    if (document_) {
      tree_ = prefetch_tree(*document_);
      document_.reset();
    }
    return tree_;
  }
  // The first key (in byte order, as the tree's) whose value is neither a
  // resource (an object) nor null.
  std::optional<std::string> misfit() const {
    if (!document_) {
      for (const auto& [key, value] : tree_.items())
        if (!value.is_object() && !value.is_null()) return key;
      return std::nullopt;
    }
    std::optional<std::string_view> first;
    for (auto [key, value] : simdjson::dom::object(*document_))
      if (!value.is_object() && !value.is_null() && (!first || key < *first)) first = key;
    return first ? std::optional<std::string>(*first) : std::nullopt;
  }

 private:
  json tree_ = json::object();
  std::optional<simdjson::dom::element> document_;
  bool fetched_ = false;
};

// Fills the prefetch keys the matched guidelines read but the client did not
// send, from its FHIR server when allowed. The Patient is required (no age,
// no subject without it): when it cannot be had, HTTP 412 (CDS Hooks 2.0,
// "Prefetch Template": "the service SHALL respond with an HTTP 412").
std::optional<hook_reply> complete_prefetch(const json& request, const std::vector<draft>& orders, const hook_settings& settings,
                                            prefetch_values& prefetch) {
  std::string server = request.contains("fhirServer") && request["fhirServer"].is_string() ? request["fhirServer"].get<std::string>() : "";
  std::string token;
  if (request.contains("fhirAuthorization") && request["fhirAuthorization"].is_object() &&
      request["fhirAuthorization"].contains("access_token") && request["fhirAuthorization"]["access_token"].is_string())
    token = request["fhirAuthorization"]["access_token"].get<std::string>();
  const json& context = request["context"];
  std::string patient = context.contains("patientId") && context["patientId"].is_string() ? context["patientId"].get<std::string>() : "";
  bool allowed = settings.fetch && !server.empty() && !token.empty() && !patient.empty() &&
                 std::any_of(settings.fhir_server_allow.begin(), settings.fhir_server_allow.end(),
                             [&](const std::string& p) { return server.starts_with(p); });
  for (const auto& key_info : runtime::prefetch_keys()) {
    const runtime::prefetch_key* k = &key_info;
    std::string key(k->key);
    if (prefetch.has(key)) continue;
    bool wanted = std::any_of(orders.begin(), orders.end(), [&](const draft& d) { return catalog::reads(*d.match.guideline, key); });
    if (!wanted) continue;
    std::string why = "not in the prefetch, and the request gives no FHIR server this service may read";
    if (allowed) {
      std::string query(k->query);
      query.replace(query.find("{{context.patientId}}"), 21, patient);
      std::string error;
      if (auto value = settings.fetch(server, token, query, error)) {
        prefetch.add(key, std::move(*value));
        continue;
      }
      why = "not in the prefetch, and reading it from the FHIR server failed: " + error;
    }
    if (key == "patient") {
      hook_reply r;
      r.status = 412;
      r.body = {{"error", "the Patient is required: " + why}};
      r.error = r.body["error"].get<std::string>();
      return r;
    }
  }
  return std::nullopt;
}

// The request as the decoder (and `rubric eval --fhir`) reads it: the
// client's request with only this one order in `context.draftOrders`.
std::string request_for(const json& request, const json& prefetch, const json& order) {
  // The text of {"context": the request's context with this order alone in
  // `draftOrders`, "hook", "hookInstance", "prefetch"}, written straight from
  // the request (keys in nlohmann's order, as dump() would) instead of
  // copying its trees first.
  std::string out = "{\"context\":{";
  const json& context = request["context"];
  for (auto it = context.begin(); it != context.end(); ++it) {
    if (it != context.begin()) out += ',';
    append_json_string_text(out, it.key());
    out += ':';
    if (it.key() != "draftOrders") {
      append_json_text(out, it.value());
      continue;
    }
    out += "{\"entry\":[{\"resource\":";
    append_json_text(out, order);
    out += "}],\"resourceType\":\"Bundle\",\"type\":\"collection\"}";
  }
  out += "},\"hook\":";
  append_json_text(out, request["hook"]);
  out += ",\"hookInstance\":";
  append_json_text(out, request["hookInstance"]);
  out += ",\"prefetch\":";
  append_json_text(out, prefetch);
  out += '}';
  return out;
}

// The parts of the parsed request that stand for request_for()'s text
// (runtime/fhir_request.hpp): the prefetch keys in the order that text has
// them (nlohmann's: by byte), and the order. Only for a document without
// duplicate keys (parse_request) whose prefetch nothing was added to.
class parsed_orders {
 public:
  explicit parsed_orders(simdjson::dom::element request) : request_(request) {
    simdjson::dom::object prefetch;
    if (!request["prefetch"].get_object().get(prefetch))
      for (auto [key, value] : prefetch) prefetch_.emplace_back(key, value);
    std::sort(prefetch_.begin(), prefetch_.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  }

  // The record of the order at `entry` of context.draftOrders.entry.
  runtime::fhir_request_parts parts(std::size_t entry) const {
    simdjson::dom::element order;
    if (request_["context"]["draftOrders"]["entry"].at(entry)["resource"].get(order))
      throw std::logic_error("parsed_orders: the draft order is not where the tree has it");
    return {prefetch_, order};
  }

 private:
  simdjson::dom::element request_;
  std::vector<std::pair<std::string_view, simdjson::dom::element>> prefetch_;
};

}  // namespace

std::string hook_log_members(std::string_view service, const hook_reply& r, double latency_ms) {
  std::string out;
  out.reserve(256 + 160 * r.orders.size());
  if (!r.error.empty()) {
    out += ",\"errorAt\":";
    append_json_string_text(out, error_place(r.error));
  }
  out += ",\"hookInstance\":";
  append_json_string_text(out, r.hook_instance);
  out += ",\"latencyMs\":";
  append_json_text(out, json(latency_ms));
  out += ",\"orders\":[";
  for (const auto& o : r.orders) {
    if (&o != &r.orders.front()) out += ',';
    out += "{\"consultId\":";
    append_json_string_text(out, o.consult_id);
    out += ",\"graphHash\":";
    append_json_string_text(out, o.graph_hash);
    out += ",\"guideline\":";
    append_json_string_text(out, o.guideline);
    out += ",\"rating\":";
    if (o.rating.empty()) out += "null";
    else append_json_string_text(out, o.rating);
    out += ",\"status\":";
    append_json_string_text(out, o.status);
    out += '}';
  }
  out += "],\"service\":";
  append_json_string_text(out, service);
  out += ",\"status\":";
  append_json_text(out, json(r.status));
  return out;
}

hook_reply handle_hook(const catalog& c, std::string_view service_id, std::string_view body, const hook_settings& settings) {
  parsed_request parsed = parse_request(body);  // nlohmann's tree, parsed faster
  json& request = parsed.tree;
  if (request.is_discarded()) return bad_request("the body is not valid JSON");
  if (!request.is_object()) return bad_request("expected a CDS Hooks request object");
  std::string hook = request.value("hook", "");
  if (hook != service_id) return bad_request(fmt::format("hook \"{}\" does not match the service \"{}\"", hook, service_id));
  if (!request.contains("hookInstance") || !request["hookInstance"].is_string()) return bad_request("hookInstance: expected a string");
  if (!request.contains("context") || !request["context"].is_object()) return bad_request("context: expected an object");
  prefetch_values prefetch = parsed.prefetch_in_document ? prefetch_values((*parsed.document)["prefetch"].value_unsafe())
                                                          : prefetch_values(json::object());
  if (request.contains("prefetch")) {
    if (!request["prefetch"].is_object()) return bad_request("prefetch: expected an object");
    prefetch = prefetch_values(std::move(request["prefetch"]));  // not read from the request again
  }
  if (auto key = prefetch.misfit()) return bad_request(fmt::format("prefetch.{}: expected a FHIR resource, a Bundle or null", *key));
  std::vector<draft> orders;
  if (auto bad = drafts(c, request["context"], service_id == hook_order_select, orders)) return *bad;
  hook_reply reply;
  reply.hook_instance = request["hookInstance"].get<std::string>();
  if (!orders.empty())
    if (auto missing = complete_prefetch(request, orders, settings, prefetch)) {
      missing->hook_instance = reply.hook_instance;
      return *missing;
    }
  // The decoder reads the parsed request itself unless it cannot stand for
  // the per-order text: data fetched, or duplicate keys, or not simdjson's.
  std::optional<parsed_orders> parsed_parts;
  if (settings.read_parsed_request && parsed.document && !prefetch.fetched()) parsed_parts.emplace(*parsed.document);
  // {"cards":[…]} and, when any, "systemActions":[…] (optional arrays are
  // omitted when empty: CDS Hooks 2.0, "Use of JSON").
  std::string actions;
  reply.text = "{\"cards\":[";
  for (const draft& d : orders) {
    std::string error;
    std::string text;
    std::optional<runtime::fhir_request_parts> parts;
    if (parsed_parts) parts = parsed_parts->parts(d.entry);
    else text = request_for(request, prefetch.tree(), *d.order);
    auto a = answer_order(*d.match.guideline, d.match.procedure, *d.order, {text, parts ? &*parts : nullptr}, settings.answer, error);
    if (!a) {
      hook_reply bad = bad_request(error);
      bad.hook_instance = reply.hook_instance;
      return bad;
    }
    // One allocation for a one-order answer (~11 KB), instead of growing it.
    reply.text.reserve(reply.text.size() + a->card.size() + actions.size() + a->system_action.size() + 64);
    if (&d != &orders.front()) reply.text += ',';
    reply.text += a->card;
    if (!a->system_action.empty()) {
      if (!actions.empty()) actions += ',';
      actions += a->system_action;
    }
    reply.orders.push_back({a->consult_id, d.match.guideline->graph.id, d.match.guideline->hash, a->status, a->rating});
  }
  reply.text += ']';
  if (!actions.empty()) {
    reply.text += ",\"systemActions\":[";
    reply.text += actions;
    reply.text += ']';
  }
  reply.text += '}';
  return reply;
}

}  // namespace rubric::service
