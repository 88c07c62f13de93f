// Patient decoding: one JSON object → a flat slot array, with simdjson's
// On-Demand API (the fastest reader for NDJSON lines; see bench/bench_batch.cpp).
// Every malformed value is an error naming the fact and the value.
#include "runtime/patient.hpp"

#include <simdjson.h>
#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_set>

#include "runtime/json_writer.hpp"

namespace rubric::runtime {

namespace od = simdjson::ondemand;

namespace {

inline bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline bool digit(char c) { return c >= '0' && c <= '9'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// ASCII case-insensitive equality with a lower-case word, without allocating.
bool word_is(std::string_view s, std::string_view lower_word) {
  if (s.size() != lower_word.size()) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != lower_word[i]) return false;
  }
  return true;
}

constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";

// Where the JSON object that `s` starts with ends: just past its closing
// brace, found by counting brackets outside strings; s.size() if it never closes.
std::size_t json_value_end(std::string_view s) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if ((c == '}' || c == ']') && depth > 0 && --depth == 0) {
      return i + 1;
    }
  }
  return s.size();
}

// Text shown in messages: at most 60 bytes, cut at a character boundary.
std::string shorten(std::string_view raw) {
  if (raw.size() <= 60) return std::string(raw);
  std::size_t cut = 57;
  while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
  return std::string(raw.substr(0, cut)) + "…";
}

// Numbers shown in messages and values: no trailing zeros.
std::string number_text(double v) { return fmt::format("{}", v); }

}  // namespace

std::optional<double> duration_unit_days(std::string_view unit) {
  // UCUM codes are case-sensitive ("mo" month, "a" year); words are not.
  if (unit == "d") return days_per_day;
  if (unit == "wk") return days_per_week;
  if (unit == "mo") return days_per_month;
  if (unit == "a") return days_per_year;
  if (word_is(unit, "day") || word_is(unit, "days")) return days_per_day;
  if (word_is(unit, "week") || word_is(unit, "weeks")) return days_per_week;
  if (word_is(unit, "month") || word_is(unit, "months")) return days_per_month;
  if (word_is(unit, "year") || word_is(unit, "years")) return days_per_year;
  return std::nullopt;
}

duration_reading read_duration_text(std::string_view text) {
  std::string_view s = trim(text);
  std::size_t i = 0;
  while (i < s.size() && (digit(s[i]) || s[i] == '.')) ++i;
  if (i == 0) return {std::nullopt, duration_problem::no_number};
  // "1e3 days": an exponent, not a unit starting with `e`.
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && digit(s[j])) return {std::nullopt, duration_problem::exponent};
  }
  double v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + i, v);
  if (ec == std::errc::result_out_of_range) return {std::nullopt, duration_problem::too_large};
  if (ec != std::errc{} || end != s.data() + i) return {std::nullopt, duration_problem::malformed_number};
  auto unit = duration_unit_days(trim(s.substr(i)));
  if (!unit) return {std::nullopt, duration_problem::unknown_unit};
  // Finite digits can still overflow once converted to days (308 digits of years).
  double days = v * *unit;
  if (!std::isfinite(days)) return {std::nullopt, duration_problem::too_large};
  return {days + 0.0, duration_problem::none};  // + 0.0: never "-0 days"
}

std::optional<double> parse_duration_text(std::string_view text) { return read_duration_text(text).days; }

