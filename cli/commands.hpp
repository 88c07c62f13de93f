// The `rubric` driver's subcommands. Each lives in its own cli/cmd_NAME.cpp and
// registers itself on the app; the callback stores the process exit code.
#pragma once

#include <CLI/CLI.hpp>

namespace rubric::cli {

// Exit codes shared by every command.
inline constexpr int exit_ok = 0;
inline constexpr int exit_findings = 1;  // errors in the input, failed examples, …
inline constexpr int exit_usage = 2;     // bad command line, missing file

void add_check_command(CLI::App& app, int& exit_code);
void add_compile_command(CLI::App& app, int& exit_code);
void add_eval_command(CLI::App& app, int& exit_code);
void add_explain_command(CLI::App& app, int& exit_code);
void add_test_command(CLI::App& app, int& exit_code);
void add_lint_command(CLI::App& app, int& exit_code);
void add_fmt_command(CLI::App& app, int& exit_code);
void add_graph_command(CLI::App& app, int& exit_code);
void add_doc_command(CLI::App& app, int& exit_code);
void add_diff_command(CLI::App& app, int& exit_code);
void add_examples_command(CLI::App& app, int& exit_code);
void add_lsp_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

}  // namespace rubric::cli
