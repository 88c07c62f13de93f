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
// The days of the unit a guideline writes the thresholds on a duration fact
// in (365.25 for `50 years`, 7 for `6 weeks`): the largest such unit of its
// comparisons with a constant; 0 when it compares the fact with none.
double written_unit_days(const graph& g, std::uint32_t slot);
// Days in that unit: whole units read as format_duration does ("70 years");
// otherwise, for years and months, the complete units and the days left over
// ("70 years 93 days") when the value is at least one unit; else as
// format_duration ("10 days" for a fact compared in weeks).
std::string format_duration_in(double days, double unit_days);

// One fact's value. Booleans: bits 0/1 and number 0/1. Numbers (in the fact's
// declared unit) and durations (days): number. Enums: bits = one-hot of the member, number = member index.
// Sets: bits = member mask. Text lives in patient::text.
// A set may also be known member by member (a partial set): then `known` is
// false, `decided` holds the members known present or absent, and `bits` the
// present ones among them; the other members are unknown. A set with every
// member decided is stored as known (decided stays 0), so `known` still means
// "the whole value is known" for every type.
struct slot_value {
  double number = 0;
  std::uint64_t bits = 0;
  bool known = false;
  std::uint64_t decided = 0;  // partial sets only (see above); after `known` so {n, bits, known} still reads as before
};

// The members of a set value that are decided: every one when it is known.
inline std::uint64_t decided_members(const slot_value& s) { return s.decided | (std::uint64_t(0) - s.known); }
// Whether a set value is known for some members but not all.
inline bool partly_known(const slot_value& s) { return !s.known && s.decided != 0; }
// A set value from per-member knowledge over `universe` (the enumeration's
// members): known when every member is decided, partial otherwise.
inline slot_value set_value(std::uint64_t present, std::uint64_t decided, std::uint64_t universe) {
  decided &= universe;
  present &= decided;
  if (decided == universe) return {0, present, true, 0};
  return {0, present, false, decided};
}

// Set tests in Kleene logic over per-member knowledge; every evaluator uses
// these (branch-free: they sit on the hot path). A value with nothing decided
// leaves every test unknown.
inline truth truth_from(bool yes, bool no) { return static_cast<truth>(unsigned(yes) | (unsigned(!yes && !no) << 1)); }
// `has any of m` (and an enum's `in m`): true when a member of m is present,
// false when every member of m is decided absent.
inline truth set_any_truth(const slot_value& s, std::uint64_t m) {
  const std::uint64_t d = decided_members(s);
  return truth_from((s.bits & d & m) != 0, (d != 0) & ((d & m) == m));
}
// `has all of m`: true when every member of m is present, false when one is decided absent.
inline truth set_all_truth(const slot_value& s, std::uint64_t m) {
  const std::uint64_t d = decided_members(s);
  const bool no = (d & ~s.bits & m) != 0;
  return truth_from(!no && (d != 0) && (s.bits & d & m) == m, no);
}
// `is empty`: false when some member is present, true only when all are decided absent.
inline truth set_empty_truth(const slot_value& s) {
  const bool no = (s.bits & decided_members(s)) != 0;
  return truth_from(!no && s.known, no);
}

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
  // Per-member knowledge of a set fact (see slot_value); `universe` is every member of its enumeration.
  void set_partial(std::uint32_t slot, std::uint64_t present, std::uint64_t decided, std::uint64_t universe) {
    slots[slot] = set_value(present, decided, universe);
  }
  void set_text(std::uint32_t slot, std::string v) { text[slot] = std::move(v); slots[slot] = {0, 0, true}; }
};

// A fact's value as the author reads it: "12 weeks", "true", "{fever, osteoporosis}",
// "Saddle anesthesia"… `labels` uses member labels instead of ids; unknown → "unknown".
// A partial set lists the members found and then the undecided ones:
// "{fever} (nocturnal_pain unknown)"; every member not named is absent.
std::string format_value(const graph& g, const patient& p, std::uint32_t slot, bool labels = false);
// Every member of a set fact's enumeration, as a mask.
std::uint64_t member_universe(const graph& g, std::uint32_t slot);
// The undecided members of a partial set fact, by id: "nocturnal_pain, cancer_history"; "" otherwise.
std::string undecided_members(const graph& g, const patient& p, std::uint32_t slot);
// A missing fact as named in "missing" lists: its id, and for a partial set
// the members still undecided: "red_flags (undecided: nocturnal_pain)".
std::string missing_fact_text(const graph& g, const patient& p, std::uint32_t slot);

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
