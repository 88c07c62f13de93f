// `rubric fmt FILE|DIR|- … [--check]` — rewrites `.rubric` files in the
// canonical layout (in place; `-` reads stdin and writes stdout). `--check`
// changes nothing: it prints a unified diff for each file that is not
// formatted and exits 1. A file with syntax errors is never rewritten, and
// neither is one whose formatted text would not parse back with the same
// comments (a formatter bug must not cost an author their file).
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.hpp"
#include "compiler/tools/format.hpp"
#include "compiler/syntax/parser.hpp"
#include "compiler/tools/text_diff.hpp"

namespace rubric::cli {

namespace {

namespace fs = std::filesystem;

struct fmt_cli {
  std::vector<std::string> paths;
  bool check = false;
  std::string color = "auto";
};

// Folders that hold no sources of the project: build trees, tooling, VCS.
bool skip_dir(const fs::path& p) {
  std::string name = p.filename().string();
  return name.empty() || name[0] == '.' || name == "node_modules" || name.rfind("build", 0) == 0;
}

void collect(const std::string& arg, std::vector<std::string>& files, bool& missing) {
  std::error_code ec;
  if (arg == "-") {
    files.push_back(arg);
  } else if (fs::is_directory(arg, ec)) {
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(arg, fs::directory_options::skip_permission_denied, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      if (it->is_directory(ec) && skip_dir(it->path())) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file(ec) && it->path().extension() == ".rubric") found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  } else if (fs::is_regular_file(arg, ec)) {
    files.push_back(arg);
  } else {
    fmt::print(stderr, "error: `{}` is not a file or folder\n", arg);
    missing = true;
  }
}

// Number of comments a text parses with; -1 when it does not parse.
long comment_count(const std::string& path, const std::string& text) {
  compiler::source_manager sources;
  compiler::diagnostic_sink sink;
  auto id = sources.add(path, text);
  auto m = compiler::parse_module(sources, id, sink);
  if (!m || sink.has_errors()) return -1;
  return static_cast<long>(m->comments.size());
}

enum class outcome { unchanged, changed, error };

// Formats one text. On success `out` holds the canonical text.
outcome format_one(const std::string& path, const std::string& text, const fmt_cli& cli, std::string& out) {
  compiler::source_manager sources;
  compiler::diagnostic_sink sink;
  auto formatted = compiler::format_source(sources, path, text, sink);
  if (!formatted) {
    sink.sort();
    compiler::render_options ro;
    ro.color = compiler::want_color(cli.color, STDERR_FILENO);
    fmt::print(stderr, "{}", compiler::render_text(sources, sink.items(), ro));
    fmt::print(stderr, "error: `{}` has syntax errors and was not formatted\n", path);
    return outcome::error;
  }
  // Guard rails: the result parses, keeps every comment and is stable.
  long before = comment_count(path, text), after = comment_count(path, *formatted);
  compiler::source_manager again_sources;
  compiler::diagnostic_sink again_sink;
  auto again = compiler::format_source(again_sources, path, *formatted, again_sink);
  if (after < 0 || after != before || !again || *again != *formatted) {
    fmt::print(stderr,
               "error: internal error: formatting `{}` would {}; the file was left unchanged (please report this)\n",
               path, after < 0 ? "produce text that does not parse" : after != before ? "lose comments" : "not be stable");
    return outcome::error;
  }
  out = std::move(*formatted);
  return out == text ? outcome::unchanged : outcome::changed;
}

int run(const fmt_cli& cli) {
  std::vector<std::string> files;
  bool missing = false;
  for (const auto& p : cli.paths) collect(p, files, missing);
  if (missing) return exit_usage;
  int status = exit_ok;
  std::size_t changed = 0, failed = 0;
  for (const auto& file : files) {
    std::string text;
    if (file == "-") {
      text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    } else {
      std::ifstream in(file, std::ios::binary);
      if (!in) {
        fmt::print(stderr, "error: cannot read `{}`\n", file);
        ++failed;
        continue;
      }
      std::ostringstream buf;
      buf << in.rdbuf();
      text = buf.str();
    }
    std::string display = file == "-" ? "<stdin>" : file;
    std::string out;
    outcome o = format_one(display, text, cli, out);
    if (o == outcome::error) {
      ++failed;
      if (file == "-" && !cli.check) fmt::print("{}", text);  // a filter passes bad input through unchanged
      continue;
    }
    if (cli.check) {
      if (o == outcome::changed) {
        ++changed;
        fmt::print("{}", compiler::unified_diff(text, out, display));
      }
      continue;
    }
    if (file == "-") {
      fmt::print("{}", out);
      continue;
    }
    if (o == outcome::changed) {
      // Write beside the file, then rename: an interrupted write never truncates it.
      std::string tmp = file + ".rubric-fmt.tmp";
      {
        std::ofstream w(tmp, std::ios::binary | std::ios::trunc);
        w << out;
        if (!w) {
          fmt::print(stderr, "error: cannot write `{}`\n", file);
          ++failed;
          continue;
        }
      }
      std::error_code ec;
      std::filesystem::rename(tmp, file, ec);
      if (ec) {
        std::filesystem::remove(tmp, ec);
        fmt::print(stderr, "error: cannot write `{}`\n", file);
        ++failed;
        continue;
      }
      ++changed;
      fmt::print(stderr, "formatted {}\n", file);
    }
  }
  if (cli.check && changed) {
    fmt::print(stderr, "{} of {} file{} not formatted; run `rubric fmt` on {}\n", changed, files.size(),
               files.size() == 1 ? " is" : "s are", changed == 1 ? "it" : "them");
    status = exit_findings;
  }
  if (failed) status = exit_findings;
  return status;
}

}  // namespace

void add_fmt_command(CLI::App& app, int& exit_code) {
  auto cli = std::make_shared<fmt_cli>();
  CLI::App* cmd = app.add_subcommand("fmt", "Rewrite .rubric files in the canonical layout");
  cmd->add_option("paths", cli->paths, "Files or folders (recursively, *.rubric); `-` for stdin to stdout")->required();
  cmd->add_flag("--check", cli->check, "Change nothing; print a diff and exit 1 if a file is not formatted");
  cmd->add_option("--color", cli->color, "Colour diagnostics: auto, always or never")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  cmd->callback([cli, &exit_code] { exit_code = run(*cli); });
}

}  // namespace rubric::cli
