// `rubric graph GUIDELINE [--format dot|mermaid|svg] [--patient FILE.json] [-o FILE]`
// — the decision graph for reviewers. With a patient, the path the evaluation
// took is highlighted, branches not taken are dimmed and every criterion is
// marked true, false or unknown. `svg` runs Graphviz's `dot`.
#include <fmt/format.h>

#include <fstream>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "compiler/tools/graph_render.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"

namespace rubric::cli {

namespace {

struct graph_cli {
  std::string guideline;
  std::string format = "dot";
  std::string patient;
  std::string output;
  std::string color = "auto";
};

// Writes to the -o file, or stdout.
bool emit(const std::string& output, const std::string& text) {
  if (output.empty() || output == "-") {
    fmt::print("{}", text);
    return true;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    fmt::print(stderr, "error: cannot write `{}`\n", output);
    return false;
  }
  return true;
}

int run(const graph_cli& cli) {
  if (int code = unreadable_input(cli.guideline)) return code;
  auto g = load_guideline(cli.guideline, cli.color);
  if (!g) return exit_findings;
  compiler::graph_render_options options;
  runtime::evaluation eval;
  if (!cli.patient.empty()) {
    runtime::patient p;
    if (int code = load_patient_file(*g, cli.patient, p)) return code;
    for (const auto& w : p.warnings) fmt::print(stderr, "warning: `{}`: {}\n", cli.patient, w);
    runtime::evaluate(*g, p, eval);
    options.evaluation = &eval;
    options.patient_name = p.id;
    // A JSON string id is shown without its quotes.
    if (options.patient_name.size() >= 2 && options.patient_name.front() == '"') {
      options.patient_name = options.patient_name.substr(1, options.patient_name.size() - 2);
    }
  }
  if (cli.format == "mermaid") return emit(cli.output, compiler::render_mermaid(*g, options)) ? exit_ok : exit_usage;
  std::string dot = compiler::render_dot(*g, options);
  if (cli.format == "dot") return emit(cli.output, dot) ? exit_ok : exit_usage;
  compiler::svg_result svg = compiler::dot_to_svg(dot);
  if (!svg.svg) {
    fmt::print(stderr, "error: {}\n", svg.error);
    return exit_findings;
  }
  return emit(cli.output, *svg.svg) ? exit_ok : exit_usage;
}

}  // namespace

void add_graph_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<graph_cli>();
  CLI::App* cmd = app.add_subcommand("graph", "Draw the decision graph (DOT, Mermaid or SVG), optionally with a patient's path");
  cmd->add_option("guideline", cli->guideline, "A .rubric guideline or a compiled graph .json")->required();
  cmd->add_option("--format,-f", cli->format, "dot, mermaid or svg (svg needs Graphviz)")
      ->check(CLI::IsMember({"dot", "mermaid", "svg"}));
  cmd->add_option("--patient,-p", cli->patient, "A patient JSON file: highlight the path it takes");
  cmd->add_option("-o,--output", cli->output, "Write to this file instead of stdout");
  cmd->add_option("--color", cli->color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([cli, &exit_code] { exit_code = run(*cli); });
}

}  // namespace rubric::cli
