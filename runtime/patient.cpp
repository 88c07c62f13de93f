// Patient decoding: one JSON object → a flat slot array, with simdjson's
// On-Demand API (the fastest reader for NDJSON lines; see bench/bench_batch.cpp).
// Every malformed value is an error naming the fact and the value.
#include "runtime/patient.hpp"

#include <simdjson.h>
#include <fmt/format.h>

#include <bit>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstring>
#include <unordered_set>
#include <type_traits>
#include <utility>

#include "runtime/json_writer.hpp"
#include "runtime/patient_quantity.hpp"

namespace rubric::runtime {

namespace od = simdjson::ondemand;

namespace {

inline bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
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

// Numbers shown in messages and values: no trailing zeros.
std::string number_text(double v) { return fmt::format("{}", v); }

}  // namespace

std::optional<double> parse_duration_text(std::string_view text) {
  auto q = units::split_quantity(text);
  if (!q) return std::nullopt;
  auto unit = units::find_unit(q->unit);
  if (!unit || !units::same_dimension(*unit, units::day())) return std::nullopt;
  auto c = units::convert(q->number, *unit, units::day());
  if (!c) return std::nullopt;
  return c.value;
}

std::string format_duration(double days) {
  auto whole = [](double x) { return std::fabs(x - std::round(x)) < 1e-9; };
  auto plural = [](double n, const char* one, const char* many) {
    return fmt::format("{} {}", n, n == 1 ? one : many);
  };
  if (days != 0) {
    if (whole(days / units::days_per_year)) return plural(std::round(days / units::days_per_year), "year", "years");
    if (whole(days / units::days_per_month)) return plural(std::round(days / units::days_per_month), "month", "months");
    if (whole(days / units::days_per_week)) return plural(std::round(days / units::days_per_week), "week", "weeks");
  }
  // Under a day, the largest whole unit of hours, minutes or seconds.
  if (days != 0 && std::fabs(days) < 1 && !whole(days)) {
    if (whole(days * 24)) return plural(std::round(days * 24), "hour", "hours");
    if (whole(days * 1440)) return plural(std::round(days * 1440), "minute", "minutes");
    if (whole(days * 86400)) return plural(std::round(days * 86400), "second", "seconds");
  }
  return plural(days, "day", "days");
}

// Once per decoded patient in a batch, so it is kept to a few stores: the
// slots are plain data (all-zero bytes are slot_value{}), and only texts that
// hold something are cleared.
void patient::reset(const graph& g) {
  static_assert(std::is_trivially_copyable_v<slot_value>);
  id.clear();
  warnings.clear();
  extra.clear();
  const std::size_t n = g.facts.size();
  if (slots.size() == n) std::memset(static_cast<void*>(slots.data()), 0, n * sizeof(slot_value));
  else slots.assign(n, slot_value{});
  if (text.size() != n) text.resize(n);
  for (auto& t : text)
    if (!t.empty()) t.clear();
}

std::uint64_t member_universe(const graph& g, std::uint32_t slot) {
  const fact& f = g.facts[slot];
  if (f.enumeration < 0) return 0;
  std::size_t n = g.enumerations[static_cast<std::size_t>(f.enumeration)].members.size();
  return n >= 64 ? ~std::uint64_t(0) : (std::uint64_t(1) << n) - 1;
}

namespace {

// The members of `slot`'s enumeration in `mask`, comma-separated, by id or label.
std::string member_words(const graph& g, std::uint32_t slot, std::uint64_t mask, bool labels) {
  const auto& members = g.enumerations[static_cast<std::size_t>(g.facts[slot].enumeration)].members;
  std::string out;
  for (std::size_t m = 0; m < members.size() && m < 64; ++m) {
    if (!(mask >> m & 1)) continue;
    if (!out.empty()) out += ", ";
    out += labels && !members[m].label.empty() ? members[m].label : members[m].id;
  }
  return out;
}

}  // namespace

std::string undecided_members(const graph& g, const patient& p, std::uint32_t slot) {
  if (slot >= p.slots.size() || g.facts[slot].type != value_type::set || !partly_known(p.slots[slot])) return "";
  return member_words(g, slot, member_universe(g, slot) & ~p.slots[slot].decided, false);
}

std::string missing_fact_text(const graph& g, const patient& p, std::uint32_t slot) {
  std::string open = undecided_members(g, p, slot);
  return open.empty() ? g.facts[slot].id : g.facts[slot].id + " (undecided: " + open + ")";
}

std::string format_value(const graph& g, const patient& p, std::uint32_t slot, bool labels) {
  if (slot < p.slots.size() && g.facts[slot].type == value_type::set && partly_known(p.slots[slot])) {
    // A partial set: the members found, then the undecided ones; the rest are absent.
    const slot_value& v = p.slots[slot];
    std::string found = member_words(g, slot, v.bits & v.decided, labels);
    std::string open = member_words(g, slot, member_universe(g, slot) & ~v.decided, labels);
    return (labels && found.empty() ? "none found" : "{" + found + "}") + " (" + open + " unknown)";
  }
  if (slot >= p.slots.size() || !p.slots[slot].known) return "unknown";
  const fact& f = g.facts[slot];
  const slot_value& v = p.slots[slot];
  switch (f.type) {
    case value_type::boolean: return v.bits ? "true" : "false";
    case value_type::number: return f.unit.empty() ? number_text(v.number) : number_text(v.number) + " " + f.unit;
    case value_type::duration: return format_duration(v.number);
    case value_type::text: {
      std::string out;
      append_json_string(out, p.text[slot]);
      return out;
    }
    case value_type::enumeration:
    case value_type::set: {
      std::string out = member_words(g, slot, v.bits, labels);
      if (f.type == value_type::set) return labels && out.empty() ? "none" : "{" + out + "}";
      return out;
    }
  }
  return "unknown";
}

std::size_t decode_padding() { return simdjson::SIMDJSON_PADDING; }

// The decoder's state: parser, key table, a padded copy buffer, seen flags.
struct patient_decoder::impl {
  const graph* g = nullptr;
  od::parser parser;
  std::string copy;                       // padded copy when the caller's buffer is not padded
  std::vector<std::uint32_t> table;       // open addressing: slot + 1, 0 = empty
  std::uint32_t mask = 0;
  std::vector<std::uint8_t> seen;         // per slot, for duplicate keys
  std::vector<std::optional<units::unit>> declared;  // per slot: the unit values are stored in
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
    declared.clear();
    for (const fact& f : g->facts) declared.push_back(detail::declared_unit(f));
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
  static std::string shown(od::value& v) { return detail::shown_value(v); }

