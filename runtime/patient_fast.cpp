// The fast path for patient lines (see patient_fast.hpp): one forward scan,
// no allocation, and "not mine" instead of an error for anything unusual.
// Keys are matched in place against the key seen at the same position in
// the previous line; strings are scanned eight bytes at a time.
#include "runtime/patient_fast.hpp"

#include "runtime/patient_quantity.hpp"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rubric::runtime {

static_assert(std::endian::native == std::endian::little, "the string scan reads bytes in little-endian order");

namespace {

// Same key hash as the full decoder: length and three characters.
std::uint32_t key_hash(std::string_view s) {
  if (s.empty()) return 0;
  auto at = [&](std::size_t i) { return static_cast<std::uint32_t>(static_cast<unsigned char>(s[i])); };
  return static_cast<std::uint32_t>(s.size()) * 2654435761u ^ at(0) * 31u ^ at(s.size() - 1) * 131u ^ at(s.size() / 2) * 1031u;
}

// JSON's white space but the newline: a patient is one line, so a newline
// inside it is left to the full decoder, and a batch line can be read with
// the cursor's end past it (the newline ends the object, see decode_line).
inline bool json_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
inline bool digit(char c) { return c >= '0' && c <= '9'; }

inline std::uint64_t load8(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

inline std::uint32_t load4(const char* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

// `n` bytes at `a` and `b` are equal (short keys: no call to memcmp). The
// last word overlaps the one before it instead of a byte loop.
inline bool same_bytes(const char* a, const char* b, std::size_t n) {
  if (n >= 8) {
    for (std::size_t i = 0; i + 8 < n; i += 8)
      if (load8(a + i) != load8(b + i)) return false;
    return load8(a + n - 8) == load8(b + n - 8);
  }
  if (n >= 4) return load4(a) == load4(b) && load4(a + n - 4) == load4(b + n - 4);
  for (; n > 0; --n)
    if (*a++ != *b++) return false;
  return true;
}

inline bool same(std::string_view a, std::string_view b) { return a.size() == b.size() && same_bytes(a.data(), b.data(), a.size()); }

// A key hint's text `key":` (n bytes; the hint texts are followed by 32
// readable bytes) at `p`, where `left` bytes are readable: with 32 of them
// and a key of at most 32 bytes, two 16-byte compares and one mask test.
inline bool same_key(const char* p, std::size_t left, const char* key, std::size_t n) {
#if defined(__SSE2__)
  if (left >= 32 && n <= 32) {
    auto equal = [](const char* a, const char* b) {
      return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(a)),
                                                                         _mm_loadu_si128(reinterpret_cast<const __m128i*>(b)))));
    };
    const std::uint64_t eq = equal(p, key) | equal(p + 16, key + 16) << 16;
    return (~eq & ((std::uint64_t{1} << n) - 1)) == 0;
  }
#endif
  return left >= n && same_bytes(p, key, n);
}

// Bytes of `w` that end a plain string: '"', '\\', control (< 0x20) or
// non-ASCII (≥ 0x80). The lowest set bit marks the first such byte (borrows
// only run upwards, past a true match).
inline std::uint64_t string_stops(std::uint64_t w) {
  constexpr std::uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
  auto zero_bytes = [](std::uint64_t x) { return (x - ones) & ~x & high; };
  return zero_bytes(w ^ (ones * '"')) | zero_bytes(w ^ (ones * '\\')) | ((w - ones * 0x20) & ~w & high) | (w & high);
}

// Whole numbers as digits only ("12"), at most 15 of them: exact in a double.
inline bool small_whole(std::string_view digits, std::uint64_t& n) {
  if (digits.empty() || digits.size() > 15) return false;
  n = 0;
  for (char c : digits) {
    if (!digit(c)) return false;
    n = n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return true;
}

}  // namespace

// A read position in the line; every accessor fails rather than overrun.
struct fast_patient_decoder::cursor {
  const char* p;
  const char* end;

