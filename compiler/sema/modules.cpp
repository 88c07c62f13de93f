// Module loading: root file, imports on the search path, name/path agreement
// and import cycles. See modules.hpp.
#include "compiler/sema/modules.hpp"

#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <system_error>

#include "compiler/syntax/parser.hpp"

namespace fs = std::filesystem;

namespace rubric::compiler {

std::string stdlib_root() {
  if (const char* home = std::getenv("RUBRIC_HOME"); home != nullptr && *home != '\0') return home;
#ifdef RUBRIC_SOURCE_DIR
  return RUBRIC_SOURCE_DIR;
#else
  return ".";
#endif
}

namespace {

std::vector<std::string> split_dotted(const std::string& name) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = name.find('.', start);
    parts.push_back(name.substr(start, dot == std::string::npos ? std::string::npos : dot - start));
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts;
}

// `stdlib.spine` → `stdlib/spine.rubric`.
fs::path relative_path_of(const std::string& module_name) {
  fs::path p;
  for (const auto& part : split_dotted(module_name)) p /= part;
  p += ".rubric";
  return p;
}

// Paths are shown relative to the working directory when that is shorter,
// so messages (and golden files) do not depend on where the tree lives.
std::string display_path(const fs::path& p) {
  std::error_code ec;
  fs::path rel = fs::proximate(p, ec);
  if (ec || rel.empty()) return p.lexically_normal().string();
  return rel.string();
}

// The folder from which `module_name` matches `file`, if it does.
bool root_of(const std::string& file, const std::string& module_name, fs::path& root) {
  fs::path p = fs::path(file).lexically_normal();
  if (p.extension() != ".rubric") return false;
  p.replace_extension();
  auto parts = split_dotted(module_name);
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    if (p.filename() != *it) return false;
    p = p.parent_path();
  }
  root = p.empty() ? fs::path(".") : p;
  return true;
}

fs::path canonical_or_same(const fs::path& p) {
  std::error_code ec;
  fs::path c = fs::weakly_canonical(p, ec);
  return ec ? p : c;
}

class loader {
 public:
  loader(source_manager& sources, const std::vector<std::string>& include_paths, std::vector<ast::module>& modules,
         diagnostic_sink& sink)
      : sources_(sources), include_paths_(include_paths), modules_(modules), sink_(sink) {}

  bool run(file_id root) {
    auto parsed = parse_module(sources_, root, sink_);
    if (!parsed) return false;
    add(std::move(*parsed), canonical_or_same(sources_.path(root)), "");
    // Breadth-first over imports; modules_ grows as we go.
    for (std::size_t i = 0; i < modules_.size(); ++i) {
      for (std::size_t k = 0; k < modules_[i].imports.size(); ++k) import_one(i, k);
    }
    find_cycles();
    return true;
  }

 private:
  void add(ast::module m, const fs::path& canonical, const std::string& expected_name) {
    const std::string& name = m.head.module.text;
    fs::path root;
    bool matches = root_of(sources_.path(m.file), name, root);
    if (!matches) {
      root = fs::path(sources_.path(m.file)).parent_path();
      if (root.empty()) root = ".";
    }
    // In-memory text (stdin, tests) has no path to agree with.
    if (!matches && fs::path(sources_.path(m.file)).extension() == ".rubric") {
      auto& d = sink_.report(diag_code::module_name_mismatch, m.head.module.where,
                             "module `" + name + "` does not match its file path `" + sources_.path(m.file) + "`");
      d.note("a module's dotted name is its path under a search root: `" + name + "` lives in `" +
             relative_path_of(name).string() + "`");
      d.suggest("rename the module to `" + fs::path(sources_.path(m.file)).stem().string() +
                "` or move the file to match its name");
    } else if (!expected_name.empty() && name != expected_name) {
      // Cannot happen when the path matched; kept for clarity.
      sink_.report(diag_code::module_name_mismatch, m.head.module.where,
                   "module `" + name + "` was imported as `" + expected_name + "`");
    }
    by_name_.emplace(name, modules_.size());
    by_path_.emplace(canonical.string(), modules_.size());
    roots_.push_back(root);
    modules_.push_back(std::move(m));
    edges_.emplace_back();
  }

