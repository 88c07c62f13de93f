// `rubric examples --generate GUIDELINE [--strategy boundary|mcdc|regions|all]
// [--into FILE]` — `example` blocks for a guideline, from patients the solver
// finds and the runtime replays, with `expect` lines from the runtime
// (compiler/tools/example_generate.hpp). Printed, or appended to FILE
// (usually the guideline itself) leaving out what its examples already cover.
#include <fmt/format.h>

#include <fstream>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "compiler/pipeline/pipeline.hpp"
#include "compiler/tools/example_generate.hpp"

namespace rubric::cli {

namespace {

struct examples_cli {
  std::string guideline;
  std::string strategy = "all";
  std::string into;
  std::vector<std::string> include_paths;
  std::string color = "auto";
};

int run(const examples_cli& cli) {
  if (int code = unreadable_input(cli.guideline)) return code;
  compiler::compile_options options;
  options.include_paths = cli.include_paths;
  compiler::compile_result result = compiler::compile_file(cli.guideline, options);
  if (result.diagnostics.has_errors() || !result.graph || result.modules.empty()) {
    std::vector<compiler::diagnostic> errors;
    for (const auto& d : result.diagnostics.items())
      if (d.level == compiler::severity::error) errors.push_back(d);
    fmt::print(stderr, "{}", compiler::render_text(result.sources, errors, {compiler::want_color(cli.color, 2)}));
    if (!result.diagnostics.has_errors())
      fmt::print(stderr, "error: `{}` is a library: only a guideline has variants to write examples for\n", cli.guideline);
    return exit_findings;
  }
  auto text = read_file_text(cli.guideline);
  if (!text) return exit_usage;
  // Coverage counts the examples of the file the blocks go into.
  const compiler::ast::module& root = result.modules.front();
  bool into_self = !cli.into.empty();
  compiler::generated_examples g = compiler::generate_examples(root, *text, *result.graph, cli.strategy, into_self);
  for (const std::string& n : g.notes) fmt::print(stderr, "note: {}\n", n);
  if (cli.into.empty()) {
    fmt::print("{}", g.text);
  } else {
    std::ofstream out(cli.into, std::ios::binary | std::ios::app);
    out << g.text;
    if (!out) {
      fmt::print(stderr, "error: cannot write `{}`\n", cli.into);
      return exit_usage;
    }
  }
  fmt::print(stderr, "{} example{} written{}, {} left out (already covered or the same patient)\n", g.count,
             g.count == 1 ? "" : "s", cli.into.empty() ? "" : " to `" + cli.into + "`", g.skipped);
  return exit_ok;
}

}  // namespace

void add_examples_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<examples_cli>();
  CLI::App* cmd = app.add_subcommand("examples", "Generate `example` blocks for a guideline (boundaries, MC/DC, regions)");
  cmd->add_option("--generate", cli->guideline, "The .rubric guideline to write examples for")->required();
  cmd->add_option("--strategy", cli->strategy,
                  "boundary (each threshold), mcdc (each condition of each criterion), regions (each variant, "
                  "`otherwise` advice and deciding unknown fact) or all")
      ->check(CLI::IsMember({"boundary", "mcdc", "regions", "all"}));
  cmd->add_option("--into", cli->into,
                  "Append to this file (usually the guideline) only the examples its own examples do not cover");
  cmd->add_option("-I,--include", cli->include_paths, "Further folders to search for imported modules");
  cmd->add_option("--color", cli->color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([cli, &exit_code] { exit_code = run(*cli); });
}

}  // namespace rubric::cli
