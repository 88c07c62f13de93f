// Sources of facts shared by the Bundle decoder's files (fhir_bundle.cpp,
// fhir_answers.cpp): the window test, and the questionnaire-answer source.
// Runtime-internal.
#pragma once

#include <fmt/compile.h>
#include <fmt/format.h>

#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "runtime/fhir_records.hpp"
#include "runtime/graph.hpp"

namespace rubric::runtime::fhir {

// Replaces `s` with the text of a compiled format (FMT_COMPILE), reusing its
// capacity: provenance is written for every binding of every Bundle.
template <class Format, class... T>
void put(std::string& s, const Format& format, T&&... args) {
  s.clear();
  fmt::format_to(std::back_inserter(s), format, std::forward<T>(args)...);
}

// Whether the guideline's `fhir` block declares the record of that kind
// complete, so that no matching resource means "no" (observations and
// questionnaire answers never are).
inline bool record_complete(const graph& g, fhir_resource r) {
  return r == fhir_resource::condition   ? g.fhir.conditions_complete
         : r == fhir_resource::procedure ? g.fhir.procedures_complete
                                         : r == fhir_resource::medication && g.fhir.medications_complete;
}

// Whether a resource's date lies in the binding's window before the order.
// `unplaced`: it has no date, there is no order date, or a partial date
// straddles the window's edge, so it cannot be placed.
bool in_window(const fhir_binding& b, const resource& r, const resource* order, bool& unplaced);

// What an answer gave: yes/no (`yes` = truth::yes), or a number in `number`
// (truth::yes when there is one); truth::unknown otherwise, with `words`
// saying why.
struct answer_result {
  truth value = truth::unknown;
  double number = 0;
  // With a number wanted: the answer (a number or a quantity) and its response.
  const answer* given = nullptr;
  const resource* from = nullptr;
};

// `answer "LINK" in questionnaire "URL"`: the item's first answer in the
// latest completed or amended QuestionnaireResponse to that questionnaire
// (by `authored`, within the window). An unanswered item is unknown; two
// responses of the same date that disagree are a data-quality warning.
// What answer_of() says when no response counts; `unplaced_any`: one could
// not be placed in the window.
void no_response_words(const fhir_binding& b, bool unplaced_any, std::string& words);

answer_result answer_of(const std::vector<resource>& resources, const fhir_binding& b, const resource* order,
                        bool want_number, std::string& words, std::vector<std::string>& warnings);

// A number answer (`a.given`) in the unit of fact `f`: a valueQuantity is
// converted through the unit table exactly as an Observation's value; a plain
// valueInteger or valueDecimal is in the fact's unit, and no duration. False
// (unknown) when it does not convert or lies outside the declared range, with
// a data-quality warning naming the response, the item and the value.
bool answer_in_unit(const fact& f, const answer_result& a, const fhir_binding& b, double& value, std::string& words,
                    std::vector<std::string>& warnings);

}  // namespace rubric::runtime::fhir