  void skip_space() {
    if (p < end && static_cast<unsigned char>(*p) <= ' ')  // compact JSON: one compare
      while (p < end && json_space(*p)) ++p;
  }
  // Compact JSON first: the expected byte is tested before any space is skipped.
  bool eat(char c) {
    if (p < end && *p == c) {
      ++p;
      return true;
    }
    skip_space();
    if (p == end || *p != c) return false;
    ++p;
    return true;
  }
  char peek() {
    if (p < end && static_cast<unsigned char>(*p) > ' ') return *p;
    skip_space();
    return p == end ? '\0' : *p;
  }
  // After the opening quote: printable ASCII without escapes up to the closing
  // quote, which is consumed; `out` is the content.
  bool string_body(std::string_view& out) {
    const char* b = p;
    while (end - p >= 8) {
      if (std::uint64_t stops = string_stops(load8(p))) {
        p += std::countr_zero(stops) / 8;
        return close_string(b, out);
      }
      p += 8;
    }
    while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20 && static_cast<unsigned char>(*p) < 0x80) ++p;
    return close_string(b, out);
  }
  bool close_string(const char* b, std::string_view& out) {
    if (p == end || *p != '"') return false;
    out = std::string_view(b, static_cast<std::size_t>(p - b));
    ++p;
    return true;
  }
  bool string(std::string_view& out) { return eat('"') && string_body(out); }
  // A JSON number (strict grammar); `text` is its spelling. `exponent` says
  // whether it has one (only then can a long or large spelling overflow).
  bool number_text(std::string_view& text, bool& exponent) {
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
    exponent = p < end && (*p == 'e' || *p == 'E');
    if (exponent) {
      ++p;
      if (p < end && (*p == '+' || *p == '-')) ++p;
      if (p == end || !digit(*p)) return false;
      while (p < end && digit(*p)) ++p;
    }
    text = std::string_view(b, static_cast<std::size_t>(p - b));
    return true;
  }
  // A finite JSON number: `out` its value, `text` its spelling.
  bool number(double& out, std::string_view& text) {
    bool exponent;
    if (!number_text(text, exponent)) return false;
    std::uint64_t n;
    if (small_whole(text, n)) {  // digits only: exact, no need to parse
      out = static_cast<double>(n);
      return true;
    }
    auto [stop, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc{} && stop == text.data() + text.size() && std::isfinite(out);
  }
  // A literal such as `true` at the cursor (after peek(), so no space
  // before it), followed by something that can end a value. The word's size
  // is a constant: the compare is one or two loads.
  template <std::size_t N>
  bool literal(const char (&word)[N]) {
    constexpr std::size_t n = N - 1;
    if (static_cast<std::size_t>(end - p) < n || std::memcmp(p, word, n) != 0) return false;
    p += n;
    if (p == end) return true;
    const char next = *p;
    return next == ',' || next == '}' || json_space(next) || next == ']';
  }
};

fast_patient_decoder::fast_patient_decoder(const graph& g, std::string extra_key)
    : g_(&g), id_key_(static_cast<std::uint32_t>(g.facts.size())), extra_key_(id_key_ + 1) {
  for (const fact& f : g.facts) {
    declared_.push_back(detail::declared_unit(f));
    types_.push_back(f.type);
    keys_.push_back(f.id + '"');
  }
  keys_.push_back("id\"");
  keys_.push_back(extra_key + '"');
  for (const std::string& k : keys_) {  // `key":`, matched in one compare
    key_offset_.push_back(static_cast<std::uint32_t>(key_text_.size()));
    key_text_ += k + ':';
  }
  key_text_.append(32, '\0');  // same_key reads 32 bytes from any key's start
  seen_.assign(keys_.size(), 0);
  last_word_.assign(g.facts.size(), 0);
  small_values_.resize(words_.size() * small_wholes);
  hint_.assign(keys_.size() + 1, {key_hint{}, key_hint{}});
  std::uint32_t size = 16;
  while (size < keys_.size() * 2 + 2) size *= 2;
  table_.assign(size, 0);
  mask_ = size - 1;
  // Facts first, then "id", then the extra column: a fact named like either
  // wins. Keys are compared as raw bytes, so only plain keys (printable
  // ASCII, no quote or backslash: what string_body accepts) are listed; a
  // line with any other key goes to the full decoder.
  auto plain = [](std::string_view name) {
    for (char ch : name)
      if (ch == '"' || ch == '\\' || static_cast<unsigned char>(ch) < 0x20 || static_cast<unsigned char>(ch) >= 0x80) return false;
    return !name.empty();
  };
  for (std::uint32_t k = 0; k < keys_.size(); ++k) {
    std::string_view name(keys_[k].data(), keys_[k].size() - 1);
    if (!plain(name) || find(name) >= 0) continue;
    std::uint32_t h = key_hash(name) & mask_;
    while (table_[h] != 0) h = (h + 1) & mask_;
    table_[h] = k + 1;
  }
}

