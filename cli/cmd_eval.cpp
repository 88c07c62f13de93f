// `rubric eval GUIDELINE --patient FILE.json [--format text|json]` evaluates
// one patient; `--patients FILE.ndjson --format ndjson` (or NDJSON on stdin)
// writes one result line per input line, in order. Exit 0 when the batch ran
// (malformed records are error lines unless --on-error=fail), 1 when a single
// patient had an error or --on-error=fail stopped, 2 on usage errors.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <optional>
#include <thread>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "runtime/batch.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/fhir_explain.hpp"
#include "runtime/line_writer.hpp"
#include "runtime/patient.hpp"
#include "runtime/plain_words.hpp"

namespace rubric::cli {

namespace {

struct eval_cli {
  std::string guideline;
  std::string patient_file;
  std::string patients_file;
  std::string fhir_file;     // one FHIR R4 Bundle (or CDS Hooks prefetch object)
  std::string fhir_bundles;  // NDJSON, one Bundle per line
  std::string format;
  std::string color = "auto";
  unsigned threads = 1;
  bool progress = true;
  std::string fields;          // compact NDJSON: the keys to write
  std::string procedure;       // the ordered procedure of every patient
  std::string procedure_key;   // or: the input key naming each patient's ordered procedure
  std::string on_error = "line";
};

bool use_color(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  return isatty(STDOUT_FILENO) && std::getenv("NO_COLOR") == nullptr;
}

// One matched variant: its ratings, advice and next steps.
void outcome_text(const runtime::graph& g, const runtime::variant_outcome& o, std::string& out) {
  using namespace runtime;
  // Column width in characters shown (fmt pads by code points, not bytes).
  auto shown = [](std::string_view s) { return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char ch) { return (static_cast<unsigned char>(ch) & 0xC0) != 0x80; })); };
  std::size_t w = 0;
  for (const auto& r : o.ratings) w = std::max(w, shown(g.procedures[r.procedure].name));
  for (const auto& r : o.ratings) out += fmt::format("  {:<{}}  {}\n", g.procedures[r.procedure].name, w, rating_text(g, r));
  for (const auto& a : o.advice) out += "  advice: " + a + "\n";
  for (const auto& a : o.conditional_advice) out += "  advice: " + a + "\n";
  for (const auto& n : o.next) {
    const transition& t = g.variants[o.variant].next[n.transition];
    out += fmt::format("  next: variant {}{} when {}\n", g.variants[n.target].id, t.urgent ? " (urgent)" : "",
                       t.label.empty() ? condition_words(g, t.when) : t.label);
  }
}

// One patient as short text: status, then each matched variant (several
// under `select all`) with its ratings, advice and next steps.
std::string eval_text(const runtime::graph& g, const runtime::patient& p, const runtime::explanation& x, bool color) {
  using namespace runtime;
  auto bold = [&](std::string_view s) { return color ? fmt::format("\x1b[1m{}\x1b[0m", s) : std::string(s); };
  std::string out;
  if (!p.id.empty()) out += fmt::format("patient {}\n", p.id);
  switch (x.result) {
    case status::matched:
      for (const variant_outcome& o : x.matched) {
        const variant& v = g.variants[o.variant];
        out += fmt::format("{}: variant {} — {}\n", bold(&o == &x.matched.front() ? "matched" : "also matched"), v.id, v.title);
        out += "  " + location_text(g, v.where) + "\n";
        outcome_text(g, o, out);
      }
      break;
    case status::undetermined: {
      std::string c, m;
      for (auto v : x.candidates) c += (c.empty() ? "" : ", ") + g.variants[v].id;
      for (auto s : x.missing) m += (m.empty() ? "" : ", ") + missing_fact_text(g, p, s);
      out += fmt::format("{}: candidates {}; missing {}\n", bold("undetermined"), c, m.empty() ? "-" : m);
      break;
    }
    case status::no_criteria_apply:
      out += fmt::format("{}{}\n", bold("no criteria apply"), g.otherwise.present ? ": " + g.otherwise.label : "");
      for (const auto& a : x.advice) out += "  advice: " + a + "\n";
      for (const auto& a : x.conditional_advice) out += "  advice: " + a + "\n";
      break;
  }
  for (const auto& wn : x.warnings) out += "  warning: " + wn + "\n";
  return out;
}

