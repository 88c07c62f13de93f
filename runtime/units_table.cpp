// The unit table: UCUM atoms with their exact definitions (from the UCUM
// specification's essence file, checked against @lhncbc/ucum-lhc by
// tests/cli/ucum_reference.sh), the SI prefixes, the duration words, and the
// names of dimensions for messages.
#include "runtime/units_table.hpp"

#include <fmt/format.h>

#include <numeric>

namespace rubric::runtime::units::detail {

namespace {

constexpr dimension dim(int length, int time, int mass, int amount = 0, int angle = 0) {
  return dimension{{static_cast<std::int8_t>(length), static_cast<std::int8_t>(time), static_cast<std::int8_t>(mass),
                    static_cast<std::int8_t>(amount), static_cast<std::int8_t>(angle)}};
}

constexpr dimension none = dim(0, 0, 0);
constexpr dimension time_dim = dim(0, 1, 0);
constexpr dimension length_dim = dim(1, 0, 0);
constexpr dimension mass_dim = dim(0, 0, 1);
constexpr dimension pressure_dim = dim(-1, -2, 1);

// num/den × 10^exp10 canonical units (m, s, g, mol, deg) per one.
constexpr factor fac(std::uint64_t num, std::uint64_t den = 1, std::int32_t exp10 = 0) { return factor{num, den, exp10}; }

std::vector<atom> make_atoms() {
  std::vector<atom> t = {
      // base units of the dimensions
      {"m", true, length_dim, fac(1), "metre", {}},
      {"s", true, time_dim, fac(1), "second", {}},
      {"g", true, mass_dim, fac(1), "gram", {}},
      {"mol", true, dim(0, 0, 0, 1), fac(1), "mole", {}},
      {"deg", false, dim(0, 0, 0, 0, 1), fac(1), "degree (plane angle)", {}},
      // time: a month is a twelfth of a Julian year (UCUM mo = mo_j)
      {"min", false, time_dim, fac(60), "minute", {}},
      {"h", false, time_dim, fac(3600), "hour", {}},
      {"d", false, time_dim, fac(86400), "day", {}},
      {"wk", false, time_dim, fac(604800), "week", {}},
      {"mo", false, time_dim, fac(2629800), "month (mean Julian)", {}},
      {"a", false, time_dim, fac(31557600), "year (Julian)", {}},
      // length and volume
      {"[in_i]", false, length_dim, fac(254, 1, -4), "inch (international)", {}},
      {"[ft_i]", false, length_dim, fac(3048, 1, -4), "foot (international)", {}},
      {"[yd_i]", false, length_dim, fac(9144, 1, -4), "yard (international)", {}},
      {"[mi_i]", false, length_dim, fac(1609344, 1, -3), "mile (international)", {}},
      {"L", true, dim(3, 0, 0), fac(1, 1, -3), "litre", {}},
      {"l", true, dim(3, 0, 0), fac(1, 1, -3), "litre", {}},
      // mass
      {"t", true, mass_dim, fac(1, 1, 6), "tonne", {}},
      {"[gr]", false, mass_dim, fac(6479891, 1, -8), "grain", {}},
      {"[lb_av]", false, mass_dim, fac(45359237, 1, -5), "pound (avoirdupois)", {}},
      {"[oz_av]", false, mass_dim, fac(45359237, 16, -5), "ounce (avoirdupois)", {}},
      // pressure and force: 1 Pa = 1 kg/(m·s²) = 1000 g/(m·s²)
      {"Pa", true, pressure_dim, fac(1, 1, 3), "pascal", {}},
      {"bar", true, pressure_dim, fac(1, 1, 8), "bar", {}},
      {"m[Hg]", true, pressure_dim, fac(133322, 1, 3), "metre of mercury (133.322 kPa)", {}},
      {"m[H2O]", true, pressure_dim, fac(980665, 1, 1), "metre of water (9.80665 kPa)", {}},
      {"N", true, dim(1, -2, 1), fac(1, 1, 3), "newton", {}},
      // rates, amounts, ratios, angles
      {"Hz", true, dim(0, -1, 0), fac(1), "hertz", {}},
      {"U", true, dim(0, -1, 0, 1), fac(1, 60, -6), "enzyme unit (umol/min)", {}},
      {"%", false, none, fac(1, 1, -2), "percent", {}},
      {"[ppth]", false, none, fac(1, 1, -3), "parts per thousand", {}},
      {"[ppm]", false, none, fac(1, 1, -6), "parts per million", {}},
      {"[ppb]", false, none, fac(1, 1, -9), "parts per billion", {}},
      {"10*", false, none, fac(10), "the number ten, for powers (10*9/L)", {}},
      {"10^", false, none, fac(10), "the number ten, for powers (10^9/L)", {}},
      {"'", false, dim(0, 0, 0, 0, 1), fac(1, 60), "minute of arc", {}},
      {"''", false, dim(0, 0, 0, 0, 1), fac(1, 3600), "second of arc", {}},
      // known to UCUM, refused with a reason
      {"rad", true, dim(0, 0, 0, 0, 1), fac(1), "radian",
       "radians have no exact factor to degrees; give angles in `deg`"},
      {"Cel", true, none, fac(1), "degree Celsius", "temperatures are not supported (a temperature scale has an offset, not a factor)"},
      {"[degF]", false, none, fac(1), "degree Fahrenheit", "temperatures are not supported (a temperature scale has an offset, not a factor)"},
      {"K", true, none, fac(1), "kelvin", "temperatures are not supported"},
      {"[IU]", true, none, fac(1), "international unit", "arbitrary units (`[IU]`) cannot be converted; give the value as a bare number"},
      {"[iU]", true, none, fac(1), "international unit", "arbitrary units (`[iU]`) cannot be converted; give the value as a bare number"},
      {"[arb'U]", false, none, fac(1), "arbitrary unit", "arbitrary units cannot be converted; give the value as a bare number"},
  };
  for (atom& a : t) normalise(a.scale);
  return t;
}

const std::vector<atom>& table() {
  static const std::vector<atom> t = make_atoms();
  return t;
}

struct si_prefix {
  std::string_view code;
  std::int32_t exp10;
};

// Two-letter `da` first, so `dag` is not `d` + `ag`.
constexpr si_prefix prefixes[] = {
    {"da", 1}, {"Y", 24}, {"Z", 21}, {"E", 18}, {"P", 15}, {"T", 12}, {"G", 9},  {"M", 6},   {"k", 3},   {"h", 2},
    {"d", -1}, {"c", -2}, {"m", -3}, {"u", -6}, {"n", -9}, {"p", -12}, {"f", -15}, {"a", -18}, {"z", -21}, {"y", -24},
};

bool lower_equals(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_word[i]) return false;
  }
  return true;
}

