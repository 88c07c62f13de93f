// The words of a card (answer.cpp builds the JSON around them): the summary
// (< 140 characters, CDS Hooks 2.0 "Card Attributes") and the Markdown detail
// for a clinician — the variant, why the patient is in it, the ratings with
// the ordered procedure first, the advice, and where each fact came from; or,
// when undetermined, the missing facts and what each would change.
#pragma once

#include <string>

#include "runtime/explain.hpp"
#include "runtime/fhir_bundle.hpp"

namespace rubric::service {

struct card_words {
  const runtime::graph& g;
  const runtime::patient& p;
  const runtime::explanation& x;
  const runtime::fhir_provenance& where;
  std::int32_t procedure;  // the ordered procedure
  std::int32_t level;      // its category in the matched variant, -1 when none
};

// One sentence under 140 characters (code points), shortened with "…" when needed.
std::string card_summary(const card_words& w);
std::string card_detail(const card_words& w);
// Number of Unicode code points in UTF-8 text.
std::size_t code_points(std::string_view text);

}  // namespace rubric::service
