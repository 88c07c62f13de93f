// One draft order answered: card, suggestions, PAMA rating (answer.hpp).
#include "service/answer.hpp"

#include <fmt/format.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <stdexcept>

#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/fhir_request.hpp"
#include "service/answer_cache.hpp"
#include "service/card_text.hpp"
#include "service/json_text.hpp"

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

std::string order_reference(const json& order) {
  return "ServiceRequest/" + (order.contains("id") && order["id"].is_string() ? order["id"].get<std::string>() : std::string("(no id)"));
}

bool is_pama_extension(const json& e) {
  return e.is_object() && e.contains("url") && e["url"].is_string() &&
         e["url"].get_ref<const std::string&>().starts_with("http://fhir.org/argonaut/Extension/pama-rating");
}

// A member of an object copied from the client's order, written differently.
struct member_override {
  std::string_view key;
  std::string text;   // the value's JSON text
  bool omit = false;  // leave the member out
};

// `object` as JSON text, keys in nlohmann's order (std::map: byte order), with
// `overrides` (sorted by key) replacing members or adding them where they sort.
void append_object_with(std::string& out, const json& object, const std::vector<member_override>& overrides) {
  out += '{';
  bool first = true;
  auto key_of = [&](std::string_view key) {
    if (!first) out += ',';
    first = false;
    append_json_string_text(out, key);
    out += ':';
  };
  auto o = overrides.begin();
  auto put_override = [&] {
    if (!o->omit) {
      key_of(o->key);
      out += o->text;
    }
    ++o;
  };
  for (auto it = object.begin(); it != object.end(); ++it) {
    const std::string_view key = it.key();
    while (o != overrides.end() && o->key < key) put_override();
    if (o != overrides.end() && o->key == key) {
      put_override();
      continue;
    }
    key_of(key);
    append_json_text(out, it.value());
  }
  while (o != overrides.end()) put_override();
  out += '}';
}

// How the order's own `extension` is copied with every PAMA extension
// removed (a client may resend a rated order), `added` (JSON text of more
// entries, or "") after the kept ones; nothing when it stays as it is. An
// `extension` that is not an array is kept as it is and cannot take more (a
// 500, as before: nlohmann's push_back threw).
std::optional<member_override> extension_without_pama(const json& order, std::string_view added) {
  const auto e = order.find("extension");
  if (e == order.end() || e->is_null()) {  // (a null one takes entries as an empty array would, as nlohmann's push_back did)
    if (added.empty()) return std::nullopt;
    return member_override{"extension", "[" + std::string(added) + "]"};
  }
  if (!e->is_array()) {
    if (!added.empty()) throw std::invalid_argument("the order's extension is not an array: cannot add the PAMA rating");
    return std::nullopt;
  }
  member_override m{"extension", "["};
  for (const auto& entry : *e) {
    if (is_pama_extension(entry)) continue;
    if (m.text.size() > 1) m.text += ',';
    append_json_text(m.text, entry);
  }
  if (m.text.size() == 1 && added.empty()) return member_override{"extension", "", true};  // nothing kept: no member
  if (!added.empty()) {
    if (m.text.size() > 1) m.text += ',';
    m.text += added;
  }
  m.text += ']';
  return m;
}

// Appends `"key":"value"` (with a comma before unless `first`).
void put_string(std::string& out, std::string_view key, std::string_view value, bool first = false) {
  if (!first) out += ',';
  append_json_string_text(out, key);
  out += ':';
  append_json_string_text(out, value);
}

// The PAMA rating's extensions, as JSON text of array entries.
std::string pama_extensions(const runtime::graph& g, std::int32_t level, std::string_view code, const std::string& consult_id,
                            const answer_settings& settings) {
  std::string out = "{\"url\":";
  append_json_string_text(out, pama_rating_url);
  out += ",\"valueCodeableConcept\":{\"coding\":[{";
  put_string(out, "code", code, true);
  put_string(out, "display", pama_display(code));
  put_string(out, "system", pama_system);
  out += '}';
  const runtime::level* l = nullptr;
  if (level >= 0) {
    const auto& scale = g.scales[static_cast<std::size_t>(g.rating_scale)];
    l = &scale.levels[static_cast<std::size_t>(level)];
    // A finer-grained translation Coding, as the guide allows ("MAY include
    // additional translation Codings … such as 'May be appropriate'").
    out += ",{";
    put_string(out, "code", l->id, true);
    put_string(out, "display", l->label);
    put_string(out, "system", "urn:rubric:scale:" + scale.id);
    out += '}';
  }
  out += ']';
  if (l) put_string(out, "text", l->label);
  out += "}},{";
  put_string(out, "url", qcdsm_url, true);
  put_string(out, "valueString", settings.qcdsm_id);
  out += "},{";
  put_string(out, "url", consult_url, true);
  put_string(out, "valueUri", consult_id);
  out += "},{";
  put_string(out, "url", auc_url, true);
  put_string(out, "valueUri", auc_applied(g));
  out += '}';
  return out;
}

