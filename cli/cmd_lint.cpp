// `rubric lint FILE|DIR… [--format text|json|sarif] [--strict]`: compiles each
// `.rubric` file, runs every verification finding and style lint, applies
// `# rubric: allow(...)` silences, and prints the findings. Exit 1 on errors,
// and on warnings too with --strict; 2 on usage errors.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/source_files.hpp"
#include "compiler/lint/lint.hpp"
#include "compiler/diagnostics/sarif.hpp"

namespace rubric::cli {

namespace {

namespace fs = std::filesystem;
using namespace rubric::compiler;

struct lint_cli {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string color = "auto";
  bool strict = false;
  unsigned max_gaps = 8;
};

// Moves one file's sources and diagnostics into the combined set, so every
// format renders all files at once (SARIF wants one run).
void merge(compile_result& r, source_manager& all, std::vector<diagnostic>& out) {
  std::vector<file_id> map;
  for (file_id i = 0; i < r.sources.file_count(); ++i)
    map.push_back(all.add(r.sources.path(i), std::string(r.sources.text(i))));
  auto remap = [&](span& s) {
    s.file = s.file < map.size() ? map[s.file] : static_cast<file_id>(-1);
  };
  for (diagnostic d : r.diagnostics.items()) {
    remap(d.primary);
    for (labelled_span& s : d.secondary) remap(s.where);
    // A related place in no loaded file cannot be shown; drop it rather than the finding.
    std::erase_if(d.secondary, [](const labelled_span& s) { return s.where.file == static_cast<file_id>(-1); });
    out.push_back(std::move(d));
  }
}

int run_lint(const lint_cli& cli) {
  if (cli.format != "text" && cli.format != "json" && cli.format != "sarif") {
    fmt::print(stderr, "error: unknown format `{}` (expected text, json or sarif)\n", cli.format);
    return exit_usage;
  }
  std::vector<std::string> files;
  if (!collect_rubric_files(cli.paths, files, "rubric lint")) return exit_usage;
  source_manager all;
  std::vector<diagnostic> ds;
  lint_options options;
  options.max_gap_regions = cli.max_gaps;
  for (const std::string& f : files) {
    compile_result r = lint_file(f, options);
    merge(r, all, ds);
  }
  // Remapped ids past the combined sources would name no file; keep them harmless.
  for (diagnostic& d : ds)
    if (d.primary.file == static_cast<file_id>(-1)) d.primary.file = static_cast<file_id>(all.file_count());
  if (cli.format == "json") {
    fmt::print("{}\n", render_json(all, ds));
  } else if (cli.format == "sarif") {
    sarif_options so;
    so.tool_version = RUBRIC_VERSION;
    fmt::print("{}", render_sarif(all, ds, so));
  } else {
    render_options ro;
    ro.color = want_color(cli.color, STDOUT_FILENO);
    fmt::print("{}", render_text(all, ds, ro));
  }
  std::size_t errors = 0, warnings = 0;
  for (const diagnostic& d : ds) {
    errors += d.level == severity::error;
    warnings += d.level == severity::warning;
  }
  std::fflush(stdout);  // the summary follows the findings even when both go to one file
  std::size_t infos = ds.size() - errors - warnings;
  std::string summary = summary_line(ds);
  if (infos > 0) summary += fmt::format("{}{} info{}", summary.empty() ? "" : ", ", infos, infos == 1 ? "" : "s");
  fmt::print(stderr, "{} file{} linted{}{}\n", files.size(), files.size() == 1 ? "" : "s",
             summary.empty() ? ": clean" : ": ", summary);
  if (errors > 0 || (cli.strict && warnings > 0)) return exit_findings;
  return exit_ok;
}

}  // namespace

void add_lint_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<lint_cli>();
  CLI::App* cmd = app.add_subcommand("lint", "Verify guidelines with the solver and check their style");
  cmd->add_option("paths", cli->paths, "`.rubric` files or folders (searched recursively)")->required();
  cmd->add_option("--format", cli->format, "Output format: text, json or sarif (SARIF 2.1.0)")
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  cmd->add_option("--color", cli->color, "Colour text output: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("--strict", cli->strict, "Exit 1 on warnings too, not only on errors");
  cmd->add_option("--max-gaps", cli->max_gaps, "Report at most this many uncovered regions per guideline");
  cmd->callback([cli, &exit_code] { exit_code = run_lint(*cli); });
}

}  // namespace rubric::cli
