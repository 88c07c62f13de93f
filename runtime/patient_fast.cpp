// The fast path for patient lines (see patient_fast.hpp): one forward scan,
// no allocation, and "not mine" instead of an error for anything unusual.
#include "runtime/patient_fast.hpp"

#include "runtime/patient_quantity.hpp"

#include <charconv>
#include <cmath>
#include <cstring>

namespace rubric::runtime {

namespace {

// Same key hash as the full decoder: length and three characters.
std::uint32_t key_hash(std::string_view s) {
  if (s.empty()) return 0;
  auto at = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])); };
  return static_cast<std::uint32_t>(s.size()) * 2654435761u ^ at(0) * 31u ^ at(s.size() - 1) * 131u ^ at(s.size() / 2) * 1031u;
}

inline bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
inline bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

// A read position in the line; every accessor fails rather than overrun.
struct fast_patient_decoder::cursor {
  const char* p;
  const char* end;

  void skip_space() {
    while (p < end && json_space(*p)) ++p;
  }
  bool eat(char c) {
    skip_space();
    if (p == end || *p != c) return false;
    ++p;
    return true;
  }
  char peek() {
    skip_space();
    return p == end ? '\0' : *p;
  }
  // A string of printable ASCII without escapes; `out` is its content.
  bool string(std::string_view& out) {
    if (!eat('"')) return false;
    const char* b = p;
    while (p < end) {
      auto u = static_cast<unsigned char>(*p);
      if (u == '"') {
        out = std::string_view(b, static_cast<std::size_t>(p - b));
        ++p;
        return true;
      }
      if (u == '\\' || u < 0x20 || u >= 0x80) return false;
      ++p;
    }
    return false;
  }
  // A JSON number (strict grammar); `text` is its spelling, `out` its value.
  bool number(double& out, std::string_view& text) {
    skip_space();
    const char* b = p;
    if (p < end && *p == '-') ++p;
    if (p == end || !digit(*p)) return false;
    if (*p == '0') ++p;
    else while (p < end && digit(*p)) ++p;
    if (p < end && *p == '.') {
      ++p;
      if (p == end || !digit(*p)) return false;
      while (p < end && digit(*p)) ++p;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
      ++p;
      if (p < end && (*p == '+' || *p == '-')) ++p;
      if (p == end || !digit(*p)) return false;
      while (p < end && digit(*p)) ++p;
    }
    auto [stop, ec] = std::from_chars(b, p, out);
    if (ec != std::errc{} || stop != p || !std::isfinite(out)) return false;
    text = std::string_view(b, static_cast<std::size_t>(p - b));
    return true;
  }
  // A literal such as `true`, followed by something that can end a value.
  bool literal(std::string_view word) {
    skip_space();
    if (static_cast<std::size_t>(end - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0) return false;
    p += word.size();
    return p == end || json_space(*p) || *p == ',' || *p == '}' || *p == ']';
  }
};

fast_patient_decoder::fast_patient_decoder(const graph& g, std::string extra_key)
    : g_(&g), extra_key_(std::move(extra_key)), seen_(g.facts.size(), 0), hint_(g.facts.size() + 2, -1) {
  for (const fact& f : g.facts) declared_.push_back(detail::declared_unit(f));
  std::uint32_t size = 16;
  while (size < g.facts.size() * 2 + 2) size *= 2;
  table_.assign(size, 0);
  mask_ = size - 1;
  for (std::uint32_t i = 0; i < g.facts.size(); ++i) {
    std::uint32_t h = key_hash(g.facts[i].id) & mask_;
    while (table_[h] != 0) h = (h + 1) & mask_;
    table_[h] = i + 1;
  }
}

int fast_patient_decoder::find(std::string_view key) const {
  std::uint32_t h = key_hash(key) & mask_;
  while (table_[h] != 0) {
    std::uint32_t s = table_[h] - 1;
    if (g_->facts[s].id == key) return static_cast<int>(s);
    h = (h + 1) & mask_;
  }
  return -1;
}

int fast_patient_decoder::find_at(std::size_t position, std::string_view key) {
  if (position < hint_.size()) {
    std::int32_t h = hint_[position];
    if (h >= 0) {
      const std::string& id = g_->facts[static_cast<std::size_t>(h)].id;
      if (id.size() == key.size() && std::memcmp(id.data(), key.data(), key.size()) == 0) return h;
    }
  }
  int slot = find(key);
  if (position < hint_.size()) hint_[position] = slot;
  return slot;
}

int fast_patient_decoder::find_member(std::uint32_t enumeration, std::string_view name) const {
  const auto& members = g_->enumerations[enumeration].members;
  for (std::size_t m = 0; m < members.size(); ++m)
    if (members[m].id == name) return static_cast<int>(m);
  return -1;
}

// A number or duration fact's value: a bare number (numbers only), a
// quantity string, or a FHIR Quantity of plain fields. Conversion and checks
// are the full decoder's own (detail::text_quantity, fields_quantity).
bool fast_patient_decoder::quantity(cursor& c, std::uint32_t slot, patient& p) {
  const fact& f = g_->facts[slot];
  double value = 0;
  char first = c.peek();
  if (first == '"') {
    std::string_view s;
    if (!c.string(s) || !detail::text_quantity(f, declared_[slot], s, value, error_)) return false;
  } else if (first == '{') {
    if (!fhir(c, f, slot, value)) return false;
  } else {
    std::string_view text;
    if (f.type == value_type::duration || !c.number(value, text) || !detail::within_declared(f, value)) return false;
  }
  p.set_number(slot, value + 0.0);  // never "-0"
  return true;
}

// {"value": 3, "unit": "mo"} with optional UCUM system and code, each once.
bool fast_patient_decoder::fhir(cursor& c, const fact& f, std::uint32_t slot, double& value) {
  if (!c.eat('{')) return false;
  detail::quantity_fields q;
  bool has_value = false, has_unit = false, has_code = false, has_system = false;
  if (c.peek() != '}') {
    do {
      std::string_view key;
      if (!c.string(key) || !c.eat(':')) return false;
      double ignored;
      if (key == "value" && !has_value) {
        if (!c.number(ignored, q.number)) return false;
        has_value = true;
      } else if (key == "unit" && !has_unit) {
        if (!c.string(q.unit)) return false;
        has_unit = true;
      } else if (key == "code" && !has_code) {
        if (!c.string(q.code)) return false;
        has_code = true;
      } else if (key == "system" && !has_system) {
        if (!c.string(q.system)) return false;
        has_system = true;
      } else {
        return false;
      }
    } while (c.eat(','));
  }
  if (!c.eat('}') || !has_value) return false;
  return detail::fields_quantity(f, declared_[slot], q, value, error_);
}

// ["fever", …]: the members' bits, added to `bits`.
bool fast_patient_decoder::members(cursor& c, std::uint32_t enumeration, std::uint64_t& bits) {
  if (!c.eat('[')) return false;
  if (c.peek() != ']') {
    do {
      std::string_view s;
      if (!c.string(s)) return false;
      int m = find_member(enumeration, s);
      if (m < 0) return false;
      bits |= std::uint64_t(1) << m;
    } while (c.eat(','));
  }
  return c.eat(']');
}

// {"present": […], "absent": […]}: a partly known set (each key at most once,
// no member in both; anything else is left to the full decoder).
bool fast_patient_decoder::partial_set(cursor& c, std::uint32_t slot, patient& p) {
  const auto e = static_cast<std::uint32_t>(g_->facts[slot].enumeration);
  std::uint64_t present = 0, absent = 0;
  bool seen_present = false, seen_absent = false;
  if (!c.eat('{')) return false;
  if (c.peek() != '}') {
    do {
      std::string_view key;
      if (!c.string(key) || !c.eat(':')) return false;
      bool is_present = key == "present";
      if (!is_present && key != "absent") return false;
      bool& seen = is_present ? seen_present : seen_absent;
      if (seen || !members(c, e, is_present ? present : absent)) return false;
      seen = true;
    } while (c.eat(','));
  }
  if (!c.eat('}') || (present & absent)) return false;
  p.set_partial(slot, present, present | absent, member_universe(*g_, slot));
  return true;
}

bool fast_patient_decoder::value(cursor& c, std::uint32_t slot, patient& p) {
  const fact& f = g_->facts[slot];
  if (c.peek() == 'n') return c.literal("null");  // unknown: the slot stays as reset
  switch (f.type) {
    case value_type::boolean:
      if (c.peek() == 't' && c.literal("true")) { p.set_bool(slot, true); return true; }
      if (c.peek() == 'f' && c.literal("false")) { p.set_bool(slot, false); return true; }
      return false;
    case value_type::number:
    case value_type::duration:
      return quantity(c, slot, p);
    case value_type::text: {
      std::string_view s;
      if (!c.string(s)) return false;
      p.text[slot].assign(s);
      p.slots[slot] = {0, 0, true};
      return true;
    }
    case value_type::enumeration: {
      std::string_view s;
      if (!c.string(s)) return false;
      int m = find_member(static_cast<std::uint32_t>(f.enumeration), s);
      if (m < 0) return false;
      p.set_member(slot, static_cast<unsigned>(m));
      return true;
    }
    case value_type::set: {
      if (c.peek() == '{') return partial_set(c, slot, p);
      std::uint64_t bits = 0;
      if (!members(c, static_cast<std::uint32_t>(f.enumeration), bits)) return false;
      p.set_members(slot, bits);
      return true;
    }
  }
  return false;
}

bool fast_patient_decoder::decode(std::string_view line, patient& p) {
  p.reset(*g_);
  std::memset(seen_.data(), 0, seen_.size());
  cursor c{line.data(), line.data() + line.size()};
  if (!c.eat('{')) return false;
  bool has_id = false, has_extra = false;
  std::size_t position = 0;
  if (c.peek() != '}') {
    do {
      std::string_view key;
      if (!c.string(key) || !c.eat(':')) return false;
      int slot = find_at(position++, key);
      if (slot >= 0) {
        auto s = static_cast<std::uint32_t>(slot);
        if (seen_[s] || !value(c, s, p)) return false;
        seen_[s] = 1;
      } else if (key == "id") {
        if (has_id) return false;
        has_id = true;
        std::string_view s;
        if (c.peek() == '"') {
          if (!c.string(s)) return false;
          p.id.assign(1, '"');
          p.id.append(s);
          p.id.push_back('"');
        } else {
          double d;
          if (!c.number(d, s)) return false;
          p.id.assign(s);
        }
      } else if (!extra_key_.empty() && key == extra_key_) {
        std::string_view s;
        if (has_extra || !c.string(s)) return false;
        has_extra = true;
        p.extra.assign(s);
      } else {
        return false;  // unknown keys are warnings: the full decoder writes them
      }
    } while (c.eat(','));
  }
  if (!c.eat('}')) return false;
  c.skip_space();
  return c.p == c.end;
}

}  // namespace rubric::runtime
