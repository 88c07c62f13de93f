// The unit table and exact conversion (runtime/units.hpp): units parse to the
// right dimension, conversions at thresholds are exact for decimal input,
// rounding happens once, and every failure says why.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "runtime/units.hpp"

using namespace rubric::runtime::units;

namespace {

unit u(std::string_view text) {
  auto r = find_unit(text);
  INFO(text);
  REQUIRE(r.has_value());
  return *r;
}

double conv(std::string_view number, std::string_view from, std::string_view to) {
  auto c = convert(number, u(from), u(to));
  INFO(number << " " << from << " -> " << to << ": " << describe(c.error));
  REQUIRE(c);
  return c.value;
}

std::string why_not(std::string_view text) {
  std::string why;
  CHECK_FALSE(find_unit(text, &why).has_value());
  return why;
}

}  // namespace

TEST_CASE("units: every unit the language promises parses to its dimension", "[units]") {
  struct row {
    std::string_view text, dimension;
  };
  const row rows[] = {
      {"s", "time"}, {"min", "time"}, {"h", "time"}, {"d", "time"}, {"wk", "time"}, {"mo", "time"}, {"a", "time"},
      {"second", "time"}, {"Seconds", "time"}, {"minute", "time"}, {"hours", "time"}, {"day", "time"},
      {"weeks", "time"}, {"Month", "time"}, {"years", "time"},
      {"m", "length"}, {"cm", "length"}, {"mm", "length"}, {"[in_i]", "length"}, {"[ft_i]", "length"},
      {"g", "mass"}, {"mg", "mass"}, {"ug", "mass"}, {"ng", "mass"}, {"kg", "mass"}, {"[lb_av]", "mass"},
      {"g/L", "mass concentration"}, {"mg/dL", "mass concentration"}, {"mg/L", "mass concentration"},
      {"ug/L", "mass concentration"}, {"ng/mL", "mass concentration"}, {"ug/mL", "mass concentration"},
      {"mmol/L", "substance concentration"}, {"umol/L", "substance concentration"},
      {"mm[Hg]", "pressure"}, {"kPa", "pressure"}, {"cm[H2O]", "pressure"},
      {"/min", "rate"}, {"/h", "rate"}, {"{beats}/min", "rate"},
      {"km/h", "speed"}, {"m/s", "speed"}, {"[mi_i]/h", "speed"},
      {"%", "dimensionless"}, {"deg", "angle"}, {"mL/min/{1.73_m2}", "volume flow rate"},
      {"mL", "volume"}, {"cm3", "volume"}, {"kg/m2", "mass per area"}, {"10*9/L", "number concentration"},
      {"U/L", "catalytic concentration"}, {"m.s-2", "acceleration"}, {"(mg/dL)", "mass concentration"},
  };
  for (const row& r : rows) {
    INFO(r.text);
    CHECK(dimension_name(u(r.text).dim) == r.dimension);
  }
  CHECK(dimension_name(u("g/s3").dim) == "s-3.g");
  CHECK(dimension_name(u("m2/s").dim) == "m2.s-1");
}

TEST_CASE("units: each duration word is its UCUM code", "[units]") {
  const std::pair<std::string_view, std::string_view> words[] = {
      {"second", "s"}, {"seconds", "s"}, {"minute", "min"}, {"minutes", "min"}, {"hour", "h"},  {"hours", "h"},
      {"day", "d"},    {"days", "d"},    {"week", "wk"},    {"weeks", "wk"},    {"month", "mo"}, {"months", "mo"},
      {"year", "a"},   {"years", "a"},
  };
  for (const auto& [word, code] : words) {
    INFO(word);
    CHECK(u(word) == u(code));
  }
}

