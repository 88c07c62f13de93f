// Reading the ACR facts files (../shared/acr/*.md) for the content tests: the
// file's path (the shared file beside the checkout when present, else the
// project's copy in tests/fixtures/acr/), and its Markdown tables, each with
// the headings it sits under. The content tests compare the encoded
// guidelines with these tables cell by cell.
#pragma once

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/pipeline/pipeline.hpp"
#include "runtime/graph.hpp"

namespace content_facts {

inline std::string shared_path(const std::string& file) { return RUBRIC_SOURCE_DIR "/../shared/acr/" + file; }
inline std::string copy_path(const std::string& file) { return RUBRIC_SOURCE_DIR "/tests/fixtures/acr/" + file; }

inline bool exists(const std::string& path) { return std::ifstream(path).good(); }

inline std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shared facts file when present (the source of truth), else the copy.
inline std::string path(const std::string& file) {
  return exists(shared_path(file)) ? shared_path(file) : copy_path(file);
}

inline std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The cells of a Markdown table row `| a | b |`.
inline std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line.substr(1));
  std::string cell;
  while (std::getline(in, cell, '|')) out.push_back(trim(cell));
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

struct table {
  std::string part;     // the `# ` heading above it
  std::string section;  // the `## ` heading above it
  std::string caption;  // the last line of prose above it ("2016 ratings:")
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;  // body rows, header and `---` line left out
};

// Every table of a facts file, in order.
inline std::vector<table> read_tables(const std::string& file) {
  std::ifstream in(path(file));
  std::vector<table> out;
  std::string line, part, section, caption;
  bool in_table = false;
  while (std::getline(in, line)) {
    if (line.rfind("|", 0) != 0) {
      in_table = false;
      if (line.rfind("# ", 0) == 0) part = line.substr(2);
      if (line.rfind("## ", 0) == 0) section = line.substr(3);
      if (!trim(line).empty()) caption = trim(line);
      continue;
    }
    if (!in_table) {
      out.push_back(table{part, section, caption, cells(line), {}});
      in_table = true;
      continue;
    }
    if (line.find("|---") != std::string::npos) continue;
    out.back().rows.push_back(cells(line));
  }
  return out;
}

// The first table whose part, section and caption start with the given text.
inline const table* find_table(const std::vector<table>& tables, const std::string& part, const std::string& section,
                               const std::string& caption = "") {
  for (const auto& t : tables)
    if (t.part.rfind(part, 0) == 0 && t.section.rfind(section, 0) == 0 && t.caption.rfind(caption, 0) == 0) return &t;
  return nullptr;
}

// Category abbreviations of the facts files → level ids of stdlib.acr.appropriateness.
inline std::string category_id(const std::string& abbreviation) {
  if (abbreviation == "UA") return "usually_appropriate";
  if (abbreviation == "MBA") return "may_be_appropriate";
  if (abbreviation == "MBA-D") return "may_be_appropriate_disagreement";
  if (abbreviation == "UNA") return "usually_not_appropriate";
  return "";
}

// An RRL as the facts files write it: the level's label, or "—" for none.
inline std::string rrl_label(const rubric::runtime::graph& g, std::int32_t level) {
  if (level < 0) return "—";
  return g.scales[std::size_t(g.radiation_scale)].levels[std::size_t(level)].label;
}

inline const rubric::runtime::procedure* find_procedure(const rubric::runtime::graph& g, const std::string& name) {
  for (const auto& p : g.procedures)
    if (p.name == name) return &p;
  return nullptr;
}

inline const rubric::runtime::rating* find_rating(const rubric::runtime::graph& g, const rubric::runtime::variant& v,
                                                  const std::string& name) {
  for (const auto& r : v.ratings)
    if (g.procedures[r.procedure].name == name) return &r;
  return nullptr;
}

inline const rubric::runtime::variant* find_variant(const rubric::runtime::graph& g, const std::string& id) {
  for (const auto& v : g.variants)
    if (v.id == id) return &v;
  return nullptr;
}

}  // namespace content_facts
