// The explanation of one evaluation, as a model, and its two renderers:
// aligned terminal text (colour optional) and JSON. Built in the author's own
// words: criterion labels, the text of each expression, fact labels, level
// labels, and file:line of every variant.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/evaluate.hpp"
#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

// A fact and its value as used by a criterion.
struct fact_use {
  std::uint32_t slot = 0;
  std::string value;  // format_value(…): "12 weeks", "unknown", "{}"
};

// One criterion (or an unnamed sub-expression) and its value.
struct criterion_line {
  std::int32_t criterion = -1;  // graph::criteria index; -1 for an unnamed expression
  std::uint32_t node = 0;
  truth value = truth::unknown;
  bool negated = false;          // reached through `not`: the guard needs it to be false
  std::string label;             // criterion label, or the expression text
  std::string text;              // the author's expression
  std::vector<fact_use> facts;   // the facts it reads, with their values
  int depth = 0;                 // nesting among criteria (0 = directly in the guard)
};

struct variant_line {
  std::uint32_t variant = 0;
  truth guard = truth::unknown;
  std::vector<criterion_line> reasons;  // not chosen: the first reason it failed (or is unknown)
};

struct rating_line {
  std::uint32_t procedure = 0;
  std::int32_t level = -1;      // rating scale level
  std::int32_t rrl = -1;        // radiation scale level (adult)
  std::optional<double> score;
  std::int32_t pediatric_rrl = -1;  // radiation scale level (pediatric)
  truth child = truth::no;          // the guideline's `pediatric when` for this patient: which levels apply
  std::string_view caveat;  // the rating's caveat (text owned by the graph); empty when none
};

// The radiation level and dose a patient gets for a rating: adult ones, the
// pediatric ones when the guideline's pediatric condition holds, both when it
// is unknown ("☢☢☢ / ☢☢☢☢", "1-10 mSv adult / 3-10 mSv pediatric").
struct radiation_shown {
  std::string rrl, dose;
};
radiation_shown radiation_of(const graph& g, const rating_line& r);
// Whether the patient is a child by the guideline's `pediatric when` (no when it has none).
truth pediatric_value(const graph& g, const std::vector<truth>& values);
// The dose column's title for that value: "Adult dose", "Pediatric dose", "Dose (adult / pediatric)".
std::string_view dose_heading(truth child);

struct next_line {
  std::uint32_t transition = 0;
  std::uint32_t target = 0;
  truth condition = truth::unknown;
  std::vector<rating_line> better;  // target ratings better than the current ones for the same procedure
};

// A score or value with its value and its parts (runtime/explain_scores.cpp).
struct score_view {
  std::uint32_t score = 0;          // graph::scores index
  interval value{};                 // an interval when unknown facts leave it open
  std::string value_text;           // "4.5", "3 to 4", "620 ng/mL"
  std::vector<std::string> parts;   // lines that hold ("heart rate 110 /min > 100 /min +1.5"); a value: its expression
  std::vector<std::string> open;    // lines left open ("hemoptysis unknown: +0 or +1")
  std::string summary;              // one line: "Wells score 4.5: dvt signs +3, …"
};

// One matched variant with everything it gives the patient. Under `select
// all` every matched variant has one; under first/unique there is at most one.
struct variant_outcome {
  std::uint32_t variant = 0;
  std::vector<criterion_line> path;          // its criteria
  std::vector<rating_line> ratings;
  std::vector<std::string> advice;           // advice whose condition holds
  std::vector<std::string> conditional_advice;  // advice whose condition is unknown
  std::vector<next_line> next;
};

struct explanation {
  status result = status::no_criteria_apply;
  std::int32_t variant = -1;                 // chosen variant (first under `all`)
  std::vector<std::uint32_t> also;           // further variants under `all`
  std::vector<variant_outcome> matched;      // every matched variant, in selection order
  std::vector<fact_use> facts;               // every fact of the patient, in slot order
  // The fields below repeat matched.front() (the first matched variant), or
  // describe the `otherwise` outcome; under `all` read `matched`.
  std::vector<criterion_line> path;          // the chosen variant's criteria
  std::vector<variant_line> others;          // variants not chosen, in selection order
  std::vector<std::uint32_t> candidates;     // undetermined
  std::vector<std::uint32_t> missing;        // undetermined: fact slots
  std::vector<rating_line> ratings;
  std::vector<std::string> advice;           // advice whose condition holds (variant or otherwise)
  std::vector<std::string> conditional_advice;  // advice whose condition is unknown
  std::vector<next_line> next;
  std::vector<std::string> warnings;         // unknown keys, violated assumptions, conflicts
  std::vector<score_view> scores;            // every score and value of the guideline
};

// The full explanation: the outcome below plus every fact, the chosen path and
// why each other variant was not chosen.
explanation explain(const graph& g, const patient& p, const evaluation& e);
// The outcome only (result, variant, candidates, missing facts, ratings,
// advice, next steps, warnings): no reasons, so cheap for `rubric eval`.
explanation explain_outcome(const graph& g, const patient& p, const evaluation& e);

// Every score and value with its parts, for the patient just evaluated.
std::vector<score_view> explain_scores(const graph& g, const patient& p, const evaluation& e);
// A fact's value with its declared unit: "110 /min", "12 weeks", "unknown".
std::string fact_value_text(const graph& g, const patient& p, std::uint32_t slot);

struct text_style {
  bool color = false;
  int width = 100;  // wrap long titles at this column
};
std::string render_explanation_text(const graph& g, const patient& p, const explanation& x, const text_style& style = {});
std::string render_explanation_json(const graph& g, const patient& p, const explanation& x, bool pretty = true);

// "guidelines/acr/low_back_pain.rubric:120" for a location in the graph.
std::string location_text(const graph& g, const location& l);

// Short forms used by `rubric eval` text output and `rubric test` failures.
std::string rating_text(const graph& g, const rating_line& r);  // "Usually not appropriate   O  0 mSv"

}  // namespace rubric::runtime