  bool decode_value(std::uint32_t slot, od::value& v, patient& p, std::string& error);
  bool decode_members(const fact& f, const enumeration& e, od::array arr, std::uint64_t& bits, std::string& error);
  bool decode_set(std::uint32_t slot, od::value& v, od::json_type t, patient& p, std::string& error);
  bool decode_partial_set(std::uint32_t slot, od::object obj, patient& p, std::string& error);
  bool decode_object(od::object obj, patient& p, std::string& error);
  bool decode_document(const char* data, std::size_t size, std::size_t capacity, patient& p, std::string& error,
                       bool& trailing);
};

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
        error = fmt::format("`{}`: {} is not true or false", f.id, detail::shown_value(v));
        return false;
      }
      p.set_bool(slot, b);
      return true;
    }
    case value_type::number:
    case value_type::duration: {
      double d;
      if (!detail::decode_quantity(f, declared[slot], v, d, error)) return false;
      p.set_number(slot, d + 0.0);  // never "-0"
      return true;
    }
    case value_type::text: {
      std::string_view s;
      if (t != od::json_type::string || v.get_string().get(s)) {
        error = fmt::format("`{}`: {} is not text; write a string", f.id, detail::shown_value(v));
        return false;
      }
      p.set_text(slot, std::string(s));
      return true;
    }
    case value_type::enumeration: {
      const enumeration& e = g->enumerations[static_cast<std::size_t>(f.enumeration)];
      std::string_view s;
      if (t != od::json_type::string || v.get_string().get(s)) {
        error = fmt::format("`{}`: {} is not a member name of `{}`", f.id, detail::shown_value(v), e.id);
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
    case value_type::set: return decode_set(slot, v, t, p, error);
  }
  return false;
}

// The members named in a JSON array, as a mask.
bool patient_decoder::impl::decode_members(const fact& f, const enumeration& e, od::array arr, std::uint64_t& bits,
                                           std::string& error) {
  for (auto item : arr) {
    od::value iv;
    if (item.get(iv)) { error = fmt::format("`{}`: malformed list", f.id); return false; }
    std::string_view s;
    od::json_type it;
    if (iv.type().get(it) || it != od::json_type::string || iv.get_string().get(s)) {
      error = fmt::format("`{}`: {} is not a member name of `{}`", f.id, detail::shown_value(iv), e.id);
      return false;
    }
    int m = find_member(e, s);
    if (m < 0) {
      error = fmt::format("`{}`: \"{}\" is not a member of `{}` ({})", f.id, s, e.id, member_list(e));
      return false;
    }
    bits |= std::uint64_t(1) << m;
  }
  return true;
}

