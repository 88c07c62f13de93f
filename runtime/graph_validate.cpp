// validate_graph(): every invariant the evaluator and the explainer rely on,
// checked once at load time so that evaluation needs no bounds checks.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string_view>
#include <vector>

#include "runtime/arith.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/units.hpp"

namespace rubric::runtime {

namespace {

bool numeric(value_type t) { return t == value_type::number || t == value_type::duration || t == value_type::boolean; }

// A fact's unit, integer flag and range: only on number facts (a duration's
// range is in days), the unit from the table, the bounds finite and ordered.
std::string check_quantity(const fact& f) {
  bool number = f.type == value_type::number, duration = f.type == value_type::duration;
  if (!f.unit.empty()) {
    if (!number) return fmt::format("fact `{}`: only number facts have a unit", f.id);
    std::string why;
    if (!units::find_unit(f.unit, &why)) return fmt::format("fact `{}`: unit: {}", f.id, why);
  }
  if (f.integer && !number) return fmt::format("fact `{}`: only number facts can be integers", f.id);
  if ((f.min || f.max) && !number && !duration) return fmt::format("fact `{}`: only numbers and durations have a range", f.id);
  for (const auto& bound : {f.min, f.max})
    if (bound && !std::isfinite(*bound)) return fmt::format("fact `{}`: the range is not finite", f.id);
  if (f.min && f.max && *f.min > *f.max) return fmt::format("fact `{}`: the range is empty ({} > {})", f.id, *f.min, *f.max);
  return {};
}

bool is_leaf(node_kind k) { return is_leaf_kind(k); }

std::string check_node(const graph& g, std::size_t i) {
  const node& n = g.nodes[i];
  if (is_leaf(n.kind) && n.count != 0) return fmt::format("nodes[{}]: a fact test or constant has {} children", i, n.count);
  auto slot_ok = [&](std::int32_t s) { return s >= 0 && static_cast<std::size_t>(s) < g.facts.size(); };
  auto type_of = [&](std::int32_t s) { return g.facts[static_cast<std::size_t>(s)].type; };
  auto leaf = [&](bool type_ok, const char* needs) -> std::string {
    if (!slot_ok(n.slot)) return fmt::format("nodes[{}]: fact slot {} does not exist", i, n.slot);
    if (!type_ok) return fmt::format("nodes[{}]: fact `{}` is not {}", i, g.facts[n.slot].id, needs);
    return {};
  };
  switch (n.kind) {
    case node_kind::constant:
      return static_cast<int>(n.constant) <= 2 ? "" : fmt::format("nodes[{}]: bad constant", i);
    case node_kind::fact_true:
      return leaf(slot_ok(n.slot) && type_of(n.slot) == value_type::boolean, "a bool");
    case node_kind::compare:
      return leaf(slot_ok(n.slot) && numeric(type_of(n.slot)), "a number or duration");
    case node_kind::compare_facts:
      if (!slot_ok(n.slot2)) return fmt::format("nodes[{}]: fact slot {} does not exist", i, n.slot2);
      return leaf(slot_ok(n.slot) && numeric(type_of(n.slot)) && numeric(type_of(n.slot2)), "comparable");
    case node_kind::text_equals:
      if (n.mask >= g.strings.size()) return fmt::format("nodes[{}]: string {} does not exist", i, n.mask);
      if (n.op != compare_op::eq && n.op != compare_op::ne) return fmt::format("nodes[{}]: text compares with = or != only", i);
      return leaf(slot_ok(n.slot) && type_of(n.slot) == value_type::text, "text");
    case node_kind::enum_in:
      return leaf(slot_ok(n.slot) && type_of(n.slot) == value_type::enumeration, "an enum");
    case node_kind::set_any:
    case node_kind::set_all:
    case node_kind::set_empty:
      return leaf(slot_ok(n.slot) && type_of(n.slot) == value_type::set, "a set");
    case node_kind::is_known:
      return leaf(true, "");
    case node_kind::not_:
    case node_kind::criterion:
      if (n.count != 1) return fmt::format("nodes[{}]: expected exactly one child", i);
      break;
    case node_kind::and_:
    case node_kind::or_:
      break;
    case node_kind::num_fact:
      return leaf(slot_ok(n.slot) && (type_of(n.slot) == value_type::number || type_of(n.slot) == value_type::duration),
                  "a number or duration");
    case node_kind::num_const:
      if (n.count != 0) return fmt::format("nodes[{}]: a constant has no children", i);
      break;
    case node_kind::num_scale:
    case node_kind::num_points:
    case node_kind::compare_num:
    case node_kind::score:
      if (n.count != 1) return fmt::format("nodes[{}]: expected exactly one child", i);
      break;
    case node_kind::num_if:
      if (n.count != 3) return fmt::format("nodes[{}]: expected a condition and two values", i);
      break;
    case node_kind::num_min:
    case node_kind::num_max:
    case node_kind::at_least:
      if (n.count == 0) return fmt::format("nodes[{}]: expected at least one child", i);
      break;
    case node_kind::num_sum:
      break;
  }
  if (is_v2_kind(n.kind) && !std::isfinite(n.number)) return fmt::format("nodes[{}]: the number is not finite", i);
  if (n.kind == node_kind::num_scale && (!std::isfinite(scale_divisor(n)) || scale_divisor(n) <= 0))
    return fmt::format("nodes[{}]: the divisor is not a positive number", i);
  if (std::uint64_t(n.first) + n.count > g.children.size())
    return fmt::format("nodes[{}]: children {}..{} are out of range", i, n.first, std::uint64_t(n.first) + n.count);
  for (std::uint32_t k = 0; k < n.count; ++k)
    if (g.children[n.first + k] >= i)
      return fmt::format("nodes[{}]: child {} does not precede its parent (nodes must be topologically ordered)", i,
                         g.children[n.first + k]);
  // Numbers flow into arithmetic and comparisons, truth values everywhere else.
  for (std::uint32_t k = 0; k < n.count; ++k) {
    bool wants_number = n.kind == node_kind::num_sum || n.kind == node_kind::num_scale || n.kind == node_kind::num_min ||
                        n.kind == node_kind::num_max || n.kind == node_kind::compare_num || n.kind == node_kind::score ||
                        (n.kind == node_kind::num_if && k > 0);
    if (is_numeric(g.nodes[g.children[n.first + k]].kind) != wants_number)
      return fmt::format("nodes[{}]: child {} is {}, expected {}", i, g.children[n.first + k],
                         wants_number ? "a condition" : "a number", wants_number ? "a number" : "a condition");
  }
  if (n.kind == node_kind::score) {
    if (n.criterion < 0 || static_cast<std::size_t>(n.criterion) >= g.scores.size())
      return fmt::format("nodes[{}]: score {} does not exist", i, n.criterion);
    if (g.scores[n.criterion].node != i)
      return fmt::format("nodes[{}]: score `{}` points at node {}", i, g.scores[n.criterion].id, g.scores[n.criterion].node);
  }
  if (n.kind == node_kind::criterion) {
    if (n.criterion < 0 || static_cast<std::size_t>(n.criterion) >= g.criteria.size())
      return fmt::format("nodes[{}]: criterion {} does not exist", i, n.criterion);
    if (g.criteria[n.criterion].node != i)
      return fmt::format("nodes[{}]: criterion `{}` points at node {}", i, g.criteria[n.criterion].id, g.criteria[n.criterion].node);
  }
  return {};
}

// The compiler gives every fact, criterion, variant, procedure, scale, enum
// and member a unique id; a graph with two of one is corrupt, not a guideline.
template <class Items, class Id>
std::string check_unique(const Items& items, const char* what, Id id_of) {
  std::vector<std::string_view> ids;
  ids.reserve(items.size());
  for (const auto& item : items) ids.push_back(id_of(item));
  std::sort(ids.begin(), ids.end());
  for (std::size_t i = 1; i < ids.size(); ++i)
    if (ids[i] == ids[i - 1]) return fmt::format("two {} have the id `{}`", what, ids[i]);
  return {};
}

std::string check_ids(const graph& g) {
  auto id = [](const auto& x) -> std::string_view { return x.id; };
  for (auto e : {check_unique(g.facts, "facts", id), check_unique(g.criteria, "criteria", id),
                 check_unique(g.variants, "variants", id), check_unique(g.procedures, "procedures", id),
                 check_unique(g.scales, "scales", id), check_unique(g.enumerations, "enums", id)})
    if (!e.empty()) return e;
  for (const scale& s : g.scales)
    if (std::string e = check_unique(s.levels, "levels", id); !e.empty()) return fmt::format("scale `{}`: {}", s.id, e);
  for (const enumeration& en : g.enumerations)
    if (std::string e = check_unique(en.members, "members", id); !e.empty()) return fmt::format("enum `{}`: {}", en.id, e);
  return {};
}

// Every source location names one of the graph's files.
std::string check_locations(const graph& g) {
  auto bad = [&](const location& l) { return l.file >= g.files.size(); };
  auto message = [&](const std::string& where, const location& l) {
    return fmt::format("{}: source file {} does not exist (the graph lists {})", where, l.file, g.files.size());
  };
  for (const fact& f : g.facts)
    if (bad(f.where)) return message(fmt::format("fact `{}`", f.id), f.where);
  for (std::size_t i = 0; i < g.info.size(); ++i)
    if (bad(g.info[i].where)) return message(fmt::format("nodes[{}]", i), g.info[i].where);
  for (const criterion& c : g.criteria)
    if (bad(c.where)) return message(fmt::format("criterion `{}`", c.id), c.where);
  for (const score& sc : g.scores) {
    if (bad(sc.where)) return message(fmt::format("score `{}`", sc.id), sc.where);
    for (const score_line& l : sc.lines)
      if (bad(l.where)) return message(fmt::format("score `{}`", sc.id), l.where);
  }
  for (const variant& v : g.variants) {
    std::string where = fmt::format("variant {}", v.id);
    if (bad(v.where)) return message(where, v.where);
    for (const rating& r : v.ratings)
      if (bad(r.where)) return message(where, r.where);
    for (const advisory& a : v.advice)
      if (bad(a.where)) return message(where, a.where);
    for (const transition& t : v.next)
      if (bad(t.where)) return message(where, t.where);
  }
  if (g.otherwise.present) {
    if (bad(g.otherwise.where)) return message("otherwise", g.otherwise.where);
    for (const advisory& a : g.otherwise.advice)
      if (bad(a.where)) return message("otherwise", a.where);
  }
  for (const assumption& a : g.assumptions)
    if (bad(a.where)) return message(fmt::format("assumption `{}`", a.label), a.where);
  return {};
}

std::string check_depth(const graph& g) {
  std::vector<std::uint32_t> depth = node_depths(g);
  for (std::size_t i = 0; i < depth.size(); ++i)
    if (depth[i] > max_condition_depth)
      return fmt::format("nodes[{}]: conditions nest {} nodes deep, more than the limit of {} (docs/limits.md)", i,
                         depth[i], max_condition_depth);
  return {};
}

std::string check_advice(const graph& g, const std::vector<advisory>& advice, const std::string& where) {
  for (const advisory& a : advice)
    if (a.when < -1 || (a.when >= 0 && static_cast<std::size_t>(a.when) >= g.nodes.size()))
      return fmt::format("{}: advice condition node {} does not exist", where, a.when);
  return {};
}

}  // namespace

std::vector<std::uint32_t> node_depths(const graph& g) {
  std::vector<std::uint32_t> depth(g.nodes.size(), 1);
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const node& n = g.nodes[i];
    if (is_leaf(n.kind)) continue;
    for (std::uint32_t k = 0; k < n.count; ++k) depth[i] = std::max(depth[i], depth[g.children[n.first + k]] + 1);
  }
  return depth;
}