std::string format_duration(double days) {
  auto whole = [](double x) { return std::fabs(x - std::round(x)) < 1e-9; };
  auto plural = [](double n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  if (days != 0) {
    if (whole(days / days_per_year)) return plural(std::round(days / days_per_year), "year", "years");
    if (whole(days / days_per_month)) return plural(std::round(days / days_per_month), "month", "months");
    if (whole(days / days_per_week)) return plural(std::round(days / days_per_week), "week", "weeks");
  }
  return plural(days, "day", "days");
}

void patient::reset(const graph& g) {
  id.clear();
  warnings.clear();
  extra.clear();
  slots.assign(g.facts.size(), slot_value{});
  if (text.size() != g.facts.size()) text.resize(g.facts.size());
  for (auto& t : text) t.clear();
}

std::string format_value(const graph& g, const patient& p, std::uint32_t slot, bool labels) {
  if (slot >= p.slots.size() || !p.slots[slot].known) return "unknown";
  const fact& f = g.facts[slot];
  const slot_value& v = p.slots[slot];
  switch (f.type) {
    case value_type::boolean: return v.bits ? "true" : "false";
    case value_type::number: return number_text(v.number);
    case value_type::duration: return format_duration(v.number);
    case value_type::text: {
      std::string out;
      append_json_string(out, p.text[slot]);
      return out;
    }
    case value_type::enumeration:
    case value_type::set: {
      const auto& members = g.enumerations[static_cast<std::size_t>(f.enumeration)].members;
      std::string out;
      for (std::size_t m = 0; m < members.size() && m < 64; ++m) {
        if (!(v.bits >> m & 1)) continue;
        if (!out.empty()) out += ", ";
        out += labels && !members[m].label.empty() ? members[m].label : members[m].id;
      }
      if (f.type == value_type::set) return labels && out.empty() ? "none" : "{" + out + "}";
      return out;
    }
  }
  return "unknown";
}

namespace {

// The message for a duration text that does not read, naming the real problem.
std::string duration_text_error(const fact& f, const std::string& s, duration_problem problem) {
  switch (problem) {
    case duration_problem::exponent:
      return fmt::format("`{}`: \"{}\" writes its number with an exponent; write plain digits, e.g. \"12 weeks\"", f.id, s);
    case duration_problem::too_large:
      return fmt::format("`{}`: \"{}\" is too large for a duration", f.id, s);
    case duration_problem::malformed_number:
      return fmt::format("`{}`: \"{}\" has a malformed number; write digits with at most one `.`, e.g. \"1.5 weeks\"", f.id, s);
    case duration_problem::unknown_unit:
      return fmt::format("`{}`: \"{}\" has an unknown unit; use days, weeks, months or years (UCUM d, wk, mo, a)", f.id, s);
    case duration_problem::no_number:
    case duration_problem::none:
      break;
  }
  return fmt::format("`{}`: \"{}\" is not a duration; write a number and a unit, e.g. \"12 weeks\"", f.id, s);
}

}  // namespace

std::size_t decode_padding() { return simdjson::SIMDJSON_PADDING; }

// The decoder's state: parser, key table, a padded copy buffer, seen flags.
struct patient_decoder::impl {
  const graph* g = nullptr;
  od::parser parser;
  std::string copy;                       // padded copy when the caller's buffer is not padded
  std::vector<std::uint32_t> table;       // open addressing: slot + 1, 0 = empty
  std::uint32_t mask = 0;
  std::vector<std::uint8_t> seen;         // per slot, for duplicate keys
  std::vector<std::uint32_t> member_table;  // per enumeration: start in member_keys
  std::string scratch;
  std::string extra_key;                  // see set_extra_key
  bool extra_seen = false;
  std::unordered_set<std::string> unknown_keys;  // per patient, so a repeated unknown key is an error too

  // Length and three characters: constant time per key (a byte-serial hash
  // was the decoder's hottest loop); probing compares the whole key.
  static std::uint32_t hash(std::string_view s) {
    if (s.empty()) return 0;
    auto at = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])); };
    return static_cast<std::uint32_t>(s.size()) * 2654435761u ^ at(0) * 31u ^ at(s.size() - 1) * 131u ^ at(s.size() / 2) * 1031u;
  }

  void build() {
    std::uint32_t size = 16;
    while (size < g->facts.size() * 2 + 2) size *= 2;
    table.assign(size, 0);
    mask = size - 1;
    for (std::uint32_t i = 0; i < g->facts.size(); ++i) {
      std::uint32_t h = hash(g->facts[i].id) & mask;
      while (table[h] != 0) h = (h + 1) & mask;
      table[h] = i + 1;
    }
    seen.assign(g->facts.size(), 0);
  }

  int find(std::string_view key) const {
    std::uint32_t h = hash(key) & mask;
    while (table[h] != 0) {
      std::uint32_t s = table[h] - 1;
      if (g->facts[s].id == key) return static_cast<int>(s);
      h = (h + 1) & mask;
    }
    return -1;
  }

  int find_member(const enumeration& e, std::string_view name) const {
    for (std::size_t m = 0; m < e.members.size(); ++m)
      if (e.members[m].id == name) return static_cast<int>(m);
    return -1;
  }

  std::string member_list(const enumeration& e) const {
    std::string out;
    for (std::size_t m = 0; m < e.members.size(); ++m) {
      if (m == 8) { out += ", …"; break; }
      if (m) out += ", ";
      out += e.members[m].id;
    }
    return out;
  }

  // The value's JSON text for messages (shortened).
  static std::string shown(od::value& v) {
    std::string_view raw = trim(v.raw_json_token());
    if (raw.empty()) return "the value";
    if (raw.front() == '[') return "a list";
    if (raw.front() == '{') return "an object";
    return shorten(raw);
  }

  bool decode_duration(const fact& f, od::value& v, slot_value& out, std::string& error);
  bool decode_quantity(const fact& f, od::value& v, slot_value& out, std::string& error);
  bool decode_value(std::uint32_t slot, od::value& v, patient& p, std::string& error);
  bool decode_object(od::object obj, patient& p, std::string& error);
  bool decode_document(const char* data, std::size_t size, std::size_t capacity, patient& p, std::string& error,
                       bool& trailing);
};

