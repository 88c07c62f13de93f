// Quantities in the compiler: the unit of a literal or a type, and a
// literal's value in another unit, converted exactly from the digits as
// written with the runtime's one unit table (runtime/units.hpp). Lowering,
// the example runner and the verifier all convert through here, so a
// threshold and a `given` value that are the same quantity are the same double.
#pragma once

#include <optional>
#include <string>

#include "compiler/sema/sema.hpp"
#include "compiler/syntax/ast.hpp"
#include "runtime/graph.hpp"
#include "runtime/units.hpp"

namespace rubric::compiler {

// The unit a literal is written in; nullopt for a bare number (or an unknown unit).
std::optional<runtime::units::unit> literal_unit(const ast::number& n);

// The unit values of a type are held in: days for a duration, the declared
// unit of a number; nullopt for a plain number.
std::optional<runtime::units::unit> type_unit(const sema::type& t);

// The unit a graph fact's values are held in: days for a duration, its
// declared unit for a number; nullopt for a plain number.
std::optional<runtime::units::unit> fact_unit(const runtime::fact& f);

// A literal's value in `target`: a bare number is taken as already in it.
// nullopt when the units differ in dimension or the unit is unknown.
std::optional<double> literal_in(const ast::number& n, const std::optional<runtime::units::unit>& target);

// The exact factor from one unit to another (1 × from in to), rounded once.
double unit_factor(const runtime::units::unit& from, const runtime::units::unit& to);

}  // namespace rubric::compiler
