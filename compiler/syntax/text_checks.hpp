// The checks that run before the grammar sees a file's text: its size
// (R0103), its UTF-8 encoding (R0101) and NUL bytes (R0102). No PEGTL.
#pragma once

#include <cstddef>
#include <string_view>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"

namespace rubric::compiler {

// The offset of the first byte that breaks UTF-8 (overlong forms, surrogates
// and code points past U+10FFFF included), or std::string_view::npos.
std::size_t invalid_utf8_at(std::string_view text);
// Reports the first problem with `text` (file `file`) and returns false, or
// returns true when the grammar may read it.
bool check_text(std::string_view text, file_id file, diagnostic_sink& sink);

}  // namespace rubric::compiler