int fast_patient_decoder::find(std::string_view key) const {
  std::uint32_t h = key_hash(key) & mask_;
  while (table_[h] != 0) {
    std::uint32_t k = table_[h] - 1;
    const std::string& text = keys_[k];
    if (text.size() == key.size() + 1 && same_bytes(text.data(), key.data(), key.size())) return static_cast<int>(k);
    h = (h + 1) & mask_;
  }
  return -1;
}

// After a key's opening quote: its index (consuming the closing quote and
// the colon), or -1. `previous` is the key before it (keys_.size() for the
// first key). A hint matches `key":` (compact JSON); other spacing takes the
// scan, which still learns the key.
[[gnu::always_inline]] inline int fast_patient_decoder::key(cursor& c, std::size_t previous) {
  std::array<key_hint, 2>& next = hint_[previous];
  const auto left = static_cast<std::size_t>(c.end - c.p);
  const key_hint first = next[0];
  if (first.key >= 0 && same_key(c.p, left, key_text_.data() + first.offset, first.size)) {
    c.p += first.size;
    return first.key;
  }
  const key_hint second = next[1];
  if (second.key >= 0 && same_key(c.p, left, key_text_.data() + second.offset, second.size)) {
    c.p += second.size;
    std::swap(next[0], next[1]);
    return second.key;
  }
  return scan_key(c, next);
}

// A key no hint matched: read, looked up, and made the first hint. Out of
// line, so that key() is small enough to sit inside object().
[[gnu::noinline]] int fast_patient_decoder::scan_key(cursor& c, std::array<key_hint, 2>& next) {
  std::string_view name;
  if (!c.string_body(name)) return -1;
  int k = find(name);
  if (k < 0 || !c.eat(':')) return -1;
  const auto ku = static_cast<std::size_t>(k);
  next = {key_hint{k, key_offset_[ku], static_cast<std::uint32_t>(keys_[ku].size() + 1)}, next[0]};
  return k;
}

int fast_patient_decoder::find_member(std::uint32_t enumeration, std::string_view name) const {
  const auto& members = g_->enumerations[enumeration].members;
  for (std::size_t m = 0; m < members.size(); ++m)
    if (same(members[m].id, name)) return static_cast<int>(m);
  return -1;
}

// The value of a whole number with a unit word already learned for the slot;
// false when not learned or the value is not acceptable (then the full rules run).
bool fast_patient_decoder::whole_with_unit(std::uint32_t slot, std::string_view digits, std::string_view word,
                                           double& value) {
  std::uint64_t n;
  if (word.size() > unit_word{}.text.size() || !small_whole(digits, n)) return false;
  auto matches = [&](std::size_t i) {
    const unit_word& w = words_[i];
    return w.slot == slot && w.size == word.size() && same_bytes(w.text.data(), word.data(), word.size());
  };
  std::size_t i = last_word_[slot];
  if (i >= word_count_ || !matches(i)) {
    for (i = 0; i < word_count_ && !matches(i); ++i) {
    }
    if (i == word_count_) return false;
    last_word_[slot] = static_cast<std::uint32_t>(i);
  }
  const double v = converted(i, n);
  if (std::isnan(v)) return false;
  value = v;
  return true;
}

