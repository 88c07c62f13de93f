// Plain words for the reviewer's document: the parts of a condition, fact
// types and radiation levels said with the author's labels instead of code
// (conditions themselves: runtime/plain_words.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "compiler/tools/doc_render.hpp"
#include "runtime/patient.hpp"

namespace rubric::compiler {

plain_parts condition_parts(const runtime::graph& g, std::uint32_t node) {
  const auto& n = g.nodes[node];
  if (n.kind == runtime::node_kind::and_ || n.kind == runtime::node_kind::or_) {
    plain_parts p;
    p.nodes.assign(g.children.begin() + n.first, g.children.begin() + n.first + n.count);
    p.any = n.kind == runtime::node_kind::or_;
    return p;
  }
  return {{node}, false};
}

std::string fact_type_words(const runtime::graph& g, const runtime::fact& f) {
  auto member_list = [&]() {
    if (f.enumeration < 0 || static_cast<std::size_t>(f.enumeration) >= g.enumerations.size()) return std::string("?");
    std::string out;
    for (const auto& m : g.enumerations[static_cast<std::size_t>(f.enumeration)].members)
      out += (out.empty() ? "" : ", ") + (m.label.empty() ? m.id : m.label);
    return out;
  };
  switch (f.type) {
    case runtime::value_type::boolean: return "yes / no";
    case runtime::value_type::number: {
      std::string out = f.integer ? "whole number" : "number";
      if (f.min || f.max)
        out += fmt::format(" from {} to {}", f.min ? fmt::format("{}", *f.min) : "−∞", f.max ? fmt::format("{}", *f.max) : "∞");
      if (!f.unit.empty()) out += " in " + f.unit;
      return out;
    }
    case runtime::value_type::duration: return "duration (seconds to years)";
    case runtime::value_type::enumeration: return "one of: " + member_list();
    case runtime::value_type::set: return "any of: " + member_list();
    case runtime::value_type::text: return "text";
  }
  return "?";
}

std::string rrl_words(const runtime::graph& g, std::int32_t level, bool pediatric) {
  // No level in the catalog: the source gives none (not "no radiation", which is level O).
  if (g.radiation_scale < 0) return "—";
  if (level < 0) return "not stated";
  const auto& levels = g.scales[static_cast<std::size_t>(g.radiation_scale)].levels;
  if (static_cast<std::size_t>(level) >= levels.size()) return "not stated";
  const auto& l = levels[static_cast<std::size_t>(level)];
  const std::string& dose = pediatric ? l.pediatric_dose : l.adult_dose;
  return dose.empty() ? l.label : l.label + " " + dose;
}

std::vector<std::size_t> ratings_in_acr_order(const runtime::variant& v) {
  std::vector<std::size_t> idx(v.ratings.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return v.ratings[a].level < v.ratings[b].level; });
  return idx;
}

}  // namespace rubric::compiler
