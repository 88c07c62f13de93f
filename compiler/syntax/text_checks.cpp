// The checks that run before the grammar sees a file: size, UTF-8, NUL bytes.
#include "compiler/syntax/text_checks.hpp"

#include <fmt/format.h>

#include <cstdint>

#include "compiler/syntax/parse_limits.hpp"

namespace rubric::compiler {

std::size_t invalid_utf8_at(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    // The number of continuation bytes and the payload bits of the lead byte.
    std::size_t more = 0;
    std::uint32_t cp = 0;
    if ((lead & 0xE0) == 0xC0) {
      more = 1;
      cp = lead & 0x1F;
    } else if ((lead & 0xF0) == 0xE0) {
      more = 2;
      cp = lead & 0x0F;
    } else if ((lead & 0xF8) == 0xF0) {
      more = 3;
      cp = lead & 0x07;
    } else {
      return i;
    }
    for (std::size_t k = 1; k <= more; ++k) {
      if (i + k >= s.size()) return i;
      auto next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (next & 0x3F);
    }
    bool overlong = (more == 1 && cp < 0x80) || (more == 2 && cp < 0x800) || (more == 3 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += more + 1;
  }
  return std::string_view::npos;
}

bool check_text(std::string_view text, file_id file, diagnostic_sink& sink) {
  if (text.size() > max_file_bytes) {
    sink.report(diag_code::file_too_large, {file, 0, 0},
                fmt::format("this file is {} bytes, more than the limit of {} bytes (4 MiB)", text.size(), max_file_bytes))
        .suggest("split the guideline into a library module and import it");
    return false;
  }
  if (std::size_t at = invalid_utf8_at(text); at != std::string_view::npos) {
    auto offset = static_cast<std::uint32_t>(at);
    sink.report(diag_code::invalid_utf8, {file, offset, offset + 1},
                fmt::format("this file is not valid UTF-8 text: byte 0x{:02X} cannot appear here",
                            static_cast<unsigned char>(text[at])))
        .suggest("save the file as UTF-8");
    return false;
  }
  if (std::size_t at = text.find('\0'); at != std::string_view::npos) {
    auto offset = static_cast<std::uint32_t>(at);
    sink.report(diag_code::nul_byte, {file, offset, offset + 1}, "this file contains a NUL byte")
        .note("a `.rubric` file is plain text; NUL bytes usually mean a binary file or a wrong encoding such as UTF-16")
        .suggest("save the file as UTF-8");
    return false;
  }
  return true;
}


}  // namespace rubric::compiler
