// GUIDELINE argument loading shared by `rubric eval` and `rubric explain`.
#include "cli/guideline_input.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/pipeline/pipeline.hpp"
#include "runtime/graph_io.hpp"

namespace rubric::cli {

int unreadable_input(const std::string& path) {
  std::error_code ec;
  auto st = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(st)) {
    fmt::print(stderr, "error: cannot read `{}`: no such file\n", path);
    return 2;
  }
  if (std::filesystem::is_directory(st)) {
    fmt::print(stderr, "error: `{}` is a directory; give a file\n", path);
    return 2;
  }
  if (::access(path.c_str(), R_OK) != 0) {
    fmt::print(stderr, "error: cannot read `{}`: {}\n", path, std::strerror(errno));
    return 2;
  }
  return 0;
}

std::optional<std::string> read_file_text(const std::string& path) {
  if (unreadable_input(path)) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    fmt::print(stderr, "error: cannot read `{}`\n", path);
    return std::nullopt;
  }
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

int load_patient_file(const runtime::graph& g, const std::string& path, runtime::patient& p) {
  auto text = read_file_text(path);
  if (!text) return 2;
  runtime::patient_decoder decoder(g);
  std::string error;
  if (!decoder.decode(*text, p, error)) {
    fmt::print(stderr, "error: {}: {}\n", path, error);
    return 1;
  }
  return 0;
}

std::optional<runtime::graph> load_guideline(const std::string& path, const std::string& color) {
  bool is_rubric = path.size() >= 7 && path.compare(path.size() - 7, 7, ".rubric") == 0;
  if (!is_rubric) {
    runtime::graph_load_result r = runtime::load_graph_file(path);
    if (!r) {
      fmt::print(stderr, "error: {}\n", r.error);
      return std::nullopt;
    }
    return std::move(*r.value);
  }
  // Evaluation needs the graph, not the solver's proofs: `rubric check` and
  // `rubric compile` verify; eval and explain skip it to start fast.
  compiler::compile_options options;
  options.verify = false;
  compiler::compile_result r = compiler::compile_file(path, options);
  if (!r.diagnostics.items().empty() && r.diagnostics.has_errors()) {
    r.diagnostics.sort();
    compiler::render_options ro;
    ro.color = compiler::want_color(color, STDERR_FILENO);
    fmt::print(stderr, "{}", compiler::render_text(r.sources, r.diagnostics.items(), ro));
    fmt::print(stderr, "error: `{}` does not compile; {}\n", path, compiler::summary_line(r.diagnostics.items()));
    return std::nullopt;
  }
  if (!r.graph) {
    fmt::print(stderr, "error: `{}` did not produce a decision graph (is it a library module?)\n", path);
    return std::nullopt;
  }
  return std::move(*r.graph);
}

}  // namespace rubric::cli