// The batch options from the command line, or a usage error on stderr.
std::optional<runtime::batch_options> batch_options_from(const eval_cli& cli, const runtime::graph& g) {
  runtime::batch_options options;
  options.threads = cli.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : cli.threads;
  options.progress = cli.progress && isatty(STDERR_FILENO);
  options.errors = cli.on_error == "fail" ? runtime::on_error::fail : runtime::on_error::line;
  if (!cli.fields.empty()) {
    std::string error;
    auto fields = runtime::parse_fields(cli.fields, error);
    if (!fields) {
      fmt::print(stderr, "error: --fields: {}\n", error);
      return std::nullopt;
    }
    options.fields = std::move(*fields);
  }
  if (!cli.procedure.empty()) {
    options.procedure = runtime::find_procedure(g, cli.procedure);
    if (options.procedure < 0) {
      fmt::print(stderr, "error: --procedure: `{}` is not a procedure of this guideline\n", cli.procedure);
      return std::nullopt;
    }
  }
  options.procedure_key = cli.procedure_key;
  if (!options.procedure_key.empty()) {
    bool is_fact = options.procedure_key == "id";
    for (const auto& f : g.facts) is_fact |= f.id == options.procedure_key;
    if (is_fact) {
      fmt::print(stderr, "error: --procedure-key: `{}` is a fact or the id, not a column of its own\n", options.procedure_key);
      return std::nullopt;
    }
  }
  bool wants_procedure = false;
  for (auto f : options.fields) wants_procedure |= f == runtime::line_field::ordered || f == runtime::line_field::procedure;
  if (wants_procedure && options.procedure < 0 && options.procedure_key.empty()) {
    fmt::print(stderr, "error: --fields ordered/procedure need --procedure NAME or --procedure-key KEY\n");
    return std::nullopt;
  }
  return options;
}

int run_single(const eval_cli& cli, const runtime::graph& g) {
  using namespace runtime;
  patient p;
  if (int code = load_patient_file(g, cli.patient_file, p)) return code;
  evaluation e;
  evaluate(g, p, e);
  // Only the JSON form carries the reasons; text and NDJSON need the outcome.
  if (cli.format == "json") {
    fmt::print("{}", render_explanation_json(g, p, explain(g, p, e)));
  } else if (cli.format == "ndjson") {
    auto options = batch_options_from(cli, g);
    if (!options) return exit_usage;
    std::string line;
    line_writer(g, options->fields, options->procedure).write(p, e, line);
    fmt::print("{}\n", line);
  } else {
    fmt::print("{}", eval_text(g, p, explain_outcome(g, p, e), use_color(cli.color)));
  }
  return exit_ok;
}

// One Bundle: the facts its bindings derive, evaluated like a patient; the
// explanation leads its ratings with the ordered procedure and ends with
// every fact's provenance (text) or a "fhir" key (JSON, NDJSON).
int run_fhir_single(const eval_cli& cli, const runtime::graph& g) {
  using namespace runtime;
  if (g.fhir.empty()) {
    fmt::print(stderr, "error: guideline `{}` has no `fhir` block: it does not say how its facts come from FHIR\n", g.id);
    return exit_usage;
  }
  auto text = read_file_text(cli.fhir_file);
  if (!text) return exit_usage;
  patient p;
  fhir_provenance where;
  std::string error;
  fhir_decoder decoder(g);
  if (!decoder.decode(*text, p, where, error)) {
    fmt::print(stderr, "error: {}: {}\n", cli.fhir_file, error);
    return exit_findings;
  }
  evaluation e;
  evaluate(g, p, e);
  if (cli.format == "json") {
    explanation x = explain(g, p, e);
    std::string out = render_explanation_json(g, p, x);
    while (!out.empty() && out.back() == '\n') out.pop_back();
    append_fhir_key(out, fhir_provenance_json(g, p, where, e));
    fmt::print("{}\n", out);
  } else if (cli.format == "ndjson") {
    std::string line;
    result_formatter(g).write(p, e, line);
    append_fhir_key(line, fhir_provenance_json(g, p, where, e));
    fmt::print("{}\n", line);
  } else {
    explanation x = explain_outcome(g, p, e);
    for (auto& o : x.matched) order_first(o.ratings, where.ordered_procedure);
    fmt::print("{}{}", eval_text(g, p, x, use_color(cli.color)), fhir_provenance_text(g, p, where));
  }
  return exit_ok;
}

