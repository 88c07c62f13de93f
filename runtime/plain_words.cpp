// Plain words for conditions (see plain_words.hpp).
#include "runtime/plain_words.hpp"

#include <fmt/format.h>

#include "runtime/patient.hpp"

namespace rubric::runtime {

namespace {

std::string fact_name(const graph& g, std::int32_t slot) {
  if (slot < 0 || static_cast<std::size_t>(slot) >= g.facts.size()) return "?";
  const auto& f = g.facts[static_cast<std::size_t>(slot)];
  return f.label.empty() ? f.id : f.label;
}

std::string members(const graph& g, std::int32_t slot, std::uint64_t mask) {
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

std::string_view op_words(compare_op op) {
  switch (op) {
    case compare_op::lt: return "is less than";
    case compare_op::le: return "is at most";
    case compare_op::gt: return "is more than";
    case compare_op::ge: return "is at least";
    case compare_op::eq: return "is";
    case compare_op::ne: return "is not";
  }
  return "is";
}

std::string number_words(const graph& g, std::int32_t slot, double value) {
  if (slot >= 0 && static_cast<std::size_t>(slot) < g.facts.size() &&
      g.facts[static_cast<std::size_t>(slot)].type == value_type::duration) {
    return format_duration(value);
  }
  return fmt::format("{}", value);
}

bool is_group(const graph& g, std::uint32_t node) {
  auto k = g.nodes[node].kind;
  return k == node_kind::and_ || k == node_kind::or_;
}

// A part inside a group (or under `not`): a nested group is bracketed.
std::string part_words(const graph& g, std::uint32_t node) {
  std::string w = plain_words(g, node);
  return is_group(g, node) ? "(" + w + ")" : w;
}

// `not x` said as the reader would for the tests the language spells with `not`.
std::string negation_words(const graph& g, std::uint32_t child) {
  const node& c = g.nodes[child];
  switch (c.kind) {
    case node_kind::set_empty: return fmt::format("{}: at least one", fact_name(g, c.slot));
    case node_kind::is_known: return fmt::format("{} is not recorded", fact_name(g, c.slot));
    case node_kind::enum_in: return fmt::format("{} is not one of: {}", fact_name(g, c.slot), members(g, c.slot, c.mask));
    case node_kind::criterion: return "not “" + plain_words(g, child) + "”";
    default: return "not " + part_words(g, child);
  }
}

}  // namespace

std::string plain_words(const graph& g, std::uint32_t node) {
  if (node >= g.nodes.size()) return "?";
  const auto& n = g.nodes[node];
  switch (n.kind) {
    case node_kind::constant:
      return n.constant == truth::yes ? "always" : n.constant == truth::no ? "never" : "unknown";
    case node_kind::fact_true: return fact_name(g, n.slot);
    case node_kind::compare:
      return fmt::format("{} {} {}", fact_name(g, n.slot), op_words(n.op), number_words(g, n.slot, n.number));
    case node_kind::compare_facts:
      return fmt::format("{} {} {}", fact_name(g, n.slot), op_words(n.op), fact_name(g, n.slot2));
    case node_kind::text_equals:
      return fmt::format("{} {} “{}”", fact_name(g, n.slot), op_words(n.op),
                         n.mask < g.strings.size() ? g.strings[n.mask] : std::string("?"));
    case node_kind::enum_in: return fmt::format("{} is one of: {}", fact_name(g, n.slot), members(g, n.slot, n.mask));
    case node_kind::set_any: return fmt::format("{} include any of: {}", fact_name(g, n.slot), members(g, n.slot, n.mask));
    case node_kind::set_all: return fmt::format("{} include all of: {}", fact_name(g, n.slot), members(g, n.slot, n.mask));
    case node_kind::set_empty: return fmt::format("{}: none", fact_name(g, n.slot));
    case node_kind::is_known: return fmt::format("{} is recorded", fact_name(g, n.slot));
    case node_kind::not_: return n.count == 1 ? negation_words(g, g.children[n.first]) : "not ?";
    case node_kind::and_:
    case node_kind::or_: {
      std::string out;
      for (std::uint32_t i = 0; i < n.count; ++i) {
        if (i) out += n.kind == node_kind::and_ ? "; and " : "; or ";
        out += part_words(g, g.children[n.first + i]);
      }
      return out;
    }
    case node_kind::criterion: {
      if (n.criterion < 0 || static_cast<std::size_t>(n.criterion) >= g.criteria.size()) return "?";
      const auto& c = g.criteria[static_cast<std::size_t>(n.criterion)];
      return c.label.empty() ? c.id : c.label;
    }
    // Version 2: scores, values, their comparisons and counts.
    case node_kind::score: {
      if (n.criterion < 0 || static_cast<std::size_t>(n.criterion) >= g.scores.size()) return "?";
      const auto& sc = g.scores[static_cast<std::size_t>(n.criterion)];
      return sc.label.empty() ? sc.id : sc.label;
    }
    case node_kind::compare_num: {
      std::string what = n.count == 1 ? plain_words(g, g.children[n.first]) : "?";
      return fmt::format("{} {} {}", what, op_words(n.op), fmt::format("{}", n.number));
    }
    case node_kind::at_least: {
      std::string out = fmt::format("at least {} of: ", n.number);
      for (std::uint32_t i = 0; i < n.count; ++i) out += (i ? "; " : "") + part_words(g, g.children[n.first + i]);
      return out;
    }
    case node_kind::num_fact: return fact_name(g, n.slot);
    // Other arithmetic reads best as the author wrote it.
    default: return node < g.info.size() && !g.info[node].text.empty() ? g.info[node].text : "?";
  }
  return "?";
}

std::string condition_words(const graph& g, std::uint32_t node) {
  std::string w = plain_words(g, node);
  // A criterion reads as its label in quotes; other conditions as they are.
  return node < g.nodes.size() && g.nodes[node].kind == node_kind::criterion ? "“" + w + "”" : w;
}

}  // namespace rubric::runtime