bool checked_mul(std::uint64_t& a, std::uint64_t b) { return !__builtin_mul_overflow(a, b, &a); }

}  // namespace

const atom* find_atom(std::string_view code) {
  for (const atom& a : table())
    if (a.code == code) return &a;
  return nullptr;
}

std::optional<unit> find_word(std::string_view word) {
  struct duration_word {
    std::string_view one, many;
    std::uint64_t seconds;
  };
  static constexpr duration_word words[] = {
      {"second", "seconds", 1},        {"minute", "minutes", 60},   {"hour", "hours", 3600},
      {"day", "days", 86400},          {"week", "weeks", 604800},   {"month", "months", 2629800},
      {"year", "years", 31557600},
  };
  for (const auto& w : words) {
    if (!lower_equals(word, w.one) && !lower_equals(word, w.many)) continue;
    unit u{time_dim, fac(w.seconds)};
    normalise(u.scale);
    return u;
  }
  return std::nullopt;
}

prefixed find_prefixed(std::string_view text) {
  for (const si_prefix& p : prefixes) {
    if (text.size() <= p.code.size() || text.substr(0, p.code.size()) != p.code) continue;
    const atom* a = find_atom(text.substr(p.code.size()));
    if (a && a->metric) return {a, p.exp10};
  }
  return {};
}