TEST_CASE("units: threshold comparisons are exact for decimal input", "[units]") {
  // The two examples; multiplying doubles gets both wrong.
  CHECK(conv("36", "[in_i]", "[ft_i]") == 3.0);
  CHECK(conv("3", "[ft_i]", "[in_i]") == 36.0);
  // Why the table does not convert in doubles:
  CHECK(0.7 / 0.001 != 700.0);
  CHECK(3 * 0.3048 != 36 * 0.0254);
  CHECK(conv("0.7", "mg/L", "ng/mL") == 700.0);
  CHECK_FALSE(conv("0.7", "mg/L", "ng/mL") > 700.0);
  CHECK(conv("0.5", "mg/L", "ng/mL") == conv("500", "ng/mL", "ng/mL"));
  // Equal rationals, equal doubles, even when not a terminating decimal.
  CHECK(conv("100", "min", "h") == conv("6000", "s", "h"));
  CHECK(conv("100", "min", "h") == 100.0 / 60.0);  // IEEE division is correctly rounded
  CHECK(conv("5", "min", "d") == conv("300", "s", "d"));
  CHECK(conv("6", "wk", "d") == 42.0);
  CHECK(conv("1", "mo", "d") == 30.4375);
  CHECK(conv("2", "a", "d") == 730.5);
  CHECK(conv("3", "hours", "d") == 0.125);
  CHECK(conv("1", "mm[Hg]", "kPa") == 0.133322);
  CHECK(conv("1", "mm[Hg]", "Pa") == 133.322);
  CHECK(conv("10", "cm[H2O]", "kPa") == 0.980665);
  CHECK(conv("1", "[mi_i]/h", "km/h") == 1.609344);
  CHECK(conv("36", "km/h", "m/s") == 10.0);
  CHECK(conv("1", "mg/dL", "mg/L") == 10.0);
  CHECK(conv("0.1", "mmol/L", "umol/L") == 100.0);
  CHECK(conv("72", "{beats}/min", "/min") == 72.0);
  CHECK(conv("1", "/min", "/h") == 60.0);
  CHECK(conv("90", "mL/min/{1.73_m2}", "mL/min") == 90.0);
  CHECK(conv("50", "%", "1") == 0.5);
  CHECK(conv("1", "deg", "'") == 60.0);
  CHECK(conv("1", "[lb_av]", "kg") == 0.45359237);
  CHECK(conv("1", "[oz_av]", "g") == 28.349523125);
  CHECK(conv("-12.5", "cm", "mm") == -125.0);
  CHECK(conv("0", "mg/L", "ng/mL") == 0.0);
}

TEST_CASE("units: decimal texts round once, to nearest", "[units]") {
  // Same unit: the same double as the C++ reader (correctly rounded).
  for (std::string_view text : {"0.1", "0.3", "123.456", "1e-5", "2.5E3", "+4", ".5", "9007199254740993",
                                "0.1000000000000000055511151231257827"}) {
    INFO(text);
    double expected = std::stod(std::string(text[0] == '+' ? text.substr(1) : text));
    CHECK(conv(text, "mg", "mg") == expected);
  }
  // Ties: 2^53 + 1 rounds to even (2^53), 2^53 + 3 to 2^53 + 4.
  CHECK(conv("9007199254740993", "m", "m") == 9007199254740992.0);
  CHECK(conv("9007199254740995", "m", "m") == 9007199254740996.0);
  CHECK(conv("1.0000", "m", "m") == 1.0);
  CHECK(conv("000.000500", "g", "mg") == 0.5);
}

TEST_CASE("units: conversion from a double is exact in the double's value", "[units]") {
  CHECK(convert(42.0, u("d"), u("wk")).value == 6.0);
  CHECK(convert(0.125, u("d"), u("h")).value == 3.0);
  CHECK(convert(-1.5, u("m"), u("cm")).value == -150.0);
  CHECK(convert(0.0, u("m"), u("cm")).value == 0.0);
  CHECK(convert(std::numeric_limits<double>::infinity(), u("m"), u("cm")).error == conversion_error::out_of_range);
  CHECK(convert(1e300, u("km"), u("nm")).error == conversion_error::out_of_range);
  CHECK(convert(1.0, u("m"), u("s")).error == conversion_error::different_dimension);
}

TEST_CASE("units: failed conversions say why", "[units]") {
  CHECK(convert("2", u("kg"), u("/min")).error == conversion_error::different_dimension);
  CHECK(convert("500", u("mm[Hg]"), u("ng/mL")).error == conversion_error::different_dimension);
  CHECK(convert("1", u("mg/L"), u("mmol/L")).error == conversion_error::different_dimension);
  CHECK(convert("twelve", u("d"), u("d")).error == conversion_error::malformed_number);
  CHECK(convert("1.2.3", u("d"), u("d")).error == conversion_error::malformed_number);
  CHECK(convert("", u("d"), u("d")).error == conversion_error::malformed_number);
  CHECK(convert("1e", u("d"), u("d")).error == conversion_error::malformed_number);
  CHECK(convert("1e400", u("d"), u("d")).error == conversion_error::out_of_range);
  CHECK(convert("1e-400", u("d"), u("d")).error == conversion_error::out_of_range);
  CHECK(convert("1e99999999999", u("d"), u("d")).error == conversion_error::out_of_range);
  CHECK(convert("1e300", u("km"), u("nm")).error == conversion_error::out_of_range);
  CHECK(convert(std::string(61, '7'), u("d"), u("d")).error == conversion_error::too_many_digits);
  CHECK(convert(std::string(60, '7') + std::string(100, '0'), u("g"), u("g")));  // zeros are not significant
  CHECK(describe(conversion_error::different_dimension) == "is of another dimension");
  CHECK(describe(conversion_error::out_of_range) == "is out of range after conversion");
}

