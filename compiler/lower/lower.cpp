// Lowering a checked program to the decision graph: the entry point, the order
// of the parts and the final compaction. See lower.hpp; the constructs are
// lowered in the files listed in lower_internal.hpp.
#include "compiler/lower/lower.hpp"

#include <type_traits>

#include "compiler/lower/lower_internal.hpp"
#include "runtime/units.hpp"

namespace rubric::compiler {

// The compiler keeps no conversion factors of its own: every unit of the
// language maps to its UCUM code, and the runtime's unit table (the one the
// patient decoder reads) converts it.
double literal_value(const ast::number& n) {
  std::string_view code;
  switch (n.unit_of) {
    case ast::unit::none: return n.value;
    case ast::unit::day: code = "d"; break;
    case ast::unit::week: code = "wk"; break;
    case ast::unit::month: code = "mo"; break;
    case ast::unit::year: code = "a"; break;
    case ast::unit::second: code = "s"; break;
    case ast::unit::minute: code = "min"; break;
    case ast::unit::hour: code = "h"; break;
  }
  namespace units = runtime::units;
  const auto unit = units::find_unit(code);
  auto digits = units::split_quantity(n.spelling);
  auto exact = digits ? units::convert(digits->number, *unit, units::day()) : units::conversion{};
  // The parser accepts only decimal digits, so the exact path always applies;
  // the double path is for literals built by tools without a spelling.
  return exact ? exact.value : units::convert(n.value, *unit, units::day()).value;
}

namespace lowering {

rt::graph lowerer::run() {
  header();
  g_.files = graph_file_paths(p_);
  catalog();
  const auto& scope = p_.scopes[0];
  for (std::uint32_t i = 0; i < scope.facts.size(); ++i) slot_of({sema::symbol_kind::fact, 0, i});
  // In dependency order, so lowering a criterion never recurses through a
  // long chain of others; then declaration order fills any left (none).
  for (const auto& c : p_.criterion_order)
    if (c.module == 0) criterion_node(c);
  for (std::uint32_t i = 0; i < root_.criteria.size(); ++i) criterion_node({sema::symbol_kind::criterion, 0, i});
  for (std::uint32_t i = 0; i < root_.scores.size(); ++i) score_node({sema::symbol_kind::score, 0, i});
  for (std::uint32_t i = 0; i < root_.values.size(); ++i) score_node({sema::symbol_kind::value, 0, i});
  variants();
  otherwise();
  assumptions();
  pediatric();
  compact();
  return std::move(g_);
}

// Folding can leave nodes that nothing uses (the `not` under `not not x`,
// the constants of `x and true`). Drop them, keeping the order, and renumber.
void lowerer::compact() {
  std::vector<char> used(g_.nodes.size(), 0);
  auto mark = [&](std::int64_t n) {
    if (n >= 0) used[static_cast<std::size_t>(n)] = 1;
  };
  for (const auto& c : g_.criteria) mark(c.node);
  for (const auto& s : g_.scores) {
    mark(s.node);
    for (const auto& l : s.lines) {
      mark(l.node);
      mark(l.condition);
    }
  }
  for (const auto& v : g_.variants) {
    mark(v.guard);
    for (const auto& a : v.advice) mark(a.when);
    for (const auto& t : v.next) mark(t.when);
  }
  for (const auto& a : g_.otherwise.advice) mark(a.when);
  for (const auto& a : g_.assumptions) mark(a.node);
  mark(g_.pediatric.node);
  // Parents follow children, so one backward sweep marks every descendant.
  for (std::size_t i = g_.nodes.size(); i-- > 0;) {
    if (!used[i]) continue;
    for (std::uint32_t k = 0; k < g_.nodes[i].count; ++k) used[g_.children[g_.nodes[i].first + k]] = 1;
  }
  std::vector<std::uint32_t> renumber(g_.nodes.size(), 0);
  std::vector<rt::node> nodes;
  std::vector<rt::node_info> info;
  std::vector<std::uint32_t> children;
  for (std::size_t i = 0; i < g_.nodes.size(); ++i) {
    if (!used[i]) continue;
    renumber[i] = static_cast<std::uint32_t>(nodes.size());
    rt::node n = g_.nodes[i];
    std::uint32_t first = static_cast<std::uint32_t>(children.size());
    for (std::uint32_t k = 0; k < n.count; ++k) children.push_back(renumber[g_.children[n.first + k]]);
    n.first = first;
    nodes.push_back(n);
    info.push_back(std::move(g_.info[i]));
  }
  g_.nodes = std::move(nodes);
  g_.info = std::move(info);
  g_.children = std::move(children);
  auto fix = [&](auto& n) {
    if (n >= 0) n = static_cast<std::remove_reference_t<decltype(n)>>(renumber[static_cast<std::size_t>(n)]);
  };
  for (auto& c : g_.criteria) fix(c.node);
  for (auto& s : g_.scores) {
    fix(s.node);
    for (auto& l : s.lines) {
      fix(l.node);
      fix(l.condition);
    }
  }
  for (auto& v : g_.variants) {
    fix(v.guard);
    for (auto& a : v.advice) fix(a.when);
    for (auto& t : v.next) fix(t.when);
  }
  for (auto& a : g_.otherwise.advice) fix(a.when);
  for (auto& a : g_.assumptions) fix(a.node);
  fix(g_.pediatric.node);
}

}  // namespace lowering

runtime::graph lower(const sema::program& p) { return lowering::lowerer(p).run(); }

}  // namespace rubric::compiler
