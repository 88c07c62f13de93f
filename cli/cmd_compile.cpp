// `rubric compile FILE [-o graph.json] [-I DIR]... [--dump-after=PASS]`:
// compiles a guideline to its decision graph (JSON), or checks a library.
// Diagnostics go to stderr; the graph (or the dump) to the file or stdout.
#include <unistd.h>

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <memory>

#include "cli/commands.hpp"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/pipeline/pipeline.hpp"
#include "runtime/graph_io.hpp"

namespace rubric::cli {

namespace {

struct compile_args {
  std::string file;
  std::string output;
  std::vector<std::string> include_paths;
  std::string dump_after;
  std::string color = "auto";
  std::string format = "text";
  bool no_verify = false;
};

int run_compile(const compile_args& args) {
  compiler::compile_options options;
  options.include_paths = args.include_paths;
  options.dump_after = args.dump_after;
  options.verify = !args.no_verify;
  auto result = compiler::compile_file(args.file, options);
  const auto& ds = result.diagnostics.items();
  if (args.format == "json") {
    fmt::print(stderr, "{}\n", compiler::render_json(result.sources, ds));
  } else {
    compiler::render_options ro;
    ro.color = compiler::want_color(args.color, STDERR_FILENO);
    std::string text = compiler::render_text(result.sources, ds, ro);
    if (!text.empty()) fmt::print(stderr, "{}", text);
    if (auto summary = compiler::summary_line(ds); !summary.empty()) fmt::print(stderr, "{}\n", summary);
  }
  bool unreadable = !ds.empty() && ds.front().code == compiler::diag_code::cannot_read_file;
  if (unreadable) return exit_usage;

  if (!args.dump_after.empty()) fmt::print("{}", result.dump);
  if (result.diagnostics.has_errors()) return exit_findings;
  if (!result.graph) {
    // A library module: it type-checked, and there is no graph to write.
    if (!result.modules.empty())
      fmt::print(stderr, "`{}` is a library module: checked, no decision graph to write\n", result.modules[0].head.module.text);
    return exit_ok;
  }
  if (!args.dump_after.empty() && args.output.empty()) return exit_ok;
  std::string json = runtime::write_graph_json(*result.graph, true);
  if (args.output.empty() || args.output == "-") {
    fmt::print("{}", json);
    return exit_ok;
  }
  std::ofstream out(args.output, std::ios::binary);
  if (!out || !(out << json) || !out.flush()) {
    fmt::print(stderr, "error: cannot write `{}`\n", args.output);
    return exit_usage;
  }
  return exit_ok;
}

}  // namespace

void add_compile_command(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<compile_args>();
  auto* cmd = app.add_subcommand("compile", "Compile a guideline to its decision graph (JSON), or check a library module");
  cmd->add_option("file", args->file, "the .rubric file")->required();
  cmd->add_option("-o,--output", args->output, "write the graph JSON here (`-` or omitted: stdout)");
  cmd->add_option("-I,--include", args->include_paths, "search this folder for imported modules (after stdlib/ and the file's root)");
  cmd->add_option("--dump-after", args->dump_after, "print a stable text form of the AST or graph after this pass")
      ->check(CLI::IsMember(compiler::pass_names()));
  cmd->add_flag("--no-verify", args->no_verify, "skip the solver's proofs");
  cmd->add_option("--color", args->color, "colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--format", args->format, "diagnostics as text or json")->check(CLI::IsMember({"text", "json"}));
  cmd->callback([args, &exit_code]() { exit_code = run_compile(*args); });
}

}  // namespace rubric::cli
