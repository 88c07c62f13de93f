// Quantities in the compiler (see quantity.hpp).
#include "compiler/sema/quantity.hpp"

namespace rubric::compiler {

namespace units = runtime::units;

std::optional<units::unit> literal_unit(const ast::number& n) {
  if (!n.has_unit()) return std::nullopt;
  return units::find_unit(n.unit_text);
}

std::optional<units::unit> type_unit(const sema::type& t) {
  if (t.kind == sema::type_kind::duration) return units::day();
  if (t.kind != sema::type_kind::number || t.unit.empty()) return std::nullopt;
  return units::find_unit(t.unit);
}

std::optional<units::unit> fact_unit(const runtime::fact& f) {
  if (f.type == runtime::value_type::duration) return units::day();
  if (f.type != runtime::value_type::number || f.unit.empty()) return std::nullopt;
  return units::find_unit(f.unit);
}

std::optional<double> literal_in(const ast::number& n, const std::optional<units::unit>& target) {
  auto from = literal_unit(n);
  if (!from || !target) return n.has_unit() && !from ? std::nullopt : std::optional<double>(n.value);
  // The digits as written: the spelling is "DIGITS UNIT".
  std::string digits = n.spelling.substr(0, n.spelling.find(' '));
  units::conversion c = units::convert(digits, *from, *target);
  if (!c) c = units::convert(n.value, *from, *target);
  if (!c) return std::nullopt;
  return c.value;
}

double unit_factor(const units::unit& from, const units::unit& to) { return units::convert(1.0, from, to).value; }

}  // namespace rubric::compiler
