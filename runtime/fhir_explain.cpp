// Provenance rendering (fhir_explain.hpp).
#include "runtime/fhir_explain.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/json_writer.hpp"

namespace rubric::runtime {

std::string fhir_provenance_text(const graph& g, const patient& p, const fhir_provenance& where) {
  std::string out = "facts from FHIR:\n";
  out += fmt::format("  order: {}{}\n", where.order.empty() ? "none (no ServiceRequest)" : where.order,
                     where.ordered_procedure >= 0 ? " → " + g.procedures[static_cast<std::size_t>(where.ordered_procedure)].name : "");
  for (std::uint32_t s = 0; s < where.facts.size() && s < g.facts.size(); ++s) {
    if (where.facts[s].empty()) continue;
    // An unknown value says "unknown" once: the source's own "unknown: " is dropped after it.
    std::string_view words = where.facts[s];
    if (!p.known(s) && words.starts_with("unknown: ")) words.remove_prefix(9);
    out += fmt::format("  {} = {}: {}\n", g.facts[s].id, format_value(g, p, s), words);
  }
  return out;
}

// The ordered procedure's rating level in the first matched variant, read from
// the graph (so a batch line, which builds no explanation, says the same as
// the single-Bundle JSON); -1 when not matched, no order, or not rated there.
static std::int32_t ordered_level(const graph& g, const evaluation& e, std::int32_t ordered_procedure) {
  if (e.result != status::matched || e.selected.empty() || ordered_procedure < 0) return -1;
  for (const rating& r : g.variants[e.selected.front()].ratings)
    if (static_cast<std::int32_t>(r.procedure) == ordered_procedure) return static_cast<std::int32_t>(r.level);
  return -1;
}

std::string fhir_provenance_json(const graph& g, const patient& p, const fhir_provenance& where, const evaluation& e) {
  json_writer w(false);
  w.begin_object().key("order").value(where.order).key("ordered_procedure");
  if (where.ordered_procedure >= 0) w.value(g.procedures[static_cast<std::size_t>(where.ordered_procedure)].name);
  else w.null();
  w.key("ordered_rating");
  std::int32_t level = ordered_level(g, e, where.ordered_procedure);
  if (level >= 0 && g.rating_scale >= 0)
    w.value(g.scales[static_cast<std::size_t>(g.rating_scale)].levels[static_cast<std::size_t>(level)].label);
  else w.null();
  w.key("facts").begin_array();
  for (std::uint32_t s = 0; s < where.facts.size() && s < g.facts.size(); ++s) {
    if (where.facts[s].empty()) continue;
    w.begin_object().key("fact").value(g.facts[s].id).key("value");
    std::string value = format_value(g, p, s);  // a partial set shows its undecided members
    if (value == "unknown") w.null();
    else w.value(value);
    w.key("source").value(where.facts[s]).end_object();
  }
  w.end_array().end_object();
  return w.take();
}

void append_fhir_key(std::string& json_object, const std::string& fhir_json) {
  std::size_t close = json_object.find_last_of('}');
  if (close == std::string::npos) return;
  bool empty = json_object.find_first_not_of(" \n\t{", json_object.find('{') + 1) == close;
  json_object.insert(close, std::string(empty ? "" : ",") + "\"fhir\":" + fhir_json);
}

void order_first(std::vector<rating_line>& ratings, std::int32_t ordered_procedure) {
  std::stable_partition(ratings.begin(), ratings.end(),
                        [&](const rating_line& r) { return static_cast<std::int32_t>(r.procedure) == ordered_procedure; });
}

}  // namespace rubric::runtime