TEST_CASE("units: unknown and refused units say why", "[units]") {
  CHECK(why_not("mmHg") == "`mmHg` is not a UCUM unit");
  CHECK(suggest_unit("mmHg") == std::optional<std::string_view>("mm[Hg]"));
  CHECK(suggest_unit("bpm") == std::optional<std::string_view>("/min"));
  CHECK(suggest_unit("mcg/mL") == std::optional<std::string_view>("ug/mL"));
  CHECK_FALSE(suggest_unit("ng/mL").has_value());
  CHECK(why_not("mg/dl/xyz") == "`xyz` in `mg/dl/xyz` is not a UCUM unit");
  CHECK(why_not("kmin") == "`kmin` is not a UCUM unit");  // `min` takes no prefix
  CHECK(why_not("Cel") == "`Cel`: temperatures are not supported (a temperature scale has an offset, not a factor)");
  CHECK(why_not("rad") == "`rad`: radians have no exact factor to degrees; give angles in `deg`");
  CHECK(why_not("[IU]/L") == "`[IU]`: arbitrary units (`[IU]`) cannot be converted; give the value as a bare number");
  CHECK(why_not("") == "the unit is empty");
  CHECK(why_not("mg/") == "the unit ends after an operator");
  CHECK(why_not("mg/{beats") == "an annotation `{…}` is not closed");
  CHECK(why_not("(mg/dL") == "a `(` in the unit is not closed");
  CHECK(why_not("[in_i") == "a `[` in the unit is not closed");
  CHECK(why_not("mg dL") == "a unit has no spaces");
  CHECK(why_not("m999") == "the exponent in `m999` is out of range");
  CHECK(why_not(std::string(40, '(') + "m" + std::string(40, ')')) == "the unit nests too deeply");
  CHECK(why_not("[in_i]60") == "the factor of `[in_i]60` is out of range");
  CHECK(why_not("m60.m60") == "the unit's exponents are too large");
  CHECK(find_unit("Ym10.Ym10.Ym10").has_value());  // silly, but representable
  CHECK_FALSE(find_unit("MG").has_value());  // UCUM codes are case-sensitive
  CHECK(find_unit("HOURS").has_value());     // the duration words are not
}

TEST_CASE("units: UCUM reads left to right; prefixes and exponents combine", "[units]") {
  CHECK(u("mg/kg.h") == u("mg.h/kg"));  // (mg/kg)·h, as the specification says
  CHECK(u("mg/(kg.h)") == u("mg/kg/h"));
  CHECK(u("dm3") == u("L"));
  CHECK(u("cm3") == u("mL"));
  CHECK(u("10*3/uL") == u("10*9/L"));
  CHECK(u("s-1") == u("/s"));
  CHECK(u("Hz") == u("/s"));
  CHECK(u("100") != u("1"));
  CHECK(conv("1", "/100", "1") == 0.01);
  CHECK(u("{beats}/min") == u("/min"));
  CHECK(u(" ng/mL ") == u("ng/mL"));
  CHECK(u("dag") == u("10.g"));
  CHECK(same_dimension(u("mm[Hg]"), u("kPa")));
  CHECK_FALSE(same_dimension(u("mg/L"), u("mmol/L")));
}

TEST_CASE("units: quantity texts split into number and unit", "[units]") {
  auto check = [](std::string_view text, std::string_view number, std::string_view unit_text) {
    auto q = split_quantity(text);
    INFO(text);
    REQUIRE(q.has_value());
    CHECK(q->number == number);
    CHECK(q->unit == unit_text);
  };
  check("500 ng/mL", "500", "ng/mL");
  check(" 0.5mg/L ", "0.5", "mg/L");
  check("3 hours", "3", "hours");
  check("12wk", "12", "wk");
  check("1e3 mg", "1e3", "mg");
  check("-2 cm", "-2", "cm");
  check("72 {beats}/min", "72", "{beats}/min");
  CHECK_FALSE(split_quantity("500").has_value());
  CHECK_FALSE(split_quantity("ng/mL").has_value());
  CHECK_FALSE(split_quantity("").has_value());
}

TEST_CASE("units: factors are normalised, so equal units compare equal", "[units]") {
  CHECK(u("[ft_i]").scale == factor{3048, 1, -4});
  CHECK(u("h").scale == factor{36, 1, 2});
  CHECK(u("[oz_av]").scale == factor{28349523125, 1, -9});
  CHECK(u("min").scale.approx() == 60.0);
  CHECK(u("mm[Hg]").scale.approx() == Approx(133322.0));
  CHECK(day() == u("d"));
  CHECK(day() == u("days"));
  CHECK(example_units(u("ng/mL").dim) == "ng/mL, ug/L, mg/L, mg/dL, g/L");
  CHECK(example_units(u("mm[Hg]").dim) == "mm[Hg], kPa, cm[H2O]");
  CHECK(example_units(u("s").dim) == "s, min, h, d, wk, …");
  CHECK_FALSE(atoms().empty());
}
