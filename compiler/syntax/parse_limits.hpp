// Limits the parser enforces before and while reading a file (docs/limits.md).
// The grammar's own limits (nesting, name, digit and string lengths) are
// constants in grammar/grammar.hpp; these are the ones checked around it.
#pragma once

#include <cstddef>

namespace rubric::compiler {

// The largest `.rubric` file accepted, in bytes (4 MiB): far above any
// guideline, small enough that a stray binary or log file is refused at once.
inline constexpr std::size_t max_file_bytes = std::size_t{4} << 20;
// After this many syntax errors in one file the parser stops reporting.
inline constexpr std::size_t max_syntax_errors = 50;

}  // namespace rubric::compiler
