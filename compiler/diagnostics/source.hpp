// Source files and spans. The source manager owns every file's text; spans are
// byte offsets, and line/column are computed only when something is rendered.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::compiler {

using file_id = std::uint32_t;

// A half-open byte range [begin, end) in one file. Every AST node has one.
struct span {
  file_id file = 0;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

struct line_col {
  std::uint32_t line = 1;    // 1-based
  std::uint32_t column = 1;  // 1-based, counted in UTF-8 code points
};

class source_manager {
 public:
  // Adds a file whose text is already in memory; returns its id.
  file_id add(std::string path, std::string text);
  // Reads a file from disk; on failure returns false and leaves `error` set.
  bool load(const std::string& path, file_id& id, std::string& error);

  const std::string& path(file_id id) const { return files_[id].path; }
  std::string_view text(file_id id) const { return files_[id].text; }
  std::string_view text(span s) const;
  std::size_t file_count() const { return files_.size(); }

  line_col position(file_id id, std::uint32_t offset) const;
  line_col begin_of(span s) const { return position(s.file, s.begin); }
  // The text of the 1-based line `line`, without its line terminator.
  std::string_view line_text(file_id id, std::uint32_t line) const;
  // "path:line:col" of a span's start.
  std::string location(span s) const;
  // The byte offset of 1-based (line, column); clamps to the file's end.
  std::uint32_t offset_of(file_id id, std::uint32_t line, std::uint32_t column) const;
  // The file whose path is `path`, if loaded (to map graph locations back to spans).
  bool find(const std::string& path, file_id& id) const;

 private:
  struct file {
    std::string path;
    std::string text;
    std::vector<std::uint32_t> line_starts;  // offsets where each line begins
  };
  std::vector<file> files_;
};

}  // namespace rubric::compiler
