// The `.rubric` files a command works on: each named file, and every `.rubric`
// file below each named folder (recursively, in sorted order, paths
// normalised so the same file is always spelled the same way).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rubric::cli {

// Appends the files to `files`. A path that does not exist is reported on
// stderr as "`{command}: `PATH` does not exist`" and makes the result false;
// the other paths are still collected.
bool collect_rubric_files(const std::vector<std::string>& paths, std::vector<std::string>& files,
                          std::string_view command);

}  // namespace rubric::cli
