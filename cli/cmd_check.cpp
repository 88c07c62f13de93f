// `rubric check FILE|DIR… [--format text|json] [--color auto|always|never]`:
// compiles every `.rubric` file (folders recursively, in sorted order), reports
// every diagnostic on stdout and a summary line on stderr. Exit 0 when clean,
// 1 when any file has an error, 2 on usage errors (a path that does not exist).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <set>

#include "cli/commands.hpp"
#include "cli/source_files.hpp"
#include "compiler/pipeline/pipeline.hpp"

namespace rubric::cli {

namespace {

namespace fs = std::filesystem;
using namespace rubric::compiler;

struct check_cli {
  std::vector<std::string> paths;
  std::string format = "text";
  std::string color = "auto";
  std::vector<std::string> include_paths;  // -I: module roots searched after stdlib/ and the file's own root
};

// Checks one file through the whole pipeline (parse, names, types, ratings,
// lowering, the solver's error-level findings) with its imports.
compile_result check_one_file(const std::string& path, const check_cli& cli) {
  compile_options options;
  options.include_paths = cli.include_paths;
  return compile_file(path, options);
}

// Moves one file's sources and diagnostics into the combined set, so JSON
// output is one array for the whole run. A library imported by several
// checked files reports each of its problems once, not once per importer.
void merge(const compile_result& r, source_manager& all, std::vector<diagnostic>& out, std::set<std::string>& seen) {
  std::vector<file_id> map;
  for (file_id i = 0; i < r.sources.file_count(); ++i) map.push_back(all.add(r.sources.path(i), std::string(r.sources.text(i))));
  auto remap = [&](span& s) { s.file = s.file < map.size() ? map[s.file] : map.front(); };
  std::vector<diagnostic> items = r.diagnostics.items();
  std::stable_sort(items.begin(), items.end(), [](const diagnostic& a, const diagnostic& b) {
    return a.primary.file != b.primary.file ? a.primary.file < b.primary.file : a.primary.begin < b.primary.begin;
  });
  for (diagnostic& d : items) {
    std::string file = d.primary.file < r.sources.file_count() ? r.sources.path(d.primary.file) : "";
    std::string key = fmt::format("{}:{}:{}:{}", fs::path(file).lexically_normal().string(),
                                  d.primary.begin, info(d.code).code, d.message);
    if (!seen.insert(std::move(key)).second) continue;
    remap(d.primary);
    for (labelled_span& s : d.secondary) remap(s.where);
    out.push_back(std::move(d));
  }
}

int run_check(const check_cli& cli) {
  std::vector<std::string> files;
  if (!collect_rubric_files(cli.paths, files, "rubric check")) return exit_usage;
  source_manager all;
  std::vector<diagnostic> ds;
  std::set<std::string> seen;
  for (const std::string& f : files) merge(check_one_file(f, cli), all, ds, seen);
  if (cli.format == "json") {
    fmt::print("{}\n", render_json(all, ds));
  } else {
    render_options ro;
    ro.color = want_color(cli.color, STDOUT_FILENO);
    fmt::print("{}", render_text(all, ds, ro));
  }
  std::fflush(stdout);
  std::string summary = summary_line(ds);
  fmt::print(stderr, "{} file{} checked: {}\n", files.size(), files.size() == 1 ? "" : "s",
             summary.empty() ? "clean" : summary);
  bool errors = std::any_of(ds.begin(), ds.end(), [](const diagnostic& d) { return d.level == severity::error; });
  return errors ? exit_findings : exit_ok;
}

}  // namespace

void add_check_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<check_cli>();
  CLI::App* cmd = app.add_subcommand("check", "Check guidelines and libraries: syntax, names, types, ratings and provable errors");
  cmd->add_option("paths", cli->paths, "`.rubric` files or folders (searched recursively)")->required();
  cmd->add_option("-I,--include", cli->include_paths, "Extra module root, searched after stdlib/ and the file's own root");
  cmd->add_option("--format", cli->format, "Output format: text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--color", cli->color, "Colour text output: auto, always or never (NO_COLOR is honoured)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->footer(
      "Exit status: 0 when every file is clean, 1 when any file has an error, 2 on usage errors.\n"
      "Documentation: docs/cli.md");
  cmd->callback([cli, &exit_code] { exit_code = run_check(*cli); });
}

}  // namespace rubric::cli
