// The one unit table of the project (UCUM codes plus the duration words the
// language accepts), and exact conversion between units of one dimension.
// The runtime owns it; the compiler, the patient decoder, the example runner
// and the verifier all use it, so a unit means the same thing everywhere.
//
// Why exact: `36 [in_i]` must equal `3 [ft_i]`, and `0.7 mg/L` must not be
// above a `700 ng/mL` cut-off. Converting in doubles gets both wrong: in
// metres, 3 × 0.3048 = 0.9144000000000001 but 36 × 0.0254 = 0.9144, and
// 0.7 / 0.001 = 699.9999999999999. So a value is converted as an exact
// rational — decimal digits × unit factors, each factor an exact rational —
// and rounded to a double ONCE, in the target unit. Equal rationals therefore
// give equal doubles, and rounding is monotone, so a value never crosses a
// threshold it is not across (at most it ties with one it is infinitesimally
// near).
//
// How to use it (compiler and runtime):
//   - A fact declares a unit (`number ng/mL`; a `duration` is in days). The
//     runtime stores every value of that fact in the DECLARED unit.
//   - Thresholds in the graph are plain doubles in the fact's declared unit:
//     at compile time, convert the literal's digits as written with
//     `convert(literal_text, literal_unit, fact_unit)` (never from the parsed
//     double), and put the result in the `compare` node. `0.5 mg/L` against
//     a fact in `ng/mL` becomes 500; `6 weeks` against a duration becomes 42
//     (days). Two literals that are the same quantity become the same double.
//   - `compare_facts` between two facts of one dimension but different
//     declared units needs one side scaled: `convert(1.0, from, to).value` is
//     the factor, correctly rounded (exact when it is a power of two or an
//     integer below 2^53, e.g. 1000 for g → mg).
//   - Patient data: a bare JSON number is already in the declared unit; a
//     string "500 ng/mL" or a FHIR Quantity is converted from its digits with
//     `convert(text, unit, declared)` — see runtime/patient.cpp.
//   - Messages: `dimension_name(u.dim)` ("mass concentration", "time").
//
// Units are case-sensitive UCUM codes (`mg`, `Mg` differ); the duration words
// (`week`, `Hours`) are case-insensitive. Annotations `{…}` are accepted and
// ignored for conversion (`{beats}/min` is `/min`). Units on a non-ratio scale
// (`Cel`, `[degF]`) and arbitrary units (`[IU]`) are not supported. The
// supported atoms are listed in docs/language.md ("Units") and checked
// against the reference UCUM implementation by tests/cli/ucum_reference.sh.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::runtime::units {

// Base dimensions. Volume is length³; amount of substance is its own base
// (no molar-mass conversion between mass and substance concentrations);
// angle is a base so that `deg` has a rational factor. Counts and
// annotations are dimensionless.
enum class base : std::uint8_t { length, time, mass, amount, angle };
inline constexpr std::size_t base_count = 5;

// A dimension: one exponent per base (speed = length¹·time⁻¹).
struct dimension {
  std::array<std::int8_t, base_count> exponent{};
  bool dimensionless() const { return exponent == std::array<std::int8_t, base_count>{}; }
  bool operator==(const dimension&) const = default;
};

// An exact positive rational num/den × 10^exp10, in lowest terms (num and den
// share no factor, and neither is divisible by 10 unless the other is not
// divisible by 2 or 5 — normalised so equal values compare equal).
struct factor {
  std::uint64_t num = 1;
  std::uint64_t den = 1;
  std::int32_t exp10 = 0;
  bool operator==(const factor&) const = default;
  double approx() const;  // for display and heuristics only; never for thresholds
};

// A unit: its dimension and how many canonical units one of it is. The
// canonical units are m, s, g, mol and deg (so `mm[Hg]` is 133322 g·m⁻¹·s⁻²).
// A plain value type: no allocation, cheap to copy and cache per fact.
struct unit {
  dimension dim;
  factor scale;
  bool operator==(const unit&) const = default;
};

// A unit from its text: a UCUM expression (`ng/mL`, `mm[Hg]`, `/min`,
// `{beats}/min`, `mL/min/{1.73_m2}`, `kg/m2`, `10*9/L`, `[mi_i]/h`) or a
// duration word (`day(s)`, `week(s)`, `month(s)`, `year(s)`, `second(s)`,
// `minute(s)`, `hour(s)`). Surrounding spaces are ignored; nullopt when not a
// supported unit, with the reason in `why` when given ("`mmHg` is not a UCUM
// unit", "`Cel` is on an interval scale and cannot be converted by a factor").
std::optional<unit> find_unit(std::string_view text, std::string* why = nullptr);

