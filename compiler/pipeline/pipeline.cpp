// The compiler pipeline: a table of passes, each in its own translation unit.
// parse (with imports) → resolve → typecheck → check (ratings, variants,
// examples) → lower → verify. The semantic passes all run even after errors,
// so one run reports every error; lowering runs only on an error-free program.
#include "compiler/pipeline/pipeline.hpp"

#include <fmt/format.h>

#include <string_view>

#include "compiler/pipeline/dump.hpp"
#include "compiler/lower/condition_depth.hpp"
#include "compiler/lower/lower.hpp"
#include "compiler/sema/modules.hpp"
#include "compiler/sema/ratings.hpp"
#include "compiler/sema/resolve.hpp"
#include "compiler/sema/sema.hpp"
#include "compiler/sema/typecheck.hpp"
#include "compiler/verify/verify.hpp"

namespace rubric::compiler {

namespace {

struct pass_state {
  compile_result& result;
  const compile_options& options;
  file_id root = 0;
  sema::program& program;
  bool stop = false;  // the root did not parse: nothing later can run
};

struct pass {
  std::string_view name;
  void (*run)(pass_state&);
  std::string (*dump)(const pass_state&);
};

bool is_guideline(const pass_state& s) {
  return !s.result.modules.empty() && s.result.modules[0].head.kind == ast::module_kind::guideline;
}

std::string dump_root(const pass_state& s, bool annotated) {
  if (s.result.modules.empty()) return "";
  return dump_ast(s.result.modules[0], annotated ? &s.program : nullptr);
}

std::string dump_result_graph(const pass_state& s) {
  if (s.result.graph) return dump_graph(*s.result.graph);
  if (!is_guideline(s) && !s.result.modules.empty())
    return "library " + s.result.modules[0].head.module.text + ": no decision graph\n";
  return "no decision graph: errors were reported\n";
}

const pass passes[] = {
    {"parse",
     [](pass_state& s) {
       if (!load_modules(s.result.sources, s.root, s.options.include_paths, s.result.modules, s.result.diagnostics)) {
         s.stop = true;
         return;
       }
       s.program.sources = &s.result.sources;
       s.program.modules = &s.result.modules;
     },
     [](const pass_state& s) { return dump_root(s, false); }},
    {"resolve", [](pass_state& s) { resolve(s.program, s.result.diagnostics); },
     [](const pass_state& s) { return dump_root(s, true); }},
    {"typecheck", [](pass_state& s) { typecheck(s.program, s.result.diagnostics); },
     [](const pass_state& s) { return dump_root(s, true); }},
    {"check", [](pass_state& s) { check_outcomes(s.program, s.result.diagnostics); },
     [](const pass_state& s) { return dump_root(s, true); }},
    {"lower",
     [](pass_state& s) {
       if (s.result.diagnostics.has_errors() || !is_guideline(s)) return;
       s.result.graph = lower(s.program);
       if (!check_condition_depth(*s.result.graph, s.result.sources, s.result.diagnostics)) s.result.graph.reset();
     },
     dump_result_graph},
    {"verify",
     [](pass_state& s) {
       if (!s.options.verify || !s.result.graph) return;
       verify_options vo;
       vo.errors_only = true;
       vo.modules = &s.result.modules;
       verify_graph(*s.result.graph, s.result.sources, s.result.diagnostics, vo);
       // Facts the solver could not decide stay listed as needs, and R0510 says so.
       std::size_t unanswered = 0;
       auto req = variant_requirements(*s.result.graph, vo.timeout_ms, vo.budget_ms, &unanswered);
       for (std::size_t v = 0; v < req.size(); ++v) s.result.graph->variants[v].requires_facts = std::move(req[v]);
       if (unanswered > 0)
         report_incomplete(*s.result.graph, s.result.sources, s.result.diagnostics, unanswered, vo.timeout_ms, vo.budget_ms);
     },
     dump_result_graph},
};

void run_pipeline(pass_state& s) {
  for (const auto& p : passes) {
    p.run(s);
    if (!s.options.dump_after.empty() && s.options.dump_after == p.name) s.result.dump = p.dump(s);
    if (s.stop) break;
  }
  if (s.result.diagnostics.has_errors()) s.result.graph.reset();
  s.result.diagnostics.sort();
}

}  // namespace

const std::vector<std::string>& pass_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& p : passes) v.emplace_back(p.name);
    return v;
  }();
  return names;
}

compile_result compile_file(const std::string& path, const compile_options& options) {
  compile_result result;
  file_id id = 0;
  std::string error;
  if (!result.sources.load(path, id, error)) {
    // The message needs a file to point at: an empty stand-in named by the path.
    id = result.sources.add(path, "");
    result.diagnostics.report(diag_code::cannot_read_file, span{id, 0, 0}, "cannot read `" + path + "`")
        .suggest("check that the file exists and is readable");
    return result;
  }
  sema::program program;
  pass_state s{result, options, id, program, false};
  run_pipeline(s);
  return result;
}

compile_result compile_text(const std::string& path, std::string text, const compile_options& options) {
  compile_options copy = options;
  copy.keep_program = false;  // the result moves on return: a kept program would dangle
  compile_result result;
  compile_text_into(result, path, std::move(text), copy);
  return result;
}

void compile_text_into(compile_result& result, const std::string& path, std::string text,
                       const compile_options& options) {
  file_id id = result.sources.add(path, std::move(text));
  auto program = std::make_shared<sema::program>();
  pass_state s{result, options, id, *program, false};
  run_pipeline(s);
  if (options.keep_program && program->modules != nullptr) result.program = std::move(program);
}

}  // namespace rubric::compiler
