// The batch fast path for patient lines: a strict, allocation-free reader for
// the common shape of a patient object (flat keys, plain ASCII strings, JSON
// numbers, member lists, simple FHIR quantities). It never reports an error:
// anything outside that subset — escapes, unknown keys, duplicates, negative
// or out-of-range values, malformed JSON — returns false, and the caller runs
// the full decoder (patient_decoder), which stays the one authority on
// messages. Quantities go through the full decoder's own conversion and
// checks. When it returns true the patient is exactly what the full decoder
// would produce (tests/runtime_only/runtime_batch_lines_test.cpp and
// tests/unit/batch_v2_lines_test.cpp compare the two).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/graph.hpp"
#include "runtime/patient.hpp"
#include "runtime/units.hpp"

namespace rubric::runtime {

class fast_patient_decoder {
 public:
  // `extra_key`: an input column that is not a fact (e.g. the ordered
  // procedure); its string value goes to patient::extra, and it is no warning.
  explicit fast_patient_decoder(const graph& g, std::string extra_key = {});

  // Decodes `line` into `p` (reset first) or returns false (see above).
  bool decode(std::string_view line, patient& p);

 private:
  struct cursor;
  int find(std::string_view key) const;
  int find_at(std::size_t position, std::string_view key);
  int find_member(std::uint32_t enumeration, std::string_view name) const;
  bool value(cursor& c, std::uint32_t slot, patient& p);
  bool quantity(cursor& c, std::uint32_t slot, patient& p);
  bool members(cursor& c, std::uint32_t enumeration, std::uint64_t& bits);
  bool partial_set(cursor& c, std::uint32_t slot, patient& p);
  bool fhir(cursor& c, const fact& f, std::uint32_t slot, double& value);

  const graph* g_;
  std::string extra_key_;
  std::vector<std::uint32_t> table_;   // open addressing: slot + 1, 0 = empty
  std::uint32_t mask_ = 0;
  std::vector<std::uint8_t> seen_;     // per slot: given in this line
  // Lines of one file list their keys in the same order: the slot the key at
  // each position had last time is tried first (one compare, no hashing).
  std::vector<std::int32_t> hint_;
  std::vector<std::optional<units::unit>> declared_;  // per slot: the unit values are stored in
  std::string error_;  // the shared quantity rules' message, unused: the full decoder reports
};

}  // namespace rubric::runtime
