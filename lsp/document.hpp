// An open text document: its text, version and the line table that maps LSP
// positions (0-based line, UTF-16 code units) to byte offsets and back. The
// compiler counts bytes; the protocol counts UTF-16 units (☢ is 3 bytes, 1 unit).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::lsp {

struct position {
  std::uint32_t line = 0;
  std::uint32_t character = 0;  // UTF-16 code units
  bool operator==(const position&) const = default;
};

struct range {
  position start, end;
};

// Line starts of a text, for converting offsets and positions.
class line_table {
 public:
  explicit line_table(std::string_view text);
  // Clamps positions past a line's end or the text's end.
  std::uint32_t offset_of(std::string_view text, position p) const;
  position position_of(std::string_view text, std::uint32_t offset) const;
  std::size_t line_count() const { return starts_.size(); }
  std::uint32_t line_start(std::size_t line) const { return starts_[line]; }

 private:
  std::vector<std::uint32_t> starts_;
};

class document {
 public:
  document(std::string uri, std::string path, std::string text, std::int64_t version);

  const std::string& uri() const { return uri_; }
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  std::int64_t version() const { return version_; }
  const line_table& lines() const { return lines_; }

  // Replaces the whole text (a full-sync change).
  void replace(std::string text, std::int64_t version);
  // Replaces `r` with `text` (an incremental change).
  void edit(const range& r, std::string_view text, std::int64_t version);

  std::uint32_t offset_of(position p) const { return lines_.offset_of(text_, p); }
  position position_of(std::uint32_t offset) const { return lines_.position_of(text_, offset); }

 private:
  std::string uri_, path_, text_;
  std::int64_t version_ = 0;
  line_table lines_;
};

// file:///a/b%20c.rubric ↔ /a/b c.rubric (non-file URIs keep their text).
std::string path_from_uri(std::string_view uri);
std::string uri_from_path(std::string_view path);

}  // namespace rubric::lsp