// The PAMA `systemActions` entry: an `update` of the order, unchanged but
// for its PAMA extensions.
void append_pama_action(std::string& out, const json& order, const runtime::graph& g, std::int32_t level, std::string_view code,
                        const std::string& consult_id, const answer_settings& settings) {
  const std::vector<member_override> overrides{*extension_without_pama(order, pama_extensions(g, level, code, consult_id, settings))};
  out += '{';
  put_string(out, "description", fmt::format("Record the PAMA appropriateness rating ({}) on the order", code), true);
  out += ",\"resource\":";
  append_object_with(out, order, overrides);
  out += ",\"type\":\"update\"}";
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

// The card's suggestions for this order as JSON text of array entries
// (fresh uuids, the client's order copied), or "" when none.
std::string suggestions_text(const runtime::graph& g, const decision& d, const json& order) {
  std::string out;
  for (const auto& s : d.switches) {
    const auto& proc = g.procedures[s.procedure];
    std::string code = "{\"coding\":[{";
    put_string(code, "code", s.cpt, true);
    put_string(code, "display", proc.name);
    put_string(code, "system", cpt_uri);
    code += "}]";
    put_string(code, "text", proc.name);
    code += '}';
    std::vector<member_override> overrides{{"code", std::move(code)}};
    if (auto e = extension_without_pama(order, "")) overrides.push_back(std::move(*e));  // "extension" sorts after "code"
    if (!out.empty()) out += ',';
    out += "{\"actions\":[{";
    put_string(out, "description", fmt::format("Change the order to {} ({} in this scenario)", proc.name, s.level_label), true);
    out += ",\"resource\":";
    append_object_with(out, order, overrides);
    out += ",\"type\":\"update\"}],\"isRecommended\":";
    out += s.recommended ? "true" : "false";
    put_string(out, "label", fmt::format("Order {} instead ({})", proc.name, s.level_label));
    put_string(out, "uuid", random_uuid());
    out += '}';
  }
  if (d.cancel_because) {
    if (!out.empty()) out += ',';
    out += "{\"actions\":[{";
    put_string(out, "description", "Cancel the imaging order: " + *d.cancel_because, true);
    put_string(out, "resourceId", order_reference(order));
    out += ",\"type\":\"delete\"}],\"isRecommended\":true";
    put_string(out, "label", "Cancel this order in favour of conservative care");
    put_string(out, "uuid", random_uuid());
    out += '}';
  }
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
  append_json_string_text(d->summary_json, card_summary(words));
  append_json_string_text(d->detail_json, card_detail(words));
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
                                         const order_record& record, const answer_settings& settings, std::string& error) {
  const runtime::graph& g = guideline.graph;
  thread_local runtime::patient p;
  thread_local runtime::fhir_provenance where;
  thread_local std::string key;
  {
    auto decoder = guideline.cache->decoder();
    const bool read = record.parts ? (*decoder).decode_request(*record.parts, p, where, error) : (*decoder).decode(record.text, p, where, error);
    if (!read) return std::nullopt;
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
  // The card as JSON text, keys in the order nlohmann writes them (sorted):
  // detail, extension, indicator, selectionBehavior, source, suggestions, summary, uuid.
  std::string& card = a.card;
  card.reserve(d->detail_json.size() + 4096);
  card += "{\"detail\":";
  card += d->detail_json;
  // CDS Hooks 2.0 reserves `extension` on every object for implementations
  // ("Extensions"); this one makes each answer reproducible.
  card += ",\"extension\":{\"org.rubric.decision\":{";
  put_string(card, "consultId", a.consult_id, true);
  put_string(card, "graphHash", guideline.hash);
  put_string(card, "guideline", g.id);
  put_string(card, "order", order_reference(order));
  if (!a.rating.empty()) put_string(card, "pamaRating", a.rating);
  put_string(card, "rubricVersion", settings.rubric_version);
  put_string(card, "status", a.status);
  if (!d->variant.empty()) put_string(card, "variant", d->variant);
  card += "}}";
  put_string(card, "indicator", d->level > 0 ? "warning" : "info");
  const std::string suggested = suggestions_text(g, *d, order);
  if (!suggested.empty()) put_string(card, "selectionBehavior", "at-most-one");
  card += ",\"source\":{";
  put_string(card, "label", g.source.empty() ? g.title : g.source, true);
  card += ",\"topic\":{";
  put_string(card, "code", g.id, true);
  put_string(card, "display", g.title);
  put_string(card, "system", "urn:rubric:guideline");
  card += '}';
  if (!g.url.empty()) put_string(card, "url", g.url);
  card += '}';
  if (!suggested.empty()) {
    card += ",\"suggestions\":[";
    card += suggested;
    card += ']';
  }
  card += ",\"summary\":";
  card += d->summary_json;
  put_string(card, "uuid", random_uuid());
  card += '}';
  if (!a.rating.empty()) append_pama_action(a.system_action, order, g, d->level, a.rating, a.consult_id, settings);
  return a;
}

}  // namespace rubric::service
