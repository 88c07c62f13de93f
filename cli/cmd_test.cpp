// `rubric test FILE|DIR…` — compiles each guideline, runs its `example`
// blocks through the runtime and checks every `expect`. One line per example
// (PASS/FAIL, name, file:line); a failure shows the expectation, what
// happened and the runtime's explanation; the last line is `N passed, M
// failed`. `--coverage` adds what the examples exercised and what they miss.
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/source_files.hpp"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/tools/example_runner.hpp"
#include "compiler/pipeline/pipeline.hpp"
#include "runtime/explain.hpp"

namespace rubric::cli {
namespace {

struct test_options {
  std::vector<std::string> paths;
  std::vector<std::string> include_paths;
  std::string color = "auto";
  bool coverage = false;
};

struct tally {
  int passed = 0;
  int failed = 0;
};

std::string indent(const std::string& text, const std::string& pad) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    auto line = text.substr(start, end - start);
    out += line.empty() ? "\n" : pad + line + "\n";
    start = end + 1;
  }
  return out;
}

std::string where(const compiler::source_manager& sources, compiler::span s) {
  return fmt::format("{}:{}", sources.path(s.file), sources.begin_of(s).line);
}

struct painter {
  bool color = false;
  std::string paint(const char* code, const std::string& text) const {
    return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : text;
  }
};

void test_file(const std::string& path, const test_options& opt, const painter& ink, tally& count) {
  compiler::compile_options copt;
  copt.include_paths = opt.include_paths;
  auto result = compiler::compile_file(path, copt);
  bool library = !result.modules.empty() && result.modules.front().head.kind == compiler::ast::module_kind::library;
  if (result.diagnostics.has_errors() || result.modules.empty() || (!result.graph && !library)) {
    std::vector<compiler::diagnostic> errors;
    for (const auto& d : result.diagnostics.items())
      if (d.level == compiler::severity::error) errors.push_back(d);
    fmt::print("{}  {} does not compile\n", ink.paint("31;1", "FAIL"), path);
    fmt::print("{}", indent(compiler::render_text(result.sources, errors, {ink.color}), "      "));
    ++count.failed;
    return;
  }
  const auto& root = result.modules.front();
  if (root.examples.empty() || !result.graph) {  // a library has no graph and no examples
    fmt::print("{}    {} (compiles; no examples)\n", ink.paint("32", "ok"), path);
    return;
  }
  const auto& g = *result.graph;
  auto run = compiler::run_examples(root, g);
  for (const auto& o : run.outcomes) {
    const auto& ex = *o.example;
    if (o.passed) {
      ++count.passed;
      fmt::print("{}  {}  {}\n", ink.paint("32;1", "PASS"), ex.title.value, where(result.sources, ex.where));
      continue;
    }
    ++count.failed;
    fmt::print("{}  {}  {}\n", ink.paint("31;1", "FAIL"), ex.title.value, where(result.sources, ex.where));
    for (const auto& f : o.failures) {
      fmt::print("      at {}\n", where(result.sources, f.where));
      fmt::print("        expected  {}\n", f.expected);
      fmt::print("        got       {}\n", f.actual);
    }
    if (o.evaluation.values.empty()) continue;  // the patient could not be built
    auto x = runtime::explain(g, o.patient, o.evaluation);
    fmt::print("      explanation:\n{}", indent(runtime::render_explanation_text(g, o.patient, x, {ink.color, 100}),
                                               "        "));
  }
  if (opt.coverage && !g.variants.empty())
    fmt::print("\n{}\n", compiler::render_coverage(g, run.coverage, path));
}

}  // namespace

void add_test_command(CLI::App& app, int& exit_code) {
  auto opt = std::make_shared<test_options>();
  auto* cmd = app.add_subcommand("test", "Run the `example` blocks of guidelines and check their expectations");
  cmd->add_option("paths", opt->paths, "Guideline files or folders (searched for .rubric files)")->required();
  cmd->add_flag("--coverage", opt->coverage,
                "Report which variants, ratings and criteria the examples exercise, and what they miss");
  cmd->add_option("-I,--include", opt->include_paths, "Further folders to search for imported modules");
  cmd->add_option("--color", opt->color, "Colour: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([opt, &exit_code] {
    std::vector<std::string> files;
    if (!collect_rubric_files(opt->paths, files, "rubric test")) {
      exit_code = exit_usage;
      return;
    }
    if (files.empty()) {
      fmt::print(stderr, "rubric test: no .rubric files found\n");
      exit_code = exit_usage;
      return;
    }
    painter ink{compiler::want_color(opt->color, 1)};
    tally count;
    for (const auto& f : files) test_file(f, *opt, ink, count);
    fmt::print("{} passed, {} failed\n", count.passed, count.failed);
    exit_code = count.failed > 0 ? exit_findings : exit_ok;
  });
}

}  // namespace rubric::cli
