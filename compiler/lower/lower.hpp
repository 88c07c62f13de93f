// Lowering: a checked program (no errors reported) → the runtime decision graph.
// Criteria become a DAG of predicate and boolean nodes, children before
// parents; identical subexpressions share one node (hash-consing); constants
// fold with Kleene-correct rules (`x and false` → false, `x or true` → true,
// unknowns never folded away); `and`/`or` are flattened; each named criterion
// is a `criterion` node wrapping its body. Lets fold into the nodes that use
// them; durations become days. Facts are numbered slots (the root module's in
// the order declared). Variants become outcome records with resolved ratings,
// advice and transitions; `order` is the selection order. The graph holds every
// scale, enum and procedure of the loaded modules, with qualified ids.
#pragma once

#include "compiler/sema/sema.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

runtime::graph lower(const sema::program& p);

// The path of each loaded file (by file id) as the graph records it: a
// module's path under its search root (`stdlib/acr.rubric`), so compiling from
// any folder gives the same graph (lower_files.cpp).
std::vector<std::string> graph_file_paths(const sema::program& p);

// A number literal as the graph stores it: a duration in days, converted
// exactly from the digits as written with the runtime's unit table
// (runtime/units.hpp), so `6 weeks` and `42 days` are the same double; a
// plain number as written. Used for thresholds, `given` values and lets.
double literal_value(const ast::number& n);

}  // namespace rubric::compiler
