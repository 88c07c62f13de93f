// The selection half of evaluate(), for node values computed elsewhere: the
// batch engine takes an undetermined line's values from its lane of the
// bit-sliced evaluator and only works out the details (candidates, missing
// facts, violated assumptions) here.
#pragma once

#include "runtime/evaluate.hpp"

namespace rubric::runtime {

// What evaluate() does after its sweep: `out.values` holds every node's value
// (and `out.numbers` every numeric node's interval, for version-2 graphs).
void select_from_values(const graph& g, const patient& p, evaluation& out);

}  // namespace rubric::runtime
