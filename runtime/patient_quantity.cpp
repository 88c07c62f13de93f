// Number and duration facts from patient data: a bare number in the declared
// unit, a quantity string, or a FHIR Quantity, converted exactly to the
// declared unit with the one unit table (runtime/units.hpp), then checked
// against the fact's integer flag and range.
#include "runtime/patient_quantity.hpp"

#include <fmt/format.h>

#include <array>
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

// A reading of one value: its number as written, its unit text, and the text
// it came from when it was a string. How it is shown ("\"500 ng/mL\"" or
// "2 kg") is built only for a message: the decoder's hot path does not allocate.
struct reading {
  std::string_view number;
  std::string_view unit;
  std::string_view quoted = {};  // the whole string value, if it was one
};

std::string shown(const reading& r) {
  if (!r.quoted.empty()) return fmt::format("\"{}\"", shorten(r.quoted));
  if (r.unit == "1") return shorten(r.number);
  return shorten(fmt::format("{} {}", r.number, r.unit));
}

bool fail(std::string& error, std::string message) {
  error = std::move(message);
  return false;
}

// Parsing a unit is most of a quantity's decoding cost, and a batch repeats a
// handful of units: the last few parsed are kept per thread (no allocation).
std::optional<units::unit> cached_unit(std::string_view text) {
  struct entry {
    std::array<char, 24> key{};
    std::uint8_t size = 0;
    units::unit value{};
  };
  thread_local std::array<entry, 8> cache{};
  thread_local std::size_t next = 0;
  for (const entry& e : cache)
    if (e.size != 0 && e.size == text.size() && std::memcmp(e.key.data(), text.data(), e.size) == 0) return e.value;
  auto u = units::find_unit(text);
  if (u && !text.empty() && text.size() <= cache[0].key.size()) {
    entry& e = cache[next++ % cache.size()];
    std::memcpy(e.key.data(), text.data(), text.size());
    e.size = static_cast<std::uint8_t>(text.size());
    e.value = *u;
  }
  return u;
}

// Converts a reading to the declared unit; errors name the fact and the value.
bool convert_reading(const fact& f, const units::unit& declared, const reading& r, double& out, std::string& error) {
  auto from = cached_unit(r.unit);
  if (!from) {
    std::string why;
    units::find_unit(r.unit, &why);
    std::string hint;
    if (auto s = units::suggest_unit(trim(r.unit))) hint = fmt::format("did you mean `{}`?", *s);
    else if (f.type == value_type::duration) hint = std::string(duration_units);
    else hint = fmt::format("give it in `{}`", f.unit);
    bool plain = why == fmt::format("`{}` is not a UCUM unit", trim(r.unit));  // nothing to add to "unknown unit"
    return fail(error, fmt::format("`{}`: {} has an unknown unit{}; {}", f.id, shown(r), plain ? "" : " (" + why + ")", hint));
  }
  if (!units::same_dimension(*from, declared))
    return fail(error, fmt::format("`{}`: {} is a {}, not {}", f.id, shown(r), units::dimension_name(from->dim), expected(f)));
  auto c = units::convert(r.number, *from, declared);
  if (!c) return fail(error, fmt::format("`{}`: {} {}", f.id, shown(r), conversion_words(f, c.error)));
  out = c.value;
  return true;
}

// "500 ng/mL", "3 hours", "12wk".
bool decode_text(const fact& f, const std::optional<units::unit>& declared, std::string_view s, double& out,
                 std::string& error) {
  auto q = units::split_quantity(s);
  auto shown = [&] { return fmt::format("\"{}\"", shorten(s)); };
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
  return convert_reading(f, *declared, {q->number, q->unit, s}, out, error);
}

// A FHIR Quantity's fields with simdjson: value + unit, or value + system
// (UCUM) + code; fhir_value converts them.
bool read_fhir(const fact& f, od::value& v, std::string& number, std::string& unit, std::string& code,
               std::string& system, std::string& error) {
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
                std::string& error) {
  std::string_view number = q.number;
  if (f.type == value_type::duration && negative(number))
    return fail(error, fmt::format("`{}`: {} is negative; a duration cannot be negative", f.id, number));
  if (!q.system.empty() && q.system != ucum_system)
    return fail(error, fmt::format("`{}`: unknown unit system \"{}\"; use \"{}\" (UCUM)", f.id, shorten(q.system), ucum_system));
  // With the UCUM system the code is the unit; `unit` is then display text.
  std::string_view u = !q.code.empty() ? q.code : q.unit;
  if (u.empty()) {
    if (f.type == value_type::duration) return fail(error, fmt::format("`{}`: the quantity {} has no unit", f.id, number));
    units::unit one{};
    return convert_reading(f, declared.value_or(one), {number, "1"}, out, error);
  }
  if (!declared) {
    // A plain number fact takes a unitless Quantity (`1`, `{score}`) only.
    auto from = units::find_unit(u);
    if (from && *from == units::unit{})
      return convert_reading(f, units::unit{}, {number, u}, out, error);
    return fail(error, fmt::format("`{}`: {} {} has a unit, but `{}` is a plain number", f.id, number, u, f.id));
  }
  return convert_reading(f, *declared, {number, u}, out, error);
}

// Finite, whole for an integer fact, inside the declared range.
// `shown` builds the value's text for a message (only when there is one).
template <class Shown>
bool check_value(const fact& f, double value, Shown&& shown, std::string& error) {
  if (!std::isfinite(value)) return fail(error, fmt::format("`{}`: {} is not a finite number", f.id, shown()));
  if (f.integer && value != std::floor(value))
    return fail(error, fmt::format("`{}`: {} is not a whole number; `{}` is an integer", f.id, shown(), f.id));
  if ((f.min && value < *f.min) || (f.max && value > *f.max)) {
    std::string range = fmt::format("{}..{}", f.min ? number_text(*f.min) : "", f.max ? number_text(*f.max) : "");
    if (!f.unit.empty()) range += " " + f.unit;
    return fail(error, fmt::format("`{}`: {} is outside the declared range {}", f.id, shown(), range));
  }
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

bool within_declared(const fact& f, double value) {
  if (!std::isfinite(value)) return false;
  if (f.integer && value != std::floor(value)) return false;
  return !(f.min && value < *f.min) && !(f.max && value > *f.max);
}

bool text_quantity(const fact& f, const std::optional<units::unit>& declared, std::string_view s, double& out,
                   std::string& error) {
  double value = 0;
  if (!decode_text(f, declared, s, value, error)) return false;
  auto shown = [&] { return fmt::format("\"{}\" (= {})", shorten(s), in_declared(f, value)); };
  if (!check_value(f, value, shown, error)) return false;
  out = value + 0.0;  // never "-0"
  return true;
}

bool fields_quantity(const fact& f, const std::optional<units::unit>& declared, const quantity_fields& q, double& out,
                     std::string& error) {
  double value = 0;
  if (!fhir_value(f, declared, q, value, error)) return false;
  auto shown = [&] { return fmt::format("the quantity (= {})", in_declared(f, value)); };
  if (!check_value(f, value, shown, error)) return false;
  out = value + 0.0;  // never "-0"
  return true;
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
    if (!std::isfinite(value) || f.integer || f.min || f.max) {
      if (!check_value(f, value, [&] { return shown_value(v); }, error)) return false;
    }
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
