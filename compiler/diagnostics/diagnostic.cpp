// Diagnostic catalog lookup, sink, and the text and JSON renderers.
#include "compiler/diagnostics/diagnostic.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "runtime/json_writer.hpp"

using rubric::runtime::json_writer;

namespace rubric::compiler {

const std::vector<diag_info>& all_diagnostics() {
  static const std::vector<diag_info> table = {
#define RUBRIC_DIAGNOSTIC(code, name, sev, summary) {#code, #name, severity::sev, summary},
#include "compiler/diagnostics/diagnostic_codes.def"
#undef RUBRIC_DIAGNOSTIC
  };
  return table;
}

const diag_info& info(diag_code code) { return all_diagnostics()[static_cast<std::size_t>(code)]; }

std::string_view severity_name(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::info: return "info";
  }
  return "error";
}

diagnostic make_diagnostic(diag_code code, span where, std::string message) {
  diagnostic d;
  d.code = code;
  d.level = info(code).default_severity;
  d.message = std::move(message);
  d.primary = where;
  return d;
}

std::size_t diagnostic_sink::error_count() const {
  return static_cast<std::size_t>(std::count_if(items_.begin(), items_.end(),
                                                [](const diagnostic& d) { return d.level == severity::error; }));
}

void diagnostic_sink::sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const diagnostic& a, const diagnostic& b) {
    if (a.primary.file != b.primary.file) return a.primary.file < b.primary.file;
    return a.primary.begin < b.primary.begin;
  });
}

namespace {

struct palette {
  std::string_view bold, red, yellow, blue, cyan, green, reset;
};

palette colours(bool on) {
  if (!on) return {};
  return {"\x1b[1m", "\x1b[1;31m", "\x1b[1;33m", "\x1b[1;34m", "\x1b[1;36m", "\x1b[1;32m", "\x1b[0m"};
}

std::string_view severity_colour(const palette& p, severity s) {
  switch (s) {
    case severity::error: return p.red;
    case severity::warning: return p.yellow;
    case severity::info: return p.cyan;
  }
  return p.red;
}

std::size_t code_points(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

// Prints the source line of `where` with a `^~~~` underline and an optional label.
void append_snippet(std::string& out, const source_manager& sources, span where, std::string_view label,
                    std::string_view marker_colour, char head, const palette& p) {
  if (where.file >= sources.file_count()) return;
  line_col start = sources.begin_of(where);
  std::string_view line = sources.line_text(where.file, start.line);
  // Control characters and tabs would misalign the caret; show them as spaces.
  std::string shown;
  shown.reserve(std::min<std::size_t>(line.size(), 400));
  for (char c : line.substr(0, 400)) shown.push_back(static_cast<unsigned char>(c) < 0x20 ? ' ' : c);
  if (line.size() > 400) shown += " …";
  std::string gutter = std::to_string(start.line);
  std::string pad(gutter.size(), ' ');
  std::size_t width = 1;
  line_col end = sources.position(where.file, where.end);
  if (end.line == start.line && end.column > start.column) width = end.column - start.column;
  std::size_t line_width = code_points(std::string_view(shown));
  if (start.column - 1 + width > line_width + 1) width = std::max<std::size_t>(1, line_width + 1 - (start.column - 1));
  width = std::min<std::size_t>(width, 400);
  out += fmt::format("{}{} |{}\n", p.blue, pad, p.reset);
  out += fmt::format("{}{} |{} {}\n", p.blue, gutter, p.reset, shown);
  std::string underline(1, head);
  if (width > 1) underline += std::string(width - 1, '~');
  out += fmt::format("{}{} |{} {}{}{}", p.blue, pad, p.reset, std::string(start.column - 1, ' '), marker_colour, underline);
  if (!label.empty()) out += fmt::format(" {}", label);
  out += fmt::format("{}\n", p.reset);
}

}  // namespace

std::string render_text(const source_manager& sources, const diagnostic& d, const render_options& options) {
  palette p = colours(options.color);
  const diag_info& i = info(d.code);
  std::string out;
  std::string where = d.primary.file < sources.file_count() ? sources.location(d.primary) : std::string("<input>");
  out += fmt::format("{}{}:{} {}{}[{}]{}: {}{}{}\n", p.bold, where, p.reset, severity_colour(p, d.level),
                     severity_name(d.level), i.code, p.reset, p.bold, d.message, p.reset);
  append_snippet(out, sources, d.primary, d.primary_label, severity_colour(p, d.level), '^', p);
  for (const labelled_span& s : d.secondary) {
    out += fmt::format("{}{}:{} {}note{}: {}\n", p.bold, sources.location(s.where), p.reset, p.green, p.reset, s.label);
    append_snippet(out, sources, s.where, "", p.green, '-', p);
  }
  for (const std::string& n : d.notes) out += fmt::format("  = {}note{}: {}\n", p.green, p.reset, n);
  for (const std::string& h : d.help) out += fmt::format("  = {}help{}: {}\n", p.cyan, p.reset, h);
  return out;
}

std::string render_text(const source_manager& sources, const std::vector<diagnostic>& ds, const render_options& options) {
  std::string out;
  for (const diagnostic& d : ds) out += render_text(sources, d, options);
  return out;
}

namespace {

void write_location(json_writer& w, const source_manager& sources, span s) {
  line_col b = sources.begin_of(s);
  line_col e = sources.position(s.file, s.end);
  w.key("file").value(sources.path(s.file));
  w.key("line").value(b.line);
  w.key("column").value(b.column);
  w.key("end_line").value(e.line);
  w.key("end_column").value(e.column);
}

}  // namespace

std::string render_json(const source_manager& sources, const std::vector<diagnostic>& ds) {
  json_writer w;
  w.begin_array();
  for (const diagnostic& d : ds) {
    w.begin_object();
    w.key("code").value(info(d.code).code);
    w.key("name").value(info(d.code).name);
    w.key("severity").value(severity_name(d.level));
    w.key("message").value(d.message);
    if (d.primary.file < sources.file_count()) write_location(w, sources, d.primary);
    if (!d.primary_label.empty()) w.key("label").value(d.primary_label);
    w.key("related").begin_array();
    for (const labelled_span& s : d.secondary) {
      w.begin_object();
      write_location(w, sources, s.where);
      w.key("message").value(s.label);
      w.end_object();
    }
    w.end_array();
    write_notes_and_help(w, d);
    w.end_object();
  }
  w.end_array();
  return w.str();
}

void write_notes_and_help(json_writer& w, const diagnostic& d) {
  w.key("notes").begin_array();
  for (const std::string& n : d.notes) w.value(n);
  w.end_array();
  w.key("help").begin_array();
  for (const std::string& h : d.help) w.value(h);
  w.end_array();
}

std::string summary_line(const std::vector<diagnostic>& ds) {
  std::size_t errors = 0, warnings = 0;
  for (const diagnostic& d : ds) {
    if (d.level == severity::error) ++errors;
    if (d.level == severity::warning) ++warnings;
  }
  std::vector<std::string> parts;
  if (errors) parts.push_back(fmt::format("{} error{}", errors, errors == 1 ? "" : "s"));
  if (warnings) parts.push_back(fmt::format("{} warning{}", warnings, warnings == 1 ? "" : "s"));
  return fmt::format("{}", fmt::join(parts, ", "));
}

bool want_color(std::string_view mode, int fd) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  return isatty(fd) != 0;
}

}  // namespace rubric::compiler