// After the full rules accepted `digits word` for the slot: remember the word
// with its conversion, if that conversion gives exactly the same value.
void fast_patient_decoder::learn(std::uint32_t slot, std::string_view digits, std::string_view word, double value) {
  std::uint64_t n;
  if (word_count_ == words_.size() || !declared_[slot] || word.empty() || word.size() > unit_word{}.text.size() ||
      !small_whole(digits, n))
    return;
  auto from = units::find_unit(word);
  if (!from) return;
  unit_word w;
  w.slot = slot;
  w.size = static_cast<std::uint8_t>(word.size());
  std::memcpy(w.text.data(), word.data(), word.size());
  w.convert = units::integer_conversion(*from, *declared_[slot]);
  auto v = w.convert(n);
  if (!v || *v != value) return;
  const std::size_t i = word_count_++;
  words_[i] = w;
  for (std::uint64_t k = 0; k < small_wholes; ++k) {
    auto x = w.convert(k);
    small_values_[i * small_wholes + k] =
        x && detail::within_declared(g_->facts[slot], *x) ? *x : std::numeric_limits<double>::quiet_NaN();
  }
}

// "n word" in the slot of learned word `word`: its value, or NaN when the
// conversion or the fact's range refuses it (then the full rules decide).
inline double fast_patient_decoder::converted(std::size_t word, std::uint64_t n) const {
  if (n < small_wholes) return small_values_[word * small_wholes + n];
  const unit_word& w = words_[word];
  auto v = w.convert(n);
  return v && detail::within_declared(g_->facts[w.slot], *v) ? *v : std::numeric_limits<double>::quiet_NaN();
}

// At a string's opening quote: "12 weeks" with the word the slot matched
// last, read in place (no scan of the string first); false leaves the cursor.
[[gnu::always_inline]] inline bool fast_patient_decoder::quoted_whole(cursor& c, std::uint32_t slot, double& value) const {
  const std::size_t i = last_word_[slot];
  if (i >= word_count_ || words_[i].slot != slot) return false;
  const unit_word& w = words_[i];
  const char* q = c.p + 1;
  const char* const digits = q;
  std::uint64_t n = 0;
  for (; q < c.end && digit(*q); ++q) {
    if (q - digits == 15) return false;
    n = n * 10 + static_cast<std::uint64_t>(*q - '0');
  }
  if (q == digits || c.end - q < w.size + 2 || *q != ' ' || !same_bytes(q + 1, w.text.data(), w.size) || q[1 + w.size] != '"')
    return false;
  const double v = converted(i, n);
  if (std::isnan(v)) return false;
  value = v;
  c.p = q + 2 + w.size;
  return true;
}

// A quantity string: "12 weeks" from the learned words, else the full
// decoder's own rules (detail::text_quantity).
bool fast_patient_decoder::text_quantity(std::uint32_t slot, std::string_view text, double& value) {
  std::size_t space = 0;
  while (space < text.size() && digit(text[space])) ++space;
  const bool whole = space > 0 && space < text.size() && text[space] == ' ';
  const std::string_view digits = text.substr(0, space), word = whole ? text.substr(space + 1) : std::string_view();
  if (whole && whole_with_unit(slot, digits, word, value)) return true;
  if (!detail::text_quantity(g_->facts[slot], declared_[slot], text, value, error_)) return false;
  if (whole) learn(slot, digits, word, value);
  return true;
}

// A number or duration fact's value: a bare number (numbers only), a
// quantity string, or a FHIR Quantity of plain fields. Conversion and checks
// are the full decoder's own (detail::text_quantity, fields_quantity).
[[gnu::always_inline]] inline bool fast_patient_decoder::quantity(cursor& c, std::uint32_t slot, patient& p) {
  const fact& f = g_->facts[slot];
  double value = 0;
  char first = c.peek();
  if (first == '"') {
    std::string_view s;
    if (!quoted_whole(c, slot, value) && (!c.string(s) || !text_quantity(slot, s, value))) return false;
  } else if (first == '{') {
    if (!fhir(c, slot, value)) return false;
  } else {
    std::string_view text;
    if (f.type == value_type::duration || !c.number(value, text) || !detail::within_declared(f, value)) return false;
  }
  p.set_number(slot, value + 0.0);  // never "-0"
  return true;
}

