// Name resolution, declaration level: builds each module's symbol tables
// (facts, lets, criteria, enums, scales, procedures), reports duplicate
// definitions (R0203, pointing at both), resolves the header's `scale` and
// `radiation`, fact types and catalog RRLs. Expression names are resolved in
// context by typecheck, through `lookup` below. Leaves a complete (possibly
// partial on errors) set of scopes in `p.scopes`.
#pragma once

#include <optional>
#include <string>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/sema/sema.hpp"

namespace rubric::compiler {

void resolve(sema::program& p, diagnostic_sink& sink);

// Looks `name` up from `module`: its own declarations first, then its imports
// (ambiguity between two imports is an error); `module.name` is qualified.
// With `report`, failures are diagnosed once per (module, name); otherwise silent.
std::optional<sema::symbol> lookup(sema::program& p, std::uint32_t module, const std::string& name, span where,
                                   sema::name_space ns, diagnostic_sink& sink, bool report = true);

// "fact", "criterion", "enum", … for messages.
std::string kind_name(sema::symbol_kind kind);
// The same with its article: "an enum", "a criterion".
std::string a_kind_name(sema::symbol_kind kind);
// The declared id of a symbol and its qualified form (`stdlib.spine.red_flag`).
const std::string& symbol_id(const sema::program& p, const sema::symbol& s);
std::string qualified_id(const sema::program& p, const sema::symbol& s);
span symbol_span(const sema::program& p, const sema::symbol& s);

// Resolves a radiation level spelling (`O`, `☢☢`, or a level id) in a scale;
// -1 when it is not one of its levels.
std::int32_t find_level_by_spelling(const ast::scale_decl& scale, const std::string& spelling);

// Reports R0315 for a unit the unit table does not know, with the table's
// reason (`why`) and the UCUM spelling of a common non-UCUM unit.
void report_unknown_unit(diagnostic_sink& sink, const std::string& unit, span where, const std::string& why);

}  // namespace rubric::compiler
