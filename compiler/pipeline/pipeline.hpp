// The compiler pipeline: a table of passes (parse → resolve → typecheck →
// lower → verify) run over a root file and its imports. Each pass lives in its
// own translation unit; this table composes them and gives --dump-after=PASS.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

namespace sema {
struct program;
}

struct compile_options {
  std::vector<std::string> include_paths;  // -I, searched after stdlib/ and the file's root
  std::string dump_after;                  // pass name; empty = no dump
  bool verify = true;                      // run the solver's error-level findings
  // Keep the semantic model (symbol tables, resolved names) in the result, for
  // editors. It points into the result: see compile_text_into.
  bool keep_program = false;
};

struct compile_result {
  source_manager sources;
  diagnostic_sink diagnostics;
  std::vector<ast::module> modules;        // modules[0] is the root file
  std::optional<runtime::graph> graph;     // set when no error was reported
  std::string dump;                        // the --dump-after text
  // With compile_options::keep_program and a parsed root: the program the
  // passes built. It points at `sources` and `modules` of this same result.
  std::shared_ptr<sema::program> program;
};

// Compiles one `.rubric` file (guideline or library) with its imports.
compile_result compile_file(const std::string& path, const compile_options& options = {});
// The same, for text already in memory (tests, stdin); `path` names it in messages.
compile_result compile_text(const std::string& path, std::string text, const compile_options& options = {});

// The same, into a fresh `result` that stays where it is (e.g. on the heap):
// the kept program points into it, so it must not be moved or copied.
void compile_text_into(compile_result& result, const std::string& path, std::string text,
                       const compile_options& options);

// The names accepted by --dump-after, in pipeline order.
const std::vector<std::string>& pass_names();

}  // namespace rubric::compiler
