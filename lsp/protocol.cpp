// LSP JSON conversions (see protocol.hpp).
#include "lsp/protocol.hpp"

#include <filesystem>

#include "compiler/sema/modules.hpp"

namespace rubric::lsp {

namespace fs = std::filesystem;

json to_json(const position& p) { return {{"line", p.line}, {"character", p.character}}; }
json to_json(const range& r) { return {{"start", to_json(r.start)}, {"end", to_json(r.end)}}; }

position position_from_json(const json& j) {
  return {j.at("line").get<std::uint32_t>(), j.at("character").get<std::uint32_t>()};
}
range range_from_json(const json& j) { return {position_from_json(j.at("start")), position_from_json(j.at("end"))}; }

const line_table& span_mapper::table(compiler::file_id file) {
  auto it = tables_.find(file);
  if (it == tables_.end()) it = tables_.emplace(file, line_table(sources_.text(file))).first;
  return it->second;
}

range span_mapper::to_range(compiler::span s) {
  const line_table& t = table(s.file);
  std::string_view text = sources_.text(s.file);
  return {t.position_of(text, s.begin), t.position_of(text, s.end)};
}

json span_mapper::location(compiler::span s) { return {{"uri", uri(s.file)}, {"range", range_json(s)}}; }

std::string span_mapper::uri(compiler::file_id file) const { return uri_from_path(normal_path(sources_.path(file))); }

std::uint32_t span_mapper::offset_of(compiler::file_id file, position p) {
  return table(file).offset_of(sources_.text(file), p);
}

std::string normal_path(const std::string& path) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(path, ec), ec);
  if (ec) return fs::absolute(path).lexically_normal().string();
  return p.string();
}

std::string docs_link(const compiler::diagnostic& d) {
  const auto& i = compiler::info(d.code);
  std::string anchor;
  for (char c : i.code) anchor += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  anchor += "-";
  anchor += i.name;
  return uri_from_path((fs::path(compiler::stdlib_root()) / "docs" / "diagnostics.md").string()) + "#" + anchor;
}

namespace {

int lsp_severity(compiler::severity s) {
  switch (s) {
    case compiler::severity::error: return 1;
    case compiler::severity::warning: return 2;
    case compiler::severity::info: return 3;
  }
  return 1;
}

// "did you mean `X`?" → X.
std::optional<std::string> suggestion(const std::string& help) {
  constexpr std::string_view lead = "did you mean `";
  if (help.rfind(lead, 0) != 0) return std::nullopt;
  std::size_t end = help.rfind("`?");
  if (end == std::string::npos || end < lead.size()) return std::nullopt;
  return help.substr(lead.size(), end - lead.size());
}

}  // namespace

json to_lsp_diagnostic(span_mapper& spans, const compiler::diagnostic& d) {
  std::string message = d.message;
  if (!d.primary_label.empty()) message += " (" + d.primary_label + ")";
  json data = json::object();
  for (const auto& note : d.notes) {
    message += "\nnote: " + note;
    // The verifier's counterexample: "…: given a = 1, b = {}" and "as patient JSON: {…}".
    constexpr std::string_view json_lead = "as patient JSON: ";
    if (note.rfind(json_lead, 0) == 0) {
      json patient = json::parse(note.substr(json_lead.size()), nullptr, false);
      if (!patient.is_discarded()) data["patient"] = patient;
    } else if (auto at = note.find(": given "); at != std::string::npos) {
      data["given"] = note.substr(at + 8);
      data["patientLead"] = note.substr(0, at);
    }
  }
  for (const auto& help : d.help) {
    message += "\nhelp: " + help;
    if (auto fix = suggestion(help); fix && !data.contains("fix"))
      data["fix"] = {{"range", spans.range_json(d.primary)}, {"newText", *fix}};
  }
  const auto& i = compiler::info(d.code);
  json out = {{"range", spans.range_json(d.primary)},
              {"severity", lsp_severity(d.level)},
              {"code", std::string(i.code)},
              {"codeDescription", {{"href", docs_link(d)}}},
              {"source", "rubric"},
              {"message", message}};
  if (!d.secondary.empty()) {
    json related = json::array();
    for (const auto& s : d.secondary)
      related.push_back({{"location", spans.location(s.where)}, {"message", s.label.empty() ? "related" : s.label}});
    out["relatedInformation"] = related;
  }
  if (!data.empty()) out["data"] = data;
  return out;
}

}  // namespace rubric::lsp