// The UCUM spelling of a common non-UCUM unit text, for a `help:` line:
// "mmHg" → "mm[Hg]", "bpm" → "/min", "mcg" → "ug", "in" → "[in_i]".
std::optional<std::string_view> suggest_unit(std::string_view text);

inline bool same_dimension(const unit& a, const unit& b) { return a.dim == b.dim; }

// For messages: "time", "mass concentration", "pressure", "rate",
// "dimensionless"…; dimensions without a common name are written as a UCUM
// formula of canonical units ("g.m-1.s-3").
std::string dimension_name(const dimension& d);

// Examples of units of a dimension, for a help line ("ng/mL, mg/L, mg/dL");
// empty when the table has none.
std::string example_units(const dimension& d);

// The units guidelines write most, in UCUM spelling, grouped by dimension
// (time, length, mass, concentrations, pressure, rates…): the examples of
// help lines and the editor's unit completion.
const std::vector<std::string_view>& common_units();

// The canonical time unit of durations in the graph and in patient slots.
unit day();

// Duration factors in days, for code that works in days (the verifier's
// candidate values, tests). Derived from the table: a month is a twelfth of a
// Julian year.
inline constexpr double days_per_day = 1.0;
inline constexpr double days_per_week = 7.0;
inline constexpr double days_per_month = 30.4375;
inline constexpr double days_per_year = 365.25;

enum class conversion_error : std::uint8_t {
  none,
  malformed_number,     // the text is not a decimal number
  too_many_digits,      // more than max_significant_digits
  different_dimension,  // from and to are not the same dimension
  out_of_range,         // the result is not a finite, normal double (or is 0 from a non-zero value)
};

// Why a conversion failed, in words for a message ("is not a number").
std::string_view describe(conversion_error e);

struct conversion {
  double value = 0;
  conversion_error error = conversion_error::none;
  explicit operator bool() const { return error == conversion_error::none; }
};

// Significant digits accepted in a decimal text (leading and trailing zeros
// do not count).
inline constexpr int max_significant_digits = 60;

// Converts a decimal text (`-12.5`, `0.7`, `1e3`, `+3`, `.5`: JSON-number
// syntax plus a leading `+` or `.`) from one unit to another, exactly, with
// one correctly rounded (to nearest, ties to even) step to double at the end.
conversion convert(std::string_view decimal_text, const unit& from, const unit& to);

// The same from a double (exactly the double's value, no decimal rounding
// assumed): for values already parsed (a bare JSON number given in another
// unit is not possible, but a why-not candidate or a computed value is).
conversion convert(double value, const unit& from, const unit& to);

// `convert` for whole numbers, precomputed once per pair of units: the batch
// decoder's "12 weeks" without parsing digits or units again. The same
// rational n × num / den × 2^exp2 that convert() forms, rounded by one IEEE
// division, so exactly convert(to_string(n), from, to) whenever it answers;
// nullopt (use convert) when the integers leave the exact range of doubles
// or the result is not a normal double.
class integer_conversion {
 public:
  integer_conversion() = default;
  integer_conversion(const unit& from, const unit& to);
  std::optional<double> operator()(std::uint64_t n) const {
    if (n == 0) return usable_ ? std::optional<double>(0.0) : std::nullopt;
    std::uint64_t scaled;
    if (!usable_ || __builtin_mul_overflow(n, num_, &scaled) || scaled >= std::uint64_t{1} << 53) return std::nullopt;
    // A power-of-two denominator (days from weeks, months, years) is an
    // exact multiplication; any other is the one rounding division.
    double r = multiplier_ != 0 ? static_cast<double>(scaled) * multiplier_ : divide(scaled);
    if (!(r >= 0x1p-1022 && r <= 0x1.fffffffffffffp1023)) return std::nullopt;  // not normal: convert decides
    return r;
  }

 private:
  double divide(std::uint64_t scaled) const;
  std::uint64_t num_ = 0, den_ = 1;
  int exp2_ = 0;
  double multiplier_ = 0;  // 2^exp2 / den when den is a power of two, else 0
  bool usable_ = false;
};

// A quantity text split into its number and unit: "500 ng/mL", "12wk",
// "3 hours", "0.5mg/L". The space between them is optional. nullopt when the
// text does not start with a number or has no unit after it.
struct quantity_text {
  std::string_view number;
  std::string_view unit;
};
std::optional<quantity_text> split_quantity(std::string_view text);

// Every atom of the table (`m`, `[in_i]`, `mm[Hg]` is prefix + `m[Hg]`…) and
// whether it takes SI prefixes, for docs and the reference test.
struct atom_info {
  std::string_view code;
  bool metric;
  std::string_view name;  // "inch (international)"
};
const std::vector<atom_info>& atoms();

}  // namespace rubric::runtime::units
