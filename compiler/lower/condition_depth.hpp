// The expanded-depth limit: a criterion that names a criterion that names
// another … nests as deep as the whole chain once lowered, however shallow
// each one is in the source. The runtime refuses graphs deeper than
// runtime::max_condition_depth (docs/limits.md); this pass reports the same
// limit as a diagnostic (R0125) at the condition that first goes past it, so
// the compiler never writes a graph the runtime would refuse.
#pragma once

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

// Reports one R0125 when some node of `g` is deeper than the limit; returns
// whether `g` is within it. Linear in the graph.
bool check_condition_depth(const runtime::graph& g, const source_manager& sources, diagnostic_sink& sink);

}  // namespace rubric::compiler
