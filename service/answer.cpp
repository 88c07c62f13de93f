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
#include "service/answer_cache.hpp"
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
void plan_suggestions(const runtime::graph& g, const runtime::explanation& x, std::int32_t ordered, decision& d) {
  if (x.result != runtime::status::matched || d.level < 0) return;
  std::vector<runtime::rating_line> better;
  for (const auto& r : x.ratings)
    if (r.level >= 0 && r.level < d.level && static_cast<std::int32_t>(r.procedure) != ordered) better.push_back(r);
  std::stable_sort(better.begin(), better.end(), [](const auto& a, const auto& b) { return a.level < b.level; });
  const auto& levels = g.scales[static_cast<std::size_t>(g.rating_scale)].levels;
  for (const auto& r : better) {
    const auto& proc = g.procedures[r.procedure];
    auto cpt = std::find_if(proc.codes.begin(), proc.codes.end(), [](const auto& c) { return c.system == "CPT"; });
    if (cpt == proc.codes.end() || d.switches.size() == 3) continue;  // no code to order it by
    d.switches.push_back({r.procedure, cpt->value, levels[static_cast<std::size_t>(r.level)].label, r.level == better.front().level});
  }
  auto least = static_cast<std::int32_t>(levels.size()) - 1;
  bool none_indicated = std::all_of(x.ratings.begin(), x.ratings.end(), [&](const auto& r) { return r.level == least; });
  if (d.switches.empty() && d.level == least && none_indicated)
    d.cancel_because = x.advice.empty() ? std::string("no imaging study is rated appropriate in this scenario") : x.advice.front();
}

// The card's suggestions for this order (fresh uuids, the client's order copied).
json suggestions(const runtime::graph& g, const decision& d, const json& order) {
  json out = json::array();
  for (const auto& s : d.switches) {
    const auto& proc = g.procedures[s.procedure];
    json changed = without_pama(order);
    changed["code"] = {{"coding", json::array({{{"system", cpt_uri}, {"code", s.cpt}, {"display", proc.name}}})}, {"text", proc.name}};
    out.push_back({{"label", fmt::format("Order {} instead ({})", proc.name, s.level_label)},
                   {"uuid", random_uuid()},
                   {"isRecommended", s.recommended},
                   {"actions", json::array({{{"type", "update"},
                                             {"description", fmt::format("Change the order to {} ({} in this scenario)", proc.name, s.level_label)},
                                             {"resource", changed}}})}});
  }
  if (d.cancel_because)
    out.push_back({{"label", "Cancel this order in favour of conservative care"},
                   {"uuid", random_uuid()},
                   {"isRecommended", true},
                   {"actions", json::array({{{"type", "delete"}, {"description", "Cancel the imaging order: " + *d.cancel_because}, {"resourceId", order_reference(order)}}})}});
  return out;
}

// Evaluates the decoded record and words the card: the part of an answer
// that the cache keeps (answer_cache.hpp).
std::shared_ptr<const decision> decide(const runtime::graph& g, const runtime::patient& p, const runtime::fhir_provenance& where,
                                       std::int32_t procedure) {
  using namespace runtime;
  evaluation e;
  evaluate(g, p, e);
  explanation x = explain(g, p, e);
  auto d = std::make_shared<decision>();
  d->status = std::string(status_name(e.result));
  if (e.result == status::matched) d->level = rating_level(g, e, static_cast<std::uint32_t>(procedure));
  if (e.result != status::undetermined) d->rating = d->level >= 0 ? pama_code(g, d->level) : "no-criteria-apply";
  if (d->level >= 0) d->category = g.scales[static_cast<std::size_t>(g.rating_scale)].levels[static_cast<std::size_t>(d->level)].label;
  if (e.result == status::matched) d->variant = g.variants[static_cast<std::size_t>(e.selected.front())].id;
  card_words words{g, p, x, where, procedure, d->level};
  d->summary = card_summary(words);
  d->detail = card_detail(words);
  plan_suggestions(g, x, procedure, *d);
  return d;
}

}  // namespace

std::string random_uuid() {
  // Random bytes are drawn 1 KiB at a time per thread: one RAND_bytes call
  // (a lock and a DRBG round in OpenSSL 3) per 64 uuids instead of one each.
  thread_local std::array<unsigned char, 1024> pool{};
  thread_local std::size_t used = pool.size();
  if (used == pool.size()) {
    if (RAND_bytes(pool.data(), static_cast<int>(pool.size())) != 1) std::abort();  // no entropy: never hand out a guessable id
    used = 0;
  }
  std::array<unsigned char, 16> b{};
  std::copy_n(pool.begin() + static_cast<std::ptrdiff_t>(used), b.size(), b.begin());
  std::fill_n(pool.begin() + static_cast<std::ptrdiff_t>(used), b.size(), 0);  // each byte is handed out once
  used += b.size();
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  std::string s(36, '-');
  static constexpr char hex[] = "0123456789abcdef";
  std::size_t at = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) ++at;
    s[at++] = hex[b[i] >> 4];
    s[at++] = hex[b[i] & 15];
  }
  return s;
}

std::string_view pama_code(const runtime::graph& g, std::int32_t level) {
  auto levels = static_cast<std::int32_t>(g.scales[static_cast<std::size_t>(g.rating_scale)].levels.size());
  return level == levels - 1 ? "not-appropriate" : "appropriate";
}

std::optional<order_answer> answer_order(const guideline_entry& guideline, std::int32_t procedure, const json& order,
                                         const std::string& request_json, const answer_settings& settings, std::string& error) {
  const runtime::graph& g = guideline.graph;
  thread_local runtime::patient p;
  thread_local runtime::fhir_provenance where;
  thread_local std::string key;
  {
    auto decoder = guideline.cache->decoder();
    if (!(*decoder).decode(request_json, p, where, error)) return std::nullopt;
  }
  answer_cache::key_of(procedure, p, where, key);
  std::shared_ptr<const decision> d = settings.use_cache ? guideline.cache->find(key) : nullptr;
  if (!d) {
    d = decide(g, p, where, procedure);
    if (settings.use_cache) guideline.cache->remember(key, d);
  }
  order_answer a;
  a.status = d->status;
  a.rating = d->rating;
  a.category = d->category;
  a.consult_id = "urn:uuid:" + random_uuid();
  json card = {{"uuid", random_uuid()},
               {"summary", d->summary},
               {"detail", d->detail},
               {"indicator", d->level > 0 ? "warning" : "info"},
               {"source", {{"label", g.source.empty() ? g.title : g.source}, {"topic", {{"system", "urn:rubric:guideline"}, {"code", g.id}, {"display", g.title}}}}}};
  if (!g.url.empty()) card["source"]["url"] = g.url;
  json s = suggestions(g, *d, order);
  if (!s.empty()) {
    card["suggestions"] = std::move(s);
    card["selectionBehavior"] = "at-most-one";
  }
  // CDS Hooks 2.0 reserves `extension` on every object for implementations
  // ("Extensions"); this one makes each answer reproducible.
  json decided = {{"guideline", g.id}, {"graphHash", guideline.hash}, {"rubricVersion", settings.rubric_version},
                  {"consultId", a.consult_id}, {"status", a.status}, {"order", order_reference(order)}};
  if (!d->variant.empty()) decided["variant"] = d->variant;
  if (!a.rating.empty()) {
    decided["pamaRating"] = a.rating;
    a.system_action = pama_action(order, g, d->level, a.rating, a.consult_id, settings);
  }
  card["extension"] = {{"org.rubric.decision", std::move(decided)}};
  a.card = std::move(card);
  return a;
}

}  // namespace rubric::service
