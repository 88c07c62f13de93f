// The batch fast path for patient lines: a strict, allocation-free reader for
// the common shape of a patient object (flat keys, plain ASCII strings, JSON
// numbers, member lists, simple FHIR quantities). It never reports an error:
// anything outside that subset — escapes, unknown keys, duplicates, negative
// or out-of-range values, malformed JSON — returns false, and the caller runs
// the full decoder (patient_decoder), which stays the one authority on
// messages. Quantities go through the full decoder's own conversion and
// checks; "12 weeks" (a whole number and a unit word the full rules already
// accepted for that fact) is converted by the unit table's precomputed
// factors (units::integer_conversion), which give the same double. When it
// returns true the patient is exactly what the full decoder would produce
// (tests/runtime_only/runtime_batch_lines_test.cpp and
// tests/unit/batch_v2_lines_test.cpp compare the two).
#pragma once

#include <array>
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
  // The same for the line at `begin` in a buffer of lines ending at `end`,
  // without looking for its end first: after the object, optional spaces and
  // a '\n' must follow. Returns the start of the next line, or null (then the
  // caller finds the line's end and runs the full decoder).
  const char* decode_line(const char* begin, const char* end, patient& p);

 private:
  struct cursor;
  const char* object(const char* begin, const char* end, patient& p);
  // A unit word the full rules accepted for a fact ("weeks" for
  // `symptom_duration`), with the conversion to the fact's declared unit.
  struct unit_word {
    std::uint32_t slot = 0;
    std::uint8_t size = 0;
    std::array<char, 23> text{};
    units::integer_conversion convert;
  };

  int find(std::string_view key) const;
  int key(cursor& c, std::size_t previous);
  struct key_hint;
  int scan_key(cursor& c, std::array<key_hint, 2>& next);
  int find_member(std::uint32_t enumeration, std::string_view name) const;
  bool value(cursor& c, std::uint32_t slot, patient& p);
  bool listed_value(cursor& c, std::uint32_t slot, patient& p);  // text, enumeration, set
  bool id(cursor& c, patient& p);
  bool quantity(cursor& c, std::uint32_t slot, patient& p);
  bool members(cursor& c, std::uint32_t enumeration, std::uint64_t& bits);
  bool partial_set(cursor& c, std::uint32_t slot, patient& p);
  bool quoted_whole(cursor& c, std::uint32_t slot, double& value) const;
  bool text_quantity(std::uint32_t slot, std::string_view text, double& value);
  bool fhir(cursor& c, std::uint32_t slot, double& value);
  bool whole_with_unit(std::uint32_t slot, std::string_view digits, std::string_view word, double& value);
  void learn(std::uint32_t slot, std::string_view digits, std::string_view word, double value);

  const graph* g_;
  std::uint32_t id_key_, extra_key_;  // key indices after the facts'; extra_key_ unused without a column
  std::vector<std::string> keys_;      // per key index: the key's text and its closing quote
  std::vector<std::uint32_t> table_;   // open addressing: key index + 1, 0 = empty
  std::uint32_t mask_ = 0;
  // Per key index from 64 on (a line's bit mask has the first 64): the line
  // in which it was last given (duplicates are the full decoder's to
  // report); a counter instead of clearing per line.
  std::vector<std::uint32_t> seen_;
  std::uint32_t line_ = 0;
  // Lines of one file list their keys in much the same order: the two keys
  // that last followed each key (and the first key, at keys_.size()) are
  // tried first, in place (one compare, no scan, no hashing). Two, so that a
  // key some lines leave out costs no miss on the lines that have it.
  struct key_hint {
    std::int32_t key = -1;
    std::uint32_t offset = 0, size = 0;  // its text in key_text_
  };
  std::vector<std::array<key_hint, 2>> hint_;
  std::string key_text_;                  // every key's text, one after the other
  std::vector<std::uint32_t> key_offset_;  // per key index: where its text starts
  std::vector<std::optional<units::unit>> declared_;  // per slot: the unit values are stored in
  std::vector<value_type> types_;  // per slot: its fact's type, in one small array
  std::array<unit_word, 32> words_{};
  std::size_t word_count_ = 0;
  std::vector<std::uint32_t> last_word_;  // per slot: the word it matched last (tried first)
  // Per learned word, the values of "0 word" … "127 word" in its slot (NaN
  // where the conversion or the fact's range refuses one), worked out with
  // the same conversion and checks when the word is learned: the common
  // "12 weeks" is then a lookup.
  static constexpr std::uint64_t small_wholes = 128;
  std::vector<double> small_values_;  // word index * small_wholes + number
  double converted(std::size_t word, std::uint64_t n) const;
  std::string error_;  // the shared quantity rules' message, unused: the full decoder reports
};

}  // namespace rubric::runtime
