// Shared by the libFuzzer harnesses: a failed property aborts with a message
// (libFuzzer then saves the input), and paths into the source tree.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace rubric::fuzz {

// A property the harness checks; on failure libFuzzer records a crash.
inline void require(bool ok, std::string_view what, std::string_view detail = {}) {
  if (ok) return;
  std::fprintf(stderr, "fuzz property failed: %.*s\n%.*s\n", static_cast<int>(what.size()), what.data(),
               static_cast<int>(detail.size()), detail.data());
  std::abort();
}

inline std::string source_path(std::string_view relative) { return std::string(RUBRIC_SOURCE_DIR) + "/" + std::string(relative); }

}  // namespace rubric::fuzz
