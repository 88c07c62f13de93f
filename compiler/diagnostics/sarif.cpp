// SARIF 2.1.0: sarifLog → runs[1] → tool.driver (name, version, rules) and
// results (ruleId, ruleIndex, level, message.text, locations, relatedLocations).
// Columns count Unicode code points, as the run's columnKind says.
#include "compiler/diagnostics/sarif.hpp"

#include <fmt/format.h>

#include <cctype>
#include <filesystem>

#include "runtime/json_writer.hpp"

namespace rubric::compiler {

using runtime::json_writer;

namespace {

constexpr const char* schema_uri = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

// SARIF has no "info": the closest level is "note".
std::string_view sarif_level(severity s) {
  switch (s) {
    case severity::error: return "error";
    case severity::warning: return "warning";
    case severity::info: return "note";
  }
  return "error";
}

// Whether a span starts and ends on UTF-8 character boundaries (SARIF is UTF-8 JSON).
bool whole_characters(std::string_view file, span s) {
  auto continuation = [&](std::uint32_t at) {
    return at < file.size() && (static_cast<unsigned char>(file[at]) & 0xC0) == 0x80;
  };
  return !continuation(s.begin) && !continuation(s.end);
}

bool is_absolute(const std::string& path) { return !path.empty() && path.front() == '/'; }

void write_physical(json_writer& w, const source_manager& sources, span s) {
  line_col b = sources.begin_of(s);
  line_col e = sources.position(s.file, s.end);
  const std::string& path = sources.path(s.file);
  w.key("physicalLocation").begin_object();
  w.key("artifactLocation").begin_object();
  w.key("uri").value(path_to_uri(path));
  if (!is_absolute(path)) w.key("uriBaseId").value("%SRCROOT%");
  w.end_object();
  w.key("region").begin_object();
  w.key("startLine").value(b.line);
  w.key("startColumn").value(b.column);
  w.key("endLine").value(std::max(e.line, b.line));
  w.key("endColumn").value(e.line > b.line ? e.column : std::max(e.column, b.column));
  // The snippet is the region's exact text; long regions (a whole variant) go without.
  std::string_view text = sources.text(s);
  if (!text.empty() && text.size() <= 400 && whole_characters(sources.text(s.file), s))
    w.key("snippet").begin_object().key("text").value(text).end_object();
  w.end_object();
  w.end_object();
}

// The full message: the one-line message, then notes and help, as the text renderer shows them.
std::string full_text(const diagnostic& d) {
  std::string text = d.message;
  for (const std::string& n : d.notes) text += "\nnote: " + n;
  for (const std::string& h : d.help) text += "\nhelp: " + h;
  return text;
}

std::string root_uri(const sarif_options& options) {
  std::string root = options.source_root;
  if (root.empty()) {
    std::error_code ec;
    root = std::filesystem::current_path(ec).string();
  }
  std::string uri = path_to_uri(root);
  if (uri.empty() || uri.back() != '/') uri += '/';  // a base URI must end with a slash
  return uri;
}

}  // namespace

std::string path_to_uri(const std::string& path) {
  std::string out = is_absolute(path) ? "file://" : "";
  for (unsigned char c : path) {
    bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '.' || c == '_' || c == '~';
    if (plain) out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string render_sarif(const source_manager& sources, const std::vector<diagnostic>& ds,
                         const sarif_options& options) {
  json_writer w(true);
  w.begin_object();
  w.key("$schema").value(schema_uri);
  w.key("version").value("2.1.0");
  w.key("runs").begin_array().begin_object();

  w.key("tool").begin_object().key("driver").begin_object();
  w.key("name").value("rubric");
  if (!options.tool_version.empty()) {
    w.key("version").value(options.tool_version);
    w.key("semanticVersion").value(options.tool_version);
  }
  w.key("rules").begin_array();
  for (const diag_info& i : all_diagnostics()) {
    w.begin_object();
    w.key("id").value(i.code);
    w.key("name").value(i.name);
    w.key("shortDescription").begin_object().key("text").value(i.summary).end_object();
    w.key("help").begin_object()
        .key("text").value(fmt::format("See docs/lints.md and docs/diagnostics.md for {}: a bad and a fixed example.", i.code))
        .end_object();
    w.key("defaultConfiguration").begin_object().key("level").value(sarif_level(i.default_severity)).end_object();
    w.end_object();
  }
  w.end_array();
  w.end_object().end_object();  // driver, tool

  w.key("originalUriBaseIds").begin_object();
  w.key("%SRCROOT%").begin_object().key("uri").value(root_uri(options)).end_object();
  w.end_object();
  w.key("columnKind").value("unicodeCodePoints");

  w.key("results").begin_array();
  for (const diagnostic& d : ds) {
    w.begin_object();
    w.key("ruleId").value(info(d.code).code);
    w.key("ruleIndex").value(static_cast<std::uint64_t>(d.code));
    w.key("level").value(sarif_level(d.level));
    w.key("message").begin_object().key("text").value(full_text(d)).end_object();
    w.key("locations").begin_array();
    if (d.primary.file < sources.file_count()) {
      w.begin_object();
      write_physical(w, sources, d.primary);
      if (!d.primary_label.empty()) w.key("message").begin_object().key("text").value(d.primary_label).end_object();
      w.end_object();
    }
    w.end_array();
    w.key("relatedLocations").begin_array();
    int id = 1;
    for (const labelled_span& s : d.secondary) {
      if (s.where.file >= sources.file_count()) continue;
      w.begin_object();
      w.key("id").value(id++);
      write_physical(w, sources, s.where);
      w.key("message").begin_object().key("text").value(s.label.empty() ? std::string("related") : s.label).end_object();
      w.end_object();
    }
    w.end_array();
    w.key("properties").begin_object();
    write_notes_and_help(w, d);
    w.end_object();
    w.end_object();
  }
  w.end_array();

  w.end_object().end_array();  // run, runs
  w.end_object();
  return w.take() + "\n";
}

}  // namespace rubric::compiler
