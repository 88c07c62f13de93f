// Source manager: file text and line tables.
#include "compiler/diagnostics/source.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace rubric::compiler {

file_id source_manager::add(std::string path, std::string text) {
  file f{std::move(path), std::move(text), {0}};
  for (std::uint32_t i = 0; i < f.text.size(); ++i) {
    if (f.text[i] == '\n') f.line_starts.push_back(i + 1);
  }
  files_.push_back(std::move(f));
  return static_cast<file_id>(files_.size() - 1);
}

bool source_manager::load(const std::string& path, file_id& id, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open `" + path + "`";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  id = add(path, buffer.str());
  return true;
}

std::string_view source_manager::text(span s) const {
  std::string_view all = files_[s.file].text;
  if (s.begin > all.size()) return {};
  return all.substr(s.begin, std::min<std::size_t>(s.end, all.size()) - s.begin);
}

line_col source_manager::position(file_id id, std::uint32_t offset) const {
  const file& f = files_[id];
  auto it = std::upper_bound(f.line_starts.begin(), f.line_starts.end(), offset);
  auto line = static_cast<std::uint32_t>(it - f.line_starts.begin());
  std::uint32_t start = f.line_starts[line - 1];
  // A byte-order mark is not a column the author can see.
  if (line == 1 && f.text.compare(0, 3, "\xEF\xBB\xBF") == 0 && offset >= 3) start = 3;
  std::uint32_t column = 1;
  std::uint32_t stop = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(f.text.size()));
  for (std::uint32_t i = start; i < stop; ++i) {
    // Count code points: skip UTF-8 continuation bytes.
    if ((static_cast<unsigned char>(f.text[i]) & 0xC0) != 0x80) ++column;
  }
  return {line, column};
}

std::string_view source_manager::line_text(file_id id, std::uint32_t line) const {
  const file& f = files_[id];
  if (line == 0 || line > f.line_starts.size()) return {};
  std::uint32_t start = f.line_starts[line - 1];
  std::uint32_t stop = line < f.line_starts.size() ? f.line_starts[line] : static_cast<std::uint32_t>(f.text.size());
  std::string_view text = std::string_view(f.text).substr(start, stop - start);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
  return text;
}

std::string source_manager::location(span s) const {
  line_col lc = begin_of(s);
  return path(s.file) + ":" + std::to_string(lc.line) + ":" + std::to_string(lc.column);
}

std::uint32_t source_manager::offset_of(file_id id, std::uint32_t line, std::uint32_t column) const {
  const file& f = files_[id];
  if (line == 0) return 0;
  if (line > f.line_starts.size()) return static_cast<std::uint32_t>(f.text.size());
  std::uint32_t offset = f.line_starts[line - 1];
  if (line == 1 && f.text.compare(0, 3, "\xEF\xBB\xBF") == 0) offset = 3;  // columns start after a BOM
  for (std::uint32_t c = 1; c < column && offset < f.text.size() && f.text[offset] != '\n'; ++c) {
    ++offset;  // step one code point: skip its continuation bytes
    while (offset < f.text.size() && (static_cast<unsigned char>(f.text[offset]) & 0xC0) == 0x80) ++offset;
  }
  return offset;
}

bool source_manager::find(const std::string& path, file_id& id) const {
  for (std::size_t i = 0; i < files_.size(); ++i) {
    if (files_[i].path == path) {
      id = static_cast<file_id>(i);
      return true;
    }
  }
  return false;
}

}  // namespace rubric::compiler
