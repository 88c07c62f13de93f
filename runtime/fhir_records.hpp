// The parts of FHIR R4 resources the bindings read, taken out of the JSON
// DOM into small records (fhir_records.cpp), so deriving facts
// (fhir_bundle.cpp) does not touch JSON. The records' text (codes, dates)
// views the parsed document and their codings live beside it: both stay
// valid until the next read_resources() on the same thread, which is all a
// decode needs and keeps reading free of allocations. Runtime-internal.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::runtime {
struct fhir_request_parts;  // fhir_request.hpp
}

namespace rubric::runtime::fhir {

struct coding {
  std::string_view system, code, display;
};

// A date as a range of days (a partial date is a range); `text` as written.
struct date_range {
  bool present = false;
  std::int64_t first = 0, last = 0;
  std::string_view text;
};

// One answered item of a QuestionnaireResponse (nested items flattened):
// its linkId and its first answer. Views are into the parsed document.
struct answer {
  enum class kind : std::uint8_t { yes_no, number, quantity, other } type = kind::other;
  std::string_view link_id;
  bool yes = false;    // valueBoolean, or a yes/no valueCoding
  double number = 0;   // valueInteger, valueDecimal
  // valueQuantity as read (value as JSON digits, unit, code, system): converted
  // through the unit table into the fact's unit, as an Observation's value is.
  std::string quantity_number;
  std::string_view unit, code, system;
  std::string words;   // the answer as written: "no", "3", "LA32-8 No", "6 wk"
};

// One resource of the kinds the bindings read. Its views (status, codes,
// units) are into the parsed document.
struct resource {
  enum class kind : std::uint8_t { patient, condition, procedure, service_request, questionnaire_response, observation, medication, other } type = kind::other;
  std::string id;               // "Condition/lbp"
  std::span<const coding> codes;  // code.coding
  bool code_absent = false;     // code carries a data-absent-reason: it might be any code
  std::string_view status;        // clinicalStatus (Condition), status (Procedure, ServiceRequest, QuestionnaireResponse)
  std::string_view verification;  // verificationStatus (Condition)
  date_range when;              // Condition onset, Procedure performed start, ServiceRequest authoredOn, Patient birthDate, QuestionnaireResponse authored
  date_range until;             // Procedure performedPeriod.end
  date_range recorded;          // Condition recordedDate
  bool date_absent = false;     // the date carries a data-absent-reason
  std::string_view questionnaire;  // QuestionnaireResponse.questionnaire without its `|version`
  std::vector<answer> answers;  // QuestionnaireResponse items with an answer
  // Observation: valueQuantity (value as JSON digits, unit, code, system) or
  // valueInteger (unit empty); `value_absent`: a dataAbsentReason instead.
  enum class value_kind : std::uint8_t { none, quantity, other } value = value_kind::none;
  std::string value_number;
  std::string_view value_unit, value_code, value_system;
  bool value_absent = false;
};

// What a CDS Hooks request object held (runtime/fhir_prefetch.hpp): whether
// the input was one rather than a Bundle, and the prefetch keys it had, each
// with a value or `null`. A key not listed was not sent: its record is unknown.
struct prefetch_seen {
  bool is_request = false;
  std::vector<std::string> keys;
};

// Reads a Bundle, or a CDS Hooks request object (`prefetch` values that are
// resources, Bundles or null, and the orders of `context.draftOrders`), into
// `out`. False with `error` naming the JSON path of the first thing that is
// not FHIR-shaped. `seen` (when given) says which prefetch keys were sent.
// `padded`: the caller guarantees fhir_padding (fhir_bundle.hpp) readable
// bytes after `json`, so the parser reads it in place instead of a copy.
bool read_resources(std::string_view json, std::vector<resource>& out, std::string& error, std::string& bundle_id,
                    prefetch_seen* seen = nullptr, bool padded = false);
// As read_resources() of the request text `parts` stands for (fhir_request.hpp).
bool read_request_parts(const fhir_request_parts& parts, std::vector<resource>& out, std::string& error, std::string& bundle_id,
                        prefetch_seen* seen);

}  // namespace rubric::runtime::fhir