bool patient_decoder::impl::decode_duration(const fact& f, od::value& v, slot_value& out, std::string& error) {
  od::json_type t;
  if (v.type().get(t)) { error = fmt::format("`{}`: malformed JSON value", f.id); return false; }
  if (t == od::json_type::string) {
    std::string_view s;
    if (v.get_string().get(s)) { error = fmt::format("`{}`: malformed string", f.id); return false; }
    std::string_view ts = trim(s);
    if (!ts.empty() && ts.front() == '-') {
      error = fmt::format("`{}`: \"{}\" is negative; a duration cannot be negative", f.id, s);
      return false;
    }
    duration_reading r = read_duration_text(s);
    if (!r.days) {
      error = duration_text_error(f, shorten(s), r.problem);
      return false;
    }
    out = {*r.days, 0, true};
    return true;
  }
  if (t == od::json_type::object) return decode_quantity(f, v, out, error);
  if (t == od::json_type::number) {
    error = fmt::format("`{}`: {} has no unit; write e.g. \"{} weeks\"", f.id, shown(v), shown(v));
    return false;
  }
  error = fmt::format("`{}`: {} is not a duration; write e.g. \"12 weeks\"", f.id, shown(v));
  return false;
}

// A FHIR Quantity: value + unit, or value + system (UCUM) + code. Every
// field at most once; the value in days must be finite.
bool patient_decoder::impl::decode_quantity(const fact& f, od::value& v, slot_value& out, std::string& error) {
  od::object q;
  if (v.get_object().get(q)) { error = fmt::format("`{}`: malformed quantity", f.id); return false; }
  std::optional<double> value;
  std::optional<std::string> unit, code, system;
  for (auto field : q) {
    std::string_view key;
    if (field.unescaped_key().get(key)) { error = fmt::format("`{}`: malformed quantity", f.id); return false; }
    od::value fv;
    if (field.value().get(fv)) { error = fmt::format("`{}`: malformed quantity", f.id); return false; }
    if (key == "value") {
      if (value) { error = fmt::format("`{}`: the quantity gives \"value\" twice", f.id); return false; }
      double d;
      od::json_type vt;
      if (fv.type().get(vt) || vt != od::json_type::number) {
        error = fmt::format("`{}`: quantity value {} is not a number", f.id, shown(fv));
        return false;
      }
      if (fv.get_double().get(d) || !std::isfinite(d)) {
        error = fmt::format("`{}`: quantity value {} is too large for a number", f.id, shown(fv));
        return false;
      }
      value = d;
    } else if (key == "unit" || key == "code" || key == "system") {
      std::optional<std::string>& target = key == "unit" ? unit : key == "code" ? code : system;
      if (target) { error = fmt::format("`{}`: the quantity gives \"{}\" twice", f.id, key); return false; }
      std::string_view s;
      if (fv.get_string().get(s)) {
        error = fmt::format("`{}`: quantity {} {} is not a string", f.id, key, shown(fv));
        return false;
      }
      target = std::string(s);
    } else if (key == "comparator") {
      error = fmt::format("`{}`: quantity comparators such as {} are not supported; give the value itself", f.id, shown(fv));
      return false;
    } else {
      error = fmt::format("`{}`: unexpected quantity field \"{}\"", f.id, shorten(key));
      return false;
    }
  }
  if (!value) { error = fmt::format("`{}`: the quantity has no \"value\"", f.id); return false; }
  if (*value < 0) {
    error = fmt::format("`{}`: {} is negative; a duration cannot be negative", f.id, number_text(*value));
    return false;
  }
  if (system && !system->empty() && *system != "http://unitsofmeasure.org") {
    error = fmt::format("`{}`: unknown unit system \"{}\"; use \"http://unitsofmeasure.org\" (UCUM)", f.id, shorten(*system));
    return false;
  }
  std::string u = code && !code->empty() ? *code : unit ? *unit : std::string();
  if (u.empty()) { error = fmt::format("`{}`: the quantity {} has no unit", f.id, number_text(*value)); return false; }
  auto per = duration_unit_days(u);
  if (!per) {
    error = fmt::format("`{}`: unknown unit \"{}\"; use days, weeks, months or years (UCUM d, wk, mo, a)", f.id, shorten(u));
    return false;
  }
  double days = *value * *per;
  if (!std::isfinite(days)) {
    error = fmt::format("`{}`: {} {} is too large for a duration", f.id, number_text(*value), shorten(u));
    return false;
  }
  out = {days + 0.0, 0, true};  // + 0.0: a -0 value is 0 days, never "-0 days"
  return true;
}

