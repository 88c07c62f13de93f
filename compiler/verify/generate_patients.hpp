// Patients for `rubric examples --generate` (issue 18), found with the
// verifier's encoding and checked by replaying them through the runtime:
//   mcdc      for every condition of every criterion, two patients that differ
//             in that condition (and no other condition of the criterion) and
//             in the criterion's value: the condition independently decides it;
//   boundary  for every threshold a guard compares a fact with: the fact just
//             below, at and just above it, in the threshold's unit;
//   regions   one patient per reachable variant, per `otherwise` advice, and
//             per fact whose unknown leaves a variant's patient undetermined.
// This header does not include the solver.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_patient.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler {

// The conditions of criterion `criterion` (index into graph.criteria) in the
// MC/DC sense: the nodes under its body reached through `and`, `or` and
// `not`, stopping at fact tests, comparisons, counts and named criteria.
std::vector<std::uint32_t> criterion_conditions(const runtime::graph& g, std::size_t criterion);

struct generated_patient {
  std::string title;
  verify_detail::cx_patient patient;
  std::int32_t criterion = -1;  // mcdc: graph.criteria index
  std::int32_t condition = -1;  // mcdc: the condition node
  std::int32_t variant = -1;    // regions: the variant selected (-1: none or undetermined)
  std::int32_t fact = -1;       // boundary: the fact at its threshold; regions: the fact left unknown
};

struct generate_result {
  std::vector<generated_patient> patients;
  std::vector<std::string> not_found;  // what no patient could show, and why
};

generate_result mcdc_patients(const runtime::graph& g, unsigned timeout_ms = 10000);
// The conditions (criterion index, condition node) that the solver proves can
// decide their criterion alone for no pair of patients keeping every `assume`
// (an `assume` or the criterion's own structure masks them). MC/DC coverage
// does not count them.
std::vector<std::pair<std::uint32_t, std::uint32_t>> mcdc_infeasible(const runtime::graph& g, unsigned timeout_ms = 10000);
generate_result boundary_patients(const runtime::graph& g, unsigned timeout_ms = 10000);
generate_result region_patients(const runtime::graph& g, unsigned timeout_ms = 10000);

}  // namespace rubric::compiler
