// `rubric lsp [-I DIR]… [--debounce MS]`: the language server, speaking LSP
// 3.17 (JSON-RPC with Content-Length framing) on stdin and stdout. Editors
// start it; docs/editor.md says how. Exit 0 after `shutdown` then `exit`.
#include <cstdio>
#include <iostream>

#include "cli/commands.hpp"
#include "lsp/server.hpp"

namespace rubric::cli {

void add_lsp_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<lsp::server_options>();
  auto* cmd = app.add_subcommand("lsp", "Run the language server on stdin/stdout (for editors)");
  cmd->add_option("-I,--include", options->include_paths,
                  "Also search DIR for imported modules (after stdlib/ and the file's own root)")
      ->type_name("DIR");
  cmd->add_option("--debounce", options->debounce_ms, "Milliseconds of quiet after a change before reanalysing")
      ->capture_default_str();
  cmd->callback([options, &exit_code] {
    options->version = RUBRIC_VERSION;
    // stdout carries the protocol only; nothing else may print there.
    std::ios::sync_with_stdio(false);
    lsp::server server(std::cin, std::cout, *options);
    exit_code = server.run();
  });
}

}  // namespace rubric::cli
