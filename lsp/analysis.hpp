// One analysis of a document: the compiler's result for its text (pipeline up
// to lowering on change; the solver runs separately on save) and an index of
// every name occurrence in the root and its imports, which hover, definition,
// references, completion and semantic tokens read.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/source.hpp"
#include "compiler/pipeline/pipeline.hpp"
#include "compiler/sema/sema.hpp"

namespace rubric::lsp {

enum class target_kind : std::uint8_t {
  fact, let, criterion, enumeration, scale, procedure, member, level, variant, module, score, value, code_list
};

// What a name refers to, within one analysis. `sub` is the member or level
// index for members and levels (of the enum or scale `module`/`index`).
struct target {
  target_kind kind = target_kind::fact;
  std::uint32_t module = 0;
  std::uint32_t index = 0;
  std::int32_t sub = -1;
  bool operator==(const target&) const = default;
};

struct occurrence {
  compiler::span where;
  target what;
  bool declaration = false;
};

class symbol_index {
 public:
  void add(compiler::span where, target what, bool declaration) { items_.push_back({where, what, declaration}); }
  void finish();  // sorts by file and position
  // The occurrence covering `offset` in `file` (an end offset still counts,
  // so a cursor just after a name finds it).
  const occurrence* at(compiler::file_id file, std::uint32_t offset) const;
  const occurrence* declaration_of(const target& t) const;
  const std::vector<occurrence>& items() const { return items_; }

 private:
  std::vector<occurrence> items_;
};

struct analysis_options {
  std::vector<std::string> include_paths;
};

struct analysis {
  std::unique_ptr<compiler::compile_result> result;  // heap: result->program points into it
  symbol_index index;
  compiler::file_id root = 0;
  // What the editor shows on change: the compiler's diagnostics in the root
  // file, style lints (minus silenced ones), and one summary per imported file
  // with errors, at the import that brings it in.
  std::vector<compiler::diagnostic> diagnostics;

  bool has_program() const { return result && result->program != nullptr; }
  const compiler::sema::program& program() const { return *result->program; }
  const compiler::source_manager& sources() const { return result->sources; }
};

// Compiles `text` (named `path`) without the solver and indexes it.
std::shared_ptr<const analysis> analyze(const std::string& path, std::string text, const analysis_options& options);

// Builds the index of every module of a kept program (analysis.cpp uses it;
// exposed for the benchmark and tests).
symbol_index build_index(const compiler::sema::program& p);

// The span of the declaration a target names (its id).
compiler::span target_span(const compiler::sema::program& p, const target& t);

}  // namespace rubric::lsp