// A set: an array is the whole set (every member not listed is absent); an
// object {"present": […], "absent": […]} knows only the members it lists.
bool patient_decoder::impl::decode_set(std::uint32_t slot, od::value& v, od::json_type t, patient& p, std::string& error) {
  const fact& f = g->facts[slot];
  const enumeration& e = g->enumerations[static_cast<std::size_t>(f.enumeration)];
  if (t == od::json_type::object) {
    od::object obj;
    if (v.get_object().get(obj)) { error = fmt::format("`{}`: malformed JSON value", f.id); return false; }
    return decode_partial_set(slot, obj, p, error);
  }
  od::array arr;
  if (t != od::json_type::array || v.get_array().get(arr)) {
    error = fmt::format("`{}`: {} is not a list; write an array of `{}` members, e.g. [], or {{\"present\": [...], \"absent\": [...]}} "
                        "when only some members are known",
                        f.id, detail::shown_value(v), e.id);
    return false;
  }
  std::uint64_t bits = 0;
  if (!decode_members(f, e, arr, bits, error)) return false;
  p.set_members(slot, bits);
  return true;
}

// {"present": […], "absent": […]}: each key at most once, both optional; a
// member may not be both; members listed in neither are unknown.
bool patient_decoder::impl::decode_partial_set(std::uint32_t slot, od::object obj, patient& p, std::string& error) {
  const fact& f = g->facts[slot];
  const enumeration& e = g->enumerations[static_cast<std::size_t>(f.enumeration)];
  std::uint64_t present = 0, absent = 0;
  bool seen_present = false, seen_absent = false;
  for (auto field : obj) {
    std::string_view key;
    od::value fv;
    if (field.unescaped_key().get(key) || field.value().get(fv)) { error = fmt::format("`{}`: malformed JSON value", f.id); return false; }
    if (key != "present" && key != "absent") {
      error = fmt::format("`{}`: \"{}\" is not a key of a partly known set; write \"present\" and \"absent\" lists "
                          "(members in neither are unknown)",
                          f.id, detail::shorten(key));
      return false;
    }
    bool& given = key == "present" ? seen_present : seen_absent;
    if (std::exchange(given, true)) { error = fmt::format("`{}`: \"{}\" is given twice", f.id, key); return false; }
    od::array arr;
    od::json_type ft;
    if (fv.type().get(ft) || ft != od::json_type::array || fv.get_array().get(arr)) {
      error = fmt::format("`{}`: \"{}\" must be a list of `{}` members, not {}", f.id, key, e.id, detail::shown_value(fv));
      return false;
    }
    if (!decode_members(f, e, arr, key == "present" ? present : absent, error)) return false;
  }
  if (std::uint64_t both = present & absent) {
    unsigned m = static_cast<unsigned>(std::countr_zero(both));
    error = fmt::format("`{}`: \"{}\" is listed both present and absent", f.id, e.members[m].id);
    return false;
  }
  p.set_partial(slot, present, present | absent, member_universe(*g, slot));
  return true;
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
        if (v.get_string().get(s)) { error = "malformed string for \"id\""; return false; }
        p.id.clear();
        append_json_string(p.id, s);
      } else if (t == od::json_type::number) {
        std::string_view raw = v.raw_json_token();
        double check;
        if (v.get_double().get(check)) { error = "malformed number for \"id\""; return false; }
        p.id = std::string(trim(raw));
      } else {
        error = fmt::format("\"id\" must be a string or a number, not {}", detail::shown_value(v));
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
      if (type != od::json_type::string || v.get_string().get(s)) { error = fmt::format("`{}`: {} is not a procedure; write its name or code as a string", key, detail::shown_value(v)); return false; }
      p.extra.assign(s);
      continue;
    }
    if (!unknown_keys.emplace(key).second) { error = fmt::format("`{}` is given twice", detail::shorten(key)); return false; }
    p.warnings.push_back(fmt::format("unknown fact `{}` ignored", detail::shorten(key)));
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
  error = fmt::format("unexpected text after the record: `{}`", detail::shorten(after));
  return false;
}

}  // namespace rubric::runtime
