// Number and duration facts from patient data: a bare number in the declared
// unit, a quantity string, or a FHIR Quantity, converted exactly to the
// declared unit with the one unit table (runtime/units.hpp), then checked
// against the fact's integer flag and range.
#include "runtime/patient_quantity.hpp"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <utility>

namespace rubric::runtime::detail {

namespace od = simdjson::ondemand;

namespace {

constexpr std::string_view ucum_system = "http://unitsofmeasure.org";
constexpr std::string_view duration_units =
    "use seconds, minutes, hours, days, weeks, months or years (UCUM s, min, h, d, wk, mo, a)";

std::string_view trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string number_text(double v) { return fmt::format("{}", v); }

// A minus sign before a non-zero number: "-0" is zero, not negative.
bool negative(std::string_view number) {
  if (number.empty() || number.front() != '-') return false;
  for (char c : number) {
    if (c == 'e' || c == 'E') break;
    if (c >= '1' && c <= '9') return true;
  }
  return false;
}

// How a conversion failure reads: a duration that overflows is "too large".
std::string_view conversion_words(const fact& f, units::conversion_error e) {
  if (f.type == value_type::duration && e == units::conversion_error::out_of_range) return "is too large for a duration";
  return units::describe(e);
}

// What a value of the fact should look like, for messages.
std::string expected(const fact& f) {
  if (f.type == value_type::duration) return "a duration (time)";
  if (f.unit.empty()) return "a plain number";
  auto u = units::find_unit(f.unit);
  return fmt::format("a {}, in {}", u ? units::dimension_name(u->dim) : "quantity", f.unit);
}

// The value as the author will read it, in the declared unit.
std::string in_declared(const fact& f, double v) {
  return f.unit.empty() || f.type == value_type::duration ? number_text(v) : number_text(v) + " " + f.unit;
}

// A reading of one value: its number as written, its unit text, and how it
// was shown ("\"500 ng/mL\"" or "2 kg").
struct reading {
  std::string_view number;
  std::string_view unit;
  std::string shown;
};

bool fail(std::string& error, std::string message) {
  error = std::move(message);
  return false;
}

// The unit of a reading; an error naming the fact and the value otherwise.
template <class Shown>
std::optional<units::unit> find_reading_unit(const fact& f, std::string_view unit_text, const Shown& shown, std::string& error,
                                             units::unit_memo* memo) {
  auto from = memo ? memo->find(unit_text) : units::find_unit(unit_text);
  if (from) return from;
  std::string why;
  units::find_unit(unit_text, &why);
  std::string hint;
  if (auto s = units::suggest_unit(trim(unit_text))) hint = fmt::format("did you mean `{}`?", *s);
  else if (f.type == value_type::duration) hint = std::string(duration_units);
  else hint = fmt::format("give it in `{}`", f.unit);
  bool plain = why == fmt::format("`{}` is not a UCUM unit", trim(unit_text));  // nothing to add to "unknown unit"
  fail(error, fmt::format("`{}`: {} has an unknown unit{}; {}", f.id, shown(), plain ? "" : " (" + why + ")", hint));
  return std::nullopt;
}

// Converts a number in unit `from` to the declared unit; errors name the fact
// and the value (`shown()`, built only for a message).
template <class Shown>
bool convert_reading(const fact& f, const units::unit& declared, const units::unit& from, std::string_view number,
                     const Shown& shown, double& out, std::string& error) {
  if (!units::same_dimension(from, declared))
    return fail(error, fmt::format("`{}`: {} is a {}, not {}", f.id, shown(), units::dimension_name(from.dim), expected(f)));
  auto c = units::convert(number, from, declared);
  if (!c) return fail(error, fmt::format("`{}`: {} {}", f.id, shown(), conversion_words(f, c.error)));
  out = c.value;
  return true;
}

// "500 ng/mL", "3 hours", "12wk". The shown text is built only for a message.
bool decode_text(const fact& f, const std::optional<units::unit>& declared, std::string_view s, double& out,
                 std::string& error, units::unit_memo* memo) {
  auto shown = [&] { return fmt::format("\"{}\"", shorten(s)); };
  auto q = units::split_quantity(s);
  // "1.2.3 weeks": the number runs on into what would be the unit.
  if (q && (q->unit.front() == '.' || (q->unit.front() >= '0' && q->unit.front() <= '9'))) {
    const char* example = f.type == value_type::duration ? "1.5 weeks" : "1.5";
    return fail(error, fmt::format("`{}`: {} has a malformed number; write digits with at most one `.`, e.g. \"{}{}\"", f.id,
                                   shown(), example, f.type == value_type::duration || f.unit.empty() ? "" : " " + f.unit));
  }
  if (f.type == value_type::duration) {
    if (!q) return fail(error, fmt::format("`{}`: {} is not a duration; write a number and a unit, e.g. \"12 weeks\"", f.id, shown()));
    if (negative(q->number)) return fail(error, fmt::format("`{}`: {} is negative; a duration cannot be negative", f.id, shown()));
  }
  if (!declared) return fail(error, fmt::format("`{}`: {} is not a number; write digits, e.g. 5", f.id, shown()));
  if (!q) return fail(error, fmt::format("`{}`: {} is not a quantity; write a number and a unit, e.g. \"5 {}\"", f.id, shown(), f.unit));
  auto from = find_reading_unit(f, q->unit, shown, error, memo);
  if (!from) return false;
  return convert_reading(f, *declared, *from, q->number, shown, out, error);
}

// A FHIR Quantity's fields with simdjson: value + unit, or value + system
// (UCUM) + code. Conversion follows in fhir_value.
bool read_fhir(const fact& f, od::value& v, std::string& number, std::string& unit, std::string& code, std::string& system,
               std::string& error) {
  od::object q;
  if (v.get_object().get(q)) return fail(error, fmt::format("`{}`: malformed quantity", f.id));
  bool seen_value = false, seen_unit = false, seen_code = false, seen_system = false;
  for (auto field : q) {
    std::string_view key;
    od::value fv;
    if (field.unescaped_key().get(key) || field.value().get(fv)) return fail(error, fmt::format("`{}`: malformed quantity", f.id));
    if (key == "value") {
      if (std::exchange(seen_value, true)) return fail(error, fmt::format("`{}`: the quantity gives \"value\" twice", f.id));
      od::json_type t;
      double d;
      if (fv.type().get(t) || t != od::json_type::number)
        return fail(error, fmt::format("`{}`: quantity value {} is not a number", f.id, shown_value(fv)));
      if (fv.get_double().get(d) || !std::isfinite(d))
        return fail(error, fmt::format("`{}`: quantity value {} is too large for a number", f.id, shown_value(fv)));
      number = std::string(trim(fv.raw_json_token()));
    } else if (key == "unit" || key == "code" || key == "system") {
      bool& seen = key == "unit" ? seen_unit : key == "code" ? seen_code : seen_system;
      if (std::exchange(seen, true)) return fail(error, fmt::format("`{}`: the quantity gives \"{}\" twice", f.id, key));
      std::string_view s;
      if (fv.get_string().get(s)) return fail(error, fmt::format("`{}`: quantity {} {} is not a string", f.id, key, shown_value(fv)));
      (key == "unit" ? unit : key == "code" ? code : system) = std::string(s);
    } else if (key == "comparator") {
      return fail(error, fmt::format("`{}`: quantity comparators such as {} are not supported; give the value itself", f.id, shown_value(fv)));
    } else {
      return fail(error, fmt::format("`{}`: unexpected quantity field \"{}\"", f.id, shorten(key)));
    }
  }
  if (number.empty()) return fail(error, fmt::format("`{}`: the quantity has no \"value\"", f.id));
  return true;
}

// A FHIR Quantity's fields converted to the declared unit.
bool fhir_value(const fact& f, const std::optional<units::unit>& declared, const quantity_fields& q, double& out,
                std::string& error, units::unit_memo* memo) {
  if (f.type == value_type::duration && negative(q.number))
    return fail(error, fmt::format("`{}`: {} is negative; a duration cannot be negative", f.id, q.number));
  if (!q.system.empty() && q.system != ucum_system)
    return fail(error, fmt::format("`{}`: unknown unit system \"{}\"; use \"{}\" (UCUM)", f.id, shorten(q.system), ucum_system));
  // With the UCUM system the code is the unit; `unit` is then display text.
  std::string_view u = !q.code.empty() ? q.code : q.unit;
  auto bare = [&] { return std::string(q.number); };
  if (u.empty()) {
    if (f.type == value_type::duration) return fail(error, fmt::format("`{}`: the quantity {} has no unit", f.id, q.number));
    auto one = find_reading_unit(f, "1", bare, error, memo);
    if (!one) return false;
    return convert_reading(f, declared.value_or(units::unit{}), *one, q.number, bare, out, error);
  }
  auto with_unit = [&] { return fmt::format("{} {}", q.number, u); };
  if (!declared) {
    // A plain number fact takes a unitless Quantity (`1`, `{score}`) only.
    auto from = units::find_unit(u);
    if (from && *from == units::unit{}) return convert_reading(f, units::unit{}, *from, q.number, with_unit, out, error);
    return fail(error, fmt::format("`{}`: {} {} has a unit, but `{}` is a plain number", f.id, q.number, u, f.id));
  }
  auto shown = [&] { return shorten(with_unit()); };
  auto from = find_reading_unit(f, u, shown, error, memo);
  if (!from) return false;
  return convert_reading(f, *declared, *from, q.number, shown, out, error);
}

// Finite, whole for an integer fact, inside the declared range; `shown()`
// is built only for a message.
template <class Shown>
bool check_value(const fact& f, double value, const Shown& shown, std::string& error) {
  if (within_declared(f, value)) return true;
  if (!std::isfinite(value)) return fail(error, fmt::format("`{}`: {} is not a finite number", f.id, shown()));
  if (f.integer && value != std::floor(value))
    return fail(error, fmt::format("`{}`: {} is not a whole number; `{}` is an integer", f.id, shown(), f.id));
  std::string range = fmt::format("{}..{}", f.min ? number_text(*f.min) : "", f.max ? number_text(*f.max) : "");
  if (!f.unit.empty()) range += " " + f.unit;
  return fail(error, fmt::format("`{}`: {} is outside the declared range {}", f.id, shown(), range));
}

// A converted value checked, shown as "<as given> (= <in the declared unit>)".
template <class Shown>
bool checked(const fact& f, double value, const Shown& given, double& out, std::string& error) {
  auto shown = [&] { return fmt::format("{} (= {})", given(), in_declared(f, value)); };
  if (!check_value(f, value, shown, error)) return false;
  out = value + 0.0;  // never "-0"
  return true;
}

}  // namespace

std::optional<units::unit> declared_unit(const fact& f) {
  if (f.type == value_type::duration) return units::day();
  if (f.type != value_type::number || f.unit.empty()) return std::nullopt;
  return units::find_unit(f.unit);  // validated when the graph was loaded
}

std::string shown_value(od::value& v) {
  std::string_view raw = trim(v.raw_json_token());
  if (raw.empty()) return "the value";
  if (raw.front() == '[') return "a list";
  if (raw.front() == '{') return "an object";
  return shorten(raw);
}

std::string shorten(std::string_view raw) {
  if (raw.size() <= 60) return std::string(raw);
  std::size_t cut = 57;
  while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
  return std::string(raw.substr(0, cut)) + "…";
}

}  // namespace rubric::runtime::detail