// Whether a binding's source can give a value of the fact's type (the
// compiler's R0453 check, repeated for graphs from elsewhere).
static bool fhir_source_fits(const fhir_binding& b, const fact& f) {
  bool yes_no = b.member >= 0 || f.type == value_type::boolean;
  switch (b.source) {
    case fhir_source::any: return yes_no;
    case fhir_source::answer: return yes_no || f.type == value_type::number;
    case fhir_source::observation_value: return b.member < 0 && (f.type == value_type::number || f.type == value_type::duration);
    case fhir_source::count: return b.member < 0 && f.type == value_type::number;
    case fhir_source::age_at_order:
    case fhir_source::time_since_onset:
    case fhir_source::total_time: return b.member < 0 && f.type == value_type::duration;
  }
  return false;
}

// The FHIR bindings: every slot, member and code list exists, each source
// fits its fact's type, and an `or` alternative follows a binding of the
// same fact and member, so the Bundle decoder never reads out of bounds.
static std::string validate_fhir(const graph& g) {
  for (std::size_t i = 0; i < g.fhir.bindings.size(); ++i) {
    const fhir_binding& b = g.fhir.bindings[i];
    if (b.slot >= g.facts.size()) return fmt::format("fhir.bindings[{}]: fact slot {} does not exist", i, b.slot);
    const fact& f = g.facts[b.slot];
    bool needs_codes = b.source != fhir_source::age_at_order && b.source != fhir_source::answer;
    if (needs_codes && (b.codes < 0 || static_cast<std::size_t>(b.codes) >= g.fhir.code_lists.size()))
      return fmt::format("fhir.bindings[{}]: code list {} does not exist", i, b.codes);
    if (b.member >= 0 && (f.type != value_type::set || f.enumeration < 0 ||
                          static_cast<std::size_t>(b.member) >= g.enumerations[static_cast<std::size_t>(f.enumeration)].members.size()))
      return fmt::format("fhir.bindings[{}]: member {} is not a member of set fact `{}`", i, b.member, f.id);
    if (!fhir_source_fits(b, f)) return fmt::format("fhir.bindings[{}]: source does not fit the type of fact `{}`", i, f.id);
    if (b.source == fhir_source::answer && (b.question.empty() || b.questionnaire.empty()))
      return fmt::format("fhir.bindings[{}]: an answer needs a question and a questionnaire", i);
    if (b.or_previous && (i == 0 || g.fhir.bindings[i - 1].slot != b.slot || g.fhir.bindings[i - 1].member != b.member))
      return fmt::format("fhir.bindings[{}]: `or` must follow a binding of the same fact and member", i);
    if (b.within_days && !(*b.within_days >= 0)) return fmt::format("fhir.bindings[{}]: within_days is negative", i);
  }
  for (std::size_t i = 0; i < g.fhir.unbound.size(); ++i) {
    const fhir_unbound& u = g.fhir.unbound[i];
    if (u.slot >= g.facts.size()) return fmt::format("fhir.unbound[{}]: fact slot {} does not exist", i, u.slot);
    const fact& f = g.facts[u.slot];
    if (u.member >= 0 && (f.type != value_type::set || f.enumeration < 0 ||
                          static_cast<std::size_t>(u.member) >= g.enumerations[static_cast<std::size_t>(f.enumeration)].members.size()))
      return fmt::format("fhir.unbound[{}]: member {} is not a member of set fact `{}`", i, u.member, f.id);
  }
  return {};
}

