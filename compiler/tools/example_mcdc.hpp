// Criterion MC/DC coverage of a guideline's examples (`rubric test
// --coverage`): a condition of a criterion is covered when two examples give
// it opposite values, give every other condition of that criterion the same
// known value, and give the criterion opposite values — the condition alone
// decided it. Conditions are those of compiler/verify/generate_patients.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runtime/graph.hpp"

namespace rubric::compiler {

struct mcdc_condition {
  std::uint32_t criterion = 0;  // index into graph.criteria
  std::uint32_t node = 0;       // the condition
  bool covered = false;
};

// Every condition of every criterion, covered or not by the examples whose
// node values are `runs` (one vector per evaluated example).
std::vector<mcdc_condition> measure_mcdc(const runtime::graph& g,
                                         const std::vector<const std::vector<runtime::truth>*>& runs);

}  // namespace rubric::compiler
