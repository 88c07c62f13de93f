// The exact conversion's shortcut (one IEEE division when the value and the
// unit factors are small integers) gives the same double as the long
// division: a decimal text goes through the shortcut, the same value as a
// double (exactly representable: integers and dyadic fractions) goes through
// the bignum path; both must agree for every pair of units of a dimension.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "runtime/units.hpp"

namespace u = rubric::runtime::units;

TEST_CASE("conversion: the small-integer shortcut equals the long division", "[units]") {
  const std::vector<std::string> texts = {"ng/mL", "mg/L", "ug/L", "mg/dL", "g/L", "/min", "/s", "/h", "%", "1",
                                          "{score}", "mm[Hg]", "kPa", "Pa", "[in_i]", "[ft_i]", "cm", "m", "mm",
                                          "s", "min", "h", "d", "wk", "mo", "a", "years", "hours", "kg", "g", "[lb_av]",
                                          "mL/min/{1.73_m2}", "kg/m2", "10*9/L", "/uL", "mmol/L", "umol/L"};
  std::vector<u::unit> units;
  for (const auto& t : texts) {
    auto found = u::find_unit(t);
    INFO(t);
    REQUIRE(found);
    units.push_back(*found);
  }
  std::mt19937_64 rng(7);
  int compared = 0;
  for (int round = 0; round < 20000; ++round) {
    // An integer, or an integer over a small power of two (exact in binary).
    std::uint64_t whole = rng() % 4 == 0 ? rng() % (std::uint64_t{1} << 40) : rng() % 5000;
    int halvings = static_cast<int>(rng() % 4);
    double value = std::ldexp(static_cast<double>(whole), -halvings);
    std::string text = fmt::format("{}", value);
    REQUIRE(std::stod(text) == value);
    const u::unit& from = units[rng() % units.size()];
    const u::unit& to = units[rng() % units.size()];
    if (!u::same_dimension(from, to)) continue;
    auto fast = u::convert(text, from, to);
    auto slow = u::convert(value, from, to);
    INFO(text << " from factor " << from.scale.num << "/" << from.scale.den << "e" << from.scale.exp10 << " to "
              << to.scale.num << "/" << to.scale.den << "e" << to.scale.exp10);
    REQUIRE(static_cast<bool>(fast) == static_cast<bool>(slow));
    if (fast) CHECK(fast.value == slow.value);
    ++compared;
  }
  CHECK(compared > 2000);
  // The classic cases stay exact.
  CHECK(u::convert("36", *u::find_unit("[in_i]"), *u::find_unit("m")).value ==
        u::convert("3", *u::find_unit("[ft_i]"), *u::find_unit("m")).value);
  CHECK(u::convert("0.7", *u::find_unit("mg/L"), *u::find_unit("ng/mL")).value == 700);
  CHECK(u::convert("55", *u::find_unit("a"), u::day()).value == 20088.75);
}

// The batch decoder's precomputed conversion for whole numbers ("12 weeks")
// is convert() of the same digits whenever it answers, for every pair of
// units, and answers for the everyday ones.
TEST_CASE("conversion: integer_conversion equals convert of the digits", "[units]") {
  const std::vector<std::string> texts = {"ng/mL", "mg/L", "ug/L", "mg/dL", "g/L", "/min", "/h", "%", "1", "mm[Hg]",
                                          "kPa", "[in_i]", "[ft_i]", "cm", "m", "s", "min", "h", "d", "wk", "mo", "a",
                                          "weeks", "years", "kg", "[lb_av]", "10*9/L", "/uL", "mmol/L"};
  std::vector<u::unit> units;
  for (const auto& t : texts) units.push_back(*u::find_unit(t));
  std::mt19937_64 rng(11);
  int answered = 0;
  for (std::size_t a = 0; a < units.size(); ++a)
    for (std::size_t b = 0; b < units.size(); ++b) {
      if (!u::same_dimension(units[a], units[b])) continue;
      const u::integer_conversion quick(units[a], units[b]);
      for (int round = 0; round < 300; ++round) {
        std::uint64_t n = round < 100 ? static_cast<std::uint64_t>(round)
                                      : rng() % (round % 3 == 0 ? std::uint64_t{1000000000000000} : std::uint64_t{100000});
        auto q = quick(n);
        if (!q) continue;
        ++answered;
        auto full = u::convert(std::to_string(n), units[a], units[b]);
        INFO(n << " " << texts[a] << " -> " << texts[b]);
        REQUIRE(full);
        CHECK(full.value == *q);
      }
    }
  CHECK(answered > 10000);
  const u::integer_conversion weeks(*u::find_unit("weeks"), u::day()), years(*u::find_unit("a"), u::day());
  CHECK(weeks(12) == 84.0);
  CHECK(years(55) == 20088.75);
  CHECK(weeks(0) == 0.0);
  CHECK(!u::integer_conversion(*u::find_unit("kg"), u::day())(3));  // different dimensions: no answer
}
