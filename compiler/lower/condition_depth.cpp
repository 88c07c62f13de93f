// See condition_depth.hpp.
#include "compiler/lower/condition_depth.hpp"

#include <fmt/format.h>

#include "runtime/graph_io.hpp"

namespace rubric::compiler {

namespace rt = rubric::runtime;

namespace {

span span_of(const rt::location& l, const source_manager& sources) {
  auto file = static_cast<file_id>(l.file);
  if (l.file >= sources.file_count()) return {0, 0, 0};
  std::uint32_t begin = sources.offset_of(file, l.line, l.column);
  std::uint32_t end = sources.offset_of(file, l.end_line, l.end_column);
  return {file, begin, std::max(begin, end)};
}

// Below `n`, along its deepest path, the first named criterion (-1 if none).
std::int64_t deepest_criterion_below(const rt::graph& g, const std::vector<std::uint32_t>& depth, std::uint32_t n) {
  while (g.nodes[n].count > 0) {
    const rt::node& nd = g.nodes[n];
    std::uint32_t next = g.children[nd.first];
    for (std::uint32_t k = 1; k < nd.count; ++k)
      if (depth[g.children[nd.first + k]] > depth[next]) next = g.children[nd.first + k];
    n = next;
    if (g.nodes[n].kind == rt::node_kind::criterion) return n;
  }
  return -1;
}

}  // namespace

bool check_condition_depth(const rt::graph& g, const source_manager& sources, diagnostic_sink& sink) {
  std::vector<std::uint32_t> depth = rt::node_depths(g);
  // The shallowest node past the limit is where the chain crosses it.
  std::int64_t worst = -1;
  for (std::size_t i = 0; i < depth.size(); ++i)
    if (depth[i] > rt::max_condition_depth && (worst < 0 || depth[i] < depth[static_cast<std::size_t>(worst)]))
      worst = static_cast<std::int64_t>(i);
  if (worst < 0) return true;
  auto n = static_cast<std::uint32_t>(worst);
  const rt::node& nd = g.nodes[n];
  std::string what = nd.kind == rt::node_kind::criterion
                         ? fmt::format("criterion `{}`", g.criteria[static_cast<std::size_t>(nd.criterion)].id)
                         : std::string("this condition");
  auto& d = sink.report(diag_code::condition_too_deep, span_of(g.info[n].where, sources),
                        fmt::format("{} nests {} levels deep once the criteria it uses are expanded, "
                                    "more than the limit of {}",
                                    what, depth[n], rt::max_condition_depth));
  if (std::int64_t c = deepest_criterion_below(g, depth, n); c >= 0) {
    auto ci = static_cast<std::uint32_t>(c);
    const rt::criterion& cr = g.criteria[static_cast<std::size_t>(g.nodes[ci].criterion)];
    d.also(span_of(g.info[ci].where, sources), fmt::format("`{}` alone nests {} levels deep", cr.id, depth[ci]));
  }
  d.note("each criterion a condition names counts with everything that criterion nests");
  d.suggest("write the inner criteria from patient facts directly instead of naming one another in a long chain");
  return false;
}

}  // namespace rubric::compiler
