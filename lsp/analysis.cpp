// Analysing a document: compile its text without the solver, keep the
// semantic model, index the names (see analysis.hpp).
#include "lsp/analysis.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/lint/lint.hpp"
#include "compiler/sema/resolve.hpp"

namespace rubric::lsp {

namespace sema = compiler::sema;

namespace {

bool silenced(const std::vector<compiler::silence>& silences, const compiler::source_manager& sources,
              const compiler::diagnostic& d) {
  std::uint32_t line = sources.begin_of(d.primary).line;
  std::string_view code = compiler::info(d.code).code;
  for (const auto& s : silences) {
    if (s.file != d.primary.file || s.target_line != line) continue;
    for (const auto& c : s.codes)
      if (c == code) return true;
  }
  return false;
}

// The import of the root through which `file` is reached (its first import
// whose module lives in that file), or the module header.
compiler::span import_site(const analysis& a, compiler::file_id file) {
  const auto& modules = a.result->modules;
  if (modules.empty()) return {a.root, 0, 0};
  for (const auto& imp : modules[0].imports)
    for (const auto& m : modules)
      if (m.file == file && m.head.module.text == imp.module.text) return imp.where;
  if (!modules[0].imports.empty()) return modules[0].imports.front().where;
  return modules[0].head.module.where;
}

void collect_diagnostics(analysis& a) {
  compiler::compile_result& r = *a.result;
  if (!r.modules.empty()) {
    compiler::diagnostic_sink style;
    compiler::style_lints(r.modules, r.graph ? &*r.graph : nullptr, r.sources, style);
    auto silences = compiler::find_silences(r.sources, a.root);
    for (const auto& d : style.items())
      if (!silenced(silences, r.sources, d)) r.diagnostics.report(d);
    r.diagnostics.sort();
  }
  std::vector<compiler::file_id> summarised;
  for (const auto& d : r.diagnostics.items()) {
    if (d.primary.file == a.root) {
      a.diagnostics.push_back(d);
      continue;
    }
    if (d.level != compiler::severity::error) continue;
    if (std::find(summarised.begin(), summarised.end(), d.primary.file) != summarised.end()) continue;
    summarised.push_back(d.primary.file);
    compiler::diagnostic s = compiler::make_diagnostic(
        d.code, import_site(a, d.primary.file),
        "`" + r.sources.path(d.primary.file) + "` has errors: " + d.message);
    s.also(d.primary, d.message);
    for (const auto& n : d.notes) s.note(n);
    s.note("open `" + r.sources.path(d.primary.file) + "` to see all of its diagnostics");
    a.diagnostics.push_back(std::move(s));
  }
}

}  // namespace

std::shared_ptr<const analysis> analyze(const std::string& path, std::string text, const analysis_options& options) {
  auto a = std::make_shared<analysis>();
  a->result = std::make_unique<compiler::compile_result>();
  compiler::compile_options co;
  co.include_paths = options.include_paths;
  co.verify = false;  // the solver runs on save, not on every keystroke
  co.keep_program = true;
  compiler::compile_text_into(*a->result, path, std::move(text), co);
  a->root = 0;  // compile_text_into adds the text first
  if (a->has_program()) a->index = build_index(a->program());
  collect_diagnostics(*a);
  return a;
}

compiler::span target_span(const sema::program& p, const target& t) {
  const auto& m = p.module(t.module);
  switch (t.kind) {
    case target_kind::fact: return p.scopes[t.module].facts[t.index]->id.where;
    case target_kind::let: return m.lets[t.index].id.where;
    case target_kind::criterion: return m.criteria[t.index].id.where;
    case target_kind::enumeration: return m.enums[t.index].id.where;
    case target_kind::scale: return m.scales[t.index].id.where;
    case target_kind::procedure: return m.procedures[t.index].id.where;
    case target_kind::member: return m.enums[t.index].members[static_cast<std::size_t>(t.sub)].id.where;
    case target_kind::level: return m.scales[t.index].levels[static_cast<std::size_t>(t.sub)].id.where;
    case target_kind::variant: return m.variants[t.index].id.where;
    case target_kind::module: return m.head.module.where;
    case target_kind::score: return m.scores[t.index].id.where;
    case target_kind::value: return m.values[t.index].id.where;
    case target_kind::code_list: return m.code_lists[t.index].id.where;
  }
  return {};
}


}  // namespace rubric::lsp
