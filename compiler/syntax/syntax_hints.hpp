// Hints that make a syntax diagnostic say what the author wrote: the token at
// an error, its "found …" label, where the previous token ended, and the
// clause keyword a misspelt word was probably meant to be. No PEGTL.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "compiler/diagnostics/source.hpp"

namespace rubric::compiler {

// Whether `c` may appear in a name: [A-Za-z0-9_].
bool is_ident_char(char c);
// The token at `offset`: a word (at most 40 characters of it), one UTF-8
// character, or an empty span at the end of the file.
span token_at(std::string_view text, file_id file, std::uint32_t offset);
// "found `advise`", "found a string", "found the end of the file".
std::string found_label(std::string_view text, span token);
// The end of the token before `offset`, skipping white space and comments;
// `crossed` is set when a line break lies between the two.
std::uint32_t previous_token_end(std::string_view text, std::uint32_t offset, bool& crossed);
// The declaration or clause keyword `word` is a near miss of, or empty.
std::string_view nearest_keyword(std::string_view word);

}  // namespace rubric::compiler
