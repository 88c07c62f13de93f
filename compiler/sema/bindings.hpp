// FHIR code lists and bindings (R045x, docs/fhir.md): every code list's
// system is known and each code has its system's form; every binding of the
// root guideline names a declared fact (and set member), a code list that is
// declared or imported, and a source whose value fits the fact's type; no
// fact or member is bound twice; no window is negative; a fact declared
// `is unbound` exists and is not also bound; `fhir` only in a guideline,
// once. Fills p.bindings and p.unbound (parallel to the root's lines).
#pragma once

#include <string_view>

#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/sema/sema.hpp"

namespace rubric::compiler {

void check_bindings(sema::program& p, diagnostic_sink& sink);

// Whether `code` (without a trailing `*`) has the form of `system` (ICD10CM,
// SNOMED, CPT, LOINC, RXNORM); `prefix`: a leading part of such a code.
bool code_has_system_form(std::string_view system, std::string_view code, bool prefix);

}  // namespace rubric::compiler
