// A condition of the decision graph as a reader says it: criteria by their
// labels, predicates with fact labels and values ("How long … has lasted is at
// least 6 weeks"), and the author's grouping kept: parts of an `and`/`or` are
// joined by "; and" / "; or", a nested group is bracketed, and `not` covers
// the one part after it or a bracketed group — so the words read as exactly
// one rule. Used by explanations (conditional advice, next steps), `rubric
// doc` and `rubric graph`.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/graph.hpp"

namespace rubric::runtime {

std::string plain_words(const graph& g, std::uint32_t node);

// A condition for a sentence: a criterion by its label, anything else in plain words.
std::string condition_words(const graph& g, std::uint32_t node);

}  // namespace rubric::runtime