bool normalise(factor& f) {
  if (f.num == 0 || f.den == 0) return false;
  std::uint64_t g = std::gcd(f.num, f.den);
  f.num /= g;
  f.den /= g;
  while (f.den % 10 == 0) f.den /= 10, --f.exp10;
  // The denominator keeps no factor 2 or 5 (1/2 is 5 × 10⁻¹), so one value
  // has one representation and `==` compares values.
  while (f.den % 2 == 0) {
    f.den /= 2, --f.exp10;
    if (!checked_mul(f.num, 5)) return false;
  }
  while (f.den % 5 == 0) {
    f.den /= 5, --f.exp10;
    if (!checked_mul(f.num, 2)) return false;
  }
  while (f.num % 10 == 0) f.num /= 10, ++f.exp10;
  return f.exp10 > -1000 && f.exp10 < 1000;
}

bool multiply(factor& a, const factor& b) {
  std::uint64_t g1 = std::gcd(a.num, b.den), g2 = std::gcd(b.num, a.den);
  factor r{a.num / g1, a.den / g2, a.exp10 + b.exp10};
  if (!checked_mul(r.num, b.num / g2) || !checked_mul(r.den, b.den / g1)) return false;
  a = r;
  return normalise(a);
}

bool invert(factor& f) {
  f = factor{f.den, f.num, -f.exp10};
  return normalise(f);
}

bool power(factor& f, int exponent) {
  factor base = f;
  if (exponent < 0 && !invert(base)) return false;
  factor r = fac(1);
  for (int i = 0; i < (exponent < 0 ? -exponent : exponent); ++i)
    if (!multiply(r, base)) return false;
  f = r;
  return true;
}

std::optional<factor> integer_factor(std::uint64_t n) {
  factor f = fac(n);
  if (!normalise(f)) return std::nullopt;
  return f;
}

}  // namespace rubric::runtime::units::detail

