// Open documents and LSP positions (see document.hpp).
#include "lsp/document.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>

namespace rubric::lsp {

namespace {

// Bytes in the UTF-8 sequence led by `c` (1 for stray continuation bytes).
std::uint32_t utf8_length(unsigned char c) {
  if (c >= 0xF0) return 4;
  if (c >= 0xE0) return 3;
  if (c >= 0xC0) return 2;
  return 1;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

line_table::line_table(std::string_view text) {
  starts_.push_back(0);
  for (std::uint32_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') starts_.push_back(i + 1);
}

std::uint32_t line_table::offset_of(std::string_view text, position p) const {
  if (p.line >= starts_.size()) return static_cast<std::uint32_t>(text.size());
  std::uint32_t offset = starts_[p.line];
  std::uint32_t end = p.line + 1 < starts_.size() ? starts_[p.line + 1] - 1 : static_cast<std::uint32_t>(text.size());
  std::uint32_t units = 0;
  while (offset < end && units < p.character) {
    std::uint32_t n = utf8_length(static_cast<unsigned char>(text[offset]));
    units += n == 4 ? 2 : 1;  // outside the BMP: a surrogate pair
    offset = std::min(offset + n, end);
  }
  return offset;
}

position line_table::position_of(std::string_view text, std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text.size()));
  auto it = std::upper_bound(starts_.begin(), starts_.end(), offset);
  std::uint32_t line = static_cast<std::uint32_t>(it - starts_.begin()) - 1;
  std::uint32_t units = 0;
  for (std::uint32_t i = starts_[line]; i < offset;) {
    std::uint32_t n = utf8_length(static_cast<unsigned char>(text[i]));
    units += n == 4 ? 2 : 1;
    i += n;
  }
  return {line, units};
}

document::document(std::string uri, std::string path, std::string text, std::int64_t version)
    : uri_(std::move(uri)), path_(std::move(path)), text_(std::move(text)), version_(version), lines_(text_) {}

void document::replace(std::string text, std::int64_t version) {
  text_ = std::move(text);
  version_ = version;
  lines_ = line_table(text_);
}

void document::edit(const range& r, std::string_view text, std::int64_t version) {
  std::uint32_t begin = offset_of(r.start);
  std::uint32_t end = std::max(begin, offset_of(r.end));
  text_.replace(begin, end - begin, text);
  version_ = version;
  lines_ = line_table(text_);
}

std::string path_from_uri(std::string_view uri) {
  constexpr std::string_view scheme = "file://";
  if (uri.substr(0, scheme.size()) != scheme) return std::string(uri);
  uri.remove_prefix(scheme.size());
  std::string out;
  for (std::size_t i = 0; i < uri.size(); ++i) {
    if (uri[i] == '%' && i + 2 < uri.size() && hex_value(uri[i + 1]) >= 0 && hex_value(uri[i + 2]) >= 0) {
      out += static_cast<char>(hex_value(uri[i + 1]) * 16 + hex_value(uri[i + 2]));
      i += 2;
    } else {
      out += uri[i];
    }
  }
  return out;
}

std::string uri_from_path(std::string_view path) {
  std::string absolute = std::filesystem::absolute(std::filesystem::path(path)).lexically_normal().string();
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (unsigned char c : absolute) {
    bool plain = std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~';
    if (plain) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

}  // namespace rubric::lsp
