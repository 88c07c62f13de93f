// `rubric eval GUIDELINE --patient FILE.json [--format text|json]` evaluates
// one patient; `--patients FILE.ndjson --format ndjson` (or NDJSON on stdin)
// writes one result line per input line, in order. Exit 0 when every patient
// was evaluated, 1 when a patient had an error, 2 on usage errors.
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <thread>

#include "cli/commands.hpp"
#include "cli/guideline_input.hpp"
#include "runtime/batch.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/patient.hpp"
#include "runtime/plain_words.hpp"

namespace rubric::cli {

namespace {

struct eval_cli {
  std::string guideline;
  std::string patient_file;
  std::string patients_file;
  std::string format;
  std::string color = "auto";
  unsigned threads = 1;
  bool progress = true;
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
      for (auto s : x.missing) m += (m.empty() ? "" : ", ") + g.facts[s].id;
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
    std::string line;
    result_formatter(g).write(p, e, line);
    fmt::print("{}\n", line);
  } else {
    fmt::print("{}", eval_text(g, p, explain_outcome(g, p, e), use_color(cli.color)));
  }
  return exit_ok;
}

int run_many(const eval_cli& cli, const runtime::graph& g) {
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
  runtime::batch_options options;
  options.threads = cli.threads == 0 ? std::max(1u, std::thread::hardware_concurrency()) : cli.threads;
  options.progress = cli.progress && isatty(STDERR_FILENO);
  struct stat st{};
  if (!from_stdin && fstat(fileno(in), &st) == 0 && S_ISREG(st.st_mode)) options.total_bytes = static_cast<std::uint64_t>(st.st_size);
  runtime::batch_stats stats = runtime::run_batch(g, in, stdout, options);
  if (!from_stdin) std::fclose(in);
  if (!stats.io_error.empty()) {
    fmt::print(stderr, "error: {}\n", stats.io_error);
    return exit_usage;
  }
  if (options.progress || stats.errors > 0)
    fmt::print(stderr, "{} patients: {} matched, {} undetermined, {} no criteria apply, {} errors\n", stats.lines,
               stats.matched, stats.undetermined, stats.no_criteria, stats.errors);
  return stats.errors > 0 ? exit_findings : exit_ok;
}

}  // namespace

void add_eval_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<eval_cli>();
  CLI::App* cmd = app.add_subcommand("eval", "Evaluate patients against a guideline (.rubric or compiled graph .json)");
  cmd->add_option("guideline", cli->guideline, "A .rubric guideline or a compiled decision graph (.json)")->required();
  auto* one = cmd->add_option("--patient", cli->patient_file, "One patient as a JSON object");
  auto* many = cmd->add_option("--patients", cli->patients_file, "Patients as NDJSON, one object per line (`-` = stdin)");
  one->excludes(many);
  cmd->add_option("--format", cli->format, "text | json (one patient), ndjson (batch)")
      ->check(CLI::IsMember({"text", "json", "ndjson"}));
  cmd->add_option("--threads", cli->threads, "Worker threads for NDJSON (0 = all cores); output order is kept");
  cmd->add_option("--color", cli->color, "auto | always | never")->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->add_flag("!--no-progress", cli->progress, "No progress bar on stderr");
  cmd->callback([cli, &exit_code] {
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