// `--fhir-bundles F.ndjson`: one result line per input line, in order; a
// line that is not a Bundle is an error line naming what is wrong.
int run_fhir_many(const eval_cli& cli, const runtime::graph& g) {
  using namespace runtime;
  if (g.fhir.empty()) {
    fmt::print(stderr, "error: guideline `{}` has no `fhir` block: it does not say how its facts come from FHIR\n", g.id);
    return exit_usage;
  }
  if (int code = unreadable_input(cli.fhir_bundles)) return code;
  std::FILE* in = std::fopen(cli.fhir_bundles.c_str(), "rb");
  if (!in) {
    fmt::print(stderr, "error: cannot read `{}`\n", cli.fhir_bundles);
    return exit_usage;
  }
  fhir_decoder decoder(g);
  result_formatter formatter(g);
  patient p;
  fhir_provenance where;
  evaluation e;
  std::string line, out, error;
  std::uint64_t count = 0, errors = 0;
  char buffer[1 << 16];
  auto flush_line = [&]() {
    ++count;
    out.clear();
    if (line.find_first_not_of(" \t\r") == std::string::npos) {
      formatter.write_error("", fmt::format("line {}: an empty line, not a FHIR Bundle", count), out);
      ++errors;
    } else if (line.reserve(line.size() + fhir_padding); !decoder.decode_padded(line, p, where, error)) {
      formatter.write_error("", fmt::format("line {}: {}", count, error), out);
      ++errors;
    } else {
      evaluate(g, p, e);
      formatter.write(p, e, out);
      append_fhir_key(out, fhir_provenance_json(g, p, where, e));
    }
    out.push_back('\n');
    std::fwrite(out.data(), 1, out.size(), stdout);
    line.clear();
  };
  std::size_t n;
  while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) {
    const char* at = buffer;
    const char* end = buffer + n;
    while (const char* newline = static_cast<const char*>(std::memchr(at, '\n', static_cast<std::size_t>(end - at)))) {
      line.append(at, newline);
      flush_line();
      at = newline + 1;
    }
    line.append(at, end);
  }
  if (!line.empty()) flush_line();
  std::fclose(in);
  if (errors > 0) fmt::print(stderr, "{} Bundles: {} errors\n", count, errors);
  return errors > 0 ? exit_findings : exit_ok;
}

