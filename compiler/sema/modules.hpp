// Module loading: parses the root file, then every module it imports,
// transitively. A dotted module name maps to a path (`stdlib.spine` →
// `stdlib/spine.rubric`) searched under, in order: the stdlib root (the folder
// holding `stdlib/`), the importing file's own root, then the -I folders.
// Reports missing modules, names that do not match their path and import
// cycles (R0200-R0202). On failure of the root parse returns false and leaves
// `modules` empty; a broken import is reported and simply left out.
#pragma once

#include <string>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"

namespace rubric::compiler {

// The folder that contains `stdlib/`: $RUBRIC_HOME if set, else the source tree.
std::string stdlib_root();

// Loads the module in `root` (already in `sources`) and its imports into
// `modules` (root first, then in the order first imported).
bool load_modules(source_manager& sources, file_id root, const std::vector<std::string>& include_paths,
                  std::vector<ast::module>& modules, diagnostic_sink& sink);

}  // namespace rubric::compiler
