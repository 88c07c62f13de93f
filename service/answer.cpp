// One draft order answered: card, suggestions, PAMA rating (answer.hpp).
#include "service/answer.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdlib>

#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/fhir_bundle.hpp"
#include "service/card_text.hpp"

namespace rubric::service {

using nlohmann::json;

namespace {

// The Argonaut "CDS Hooks for PAMA" extensions on the ServiceRequest, in the
// form the guide's reference services and the CDS Hooks sandbox use
// (github.com/argonautproject/cds-hooks-for-pama, guidance.md, "Argonaut FHIR
// extensions for PAMA"; cds-hooks/sandbox pama handler): the rating as a
// CodeableConcept, the qCDSM's G-code as a string, the consult id and the
// AUC applied as URIs.
constexpr std::string_view pama_rating_url = "http://fhir.org/argonaut/Extension/pama-rating";
constexpr std::string_view pama_system = "http://fhir.org/argonaut/CodeSystem/pama-rating";
constexpr std::string_view qcdsm_url = "http://fhir.org/argonaut/Extension/pama-rating-qcdsm-consulted";
constexpr std::string_view consult_url = "http://fhir.org/argonaut/Extension/pama-rating-consult-id";
constexpr std::string_view auc_url = "http://fhir.org/argonaut/Extension/pama-rating-auc-applied";
constexpr std::string_view cpt_uri = "http://www.ama-assn.org/go/cpt";

std::string_view pama_display(std::string_view code) {
  if (code == "appropriate") return "Appropriate";
  if (code == "not-appropriate") return "Not appropriate";
  return "No criteria apply";
}

// The URL of the criteria applied: the guideline's DOI, else its URL, else its id.
std::string auc_applied(const runtime::graph& g) {
  if (!g.doi.empty()) return "https://doi.org/" + g.doi;
  if (!g.url.empty()) return g.url;
  return "urn:rubric:guideline:" + g.id;
}

// The order with every PAMA extension removed (a client may resend a rated order).
json without_pama(const json& order) {
  json out = order;
  if (!out.contains("extension") || !out["extension"].is_array()) return out;
  json kept = json::array();
  for (const auto& e : out["extension"])
    if (!e.is_object() || !e.contains("url") || !e["url"].is_string() ||
        !e["url"].get<std::string>().starts_with("http://fhir.org/argonaut/Extension/pama-rating"))
      kept.push_back(e);
  if (kept.empty()) out.erase("extension");
  else out["extension"] = kept;
  return out;
}

json pama_action(const json& order, const runtime::graph& g, std::int32_t level, std::string_view code,
                 const std::string& consult_id, const answer_settings& settings) {
  json rating = {{"system", pama_system}, {"code", code}, {"display", pama_display(code)}};
  json rated_concept = {{"coding", json::array({rating})}};
  if (level >= 0) {
    const auto& scale = g.scales[static_cast<std::size_t>(g.rating_scale)];
    const auto& l = scale.levels[static_cast<std::size_t>(level)];
    // A finer-grained translation Coding, as the guide allows ("MAY include
    // additional translation Codings … such as 'May be appropriate'").
    rated_concept["coding"].push_back({{"system", "urn:rubric:scale:" + scale.id}, {"code", l.id}, {"display", l.label}});
    rated_concept["text"] = l.label;
  }
  json resource = without_pama(order);
  if (!resource.contains("extension")) resource["extension"] = json::array();
  resource["extension"].push_back({{"url", pama_rating_url}, {"valueCodeableConcept", rated_concept}});
  resource["extension"].push_back({{"url", qcdsm_url}, {"valueString", settings.qcdsm_id}});
  resource["extension"].push_back({{"url", consult_url}, {"valueUri", consult_id}});
  resource["extension"].push_back({{"url", auc_url}, {"valueUri", auc_applied(g)}});
  return {{"type", "update"},
          {"description", fmt::format("Record the PAMA appropriateness rating ({}) on the order", code)},
          {"resource", resource}};
}

std::string order_reference(const json& order) {
  return "ServiceRequest/" + (order.contains("id") && order["id"].is_string() ? order["id"].get<std::string>() : std::string("(no id)"));
}

// Switch to a better-rated procedure of the same variant (an `update` of the
// draft order with the new CPT code), best first, at most three; or, when
// every procedure of the variant is rated least favourable, cancel the order.
json suggestions(const runtime::graph& g, const runtime::explanation& x, std::int32_t ordered, std::int32_t level, const json& order) {
  json out = json::array();
  if (x.result != runtime::status::matched || level < 0) return out;
  std::vector<runtime::rating_line> better;
  for (const auto& r : x.ratings)
    if (r.level >= 0 && r.level < level && static_cast<std::int32_t>(r.procedure) != ordered) better.push_back(r);
  std::stable_sort(better.begin(), better.end(), [](const auto& a, const auto& b) { return a.level < b.level; });
  const auto& levels = g.scales[static_cast<std::size_t>(g.rating_scale)].levels;
  for (const auto& r : better) {
    const auto& proc = g.procedures[r.procedure];
    auto cpt = std::find_if(proc.codes.begin(), proc.codes.end(), [](const auto& c) { return c.system == "CPT"; });
    if (cpt == proc.codes.end() || out.size() == 3) continue;  // no code to order it by
    json changed = without_pama(order);
    changed["code"] = {{"coding", json::array({{{"system", cpt_uri}, {"code", cpt->value}, {"display", proc.name}}})}, {"text", proc.name}};
    const std::string& label = levels[static_cast<std::size_t>(r.level)].label;
    out.push_back({{"label", fmt::format("Order {} instead ({})", proc.name, label)},
                   {"uuid", random_uuid()},
                   {"isRecommended", r.level == better.front().level},
                   {"actions", json::array({{{"type", "update"},
                                             {"description", fmt::format("Change the order to {} ({} in this scenario)", proc.name, label)},
                                             {"resource", changed}}})}});
  }
  auto least = static_cast<std::int32_t>(levels.size()) - 1;
  bool none_indicated = std::all_of(x.ratings.begin(), x.ratings.end(), [&](const auto& r) { return r.level == least; });
  if (out.empty() && level == least && none_indicated) {
    std::string why = x.advice.empty() ? std::string("no imaging study is rated appropriate in this scenario") : x.advice.front();
    out.push_back({{"label", "Cancel this order in favour of conservative care"},
                   {"uuid", random_uuid()},
                   {"isRecommended", true},
                   {"actions", json::array({{{"type", "delete"}, {"description", "Cancel the imaging order: " + why}, {"resourceId", order_reference(order)}}})}});
  }
  return out;
}

}  // namespace

std::string random_uuid() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) std::abort();  // no entropy: never hand out a guessable id
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  std::string s;
  static constexpr char hex[] = "0123456789abcdef";
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += hex[b[i] >> 4];
    s += hex[b[i] & 15];
  }
  return s;
}