// {"value": 3, "unit": "mo"} with optional UCUM system and code, each once.
bool fast_patient_decoder::fhir(cursor& c, std::uint32_t slot, double& value) {
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
  // value + unit alone reads like "value unit" (the same unit rules).
  const bool plain = !has_code && !has_system && !q.unit.empty();
  if (plain && whole_with_unit(slot, q.number, q.unit, value)) return true;
  if (!detail::fields_quantity(g_->facts[slot], declared_[slot], q, value, error_)) return false;
  if (plain) learn(slot, q.number, q.unit, value);
  return true;
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

// Null, booleans and quantities here (small enough to sit inside object());
// text, enumeration and set values out of line.
[[gnu::always_inline]] inline bool fast_patient_decoder::value(cursor& c, std::uint32_t slot, patient& p) {
  const char first = c.peek();
  if (first == 'n') return c.literal("null");  // unknown: the slot stays as reset
  const value_type type = types_[slot];
  if (type == value_type::boolean) {
    if (first == 't' && c.literal("true")) {
      p.set_bool(slot, true);
      return true;
    }
    if (first == 'f' && c.literal("false")) {
      p.set_bool(slot, false);
      return true;
    }
    return false;
  }
  if (type == value_type::number || type == value_type::duration) return quantity(c, slot, p);
  return listed_value(c, slot, p);
}

[[gnu::noinline]] bool fast_patient_decoder::listed_value(cursor& c, std::uint32_t slot, patient& p) {
  const fact& f = g_->facts[slot];
  switch (f.type) {
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
    default: return false;
  }
}

// "id": a string (kept with its quotes) or a finite number (kept as written).
bool fast_patient_decoder::id(cursor& c, patient& p) {
  const char first = c.peek();
  if (first >= '1' && first <= '9') {  // the common id: a plain whole number, then ',' or '}'
    const char* q = c.p;
    while (++q < c.end && digit(*q)) {
    }
    // At most 300 digits: always within a double's range (as checked below).
    if (q < c.end && (*q == ',' || *q == '}') && q - c.p <= 300) {
      p.id.assign(c.p, static_cast<std::size_t>(q - c.p));
      c.p = q;
      return true;
    }
  }
  if (first == '"') {
    const char* open = c.p;
    std::string_view s;
    if (!c.string(s)) return false;
    p.id.assign(open, s.size() + 2);
    return true;
  }
  std::string_view s;
  bool exponent;
  if (!c.number_text(s, exponent)) return false;
  if (exponent || s.size() > 300) {  // only these can be out of a double's range
    double d;
    auto [stop, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec != std::errc{} || stop != s.data() + s.size() || !std::isfinite(d)) return false;
  }
  p.id.assign(s);
  return true;
}

bool fast_patient_decoder::decode(std::string_view line, patient& p) {
  return object(line.data(), line.data() + line.size(), p) == line.data() + line.size();
}

const char* fast_patient_decoder::decode_line(const char* begin, const char* end, patient& p) {
  const char* q = object(begin, end, p);
  return q && q < end && *q == '\n' ? q + 1 : nullptr;
}

// The object at `begin` and the spaces after it: where they end, or null.
const char* fast_patient_decoder::object(const char* begin, const char* end, patient& p) {
  p.reset(*g_);
  if (++line_ == 0) {  // the counter wrapped: forget every line before
    std::fill(seen_.begin(), seen_.end(), 0);
    line_ = 1;
  }
  cursor c{begin, end};
  std::uint64_t seen = 0;  // keys 0-63 given in this line; seen_ has the others
  if (!c.eat('{')) return nullptr;
  if (c.peek() != '}') {
    for (std::size_t previous = keys_.size();;) {
      if (!c.eat('"')) return nullptr;
      const int k = key(c, previous);
      if (k < 0) return nullptr;  // unknown keys are warnings: the full decoder writes them
      const auto ku = static_cast<std::uint32_t>(k);
      if (ku < 64) {
        const std::uint64_t bit = std::uint64_t{1} << ku;
        if (seen & bit) return nullptr;
        seen |= bit;
      } else {
        if (seen_[ku] == line_) return nullptr;
        seen_[ku] = line_;
      }
      previous = ku;
      if (ku < id_key_) {
        if (!value(c, ku, p)) return nullptr;
      } else if (ku == id_key_) {
        if (!id(c, p)) return nullptr;
      } else {
        std::string_view s;
        if (!c.string(s)) return nullptr;
        p.extra.assign(s);
      }
      if (!c.eat(',')) break;
    }
  }
  if (!c.eat('}')) return nullptr;
  c.skip_space();
  return c.p;
}

}  // namespace rubric::runtime
