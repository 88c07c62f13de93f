// Collecting `.rubric` files from the command line's files and folders.
#include "cli/source_files.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

namespace rubric::cli {

namespace fs = std::filesystem;

bool collect_rubric_files(const std::vector<std::string>& paths, std::vector<std::string>& files,
                          std::string_view command) {
  bool ok = true;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
           !ec && it != end; it.increment(ec)) {
        if (it->is_regular_file(ec) && it->path().extension() == ".rubric")
          found.push_back(it->path().lexically_normal().string());
      }
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else if (fs::exists(p, ec)) {
      files.push_back(p);
    } else {
      fmt::print(stderr, "{}: `{}` does not exist\n", command, p);
      ok = false;
    }
  }
  return ok;
}

}  // namespace rubric::cli
