// Internal to the unit code (runtime/units*.cpp): the atom table, the SI
// prefixes and exact factor arithmetic. Everyone else uses runtime/units.hpp.
#pragma once

#include <optional>
#include <string_view>

#include "runtime/units.hpp"

namespace rubric::runtime::units::detail {

// One row of the table: a UCUM atom (or a duration word) and its definition.
struct atom {
  std::string_view code;
  bool metric;              // takes SI prefixes (`mg`, `kPa`, `mm[Hg]`)
  dimension dim;
  factor scale;             // canonical units (m, s, g, mol, deg) per one
  std::string_view name;
  std::string_view refusal; // non-empty: known but not supported; the reason
};

// The atom with exactly this code (case-sensitive), or null.
const atom* find_atom(std::string_view code);
// A duration word (`days`, `Hour`), case-insensitive: its unit, or nullopt.
std::optional<unit> find_word(std::string_view word);
// The SI prefix at the start of `text` whose rest is a metric atom.
struct prefixed {
  const atom* a = nullptr;
  std::int32_t exp10 = 0;
};
prefixed find_prefixed(std::string_view text);

// Exact factor arithmetic; false on overflow of the 64-bit parts.
bool normalise(factor& f);
bool multiply(factor& a, const factor& b);
bool invert(factor& f);
bool power(factor& f, int exponent);
// A factor from an integer (`100` in `/100`, `10*` is the atom).
std::optional<factor> integer_factor(std::uint64_t n);

}  // namespace rubric::runtime::units::detail
