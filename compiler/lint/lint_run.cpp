// `rubric lint` on one file: compile, verify with every severity, style
// lints, then silences. One place composes them so the CLI, the tests and the
// benchmark lint exactly the same way.
#include "compiler/lint/lint.hpp"
#include "compiler/verify/verify.hpp"

namespace rubric::compiler {

namespace {

void lint_compiled(compile_result& result, const lint_options& options) {
  if (result.modules.empty()) return;
  if (options.verify && result.graph) {
    verify_options vo;
    vo.errors_only = false;
    vo.modules = &result.modules;
    vo.max_gap_regions = options.max_gap_regions;
    vo.timeout_ms = options.timeout_ms;
    verify_graph(*result.graph, result.sources, result.diagnostics, vo);
  }
  style_lints(result.modules, result.graph ? &*result.graph : nullptr, result.sources, result.diagnostics);
  apply_silences(result.sources, {result.modules.front().file}, result.diagnostics);
  result.diagnostics.sort();
}

compile_options without_check_verify(const lint_options& options) {
  compile_options co;
  co.include_paths = options.include_paths;
  co.verify = false;  // the full verification below includes the error-level findings
  return co;
}

}  // namespace

compile_result lint_file(const std::string& path, const lint_options& options) {
  compile_result result = compile_file(path, without_check_verify(options));
  lint_compiled(result, options);
  return result;
}

compile_result lint_text(const std::string& path, std::string text, const lint_options& options) {
  compile_result result = compile_text(path, std::move(text), without_check_verify(options));
  lint_compiled(result, options);
  return result;
}

}  // namespace rubric::compiler
