// The verification session: solver set-up with a time limit, checks, and the
// helpers that point findings at the author's text.
#include "compiler/verify/verify_session.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace rubric::compiler::verify_detail {

session::session(const runtime::graph& graph, unsigned timeout_ms, unsigned budget_ms)
    : g(graph), ctx(), enc(ctx, graph), solver(ctx), timeout_ms_(timeout_ms),
      deadline_(std::chrono::steady_clock::now() + std::chrono::milliseconds(budget_ms)) {
  z3::params p(ctx);
  p.set("timeout", timeout_ms);
  solver.set(p);
  solver.add(enc.domain());
}

answer session::check(const z3::expr& e) {
  // After one time-out, answer "unknown" at once: a hostile file must not cost
  // the time limit once per question. Past the overall budget, likewise.
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - std::chrono::steady_clock::now()).count();
  if (left <= 0 && !gave_up) budget_spent = gave_up = true;
  if (gave_up) {
    ++unanswered;
    return answer::unknown;
  }
  if (left < static_cast<long long>(timeout_ms_)) {
    z3::params p(ctx);
    p.set("timeout", static_cast<unsigned>(left));
    solver.set(p);
  }
  solver.push();
  solver.add(e);
  z3::check_result r = solver.check();
  answer a = answer::unknown;
  if (r == z3::sat) {
    model_.emplace(solver.get_model());
    a = answer::sat;
  } else if (r == z3::unsat) {
    a = answer::unsat;
  } else {
    gave_up = true;
    ++unanswered;
  }
  solver.pop();
  return a;
}

std::vector<std::size_t> session::order() const { return enc.order(); }

span span_of(const runtime::graph& g, const source_manager& sources, const runtime::location& where, bool& ok) {
  ok = false;
  file_id id = 0;
  if (where.file >= g.files.size() || where.line == 0) return span{static_cast<file_id>(sources.file_count()), 0, 0};
  if (!sources.find(g.files[where.file], id)) {
    // The graph records a module's path under its search root (`stdlib/acr.rubric`);
    // lowering numbers files as the sources do, so the same index is that file.
    const std::string& rel = g.files[where.file];
    const std::string* loaded = where.file < sources.file_count() ? &sources.path(where.file) : nullptr;
    bool same = loaded && loaded->size() >= rel.size() && loaded->compare(loaded->size() - rel.size(), rel.size(), rel) == 0 &&
                (loaded->size() == rel.size() || (*loaded)[loaded->size() - rel.size() - 1] == '/');
    if (!same) return span{static_cast<file_id>(sources.file_count()), 0, 0};
    id = where.file;
  }
  ok = true;
  std::uint32_t begin = sources.offset_of(id, where.line, where.column);
  std::uint32_t end = where.end_line == 0 ? begin : sources.offset_of(id, where.end_line, where.end_column);
  return span{id, begin, std::max(begin, end)};
}

std::string node_words(const runtime::graph& g, std::uint32_t node) {
  if (node >= g.nodes.size()) return "?";
  const runtime::node& n = g.nodes[node];
  if (n.kind == runtime::node_kind::criterion && n.criterion >= 0 &&
      static_cast<std::size_t>(n.criterion) < g.criteria.size()) {
    return g.criteria[static_cast<std::size_t>(n.criterion)].id;
  }
  if (node < g.info.size() && !g.info[node].text.empty()) return g.info[node].text;
  return "?";
}

void attach_patient(diagnostic& d, const runtime::graph& g, const cx_patient& p, const claim& c,
                    const std::string& lead) {
  std::string why;
  if (!replay(g, p, c, why)) {
    d.note("no example patient is shown: the solver's patient did not replay in the runtime (" + why + ")");
    return;
  }
  std::string given = given_syntax(g, p);
  d.note(fmt::format("{}: given {}", lead, given.empty() ? "(no facts known)" : given));
  d.note("as patient JSON: " + patient_json(g, p));
}

}  // namespace rubric::compiler::verify_detail
