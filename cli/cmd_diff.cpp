// `rubric diff OLD NEW [--procedure P] [--format text|json|md] [--rename OLD=NEW]
// [--variant OLD=NEW] [--fail-on worse] [-o FILE]` — which patients get a different answer from
// a new version of a guideline, each change with a patient replayed through
// both versions (compiler/tools/guideline_diff.hpp).
#include <fmt/format.h>

#include <fstream>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "compiler/tools/guideline_diff.hpp"

namespace rubric::cli {

namespace {

struct diff_cli {
  std::string before, after;
  std::string format = "text";
  std::string procedure;
  std::vector<std::string> renames;
  std::vector<std::string> variants;
  std::string fail_on;
  std::string output;
  std::string color = "auto";
};

// OLD=NEW arguments; false after a message naming the malformed one.
bool split_pairs(const std::vector<std::string>& args, const char* option, const char* what,
                 std::vector<std::pair<std::string, std::string>>& out) {
  for (const std::string& r : args) {
    auto eq = r.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == r.size()) {
      fmt::print(stderr, "error: `{} {}` needs the form OLD=NEW ({})\n", option, r, what);
      return false;
    }
    out.emplace_back(r.substr(0, eq), r.substr(eq + 1));
  }
  return true;
}

int run(const diff_cli& cli) {
  if (int code = unreadable_input(cli.before)) return code;
  if (int code = unreadable_input(cli.after)) return code;
  compiler::diff_options options;
  if (!split_pairs(cli.renames, "--rename", "procedure names or ids", options.renames) ||
      !split_pairs(cli.variants, "--variant", "variant ids", options.variants))
    return exit_usage;
  options.procedure = cli.procedure;
  auto a = load_guideline(cli.before, cli.color);
  if (!a) return exit_findings;
  auto b = load_guideline(cli.after, cli.color);
  if (!b) return exit_findings;
  if (!cli.procedure.empty() && runtime::find_procedure(*a, cli.procedure) < 0 &&
      runtime::find_procedure(*b, cli.procedure) < 0) {
    fmt::print(stderr, "error: `{}` is not a procedure of either version\n", cli.procedure);
    return exit_usage;
  }
  compiler::guideline_diff d = compiler::diff_guidelines(*a, *b, options);
  std::string text = cli.format == "json" ? compiler::render_diff_json(d)
                     : cli.format == "md" ? compiler::render_diff_markdown(d)
                                          : compiler::render_diff_text(d);
  if (cli.output.empty() || cli.output == "-") {
    fmt::print("{}", text);
  } else {
    std::ofstream out(cli.output, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out) {
      fmt::print(stderr, "error: cannot write `{}`\n", cli.output);
      return exit_usage;
    }
  }
  if (!d.unsupported.empty()) return exit_findings;
  if (cli.fail_on == "worse" && compiler::has_worse(d)) {
    fmt::print(stderr, "error: some procedure is rated worse for some patients in `{}` (--fail-on worse)\n", cli.after);
    return exit_findings;
  }
  return exit_ok;
}

}  // namespace

void add_diff_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<diff_cli>();
  CLI::App* cmd = app.add_subcommand("diff", "Which patients get a different variant or rating from a new version of a guideline");
  cmd->add_option("old", cli->before, "The old version: a .rubric guideline or a compiled graph .json")->required();
  cmd->add_option("new", cli->after, "The new version: a .rubric guideline or a compiled graph .json")->required();
  cmd->add_option("--format,-f", cli->format, "text, json or md (a reviewable change report)")
      ->check(CLI::IsMember({"text", "json", "md"}));
  cmd->add_option("--procedure", cli->procedure, "Report rating changes of this procedure only (name or id)");
  cmd->add_option("--rename", cli->renames, "OLD=NEW: a procedure renamed between the versions (names or ids)");
  cmd->add_option("--variant", cli->variants,
                  "OLD=NEW: match variant OLD of the old version with NEW of the new one (ids), before matching by id and title");
  cmd->add_option("--fail-on", cli->fail_on, "worse: exit 1 when some procedure is rated worse for some patient")
      ->check(CLI::IsMember({"worse"}));
  cmd->add_option("-o,--output", cli->output, "Write the report to this file instead of stdout");
  cmd->add_option("--color", cli->color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([cli, &exit_code] { exit_code = run(*cli); });
}

}  // namespace rubric::cli