bool patient_decoder::impl::decode_value(std::uint32_t slot, od::value& v, patient& p, std::string& error) {
  const fact& f = g->facts[slot];
  od::json_type t;
  if (v.type().get(t)) { error = fmt::format("`{}`: malformed JSON value", f.id); return false; }
  if (t == od::json_type::null) {
    bool is_null = false;
    if (v.is_null().get(is_null) || !is_null) { error = fmt::format("`{}`: malformed JSON value", f.id); return false; }
    p.slots[slot] = slot_value{};
    return true;
  }
  switch (f.type) {
    case value_type::boolean: {
      bool b;
      if (t != od::json_type::boolean || v.get_bool().get(b)) {
        error = fmt::format("`{}`: {} is not true or false", f.id, shown(v));
        return false;
      }
      p.set_bool(slot, b);
      return true;
    }
    case value_type::number: {
      double d;
      if (t != od::json_type::number || v.get_double().get(d)) {
        error = fmt::format("`{}`: {} is not a number; write digits, e.g. 5", f.id, shown(v));
        return false;
      }
      if (!std::isfinite(d)) { error = fmt::format("`{}`: {} is not a finite number", f.id, shown(v)); return false; }
      p.set_number(slot, d + 0.0);  // never "-0"
      return true;
    }
    case value_type::duration:
      return decode_duration(f, v, p.slots[slot], error);
    case value_type::text: {
      std::string_view s;
      if (t != od::json_type::string || v.get_string().get(s)) {
        error = fmt::format("`{}`: {} is not text; write a string", f.id, shown(v));
        return false;
      }
      p.set_text(slot, std::string(s));
      return true;
    }
    case value_type::enumeration: {
      const enumeration& e = g->enumerations[static_cast<std::size_t>(f.enumeration)];
      std::string_view s;
      if (t != od::json_type::string || v.get_string().get(s)) {
        error = fmt::format("`{}`: {} is not a member name of `{}`", f.id, shown(v), e.id);
        return false;
      }
      int m = find_member(e, s);
      if (m < 0) {
        error = fmt::format("`{}`: \"{}\" is not a member of `{}` ({})", f.id, s, e.id, member_list(e));
        return false;
      }
      p.set_member(slot, static_cast<unsigned>(m));
      return true;
    }
    case value_type::set: {
      const enumeration& e = g->enumerations[static_cast<std::size_t>(f.enumeration)];
      od::array arr;
      if (t != od::json_type::array || v.get_array().get(arr)) {
        error = fmt::format("`{}`: {} is not a list; write an array of `{}` members, e.g. []", f.id, shown(v), e.id);
        return false;
      }
      std::uint64_t bits = 0;
      for (auto item : arr) {
        od::value iv;
        if (item.get(iv)) { error = fmt::format("`{}`: malformed list", f.id); return false; }
        std::string_view s;
        od::json_type it;
        if (iv.type().get(it) || it != od::json_type::string || iv.get_string().get(s)) {
          error = fmt::format("`{}`: {} is not a member name of `{}`", f.id, shown(iv), e.id);
          return false;
        }
        int m = find_member(e, s);
        if (m < 0) {
          error = fmt::format("`{}`: \"{}\" is not a member of `{}` ({})", f.id, s, e.id, member_list(e));
          return false;
        }
        bits |= std::uint64_t(1) << m;
      }
      p.set_members(slot, bits);
      return true;
    }
  }
  return false;
}

