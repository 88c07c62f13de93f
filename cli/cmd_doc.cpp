// `rubric doc GUIDELINE [--format md|html] [-o FILE]` — the reviewer's
// document: citation and licence, each variant's conditions in plain words and
// its ratings in the ACR layout, criteria, data requirements and examples. HTML
// is one self-contained file with the decision graph embedded as SVG.
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "compiler/tools/doc_render.hpp"
#include "compiler/tools/graph_render.hpp"
#include "compiler/pipeline/pipeline.hpp"

namespace rubric::cli {

namespace {

struct doc_cli {
  std::string guideline;
  std::string format = "md";
  std::string output;
  std::string color = "auto";
};

int run(const doc_cli& cli) {
  if (int code = unreadable_input(cli.guideline)) return code;
  bool is_rubric = cli.guideline.size() >= 7 && cli.guideline.compare(cli.guideline.size() - 7, 7, ".rubric") == 0;
  std::optional<runtime::graph> g;
  std::optional<compiler::compile_result> compiled;
  compiler::doc_options options;
  if (is_rubric) {
    // Compiled here rather than through load_guideline: the examples live in the AST.
    compiled = compiler::compile_file(cli.guideline);
    auto& r = *compiled;
    if (r.diagnostics.has_errors() || !r.graph) {
      r.diagnostics.sort();
      compiler::render_options ro;
      ro.color = compiler::want_color(cli.color, STDERR_FILENO);
      fmt::print(stderr, "{}", compiler::render_text(r.sources, r.diagnostics.items(), ro));
      fmt::print(stderr, "error: `{}` {}\n", cli.guideline,
                 r.graph ? "does not compile; " + compiler::summary_line(r.diagnostics.items())
                         : std::string("did not produce a decision graph (is it a library module?)"));
      return exit_findings;
    }
    g = *r.graph;
    if (!r.modules.empty()) options.module = &r.modules.front();
  } else {
    g = load_guideline(cli.guideline, cli.color);
    if (!g) return exit_findings;
  }
  std::string text;
  if (cli.format == "html") {
    compiler::svg_result svg = compiler::dot_to_svg(compiler::render_dot(*g));
    if (svg.svg) options.graph_svg = std::move(*svg.svg);
    else options.graph_note = "The decision graph is not shown: " + svg.error + ".";
    text = compiler::render_html(*g, options);
  } else {
    options.graph_mermaid = compiler::render_mermaid(*g);
    text = compiler::render_markdown(*g, options);
  }
  if (cli.output.empty() || cli.output == "-") {
    fmt::print("{}", text);
    return exit_ok;
  }
  std::ofstream out(cli.output, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    fmt::print(stderr, "error: cannot write `{}`\n", cli.output);
    return exit_usage;
  }
  return exit_ok;
}

}  // namespace

void add_doc_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<doc_cli>();
  CLI::App* cmd = app.add_subcommand("doc", "Write the reviewer's document of a guideline (Markdown or HTML)");
  cmd->add_option("guideline", cli->guideline, "A .rubric guideline (or a compiled graph .json: no examples)")->required();
  cmd->add_option("--format,-f", cli->format, "md or html")->check(CLI::IsMember({"md", "html"}));
  cmd->add_option("-o,--output", cli->output, "Write to this file instead of stdout");
  cmd->add_option("--color", cli->color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([cli, &exit_code] { exit_code = run(*cli); });
}

}  // namespace rubric::cli
