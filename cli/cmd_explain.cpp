// `rubric explain GUIDELINE --patient FILE.json [--why-not PROCEDURE]
// [--format text|json]`: the full explanation of one patient's result, and
// optionally the smallest fact changes that would give PROCEDURE a better
// category. Exit 0, 1 when the patient or procedure is bad, 2 on usage errors.
#include <fmt/format.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/patient.hpp"
#include "runtime/why_not.hpp"

namespace rubric::cli {

namespace {

struct explain_cli {
  std::string guideline;
  std::string patient_file;
  std::string why_not;
  std::string format = "text";
  std::string color = "auto";
  int width = 100;
};

int run_explain(const explain_cli& cli) {
  using namespace runtime;
  if (int code = unreadable_input(cli.guideline)) return code;
  auto g = load_guideline(cli.guideline, cli.color);
  if (!g) return exit_findings;
  patient p;
  if (int code = load_patient_file(*g, cli.patient_file, p)) return code;
  evaluation e;
  evaluate(*g, p, e);
  explanation x = explain(*g, p, e);
  std::optional<why_not_result> wn;
  if (!cli.why_not.empty()) wn = why_not(*g, p, cli.why_not);
  if (cli.format == "json") {
    std::string out = render_explanation_json(*g, p, x, true);
    if (wn) {
      // Splice the why-not in as a last field of the explanation object.
      auto end = out.rfind('}');
      out = out.substr(0, end);
      while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
      out += ",\n  \"why_not\": " + render_why_not_json(*g, *wn) + "\n}\n";
    }
    fmt::print("{}", out);
  } else {
    bool color = cli.color == "always" || (cli.color == "auto" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
    fmt::print("{}", render_explanation_text(*g, p, x, {color, cli.width}));
    if (wn) fmt::print("{}", render_why_not_text(*g, *wn, color));
  }
  if (wn && !wn->error.empty()) {
    fmt::print(stderr, "error: {}\n", wn->error);
    return exit_findings;
  }
  return exit_ok;
}

}  // namespace

void add_explain_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<explain_cli>();
  CLI::App* cmd = app.add_subcommand("explain", "Explain why a patient gets a variant and its ratings");
  cmd->add_option("guideline", cli->guideline, "A .rubric guideline or a compiled decision graph (.json)")->required();
  cmd->add_option("--patient", cli->patient_file, "One patient as a JSON object")->required();
  cmd->add_option("--why-not", cli->why_not, "A procedure: the smallest fact changes that give it a better category");
  cmd->add_option("--format", cli->format, "text | json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--color", cli->color, "auto | always | never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--width", cli->width, "Wrap text at this column");
  cmd->callback([cli, &exit_code] { exit_code = run_explain(*cli); });
}

}  // namespace rubric::cli
