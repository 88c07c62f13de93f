// Plain words for the reviewer's document: conditions, fact types and
// radiation levels said with the author's labels instead of code.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/tools/doc_render.hpp"
#include "runtime/patient.hpp"

namespace rubric::compiler {

namespace {

std::string fact_name(const runtime::graph& g, std::int32_t slot) {
  if (slot < 0 || static_cast<std::size_t>(slot) >= g.facts.size()) return "?";
  const auto& f = g.facts[static_cast<std::size_t>(slot)];
  return f.label.empty() ? f.id : f.label;
}

std::string members(const runtime::graph& g, std::int32_t slot, std::uint64_t mask) {
  if (slot < 0 || static_cast<std::size_t>(slot) >= g.facts.size()) return "?";
  std::int32_t e = g.facts[static_cast<std::size_t>(slot)].enumeration;
  if (e < 0 || static_cast<std::size_t>(e) >= g.enumerations.size()) return "?";
  const auto& ms = g.enumerations[static_cast<std::size_t>(e)].members;
  std::string out;
  for (std::size_t i = 0; i < ms.size() && i < 64; ++i) {
    if (mask & (std::uint64_t(1) << i)) out += (out.empty() ? "" : ", ") + (ms[i].label.empty() ? ms[i].id : ms[i].label);
  }
  return out;
}

std::string_view op_words(runtime::compare_op op) {
  switch (op) {
    case runtime::compare_op::lt: return "is less than";
    case runtime::compare_op::le: return "is at most";
    case runtime::compare_op::gt: return "is more than";
    case runtime::compare_op::ge: return "is at least";
    case runtime::compare_op::eq: return "is";
    case runtime::compare_op::ne: return "is not";
  }
  return "is";
}

std::string number_words(const runtime::graph& g, std::int32_t slot, double value) {
  if (slot >= 0 && static_cast<std::size_t>(slot) < g.facts.size() &&
      g.facts[static_cast<std::size_t>(slot)].type == runtime::value_type::duration) {
    return runtime::format_duration(value);
  }
  return fmt::format("{}", value);
}

}  // namespace

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

std::string plain_words(const runtime::graph& g, std::uint32_t node) {
  if (node >= g.nodes.size()) return "?";
  const auto& n = g.nodes[node];
  switch (n.kind) {
    case runtime::node_kind::constant:
      return n.constant == runtime::truth::yes ? "always" : n.constant == runtime::truth::no ? "never" : "unknown";
    case runtime::node_kind::fact_true: return fact_name(g, n.slot);
    case runtime::node_kind::compare:
      return fmt::format("{} {} {}", fact_name(g, n.slot), op_words(n.op), number_words(g, n.slot, n.number));
    case runtime::node_kind::compare_facts:
      return fmt::format("{} {} {}", fact_name(g, n.slot), op_words(n.op), fact_name(g, n.slot2));
    case runtime::node_kind::text_equals:
      return fmt::format("{} {} “{}”", fact_name(g, n.slot), op_words(n.op),
                         n.mask < g.strings.size() ? g.strings[n.mask] : std::string("?"));
    case runtime::node_kind::enum_in: return fmt::format("{} is one of: {}", fact_name(g, n.slot), members(g, n.slot, n.mask));
    case runtime::node_kind::set_any: return fmt::format("{} include any of: {}", fact_name(g, n.slot), members(g, n.slot, n.mask));
    case runtime::node_kind::set_all: return fmt::format("{} include all of: {}", fact_name(g, n.slot), members(g, n.slot, n.mask));
    case runtime::node_kind::set_empty: return fmt::format("{}: none", fact_name(g, n.slot));
    case runtime::node_kind::is_known: return fmt::format("{} is recorded", fact_name(g, n.slot));
    case runtime::node_kind::not_: return n.count == 1 ? "not: " + plain_words(g, g.children[n.first]) : "not: ?";
    case runtime::node_kind::and_:
    case runtime::node_kind::or_: {
      std::string out;
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (i) out += n.kind == runtime::node_kind::and_ ? "; and " : "; or ";
        out += plain_words(g, g.children[n.first + i]);
      }
      return out;
    }
    case runtime::node_kind::criterion: {
      if (n.criterion < 0 || static_cast<std::size_t>(n.criterion) >= g.criteria.size()) return "?";
      const auto& c = g.criteria[static_cast<std::size_t>(n.criterion)];
      return c.label.empty() ? c.id : c.label;
    }
    case runtime::node_kind::score: {
      if (n.criterion < 0 || static_cast<std::size_t>(n.criterion) >= g.scores.size()) return "?";
      const auto& sc = g.scores[static_cast<std::size_t>(n.criterion)];
      return sc.label.empty() ? sc.id : sc.label;
    }
    case runtime::node_kind::compare_num: {
      std::string what = n.count == 1 ? plain_words(g, g.children[n.first]) : "?";
      return fmt::format("{} {} {}", what, op_words(n.op), fmt::format("{}", n.number));
    }
    case runtime::node_kind::at_least: {
      std::string out = fmt::format("at least {} of: ", n.number);
      for (std::uint32_t i = 0; i < n.count; ++i) out += (i ? "; " : "") + plain_words(g, g.children[n.first + i]);
      return out;
    }
    case runtime::node_kind::num_fact: return fact_name(g, n.slot);
    // Other arithmetic reads best as the author wrote it.
    default: return node < g.info.size() && !g.info[node].text.empty() ? g.info[node].text : "?";
  }
  return "?";
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
  if (level < 0 || g.radiation_scale < 0) return "—";
  const auto& levels = g.scales[static_cast<std::size_t>(g.radiation_scale)].levels;
  if (static_cast<std::size_t>(level) >= levels.size()) return "—";
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
