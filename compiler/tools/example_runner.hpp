// Runs a guideline's `example` blocks: each `given` becomes a runtime patient,
// the patient is evaluated on the compiled decision graph exactly as `rubric
// eval` would, and every `expect` is checked. Also gathers coverage: which
// variants were selected, which ratings were reached or asserted, and whether
// each criterion was seen both true and false. Used by `rubric test`.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/tools/example_mcdc.hpp"
#include "compiler/diagnostics/source.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::compiler {

// One expectation that did not hold (or a `given` that could not be applied).
struct expectation_failure {
  span where;            // the `expect` or `given` line, for file:line
  std::string expected;  // "variant 3", "\"Radiography lumbar spine\" Usually appropriate"
  std::string actual;    // what the evaluation produced, in the same words
};

struct example_outcome {
  const ast::example_decl* example = nullptr;
  bool passed = false;
  std::vector<expectation_failure> failures;
  runtime::patient patient;        // as built from `given` (for the explanation)
  runtime::evaluation evaluation;  // the runtime's result
};

// Coverage over all examples of one guideline. Vectors are parallel to the
// graph's variants / ratings / criteria.
struct example_coverage {
  std::vector<std::uint32_t> variant_hits;                 // examples that selected each variant
  std::vector<std::vector<std::uint32_t>> rating_asserts;  // per variant, per rating: `expect` lines checking it
  // Per criterion: how often examples saw it true, false and unknown.
  std::vector<std::uint32_t> criterion_true, criterion_false, criterion_unknown;
  std::uint32_t matched = 0, undetermined = 0, no_criteria_apply = 0;
  std::uint32_t examples = 0;
  // Criterion MC/DC: every condition of every criterion, and whether two
  // examples show it deciding its criterion alone (example_mcdc.hpp).
  std::vector<mcdc_condition> mcdc{};
};

struct example_run {
  std::vector<example_outcome> outcomes;  // in the order written
  example_coverage coverage;
};

// Runs every example of `root` (the module the graph was compiled from).
example_run run_examples(const ast::module& root, const runtime::graph& g);

// Builds the patient of one example. Facts not given stay unknown. Returns
// false (and appends failures) when a `given` cannot be applied: a name that
// is not a fact, a value of the wrong type, a member not in the fact's enum.
bool patient_from_example(const ast::example_decl& example, const runtime::graph& g, runtime::patient& out,
                          std::vector<expectation_failure>& failures);

// The outcome of an evaluation in the words `expect` uses: `variant 2 "title"`,
// `undetermined (candidates 6, 2; missing age)`, `no criteria apply`.
std::string describe_outcome(const runtime::graph& g, const runtime::evaluation& e);

// The coverage report of one guideline file: what the examples exercised, then
// everything no example reaches (variants never selected, ratings of those
// variants, criteria not seen both true and false). `file` names the guideline.
std::string render_coverage(const runtime::graph& g, const example_coverage& c, const std::string& file);
// True when every variant is selected, every rating reached and every
// criterion seen both true and false.
bool coverage_complete(const runtime::graph& g, const example_coverage& c);

}  // namespace rubric::compiler
