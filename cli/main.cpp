// The `rubric` driver: one binary, one subcommand per task.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
  using namespace rubric::cli;
  CLI::App app{"Rubric — compile, check, test and explain imaging-appropriateness guidelines", "rubric"};
  app.set_version_flag("--version", std::string("rubric ") + RUBRIC_VERSION);
  app.require_subcommand(1);
  int exit_code = exit_ok;
  add_check_command(app, exit_code);
  add_compile_command(app, exit_code);
  add_eval_command(app, exit_code);
  add_explain_command(app, exit_code);
  add_test_command(app, exit_code);
  add_lint_command(app, exit_code);
  add_fmt_command(app, exit_code);
  add_graph_command(app, exit_code);
  add_doc_command(app, exit_code);
  add_diff_command(app, exit_code);
  add_examples_command(app, exit_code);
  add_lsp_command(app, exit_code);
  add_serve_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int code = app.exit(e);
    return code == 0 ? exit_ok : exit_usage;
  }
  return exit_code;
}
