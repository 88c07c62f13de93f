// `rubric explain GUIDELINE (--patient FILE.json | --fhir BUNDLE.json)
// [--why-not PROCEDURE] [--format text|json]`: the full explanation of one
// patient's result, and optionally the smallest fact changes that would give
// PROCEDURE a better category. From a Bundle, every fact's provenance
// follows, and each change of the why-not says which resource would have to
// exist or change. Exit 0, 1 when the patient or procedure is bad, 2 on
// usage errors.
#include <fmt/format.h>
#include <unistd.h>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/fhir_explain.hpp"
#include "runtime/fhir_why_not.hpp"
#include "runtime/patient.hpp"
#include "runtime/why_not.hpp"

namespace rubric::cli {

namespace {

// Reads one Bundle through the guideline's bindings (as `rubric eval --fhir`).
int decode_bundle_file(const runtime::graph& g, const std::string& path, runtime::patient& p, runtime::fhir_provenance& where) {
  if (g.fhir.empty()) {
    fmt::print(stderr, "error: guideline `{}` has no `fhir` block: it does not say how its facts come from FHIR\n", g.id);
    return exit_usage;
  }
  if (int code = unreadable_input(path)) return code;
  auto text = read_file_text(path);
  if (!text) return exit_usage;
  std::string error;
  runtime::fhir_decoder decoder(g);
  if (!decoder.decode(*text, p, where, error)) {
    fmt::print(stderr, "error: {}: {}\n", path, error);
    return exit_findings;
  }
  return exit_ok;
}

struct explain_cli {
  std::string guideline;
  std::string patient_file;
  std::string fhir_file;  // a FHIR R4 Bundle read through the guideline's bindings
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
  if (cli.patient_file.empty() == cli.fhir_file.empty()) {
    fmt::print(stderr, "error: give the patient with --patient FILE.json or --fhir BUNDLE.json\n");
    return exit_usage;
  }
  patient p;
  fhir_provenance where;
  const bool from_fhir = !cli.fhir_file.empty();
  if (from_fhir) {
    if (int code = decode_bundle_file(*g, cli.fhir_file, p, where)) return code;
  } else if (int code = load_patient_file(*g, cli.patient_file, p)) {
    return code;
  }
  evaluation e;
  evaluate(*g, p, e);
  explanation x = explain(*g, p, e);
  std::optional<why_not_result> wn;
  if (!cli.why_not.empty()) wn = why_not(*g, p, cli.why_not);
  change_words words = from_fhir ? fhir_change_words_for(*g, p) : change_words{};
  if (cli.format == "json") {
    std::string out = render_explanation_json(*g, p, x, true);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    if (from_fhir) append_fhir_key(out, fhir_provenance_json(*g, p, where, e));
    if (wn) {
      // Splice the why-not in as a last field of the explanation object.
      out = out.substr(0, out.rfind('}'));
      while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
      out += ",\n  \"why_not\": " + render_why_not_json(*g, *wn, words) + "\n}";
    }
    fmt::print("{}\n", out);
  } else {
    bool color = cli.color == "always" || (cli.color == "auto" && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR"));
    fmt::print("{}", render_explanation_text(*g, p, x, {color, cli.width}));
    if (from_fhir) fmt::print("{}", fhir_provenance_text(*g, p, where));
    if (wn) fmt::print("{}", render_why_not_text(*g, *wn, color, words));
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
  auto* one = cmd->add_option("--patient", cli->patient_file, "One patient as a JSON object");
  auto* fhir = cmd->add_option("--fhir", cli->fhir_file, "One FHIR R4 Bundle (or CDS Hooks prefetch object), read by the guideline's `fhir` bindings");
  one->excludes(fhir);
  fhir->excludes(one);
  cmd->add_option("--why-not", cli->why_not, "A procedure: the smallest fact changes that give it a better category");
  cmd->add_option("--format", cli->format, "text | json")->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--color", cli->color, "auto | always | never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_option("--width", cli->width, "Wrap text at this column");
  cmd->callback([cli, &exit_code] { exit_code = run_explain(*cli); });
}

}  // namespace rubric::cli
