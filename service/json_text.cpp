// Compact JSON text (json_text.hpp).
#include "service/json_text.hpp"

#include <charconv>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace rubric::service {

namespace {

// Length of the valid UTF-8 sequence starting at s[i] (a byte ≥ 0x80), or 0
// when it is not one (overlong forms, surrogates and code points above
// U+10FFFF are invalid, as in nlohmann's decoder).
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  auto at = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
  auto cont = [&](std::size_t k, unsigned lo = 0x80, unsigned hi = 0xBF) { return at(k) >= lo && at(k) <= hi; };
  const unsigned b = at(0);
  if (b >= 0xC2 && b <= 0xDF) return cont(1) ? 2 : 0;
  if (b == 0xE0) return cont(1, 0xA0) && cont(2) ? 3 : 0;
  if ((b >= 0xE1 && b <= 0xEC) || b == 0xEE || b == 0xEF) return cont(1) && cont(2) ? 3 : 0;
  if (b == 0xED) return cont(1, 0x80, 0x9F) && cont(2) ? 3 : 0;
  if (b == 0xF0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xF1 && b <= 0xF3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b == 0xF4) return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

bool is_plain(unsigned char c) { return c >= 0x20 && c != '"' && c != '\\' && c < 0x80; }

// The first byte at or after `i` that is not plain ASCII (one to escape, or
// the start of a UTF-8 sequence to check), or s.size(). Most of what the
// service writes is plain text: 16 bytes are tested at once.
std::size_t skip_plain(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), space = _mm_set1_epi8(0x20);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // Signed compare: 0x20 > v holds for the control bytes and for every byte from 0x80 up.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)), _mm_cmpgt_epi8(space, v));
    if (const int mask = _mm_movemask_epi8(special)) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  while (i < s.size() && is_plain(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// The escaped text of `s`, or false (and `out` unchanged) when it is not valid UTF-8.
bool append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out += '"';
  std::size_t plain = 0;  // start of the run of bytes copied as they are
  for (std::size_t i = skip_plain(s, 0); i < s.size(); i = skip_plain(s, i)) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_sequence(s, i);
      if (n == 0) {
        out.resize(start);
        return false;
      }
      i += n;
      continue;
    }
    out.append(s.data() + plain, i - plain);
    out += '\\';
    switch (c) {
      case '"': out += '"'; break;
      case '\\': out += '\\'; break;
      case '\b': out += 'b'; break;
      case '\t': out += 't'; break;
      case '\n': out += 'n'; break;
      case '\f': out += 'f'; break;
      case '\r': out += 'r'; break;
      default:
        out += "u00";
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    plain = ++i;
  }
  out.append(s.data() + plain, s.size() - plain);
  out += '"';
  return true;
}

void append_nlohmann(std::string& out, const nlohmann::json& j) { out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

template <typename Int>
void append_integer(std::string& out, Int v) {
  char digits[24];
  auto [end, ec] = std::to_chars(digits, digits + sizeof digits, v);
  out.append(digits, static_cast<std::size_t>(end - digits));
}

}  // namespace

void append_json_string_text(std::string& out, std::string_view s) {
  if (!append_escaped(out, s)) append_nlohmann(out, nlohmann::json(std::string(s)));
}

void append_json_text(std::string& out, const nlohmann::json& j) {
  using t = nlohmann::json::value_t;
  switch (j.type()) {
    case t::object: {
      out += '{';
      bool first = true;
      for (auto it = j.begin(); it != j.end(); ++it) {
        if (!first) out += ',';
        first = false;
        append_json_string_text(out, it.key());
        out += ':';
        append_json_text(out, it.value());
      }
      out += '}';
      return;
    }
    case t::array: {
      out += '[';
      bool first = true;
      for (const auto& v : j) {
        if (!first) out += ',';
        first = false;
        append_json_text(out, v);
      }
      out += ']';
      return;
    }
    case t::string: append_json_string_text(out, j.get_ref<const std::string&>()); return;
    case t::boolean: out += j.get<bool>() ? "true" : "false"; return;
    case t::null: out += "null"; return;
    case t::number_integer: append_integer(out, j.get<std::int64_t>()); return;
    case t::number_unsigned: append_integer(out, j.get<std::uint64_t>()); return;
    default: append_nlohmann(out, j); return;  // floats, binary, discarded: nlohmann's own text
  }
}

std::string json_text(const nlohmann::json& j) {
  std::string out;
  out.reserve(16384);  // an order-select answer is ~11 KB: one allocation, no regrowth
  append_json_text(out, j);
  return out;
}

}  // namespace rubric::service