std::string validate_graph(const graph& g) {
  auto scale_ok = [&](std::int32_t s) { return s == -1 || (s >= 0 && static_cast<std::size_t>(s) < g.scales.size()); };
  if (!scale_ok(g.rating_scale)) return fmt::format("rating scale {} does not exist", g.rating_scale);
  if (!scale_ok(g.radiation_scale)) return fmt::format("radiation scale {} does not exist", g.radiation_scale);
  std::size_t rating_levels = g.rating_scale >= 0 ? g.scales[g.rating_scale].levels.size() : 0;
  std::size_t radiation_levels = g.radiation_scale >= 0 ? g.scales[g.radiation_scale].levels.size() : 0;
  for (const enumeration& e : g.enumerations)
    if (e.members.size() > 64) return fmt::format("enum `{}` has more than 64 members", e.id);
  for (const fact& f : g.facts) {
    if (f.type == value_type::enumeration || f.type == value_type::set) {
      if (f.enumeration < 0 || static_cast<std::size_t>(f.enumeration) >= g.enumerations.size())
        return fmt::format("fact `{}`: enum {} does not exist", f.id, f.enumeration);
    }
    if (auto why = check_quantity(f); !why.empty()) return why;
  }
  for (const procedure& p : g.procedures) {
    for (std::int32_t r : {p.adult_rrl, p.pediatric_rrl})
      if (r < -1 || (r >= 0 && static_cast<std::size_t>(r) >= radiation_levels))
        return fmt::format("procedure `{}`: radiation level {} does not exist", p.id, r);
  }
  if (g.info.size() != g.nodes.size()) return "node info does not match the nodes";
  for (std::size_t i = 0; i < g.nodes.size(); ++i)
    if (std::string e = check_node(g, i); !e.empty()) return e;
  if (std::string e = check_depth(g); !e.empty()) return e;
  if (std::string e = check_ids(g); !e.empty()) return e;
  if (std::string e = check_locations(g); !e.empty()) return e;
  for (const criterion& c : g.criteria)
    if (c.node >= g.nodes.size() || g.nodes[c.node].kind != node_kind::criterion)
      return fmt::format("criterion `{}`: node {} is not a criterion node", c.id, c.node);
  for (const score& s : g.scores) {
    if (s.node >= g.nodes.size() || g.nodes[s.node].kind != node_kind::score)
      return fmt::format("score `{}`: node {} is not a score node", s.id, s.node);
    for (const score_line& l : s.lines)
      if (l.node >= g.nodes.size() || l.condition >= g.nodes.size() || is_numeric(g.nodes[l.condition].kind))
        return fmt::format("score `{}`: a line's nodes {} and {} are not a number and a condition", s.id, l.node, l.condition);
  }
  auto condition_ok = [&](std::int64_t n) { return n < 0 || !is_numeric(g.nodes[static_cast<std::size_t>(n)].kind); };
  for (const variant& v : g.variants) {
    std::string where = fmt::format("variant {}", v.id);
    if (v.guard < static_cast<std::int64_t>(g.nodes.size()) && !condition_ok(v.guard))
      return fmt::format("{}: guard node {} is a number, not a condition", where, v.guard);
    if (v.guard < -1 || (v.guard >= 0 && static_cast<std::size_t>(v.guard) >= g.nodes.size()))
      return fmt::format("{}: guard node {} does not exist", where, v.guard);
    for (const rating& r : v.ratings) {
      if (r.procedure >= g.procedures.size()) return fmt::format("{}: procedure {} does not exist", where, r.procedure);
      if (r.level >= rating_levels) return fmt::format("{}: rating level {} does not exist", where, r.level);
    }
    if (std::string e = check_advice(g, v.advice, where); !e.empty()) return e;
    for (const transition& t : v.next) {
      if (t.target >= g.variants.size()) return fmt::format("{}: next target {} does not exist", where, t.target);
      if (t.when >= g.nodes.size()) return fmt::format("{}: next condition node {} does not exist", where, t.when);
    }
    for (auto s : v.requires_facts)
      if (s >= g.facts.size()) return fmt::format("{}: required fact {} does not exist", where, s);
  }
  std::vector<bool> in_order(g.variants.size(), false);
  for (auto o : g.order) {
    if (o >= g.variants.size()) return fmt::format("order names variant {} which does not exist", o);
    if (in_order[o]) return fmt::format("order names variant `{}` twice", g.variants[o].id);
    in_order[o] = true;
  }
  if (g.order.size() != g.variants.size()) return "order must list every variant exactly once";
  if (std::string e = check_advice(g, g.otherwise.advice, "otherwise"); !e.empty()) return e;
  for (const assumption& a : g.assumptions)
    if (a.node >= g.nodes.size()) return fmt::format("assumption `{}`: node {} does not exist", a.label, a.node);
  if (g.pediatric.node >= 0 && static_cast<std::size_t>(g.pediatric.node) >= g.nodes.size())
    return fmt::format("pediatric: node {} does not exist", g.pediatric.node);
  if (std::string e = validate_fhir(g); !e.empty()) return e;
  return {};
}

}  // namespace rubric::runtime
