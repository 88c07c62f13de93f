// Prints the unit table for tests/cli/ucum_reference.sh: every atom, every
// metric atom with common SI prefixes, the compound units the language
// promises, and for each pair of one dimension the factor Rubric converts
// with. One JSON object per line; the Node program compares each with
// @lhncbc/ucum-lhc.
#include <cstdio>
#include <string>
#include <vector>

#include "runtime/units.hpp"

using namespace rubric::runtime::units;

int main() {
  std::vector<std::string> texts;
  for (const atom_info& a : atoms()) {
    if (a.code == "10*" || a.code == "10^") texts.push_back(std::string(a.code) + "3");  // a power, not the atom alone
    else texts.emplace_back(a.code);
    if (!a.metric) continue;
    for (const char* prefix : {"k", "d", "c", "m", "u", "n", "p", "M"}) texts.push_back(prefix + std::string(a.code));
  }
  for (const char* compound :
       {"g/L", "mg/dL", "mg/L", "ug/L", "ng/mL", "ug/mL", "g/dL", "pg/mL", "mmol/L", "umol/L", "nmol/L", "/min", "/h",
        "/s", "{beats}/min", "km/h", "m/s", "[mi_i]/h", "[ft_i]/s", "mL/min/{1.73_m2}", "mL/min", "L/h", "kg/m2",
        "g/m2", "10*9/L", "10*3/uL", "/uL", "/mm3", "U/L", "umol/min/L", "m2", "cm2", "cm3", "[in_i]2", "mg/kg.h",
        "mg/(kg.h)", "%", "1", "/100", "10*-2", "deg", "'", "''", "N", "kg.m/s2", "mbar", "[lb_av]/[in_i]2",
        "m.s-2", "mm[Hg]", "cm[H2O]", "kPa", "[ppm]", "[ppth]", "[ppb]"})
    texts.emplace_back(compound);
  std::vector<unit> parsed;
  for (const std::string& t : texts) {
    std::string why;
    auto u = find_unit(t, &why);
    if (!u) {
      std::printf("{\"error\": \"%s does not parse: %s\"}\n", t.c_str(), why.c_str());
      return 1;
    }
    parsed.push_back(*u);
    std::printf("{\"unit\": \"%s\", \"dimension\": \"%s\"}\n", t.c_str(), dimension_name(u->dim).c_str());
  }
  for (std::size_t i = 0; i < texts.size(); ++i)
    for (std::size_t j = 0; j < texts.size(); ++j) {
      if (i == j || !same_dimension(parsed[i], parsed[j])) continue;
      auto c = convert("1", parsed[i], parsed[j]);
      if (!c) {
        std::printf("{\"error\": \"1 %s to %s: %s\"}\n", texts[i].c_str(), texts[j].c_str(), std::string(describe(c.error)).c_str());
        return 1;
      }
      std::printf("{\"from\": \"%s\", \"to\": \"%s\", \"factor\": %.17g}\n", texts[i].c_str(), texts[j].c_str(), c.value);
    }
  return 0;
}
