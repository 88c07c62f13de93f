// Stable text forms for `rubric compile --dump-after=PASS` and golden tests:
// the AST of the root module (with the types and resolved names that the
// semantic passes found, once they ran) and the decision graph. The format is
// line-oriented and deterministic; it changes only when the language does.
#pragma once

#include <string>

#include "compiler/syntax/ast.hpp"
#include "compiler/sema/sema.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

// `p` may be null (after parsing) or partially filled (after resolve).
std::string dump_ast(const ast::module& m, const sema::program* p);
std::string dump_graph(const runtime::graph& g);

// An expression in prefix form: `(>= symptom_duration 6 weeks)`.
std::string dump_expr(const ast::expr& e, const sema::program* p);

}  // namespace rubric::compiler