namespace rubric::runtime::units {

std::optional<unit> unit_memo::find(std::string_view text) {
  if (text.empty()) return find_unit(text);
  if (size_ == text.size() && std::memcmp(text_.data(), text.data(), text.size()) == 0) return unit_;
  unit_ = find_unit(text);
  if (text.size() <= text_.size()) {
    std::memcpy(text_.data(), text.data(), text.size());
    size_ = static_cast<std::uint8_t>(text.size());
  } else {
    size_ = 0xFF;
  }
  return unit_;
}

}  // namespace rubric::runtime::units

namespace rubric::runtime::detail {

bool within_declared(const fact& f, double value) {
  if (!std::isfinite(value)) return false;
  if (f.integer && value != std::floor(value)) return false;
  return !(f.min && value < *f.min) && !(f.max && value > *f.max);
}

bool text_quantity(const fact& f, const std::optional<units::unit>& declared, std::string_view s, double& out,
                   std::string& error, units::unit_memo* memo) {
  double value = 0;
  if (!decode_text(f, declared, s, value, error, memo)) return false;
  return checked(f, value, [&] { return fmt::format("\"{}\"", shorten(s)); }, out, error);
}

bool fields_quantity(const fact& f, const std::optional<units::unit>& declared, const quantity_fields& q, double& out,
                     std::string& error, units::unit_memo* memo) {
  double value = 0;
  if (!fhir_value(f, declared, q, value, error, memo)) return false;
  return checked(f, value, [] { return std::string("the quantity"); }, out, error);
}

bool decode_quantity(const fact& f, const std::optional<units::unit>& declared, od::value& v, double& out,
                     std::string& error) {
  od::json_type t;
  if (v.type().get(t)) return fail(error, fmt::format("`{}`: malformed JSON value", f.id));
  bool duration = f.type == value_type::duration;
  double value = 0;
  if (t == od::json_type::number) {
    // The hot path: a bare number is already in the declared unit.
    if (duration) return fail(error, fmt::format("`{}`: {} has no unit; write e.g. \"12 weeks\"", f.id, shown_value(v)));
    if (v.get_double().get(value)) return fail(error, fmt::format("`{}`: {} is not a finite number", f.id, shown_value(v)));
    if (!check_value(f, value, [&] { return shown_value(v); }, error)) return false;
    out = value;
    return true;
  }
  if (t == od::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s)) return fail(error, fmt::format("`{}`: malformed string", f.id));
    return text_quantity(f, declared, s, out, error);
  }
  if (t == od::json_type::object) {
    std::string number, unit, code, system;
    if (!read_fhir(f, v, number, unit, code, system, error)) return false;
    return fields_quantity(f, declared, {number, unit, code, system}, out, error);
  }
  if (duration) return fail(error, fmt::format("`{}`: {} is not a duration; write e.g. \"12 weeks\"", f.id, shown_value(v)));
  return fail(error, fmt::format("`{}`: {} is not a number; write digits, e.g. 5", f.id, shown_value(v)));
}

}  // namespace rubric::runtime::detail