int run_many(const eval_cli& cli, const runtime::graph& g) {
  auto options = batch_options_from(cli, g);
  if (!options) return exit_usage;
  std::FILE* in = stdin;
  bool from_stdin = cli.patients_file.empty() || cli.patients_file == "-";
  if (!from_stdin) {
    if (int code = unreadable_input(cli.patients_file)) return code;
    in = std::fopen(cli.patients_file.c_str(), "rb");
    if (!in) {
      fmt::print(stderr, "error: cannot read `{}`\n", cli.patients_file);
      return exit_usage;
    }
  }
  struct stat st{};
  if (!from_stdin && fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode)) options->total_bytes = static_cast<std::uint64_t>(st.st_size);
  runtime::batch_stats stats = runtime::run_batch(g, in, stdout, *options);
  if (!from_stdin) std::fclose(in);
  if (!stats.io_error.empty()) {
    fmt::print(stderr, "error: {}\n", stats.io_error);
    return exit_usage;
  }
  // The summary always goes to stderr: stdout is the data, and a pipeline's
  // log should say what happened to every record.
  fmt::print(stderr, "{} patients: {} matched, {} undetermined, {} no criteria apply, {} errors\n", stats.lines,
             stats.matched, stats.undetermined, stats.no_criteria, stats.errors);
  if (!stats.first_error.empty()) fmt::print(stderr, "first error: {}\n", stats.first_error);
  if (stats.stopped) {
    fmt::print(stderr, "error: stopped at the first malformed record (--on-error=fail)\n");
    return exit_findings;
  }
  return exit_ok;
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<eval_cli>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate patients against a guideline (.rubric or compiled graph .json)");
  cmd->add_option("guideline", cli->guideline, "A .rubric guideline or a compiled decision graph (.json)")->required();
  auto* one = cmd->add_option("--patient", cli->patient_file, "One patient as a JSON object");
  auto* many = cmd->add_option("--patients", cli->patients_file, "Patients as NDJSON, one object per line (`-` = stdin)");
  auto* fhir = cmd->add_option("--fhir", cli->fhir_file, "One FHIR R4 Bundle (or CDS Hooks prefetch object), read by the guideline's `fhir` bindings");
  auto* bundles = cmd->add_option("--fhir-bundles", cli->fhir_bundles, "FHIR R4 Bundles as NDJSON, one per line (NDJSON out)");
  one->excludes(many);
  for (auto* a : {one, many, fhir}) a->excludes(bundles);
  for (auto* a : {one, many}) a->excludes(fhir);
  cmd->add_option("--format", cli->format, "text | json (one patient), ndjson (batch)")
      ->check(CLI::IsMember({"text", "json", "ndjson"}));
  cmd->add_option("--threads", cli->threads, "Worker threads for NDJSON (0 = all cores); output order is kept");
  cmd->add_option("--color", cli->color, "auto | always | never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("!--no-progress", cli->progress, "No progress bar on stderr");
  cmd->add_option("--fields", cli->fields, "NDJSON: write only these keys, e.g. id,status,variant,ordered (docs/cli.md)");
  cmd->add_option("--procedure", cli->procedure, "The ordered procedure (name or id), for the `ordered` field");
  cmd->add_option("--procedure-key", cli->procedure_key, "The input key naming each patient's ordered procedure (name, id or code)");
  cmd->add_option("--on-error", cli->on_error, "line: malformed records give error lines, exit 0 (default); fail: stop at the first, exit 1")
      ->check(CLI::IsMember({"line", "fail"}));
  cmd->callback([cli, &exit_code] {
    if (!cli->fhir_file.empty() || !cli->fhir_bundles.empty()) {
      if (!cli->fhir_bundles.empty() && !cli->format.empty() && cli->format != "ndjson") {
        fmt::print(stderr, "error: --fhir-bundles writes NDJSON; use --format ndjson\n");
        exit_code = exit_usage;
        return;
      }
      if (int code = unreadable_input(cli->guideline)) {
        exit_code = code;
        return;
      }
      auto g = load_guideline(cli->guideline, cli->color);
      if (!g) {
        exit_code = exit_findings;
        return;
      }
      exit_code = cli->fhir_file.empty() ? run_fhir_many(*cli, *g) : run_fhir_single(*cli, *g);
      return;
    }
    bool batch = !cli->patients_file.empty() || (cli->patient_file.empty() && cli->format == "ndjson");
    if (!batch && cli->patient_file.empty()) {
      fmt::print(stderr, "error: give --patient FILE.json, or --patients FILE.ndjson --format ndjson\n");
      exit_code = exit_usage;
      return;
    }
    if (batch && !cli->format.empty() && cli->format != "ndjson") {
      fmt::print(stderr, "error: --patients writes NDJSON; use --format ndjson\n");
      exit_code = exit_usage;
      return;
    }
    if (int code = unreadable_input(cli->guideline)) {
      exit_code = code;
      return;
    }
    auto g = load_guideline(cli->guideline, cli->color);
    if (!g) {
      exit_code = exit_findings;
      return;
    }
    exit_code = batch ? run_many(*cli, *g) : run_single(*cli, *g);
  });
}

}  // namespace rubric::cli
