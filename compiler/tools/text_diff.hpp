// A unified diff of two texts, line by line (what `rubric fmt --check` prints
// for a file that is not formatted).
#pragma once

#include <string>
#include <string_view>

namespace rubric::compiler {

// `--- a/PATH` / `+++ b/PATH` headers, then hunks with `context` lines around
// each change. Empty when the texts are equal.
std::string unified_diff(std::string_view before, std::string_view after, const std::string& path, int context = 3);

}  // namespace rubric::compiler
