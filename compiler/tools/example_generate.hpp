// `rubric examples --generate`: `example` blocks written from solver-found,
// runtime-replayed patients (compiler/verify/generate_patients.hpp), with
// `expect` lines filled from the runtime's evaluation, formatted as `rubric
// fmt` formats them. With `only_uncovered`, patients that add nothing to what
// the module's own examples already cover are left out: MC/DC conditions
// already shown, variants already selected, unknown facts already shown
// missing, the `otherwise` outcome already reached, boundary values already given.
#pragma once

#include <string>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

struct generated_examples {
  std::string text;                // the example blocks, formatted, each preceded by a blank line
  std::size_t count = 0;           // examples written
  std::size_t skipped = 0;         // left out: already covered, or the same patient as another
  std::vector<std::string> notes;  // what could not be generated, and why
};

// `strategy` is "boundary", "mcdc", "regions" or "all". `source` is the text
// `root` was parsed from (the blocks are formatted in its context).
generated_examples generate_examples(const ast::module& root, std::string_view source, const runtime::graph& g,
                                     const std::string& strategy, bool only_uncovered);

}  // namespace rubric::compiler
