// Quick fixes for the diagnostics the client sends back with the request:
// apply a "did you mean"; add a lint finding's counterexample patient as an
// `example` whose `expect` lines are the runtime's answer for that patient;
// add a missing `otherwise` for a coverage gap; silence a lint with a reason.
#include <fmt/format.h>

#include "compiler/tools/format.hpp"
#include "lsp/features.hpp"
#include "lsp/protocol.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"

namespace rubric::lsp {

namespace ast = compiler::ast;

namespace {

json action(const std::string& title, const document& doc, json edits, const json& diagnostic, bool preferred = false) {
  json a = {{"title", title},
            {"kind", "quickfix"},
            {"diagnostics", json::array({diagnostic})},
            {"edit", {{"changes", {{doc.uri(), std::move(edits)}}}}}};
  if (preferred) a["isPreferred"] = true;
  return a;
}

json insertion(const document& doc, std::uint32_t offset, const std::string& text) {
  position p = doc.position_of(offset);
  return {{"range", to_json(range{p, p})}, {"newText", text}};
}

// Text to append at the end of the document, starting on a fresh line after one blank line.
json append(const document& doc, const std::string& block) {
  const std::string& t = doc.text();
  std::string lead = t.empty() || t.back() == '\n' ? "\n" : "\n\n";
  return insertion(doc, static_cast<std::uint32_t>(t.size()), lead + block);
}

// The `expect` lines that state what the runtime answers for `p`.
std::vector<std::string> expectations(const runtime::graph& g, const runtime::evaluation& e) {
  std::vector<std::string> out;
  out.push_back(std::string("expect status ") + std::string(runtime::status_name(e.result)));
  if (e.result == runtime::status::matched && e.selected.size() == 1) {
    const runtime::variant& v = g.variants[e.selected[0]];
    out.push_back("expect variant " + v.id);
    if (g.rating_scale >= 0) {
      const auto& levels = g.scales[static_cast<std::size_t>(g.rating_scale)].levels;
      for (const auto& r : v.ratings)
        out.push_back("expect " + compiler::quote(g.procedures[r.procedure].name) + " " + levels[r.level].label);
    }
  } else if (e.result == runtime::status::undetermined) {
    std::vector<std::string> missing, candidates;
    for (auto slot : e.missing) missing.push_back(g.facts[slot].id);
    for (auto v : e.candidates) candidates.push_back(g.variants[v].id);
    if (!missing.empty()) out.push_back(fmt::format("expect missing {}", fmt::join(missing, ", ")));
    if (!candidates.empty()) out.push_back(fmt::format("expect candidates {}", fmt::join(candidates, ", ")));
  }
  return out;
}

std::optional<json> example_action(const analysis& a, const document& doc, const json& d) {
  const json& data = d["data"];
  if (!data.contains("patient") || !data.contains("given") || !a.result->graph) return std::nullopt;
  const runtime::graph& g = *a.result->graph;
  runtime::patient_decoder decoder(g);
  runtime::patient p;
  std::string error;
  if (!decoder.decode(data["patient"].dump(), p, error)) return std::nullopt;
  runtime::evaluation e;
  runtime::evaluate(g, p, e);
  std::string message = d.value("message", "");
  message = message.substr(0, message.find('\n'));
  std::string title = fmt::format("{} {}", d.value("code", "lint"), message);
  std::string block = "example " + compiler::quote(title) + "\n  given " + data["given"].get<std::string>() + "\n";
  for (const auto& line : expectations(g, e)) block += "  " + line + "\n";
  return action("Add this patient as an example (the runtime answers " +
                    std::string(runtime::status_name(e.result)) + ")",
                doc, json::array({append(doc, block)}), d);
}

std::optional<json> otherwise_action(const analysis& a, const document& doc, const json& d) {
  if (d.value("code", "") != "R0504" || a.result->modules.empty()) return std::nullopt;
  const ast::module& m = a.result->modules[0];
  if (!m.otherwise.empty() || m.variants.empty()) return std::nullopt;
  // After the last variant, where a reader looks for it.
  std::uint32_t end = m.variants.back().where.end;
  const std::string& t = doc.text();
  std::size_t eol = t.find('\n', end);
  std::uint32_t at = eol == std::string::npos ? static_cast<std::uint32_t>(t.size()) : static_cast<std::uint32_t>(eol + 1);
  std::string block =
      "\notherwise \"No variant applies\"\n"
      "  advise \"No variant of this guideline covers these facts: check them, and reassess the clinical picture.\"\n";
  if (eol == std::string::npos) block = "\n" + block;
  return action("Add an `otherwise` outcome for patients no variant covers", doc, json::array({insertion(doc, at, block)}), d);
}

std::optional<json> silence_action(const document& doc, const json& d) {
  std::string code = d.value("code", "");
  int severity = d.value("severity", 1);
  if (severity == 1 || (code.rfind("R05", 0) != 0 && code.rfind("R06", 0) != 0)) return std::nullopt;
  range r = range_from_json(d.at("range"));
  std::uint32_t line_start = doc.lines().line_start(std::min<std::size_t>(r.start.line, doc.lines().line_count() - 1));
  const std::string& t = doc.text();
  std::size_t indent = t.find_first_not_of(" \t", line_start);
  std::string lead = t.substr(line_start, (indent == std::string::npos ? t.size() : indent) - line_start);
  std::string message = d.value("message", "");
  message = message.substr(0, message.find('\n'));
  std::string comment = lead + "# rubric: allow(" + code + ") reviewed: " + message + "\n";
  return action("Silence " + code + " here, with a reason", doc, json::array({insertion(doc, line_start, comment)}), d);
}

}  // namespace

json code_actions(const analysis& a, const document& doc, const json& params) {
  json out = json::array();
  if (!params.contains("context") || !params["context"].contains("diagnostics")) return out;
  for (const auto& d : params["context"]["diagnostics"]) {
    if (d.value("source", "") != "rubric") continue;
    json data = d.contains("data") ? d["data"] : json::object();
    if (data.contains("fix")) {
      std::string text = data["fix"].value("newText", "");
      out.push_back(action("Replace with `" + text + "`", doc, json::array({data["fix"]}), d, true));
    }
    if (auto x = example_action(a, doc, d)) out.push_back(*x);
    if (auto x = otherwise_action(a, doc, d)) out.push_back(*x);
    if (auto x = silence_action(doc, d)) out.push_back(*x);
  }
  return out;
}

}  // namespace rubric::lsp
