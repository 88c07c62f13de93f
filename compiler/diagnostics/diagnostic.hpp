// Diagnostics are values: a stable code, severity, a message in the author's
// terms, a primary span, labelled secondary spans, notes and help. Passes
// report them into a sink; renderers turn the same value into text or JSON.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diagnostics/source.hpp"

namespace rubric::runtime {
class json_writer;
}

namespace rubric::compiler {

enum class severity : std::uint8_t { error, warning, info };

enum class diag_code : std::uint16_t {
#define RUBRIC_DIAGNOSTIC(code, name, sev, summary) name,
#include "compiler/diagnostics/diagnostic_codes.def"
#undef RUBRIC_DIAGNOSTIC
};

struct diag_info {
  std::string_view code;     // "R0101"
  std::string_view name;     // "expected_category"
  severity default_severity;
  std::string_view summary;  // one line for the catalog and SARIF rules
};

const diag_info& info(diag_code code);
const std::vector<diag_info>& all_diagnostics();
std::string_view severity_name(severity s);

struct labelled_span {
  span where;
  std::string label;
};

struct diagnostic {
  diag_code code{};
  severity level = severity::error;
  std::string message;                  // lower-case start, no trailing period
  span primary;
  std::string primary_label;            // optional text under the caret
  std::vector<labelled_span> secondary; // other places involved
  std::vector<std::string> notes;
  std::vector<std::string> help;        // suggestions live here, not in message

  diagnostic& label(std::string text) { primary_label = std::move(text); return *this; }
  diagnostic& also(span where, std::string text) { secondary.push_back({where, std::move(text)}); return *this; }
  diagnostic& note(std::string text) { notes.push_back(std::move(text)); return *this; }
  diagnostic& suggest(std::string text) { help.push_back(std::move(text)); return *this; }
};

// Builds a diagnostic with the code's default severity.
diagnostic make_diagnostic(diag_code code, span where, std::string message);

class diagnostic_sink {
 public:
  diagnostic& report(diagnostic d) { items_.push_back(std::move(d)); return items_.back(); }
  diagnostic& report(diag_code code, span where, std::string message) {
    return report(make_diagnostic(code, where, std::move(message)));
  }
  const std::vector<diagnostic>& items() const { return items_; }
  std::size_t error_count() const;
  bool has_errors() const { return error_count() > 0; }
  // Sorts by file and position so output is stable whatever order passes ran in.
  void sort();
  void clear() { items_.clear(); }

 private:
  std::vector<diagnostic> items_;
};

struct render_options {
  bool color = false;
};

// `file:line:col: error[R0101]: message`, the source line, a caret underline,
// then secondary locations, `note:` and `help:` lines.
std::string render_text(const source_manager& sources, const diagnostic& d, const render_options& options = {});
std::string render_text(const source_manager& sources, const std::vector<diagnostic>& ds, const render_options& options = {});
// A JSON array of diagnostic objects (documented in docs/diagnostics.md).
std::string render_json(const source_manager& sources, const std::vector<diagnostic>& ds);
// Writes `"notes": [...], "help": [...]` into the open object: shared by the
// JSON and SARIF renderers.
void write_notes_and_help(runtime::json_writer& w, const diagnostic& d);
// "1 error, 2 warnings" (empty when there is nothing to say).
std::string summary_line(const std::vector<diagnostic>& ds);

// Whether to colour output: honours --color=auto|always|never and NO_COLOR.
bool want_color(std::string_view mode, int fd);

}  // namespace rubric::compiler