  void import_one(std::size_t importer, std::size_t k) {
    // Copies: modules_ may grow (and move) below.
    const ast::import_decl imp = modules_[importer].imports[k];
    const std::string name = imp.module.text;
    if (auto it = by_name_.find(name); it != by_name_.end()) {
      edges_[importer].push_back({it->second, k});
      return;
    }
    if (failed_.count(name)) return;  // already reported once
    std::vector<fs::path> candidates;
    fs::path rel = relative_path_of(name);
    candidates.push_back(fs::path(stdlib_root()) / rel);
    candidates.push_back(roots_[importer] / rel);
    for (const auto& dir : include_paths_) candidates.push_back(fs::path(dir) / rel);
    for (const auto& c : candidates) {
      std::error_code ec;
      if (!fs::is_regular_file(c, ec)) continue;
      fs::path canonical = canonical_or_same(c);
      if (auto it = by_path_.find(canonical.string()); it != by_path_.end()) {
        // The same file under another name (e.g. the root file itself).
        edges_[importer].push_back({it->second, k});
        by_name_.emplace(name, it->second);
        return;
      }
      file_id id = 0;
      std::string error;
      if (!sources_.load(display_path(c), id, error)) continue;
      auto parsed = parse_module(sources_, id, sink_);
      if (!parsed) {
        failed_.insert(name);
        return;
      }
      std::size_t index = modules_.size();
      if (parsed->head.module.text != name) {
        auto& d = sink_.report(diag_code::module_name_mismatch, parsed->head.module.where,
                               "module `" + parsed->head.module.text + "` does not match its file path `" +
                                   sources_.path(id) + "`");
        d.also(imp.module.where, "imported here as `" + name + "`");
        d.suggest("rename the module to `" + name + "`");
        failed_.insert(name);
        return;
      }
      add(std::move(*parsed), canonical, name);
      edges_[importer].push_back({index, k});
      return;
    }
    failed_.insert(name);
    auto& d = sink_.report(diag_code::module_not_found, imp.module.where, "module `" + name + "` was not found");
    d.label("no `" + rel.string() + "` on the search path");
    std::string searched;
    for (const auto& c : candidates) searched += (searched.empty() ? "`" : ", `") + display_path(c) + "`";
    d.note("searched " + searched);
    d.suggest("check the spelling, or add the folder that holds `" + rel.string() + "` with `-I DIR`");
  }

  // Depth-first search for back edges; each cycle is reported once, at the
  // import that closes it, with every other import of the cycle as a note.
  void find_cycles() {
    std::vector<int> state(modules_.size(), 0);  // 0 new, 1 on stack, 2 done
    std::vector<std::pair<std::size_t, std::size_t>> stack;  // (module, import index used)
    for (std::size_t start = 0; start < modules_.size(); ++start) {
      if (state[start] == 0) visit(start, state, stack);
    }
  }

  void visit(std::size_t m, std::vector<int>& state, std::vector<std::pair<std::size_t, std::size_t>>& stack) {
    state[m] = 1;
    for (const auto& [target, k] : edges_[m]) {
      if (state[target] == 1) {
        report_cycle(m, k, target, stack);
      } else if (state[target] == 0) {
        stack.push_back({m, k});
        visit(target, state, stack);
        stack.pop_back();
      }
    }
    state[m] = 2;
  }

  void report_cycle(std::size_t m, std::size_t k, std::size_t target,
                    const std::vector<std::pair<std::size_t, std::size_t>>& stack) {
    std::size_t from = 0;
    while (from < stack.size() && stack[from].first != target) ++from;
    std::string chain;
    std::vector<std::pair<std::size_t, std::size_t>> links(stack.begin() + static_cast<std::ptrdiff_t>(from), stack.end());
    for (const auto& link : links) chain += "`" + modules_[link.first].head.module.text + "` → ";
    chain += "`" + modules_[m].head.module.text + "` → `" + modules_[target].head.module.text + "`";
    const auto& closing = modules_[m].imports[k];
    auto& d = sink_.report(diag_code::import_cycle, closing.where,
                           "importing `" + closing.module.text + "` here creates an import cycle");
    d.label("closes the cycle");
    for (const auto& link : links) d.also(modules_[link.first].imports[link.second].where, "imported here");
    d.note("the cycle is " + chain);
    d.suggest("move the shared declarations into a module that both can import");
  }

  source_manager& sources_;
  const std::vector<std::string>& include_paths_;
  std::vector<ast::module>& modules_;
  diagnostic_sink& sink_;
  std::map<std::string, std::size_t> by_name_, by_path_;
  std::set<std::string> failed_;
  std::vector<fs::path> roots_;
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> edges_;  // (target module, import index)
};

}  // namespace

bool load_modules(source_manager& sources, file_id root, const std::vector<std::string>& include_paths,
                  std::vector<ast::module>& modules, diagnostic_sink& sink) {
  loader l(sources, include_paths, modules, sink);
  return l.run(root);
}

}  // namespace rubric::compiler