bool patient_decoder::impl::decode_object(od::object obj, patient& p, std::string& error) {
  bool id_seen = false;
  unknown_keys.clear();
  for (auto field : obj) {
    if (field.error()) { error = fmt::format("malformed JSON: {}", simdjson::error_message(field.error())); return false; }
    // Keys without escapes are read in place; others are unescaped.
    std::string_view key;
    const char* key_begin = field.value_unsafe().key().raw();
    const char* end = key_begin;
    while (*end != '"' && *end != '\\' && *end != '\0') ++end;
    if (*end == '"') {
      key = std::string_view(key_begin, static_cast<std::size_t>(end - key_begin));
    } else if (field.unescaped_key().get(key)) {
      error = "malformed JSON: bad object key";
      return false;
    }
    od::value v;
    if (field.value().get(v)) { error = fmt::format("malformed JSON after key \"{}\"", key); return false; }
    int slot = find(key);
    if (slot >= 0) {
      auto s = static_cast<std::uint32_t>(slot);
      if (seen[s]) { error = fmt::format("`{}` is given twice", key); return false; }
      seen[s] = 1;
      if (!decode_value(s, v, p, error)) return false;
      continue;
    }
    if (key == "id") {
      if (id_seen) { error = "\"id\" is given twice"; return false; }
      id_seen = true;
      od::json_type t;
      if (v.type().get(t)) { error = "malformed JSON value for \"id\""; return false; }
      if (t == od::json_type::string) {
        std::string_view s;
        od::json_type type;
      if (v.type().get(type)) { error = fmt::format("`{}`: malformed JSON value", key); return false; }
      if (type == od::json_type::null) continue;  // no procedure given
      if (type != od::json_type::string || v.get_string().get(s)) { error = "malformed string for \"id\""; return false; }
        p.id.clear();
        append_json_string(p.id, s);
      } else if (t == od::json_type::number) {
        std::string_view raw = v.raw_json_token();
        double check;
        if (v.get_double().get(check)) { error = "malformed number for \"id\""; return false; }
        p.id = std::string(trim(raw));
      } else {
        error = fmt::format("\"id\" must be a string or a number, not {}", shown(v));
        return false;
      }
      continue;
    }
    if (!extra_key.empty() && key == extra_key) {
      std::string_view s;
      if (extra_seen) { error = fmt::format("`{}` is given twice", key); return false; }
      extra_seen = true;
      od::json_type type;
      if (v.type().get(type)) { error = fmt::format("`{}`: malformed JSON value", key); return false; }
      if (type == od::json_type::null) continue;  // no procedure given
      if (type != od::json_type::string || v.get_string().get(s)) { error = fmt::format("`{}`: {} is not a procedure; write its name or code as a string", key, shown(v)); return false; }
      p.extra.assign(s);
      continue;
    }
    if (!unknown_keys.emplace(key).second) { error = fmt::format("`{}` is given twice", shorten(key)); return false; }
    p.warnings.push_back(fmt::format("unknown fact `{}` ignored", shorten(key)));
    // On-Demand skips the value when the loop advances; malformed JSON inside
    // it surfaces as an error on the next field or at the end of the object.
  }
  return true;
}

