// Criterion MC/DC coverage: see example_mcdc.hpp.
#include "compiler/tools/example_mcdc.hpp"

#include "compiler/verify/generate_patients.hpp"

namespace rubric::compiler {

namespace {

using runtime::truth;

// Whether runs `a` and `b` show condition `c` alone deciding the criterion.
bool decides(const std::vector<truth>& a, const std::vector<truth>& b, std::uint32_t c,
             const std::vector<std::uint32_t>& conds, std::uint32_t criterion_node) {
  bool opposite = (a[c] == truth::yes && b[c] == truth::no) || (a[c] == truth::no && b[c] == truth::yes);
  if (!opposite) return false;
  for (std::uint32_t d : conds)
    if (d != c && (a[d] == truth::unknown || a[d] != b[d])) return false;
  truth x = a[criterion_node], y = b[criterion_node];
  return x != truth::unknown && y != truth::unknown && x != y;
}

}  // namespace

std::vector<mcdc_condition> measure_mcdc(const runtime::graph& g, const std::vector<const std::vector<truth>*>& runs) {
  std::vector<mcdc_condition> out;
  for (std::size_t ci = 0; ci < g.criteria.size(); ++ci) {
    std::vector<std::uint32_t> conds = criterion_conditions(g, ci);
    std::uint32_t node = g.criteria[ci].node;
    for (std::uint32_t c : conds) {
      mcdc_condition m{static_cast<std::uint32_t>(ci), c, false};
      for (std::size_t i = 0; i < runs.size() && !m.covered; ++i)
        for (std::size_t j = i + 1; j < runs.size() && !m.covered; ++j)
          m.covered = decides(*runs[i], *runs[j], c, conds, node);
      out.push_back(m);
    }
  }
  return out;
}

}  // namespace rubric::compiler
