// One draft imaging order answered (CDS Hooks 2.0 + the Argonaut "CDS Hooks
// for PAMA" guide): decode the request's FHIR data with the guideline's
// bindings, evaluate, and build the card, its suggestions and — when a rating
// is determined — the PAMA `systemActions` update of the order.
//
// Ratings (docs/serve.md, "Card and rating mapping"): a matched variant that
// rates the ordered procedure gives `appropriate` for every category but the
// scale's least favourable one, which gives `not-appropriate`; no variant, or
// a variant that does not rate the procedure, gives `no-criteria-apply`; an
// undetermined evaluation gives no rating (the guide: "the CDS Service SHALL
// NOT produce a PAMA Response" on insufficient data) and a card that names
// the missing facts and what each would change.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>

#include "service/catalog.hpp"

namespace rubric::runtime {
struct fhir_request_parts;  // runtime/fhir_request.hpp
}

namespace rubric::service {

struct answer_settings {
  std::string rubric_version;  // "0.1.0", carried by every card
  std::string qcdsm_id;        // the CMS-assigned G-code of this qCDSM, for `pama-rating-qcdsm-consulted`
  // Reuse decisions for a record seen before (answer_cache.hpp); off only
  // in tests that compare cached answers with fresh ones.
  bool use_cache = true;
};

struct order_answer {
  // JSON text, as nlohmann's dump() writes the same values (keys sorted,
  // compact): answers are assembled from text, not from trees.
  std::string card;           // always one card for a PAMA-relevant order
  std::string system_action;  // the PAMA rating's `update`, when determined; else ""
  std::string status;                          // "matched", "undetermined", "no_criteria_apply"
  std::string rating;                          // PAMA code; "" when undetermined
  std::string category;                        // the level label of the ordered procedure; "" when none
  std::string consult_id;                      // "urn:uuid:…", fresh per answer
};

// The FHIR record of one order: the CDS Hooks request with this one order as
// its `context.draftOrders` (what `rubric eval --fhir` reads too), as text,
// or as the parts of the request already parsed that stand for that text
// (runtime/fhir_request.hpp).
struct order_record {
  std::string_view text;
  const runtime::fhir_request_parts* parts = nullptr;  // when set, read instead of `text`
};

// Nothing when the FHIR data is malformed; then `error` names the path at fault.
std::optional<order_answer> answer_order(const guideline_entry& guideline, std::int32_t procedure,
                                         const nlohmann::json& order, const order_record& record,
                                         const answer_settings& settings, std::string& error);

// A random version 4 UUID, "8-4-4-4-12" lower-case hex (OpenSSL RAND_bytes).
std::string random_uuid();

// The PAMA code for a level of the rating scale: the least favourable level
// is `not-appropriate`, every other level `appropriate`.
std::string_view pama_code(const runtime::graph& g, std::int32_t level);

}  // namespace rubric::service
