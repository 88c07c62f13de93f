// The decoded patient: one value slot per graph fact, flat, so evaluation reads
// it without lookups. Decoding turns one JSON object (keys = fact names, plus
// an optional "id") into a patient, or into an error that names the fact and
// the offending value. Unknown keys become warnings, never silently dropped.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/graph.hpp"
#include "runtime/units.hpp"

namespace rubric::runtime {

// Parses "12 weeks", "3 months", "1 year", "20 days", "3 hours" into days with
// the unit table (runtime/units.hpp); nullopt if malformed or not a time.
std::optional<double> parse_duration_text(std::string_view text);
// Days as the author would write them: "6 weeks", "70 years", "10 days".
std::string format_duration(double days);

// One fact's value. Booleans: bits 0/1 and number 0/1. Numbers (in the fact's
// declared unit) and durations (days): number. Enums: bits = one-hot of the member, number = member index.
// Sets: bits = member mask. Text lives in patient::text.
struct slot_value {
  double number = 0;
  std::uint64_t bits = 0;
  bool known = false;
};

struct patient {
  std::string id;                    // the "id" key as JSON text (quoted string or number); empty if absent
  std::vector<slot_value> slots;     // slots[i] is graph::facts[i]
  std::vector<std::string> text;     // per slot; used by text facts only
  std::vector<std::string> warnings; // unknown keys and other remarks
  std::string extra;                 // the decoder's extra key's value (e.g. the ordered procedure)

  // Sizes the patient for `g` and makes every fact unknown. Keeps capacity,
  // so a reused patient does not allocate.
  void reset(const graph& g);
  bool known(std::uint32_t slot) const { return slots[slot].known; }
  void set_unknown(std::uint32_t slot) { slots[slot] = slot_value{}; }
  void set_bool(std::uint32_t slot, bool v) { slots[slot] = {v ? 1.0 : 0.0, v ? 1u : 0u, true}; }
  void set_number(std::uint32_t slot, double v) { slots[slot] = {v, 0, true}; }
  void set_member(std::uint32_t slot, unsigned member) { slots[slot] = {double(member), std::uint64_t(1) << member, true}; }
  void set_members(std::uint32_t slot, std::uint64_t mask) { slots[slot] = {0, mask, true}; }
  void set_text(std::uint32_t slot, std::string v) { text[slot] = std::move(v); slots[slot] = {0, 0, true}; }
};

// A fact's value as the author reads it: "12 weeks", "true", "{fever, osteoporosis}",
// "Saddle anesthesia"… `labels` uses member labels instead of ids; unknown → "unknown".
std::string format_value(const graph& g, const patient& p, std::uint32_t slot, bool labels = false);

// Decodes patients for one graph. Holds a simdjson parser and a key → slot
// table, so decoding many patients reuses both. Not thread-safe: one per thread.
class patient_decoder {
 public:
  explicit patient_decoder(const graph& g);
  ~patient_decoder();
  patient_decoder(const patient_decoder&) = delete;
  patient_decoder& operator=(const patient_decoder&) = delete;

  // Decodes one JSON object into `out` (reset first). Returns true on success;
  // on failure `error` says what is wrong, naming the fact and the value
  // ("`symptom_duration`: \"twelve weeks\" is not a duration …").
  // `json` need not be padded; when `capacity` ≥ json.size() + 64 readable
  // bytes are known to follow it (a line inside a bigger buffer), no copy is made.
  bool decode(std::string_view json, patient& out, std::string& error, std::size_t capacity = 0);
  // A key that is not a fact but an input column read as text into
  // patient::extra (batch `--procedure-key`); without one it is a warning.
  void set_extra_key(std::string key);

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

// Bytes that must be readable after a line for zero-copy decoding.
std::size_t decode_padding();

}  // namespace rubric::runtime