// Parses `size` bytes at `data` (readable up to `capacity`) as one object;
// `trailing` says whether tokens follow a well-formed object.
bool patient_decoder::impl::decode_document(const char* data, std::size_t size, std::size_t capacity, patient& p,
                                            std::string& error, bool& trailing) {
  od::document doc;
  if (auto err = parser.iterate(data, size, capacity).get(doc)) {
    error = fmt::format("malformed JSON: {}", simdjson::error_message(err));
    return false;
  }
  od::object obj;
  if (auto err = doc.get_object().get(obj)) {
    error = fmt::format("malformed JSON: {}", simdjson::error_message(err));
    return false;
  }
  if (!decode_object(obj, p, error)) {
    if (error.empty()) error = "malformed JSON";
    return false;
  }
  // Past the object, a location in bounds means more tokens follow it.
  trailing = doc.current_location().error() == simdjson::SUCCESS;
  return true;
}

patient_decoder::patient_decoder(const graph& g) : impl_(std::make_unique<impl>()) {
  impl_->g = &g;
  impl_->build();
}

patient_decoder::~patient_decoder() = default;

void patient_decoder::set_extra_key(std::string key) { impl_->extra_key = std::move(key); }

bool patient_decoder::decode(std::string_view json, patient& out, std::string& error, std::size_t capacity) {
  impl& d = *impl_;
  out.reset(*d.g);
  std::fill(d.seen.begin(), d.seen.end(), std::uint8_t{0});
  d.extra_seen = false;
  error.clear();
  // A UTF-8 byte order mark, as at the start of a file saved by some editors.
  if (json.substr(0, utf8_bom.size()) == utf8_bom) {
    json.remove_prefix(utf8_bom.size());
    capacity = capacity >= utf8_bom.size() ? capacity - utf8_bom.size() : 0;
  }
  const char* data = json.data();
  if (capacity < json.size() + simdjson::SIMDJSON_PADDING) {
    d.copy.assign(json.data(), json.size());
    d.copy.append(simdjson::SIMDJSON_PADDING, '\0');
    data = d.copy.data();
    capacity = d.copy.size();
  }
  std::string_view body = trim(json);
  if (body.empty()) {
    error = "empty line; expected a JSON object with one key per fact";
    return false;
  }
  if (body.front() != '{') {
    error = "malformed JSON: expected an object {…} with one key per fact";
    return false;
  }
  std::string_view text(data, json.size());
  bool trailing = false;
  if (d.decode_document(data, json.size(), capacity, out, error, trailing) && !trailing) return true;
  // Text after the record makes the whole unreadable to simdjson: decode the
  // record alone (so its id and its own errors come first), then say so.
  std::size_t end = json_value_end(text);
  std::string_view after = trim(text.substr(end));
  if (after.empty()) return false;
  if (!trailing) {
    out.reset(*d.g);
    std::fill(d.seen.begin(), d.seen.end(), std::uint8_t{0});
    if (!d.decode_document(data, end, capacity, out, error, trailing)) return false;
  }
  error = fmt::format("unexpected text after the record: `{}`", shorten(after));
  return false;
}

}  // namespace rubric::runtime
