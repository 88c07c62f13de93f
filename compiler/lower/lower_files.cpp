// The source paths a decision graph records: each module's path under its
// search root (`stdlib/acr.rubric`, `acr/low_back_pain.rubric`), so the graph
// does not depend on the folder the compiler ran in. A file whose module name
// does not match its path (text given in memory) keeps the path it was given.
#include <filesystem>

#include "compiler/lower/lower.hpp"

namespace rubric::compiler {

namespace {

// `acr.low_back_pain` → `acr/low_back_pain.rubric`.
std::filesystem::path path_under_root(const std::string& module_name) {
  std::filesystem::path p;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = module_name.find('.', start);
    p /= module_name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  p += ".rubric";
  return p;
}

// Whether `file` ends with the path components of `tail`.
bool ends_with_path(const std::filesystem::path& file, const std::filesystem::path& tail) {
  std::vector<std::filesystem::path> a(file.begin(), file.end()), b(tail.begin(), tail.end());
  if (b.size() > a.size()) return false;
  return std::equal(b.begin(), b.end(), a.end() - static_cast<std::ptrdiff_t>(b.size()));
}

}  // namespace

std::vector<std::string> graph_file_paths(const sema::program& p) {
  std::vector<std::string> out;
  for (std::size_t f = 0; f < p.sources->file_count(); ++f) out.push_back(p.sources->path(static_cast<file_id>(f)));
  for (const ast::module& m : *p.modules) {
    if (m.file >= out.size()) continue;
    std::filesystem::path under = path_under_root(m.head.module.text);
    if (ends_with_path(std::filesystem::path(out[m.file]).lexically_normal(), under)) out[m.file] = under.generic_string();
  }
  return out;
}

}  // namespace rubric::compiler
