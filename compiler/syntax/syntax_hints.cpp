// Hints for syntax diagnostics: what token sits at an error, how to name it
// ("found `advise`"), where the previous token ended (to point at the end of
// a line where something is missing), and the keyword a misspelt word was
// probably meant to be. Plain text processing: no PEGTL.
#include "compiler/syntax/syntax_hints.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/diagnostics/suggest.hpp"

namespace rubric::compiler {

bool is_ident_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// The token at `offset`, for the "found …" label: a word, a string, one
// UTF-8 character, or the end of the file.
span token_at(std::string_view text, file_id file, std::uint32_t offset) {
  std::uint32_t end = offset;
  if (offset >= text.size()) return {file, offset, offset};
  if (is_ident_char(text[offset])) {
    while (end < text.size() && is_ident_char(text[end]) && end - offset < 40) ++end;
  } else {
    ++end;
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
  }
  return {file, offset, end};
}

std::string found_label(std::string_view text, span token) {
  if (token.begin >= text.size()) return "found the end of the file";
  std::string_view t = text.substr(token.begin, token.end - token.begin);
  if (t == "\n" || t == "\r") return "found the end of the line";
  if (t == "\"") return "found a string";
  if (is_ident_char(t.front())) {
    bool word_fits = token.end >= text.size() || !is_ident_char(text[token.end]);
    return fmt::format("found `{}{}`", t, word_fits ? "" : "…");
  }
  return fmt::format("found `{}`", t);
}

namespace {

// Where a `#` comment starts on the line [begin, end), or `end` if none
// (a `#` inside a string does not count).
std::size_t comment_start(std::string_view text, std::size_t begin, std::size_t end) {
  bool in_string = false;
  for (std::size_t i = begin; i < end; ++i) {
    if (in_string && text[i] == '\\') ++i;
    else if (text[i] == '"') in_string = !in_string;
    else if (!in_string && text[i] == '#') return i;
  }
  return end;
}

}  // namespace

// The end of the token before `offset`, skipping white space and comments;
// `crossed` tells whether a line break lies between them.
std::uint32_t previous_token_end(std::string_view text, std::uint32_t offset, bool& crossed) {
  crossed = false;
  std::size_t pos = std::min<std::size_t>(offset, text.size());
  while (pos > 0) {
    char c = text[pos - 1];
    if (c == ' ' || c == '\t' || c == '\r') {
      --pos;
    } else if (c == '\n') {
      crossed = true;
      std::size_t line_end = pos - 1;
      std::size_t line_begin = text.rfind('\n', line_end == 0 ? 0 : line_end - 1);
      line_begin = (line_begin == std::string_view::npos || line_end == 0) ? 0 : line_begin + 1;
      pos = comment_start(text, line_begin, line_end);
    } else {
      break;
    }
  }
  return static_cast<std::uint32_t>(pos);
}

namespace {

// Clause and declaration words, for "did you mean" on a misspelt keyword.
constexpr std::string_view suggestible_words[] = {
    "import", "enum", "scale", "level", "procedure", "patient", "criterion", "variant", "otherwise", "assume",
    "example", "source", "citation", "revised", "license", "radiation", "select", "range", "means", "modality",
    "region", "contrast", "code", "when", "rate", "advise", "next", "urgent", "evidence", "given", "expect",
    "score", "value", "integer"};

}  // namespace

std::string_view nearest_keyword(std::string_view word) {
  if (word.size() <= 2) return {};
  for (std::string_view candidate : suggestible_words) {
    if (word != candidate && edit_distance(word, candidate) <= (word.size() > 5 ? 2u : 1u)) return candidate;
  }
  return {};
}

}  // namespace rubric::compiler