std::string_view pama_code(const runtime::graph& g, std::int32_t level) {
  auto levels = static_cast<std::int32_t>(g.scales[static_cast<std::size_t>(g.rating_scale)].levels.size());
  return level == levels - 1 ? "not-appropriate" : "appropriate";
}

std::optional<order_answer> answer_order(const guideline_entry& guideline, std::int32_t procedure, const json& order,
                                         const std::string& request_json, const answer_settings& settings, std::string& error) {
  using namespace runtime;
  const graph& g = guideline.graph;
  patient p;
  fhir_provenance where;
  fhir_decoder decoder(g);
  if (!decoder.decode(request_json, p, where, error)) return std::nullopt;
  evaluation e;
  evaluate(g, p, e);
  explanation x = explain(g, p, e);
  order_answer a;
  a.status = std::string(status_name(e.result));
  a.consult_id = "urn:uuid:" + random_uuid();
  std::int32_t level = -1;
  if (e.result == status::matched) level = rating_level(g, e, static_cast<std::uint32_t>(procedure));
  if (e.result != status::undetermined) a.rating = level >= 0 ? pama_code(g, level) : "no-criteria-apply";
  if (level >= 0) a.category = g.scales[static_cast<std::size_t>(g.rating_scale)].levels[static_cast<std::size_t>(level)].label;
  card_words words{g, p, x, where, procedure, level};
  json card = {{"uuid", random_uuid()},
               {"summary", card_summary(words)},
               {"detail", card_detail(words)},
               {"indicator", level > 0 ? "warning" : "info"},
               {"source", {{"label", g.source.empty() ? g.title : g.source}, {"topic", {{"system", "urn:rubric:guideline"}, {"code", g.id}, {"display", g.title}}}}}};
  if (!g.url.empty()) card["source"]["url"] = g.url;
  json s = suggestions(g, x, procedure, level, order);
  if (!s.empty()) {
    card["suggestions"] = s;
    card["selectionBehavior"] = "at-most-one";
  }
  // CDS Hooks 2.0 reserves `extension` on every object for implementations
  // ("Extensions"); this one makes each answer reproducible.
  card["extension"] = {{"org.rubric.decision",
                        {{"guideline", g.id}, {"graphHash", guideline.hash}, {"rubricVersion", settings.rubric_version},
                         {"consultId", a.consult_id}, {"status", a.status}, {"order", order_reference(order)}}}};
  if (e.result == status::matched) card["extension"]["org.rubric.decision"]["variant"] = g.variants[static_cast<std::size_t>(e.selected.front())].id;
  if (!a.rating.empty()) {
    card["extension"]["org.rubric.decision"]["pamaRating"] = a.rating;
    a.system_action = pama_action(order, g, level, a.rating, a.consult_id, settings);
  }
  a.card = std::move(card);
  return a;
}

}  // namespace rubric::service