namespace rubric::runtime::units {

double factor::approx() const {
  double v = static_cast<double>(num) / static_cast<double>(den);
  for (int i = 0; i < exp10; ++i) v *= 10;
  for (int i = 0; i > exp10; --i) v /= 10;
  return v;
}

const std::vector<atom_info>& atoms() {
  static const std::vector<atom_info> list = [] {
    std::vector<atom_info> out;
    for (const detail::atom& a : detail::table())
      if (a.refusal.empty()) out.push_back({a.code, a.metric, a.name});
    return out;
  }();
  return list;
}

unit day() { return *detail::find_word("day"); }

std::string dimension_name(const dimension& d) {
  struct named {
    dimension dim;
    std::string_view name;
  };
  using detail::dim;
  static constexpr named names[] = {
      {dim(0, 0, 0), "dimensionless"},
      {dim(0, 1, 0), "time"},
      {dim(1, 0, 0), "length"},
      {dim(2, 0, 0), "area"},
      {dim(3, 0, 0), "volume"},
      {dim(0, 0, 1), "mass"},
      {dim(0, 0, 0, 1), "amount of substance"},
      {dim(0, 0, 0, 0, 1), "angle"},
      {dim(-3, 0, 1), "mass concentration"},
      {dim(-3, 0, 0, 1), "substance concentration"},
      {dim(-3, 0, 0), "number concentration"},
      {dim(-1, -2, 1), "pressure"},
      {dim(0, -1, 0), "rate"},
      {dim(1, -1, 0), "speed"},
      {dim(3, -1, 0), "volume flow rate"},
      {dim(-2, 0, 1), "mass per area"},
      {dim(0, -1, 0, 1), "catalytic activity"},
      {dim(-3, -1, 0, 1), "catalytic concentration"},
      {dim(1, -2, 1), "force"},
      {dim(1, -2, 0), "acceleration"},
  };
  for (const named& n : names)
    if (n.dim == d) return std::string(n.name);
  static constexpr std::string_view codes[base_count] = {"m", "s", "g", "mol", "deg"};
  std::string out;
  for (std::size_t i = 0; i < base_count; ++i) {
    int e = d.exponent[i];
    if (e == 0) continue;
    if (!out.empty()) out += '.';
    out += codes[i];
    if (e != 1) out += fmt::format("{}", e);
  }
  return out;
}

const std::vector<std::string_view>& common_units() {
  static const std::vector<std::string_view> list = {
      "s",      "min",      "h",      "d",     "wk",      "mo",    "a",       "m",      "cm",      "mm",
      "[in_i]", "[ft_i]",   "g",      "kg",    "mg",      "ug",    "ng",      "[lb_av]", "ng/mL",  "ug/L",
      "mg/L",   "mg/dL",    "g/L",    "mmol/L", "umol/L",  "mm[Hg]", "kPa",    "cm[H2O]", "/min",   "/h",
      "km/h",   "m/s",      "[mi_i]/h", "%",   "deg",     "mL",    "L",       "mL/min", "kg/m2",   "10*9/L",
      "U/L",    "m2",
  };
  return list;
}

std::string example_units(const dimension& d) {
  std::string out;
  int shown = 0;
  for (std::string_view s : common_units()) {
    auto u = find_unit(s);
    if (!u || u->dim != d) continue;
    if (shown == 5) return out + ", …";
    if (shown++) out += ", ";
    out += s;
  }
  return out;
}

std::optional<std::string_view> suggest_unit(std::string_view text) {
  struct hint {
    std::string_view wrong, right;
  };
  static constexpr hint hints[] = {
      {"mmHg", "mm[Hg]"},    {"mm Hg", "mm[Hg]"},  {"mmhg", "mm[Hg]"},    {"cmH2O", "cm[H2O]"},  {"cmh2o", "cm[H2O]"},
      {"kpa", "kPa"},        {"bpm", "/min"},      {"beats/min", "{beats}/min"}, {"/minute", "/min"}, {"/hour", "/h"},
      {"/hr", "/h"},         {"per minute", "/min"}, {"mcg", "ug"},      {"\xC2\xB5g", "ug"},   {"\xCE\xBCg", "ug"},
      {"mcg/L", "ug/L"},     {"mcg/mL", "ug/mL"},  {"\xC2\xB5mol/L", "umol/L"}, {"\xCE\xBCmol/L", "umol/L"},
      {"cc", "mL"},          {"in", "[in_i]"},     {"inch", "[in_i]"},    {"inches", "[in_i]"}, {"ft", "[ft_i]"},
      {"foot", "[ft_i]"},    {"feet", "[ft_i]"},   {"yd", "[yd_i]"},      {"mi", "[mi_i]"},      {"mile", "[mi_i]"},
      {"miles", "[mi_i]"},   {"mph", "[mi_i]/h"},  {"kph", "km/h"},       {"km/hr", "km/h"},     {"lb", "[lb_av]"},
      {"lbs", "[lb_av]"},    {"oz", "[oz_av]"},    {"hr", "h"},           {"hrs", "h"},          {"sec", "s"},
      {"secs", "s"},         {"mins", "min"},      {"yr", "a"},           {"yrs", "a"},          {"wks", "wk"},
      {"degree", "deg"},     {"degrees", "deg"},   {"\xC2\xB0", "deg"},   
      {"IU", "[IU]"},        {"percent", "%"},     {"mL/min/1.73m2", "mL/min/{1.73_m2}"},
      {"ml/min/1.73m2", "mL/min/{1.73_m2}"},
  };
  for (const hint& h : hints)
    if (h.wrong == text) return h.right;
  return std::nullopt;
}

}  // namespace rubric::runtime::units
