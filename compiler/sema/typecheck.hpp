// Type and unit checking: gives every expression of every module a type,
// resolving its names in context (a fact, let or criterion; an enum member
// beside an enum fact or inside `{ … }`). Checks comparisons (types, units,
// order), set operators, `is known`, conditions, lets (typed constants, no
// cycles) and criterion cycles (R0204-R0208, R03xx). Results go to p.types,
// p.names, p.members, p.let_types and p.let_values; an expression that failed
// gets the error type, which silences every check above it (no cascades).
#pragma once

#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/sema/sema.hpp"

namespace rubric::compiler {

void typecheck(sema::program& p, diagnostic_sink& sink);

// "a duration", "true/false", "a `red_flag`", "a set of `red_flag`" for messages.
std::string describe_type(const sema::program& p, const sema::type& t);

// The member index of `name` in enum (module, index), or -1.
std::int32_t find_member(const sema::program& p, std::int32_t enum_module, std::int32_t enum_index, const std::string& name);

// Reports R0208 for a name that is not a member of the enum; returns its index or -1.
std::int32_t check_member(const sema::program& p, const sema::type& enum_type, const std::string& member, span where,
                          diagnostic_sink& sink);

}  // namespace rubric::compiler
