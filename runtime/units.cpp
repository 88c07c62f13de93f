// Reading unit expressions: UCUM's grammar (`/`, `.`, exponents, prefixes,
// parentheses, annotations), left to right as the specification says
// (`a/b.c` is (a/b)·c), plus the duration words. See units.hpp.
#include "runtime/units.hpp"

#include <fmt/format.h>

#include "runtime/units_table.hpp"

namespace rubric::runtime::units {

namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view trim(std::string_view s) {
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

// A recursive-descent reader over one unit text. Errors are kept as the first
// reason; nesting of parentheses is bounded (hostile inputs).
class unit_reader {
 public:
  explicit unit_reader(std::string_view text) : s_(text) {}

  std::optional<unit> read() {
    unit u{};
    if (s_.empty()) return fail("the unit is empty");
    if (peek() == '/') {
      ++pos_;
      auto t = term(0);
      if (!t) return std::nullopt;
      u = *t;
      if (!divide_into(u)) return std::nullopt;
    } else {
      auto t = term(0);
      if (!t) return std::nullopt;
      u = *t;
    }
    if (pos_ != s_.size()) return fail(fmt::format("unexpected `{}` in the unit", s_.substr(pos_, 1)));
    return u;
  }

  std::string why;

 private:
  std::string_view s_;
  std::size_t pos_ = 0;

  char peek() const { return pos_ < s_.size() ? s_[pos_] : '\0'; }

  std::nullopt_t fail(std::string reason) {
    if (why.empty()) why = std::move(reason);
    return std::nullopt;
  }

  bool refuse(std::string reason) {
    fail(std::move(reason));
    return false;
  }

  // `u` becomes 1/u.
  bool divide_into(unit& u) {
    for (auto& e : u.dim.exponent) e = static_cast<std::int8_t>(-e);
    if (!detail::invert(u.scale)) return refuse(("the unit's factor is out of range"));
    return true;
  }

  bool combine(unit& a, const unit& b, bool divide) {
    for (std::size_t i = 0; i < base_count; ++i) {
      int e = a.dim.exponent[i] + (divide ? -b.dim.exponent[i] : b.dim.exponent[i]);
      if (e > 60 || e < -60) return refuse(("the unit's exponents are too large"));
      a.dim.exponent[i] = static_cast<std::int8_t>(e);
    }
    factor f = b.scale;
    if ((divide && !detail::invert(f)) || !detail::multiply(a.scale, f))
      return refuse(("the unit's factor is out of range"));
    return true;
  }

  // term := component (('.' | '/') component)*
  std::optional<unit> term(int depth) {
    auto a = component(depth);
    if (!a) return std::nullopt;
    while (peek() == '.' || peek() == '/') {
      bool divide = s_[pos_++] == '/';
      auto b = component(depth);
      if (!b || !combine(*a, *b, divide)) return std::nullopt;
    }
    return a;
  }

  // An annotation `{…}`: printable ASCII except braces; ignored for conversion.
  bool annotation() {
    std::size_t end = pos_ + 1;
    while (end < s_.size() && s_[end] != '}' && s_[end] != '{' && s_[end] > ' ' && s_[end] < 127) ++end;
    if (end >= s_.size() || s_[end] != '}') return refuse(("an annotation `{…}` is not closed"));
    pos_ = end + 1;
    return true;
  }

  // component := '(' term ')' | annotation | factor annotation? | simple annotation?
  std::optional<unit> component(int depth) {
    char c = peek();
    if (c == '(') {
      if (depth >= 16) return fail("the unit nests too deeply");
      ++pos_;
      auto t = term(depth + 1);
      if (!t) return std::nullopt;
      if (peek() != ')') return fail("a `(` in the unit is not closed");
      ++pos_;
      return t;
    }
    if (c == '{') {
      if (!annotation()) return std::nullopt;
      return unit{};
    }
    std::size_t start = pos_;
    while (pos_ < s_.size()) {
      char k = s_[pos_];
      if (k == '.' || k == '/' || k == '(' || k == ')' || k == '{') break;
      if (k == '[') {
        while (pos_ < s_.size() && s_[pos_] != ']') ++pos_;
        if (pos_ == s_.size()) return fail("a `[` in the unit is not closed");
      }
      if (space(k)) return fail("a unit has no spaces");
      ++pos_;
    }
    if (pos_ == start) return fail(c == '\0' ? "the unit ends after an operator" : fmt::format("unexpected `{}` in the unit", c));
    auto u = simple(s_.substr(start, pos_ - start));
    if (u && peek() == '{' && !annotation()) return std::nullopt;
    return u;
  }

  // simple := digits | prefix? atom exponent?
  std::optional<unit> simple(std::string_view token) {
    bool all_digits = true;
    for (char k : token) all_digits = all_digits && digit(k);
    if (all_digits) {
      if (token.size() > 18) return fail("a factor in the unit is too large");
      std::uint64_t n = 0;
      for (char k : token) n = n * 10 + static_cast<std::uint64_t>(k - '0');
      auto f = detail::integer_factor(n);
      if (!f) return fail("a factor in the unit is zero");
      return unit{dimension{}, *f};
    }
    if (auto u = atom_unit(token)) return u;
    // A trailing exponent: `m2`, `cm3`, `10*9`, `s-1`.
    std::size_t e = token.size();
    while (e > 0 && digit(token[e - 1])) --e;
    if (e > 0 && e < token.size() && (token[e - 1] == '-' || token[e - 1] == '+')) --e;
    if (e == 0 || e == token.size()) return fail(unknown(token));
    why.clear();  // the whole token was not an atom; now say what is wrong with its parts
    std::string_view digits = token.substr(e);
    bool negative = digits.front() == '-';
    if (digits.front() == '-' || digits.front() == '+') digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 2) return fail(fmt::format("the exponent in `{}` is out of range", token));
    int exponent = std::stoi(std::string(digits)) * (negative ? -1 : 1);
    auto u = atom_unit(token.substr(0, e));
    if (!u) return fail(why.empty() ? unknown(token) : why);
    unit r = *u;
    for (auto& x : r.dim.exponent) {
      int v = x * exponent;
      if (v > 60 || v < -60) return fail(fmt::format("the exponent in `{}` is out of range", token));
      x = static_cast<std::int8_t>(v);
    }
    if (!detail::power(r.scale, exponent)) return fail(fmt::format("the factor of `{}` is out of range", token));
    return r;
  }

  std::string unknown(std::string_view token) const {
    if (token == s_) return fmt::format("`{}` is not a UCUM unit", token);
    return fmt::format("`{}` in `{}` is not a UCUM unit", token, s_);
  }

  // An atom, or a prefix and a metric atom.
  std::optional<unit> atom_unit(std::string_view token) {
    const detail::atom* a = detail::find_atom(token);
    std::int32_t exp10 = 0;
    if (!a) {
      auto p = detail::find_prefixed(token);
      a = p.a;
      exp10 = p.exp10;
      if (!a) {
        // A prefix on an atom that takes none (`kmin`): say so.
        return fail(unknown(token));
      }
    }
    if (!a->refusal.empty()) return fail(fmt::format("`{}`: {}", token, a->refusal));
    unit u{a->dim, a->scale};
    u.scale.exp10 += exp10;
    return u;
  }
};

}  // namespace

std::optional<unit> find_unit(std::string_view text, std::string* why) {
  std::string_view t = trim(text);
  if (auto w = detail::find_word(t)) return w;
  unit_reader reader(t);
  auto u = reader.read();
  if (!u && why) *why = reader.why.empty() ? fmt::format("`{}` is not a UCUM unit", t) : reader.why;
  return u;
}

std::optional<quantity_text> split_quantity(std::string_view text) {
  std::string_view s = trim(text);
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  std::size_t digits = 0;
  while (i < s.size() && digit(s[i])) ++i, ++digits;
  if (i < s.size() && s[i] == '.') {
    ++i;
    while (i < s.size() && digit(s[i])) ++i, ++digits;
  }
  if (digits == 0) return std::nullopt;
  // An exponent only when digits follow (`5eq` is 5 equivalents).
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    std::size_t j = i + 1;
    if (j < s.size() && (s[j] == '+' || s[j] == '-')) ++j;
    if (j < s.size() && digit(s[j])) {
      while (j < s.size() && digit(s[j])) ++j;
      i = j;
    }
  }
  std::string_view rest = trim(s.substr(i));
  if (rest.empty()) return std::nullopt;
  return quantity_text{s.substr(0, i), rest};
}

std::string_view describe(conversion_error e) {
  switch (e) {
    case conversion_error::none: return "converts";
    case conversion_error::malformed_number: return "is not a number";
    case conversion_error::too_many_digits: return "has too many digits";
    case conversion_error::different_dimension: return "is of another dimension";
    case conversion_error::out_of_range: return "is out of range after conversion";
  }
  return "cannot be converted";
}

}  // namespace rubric::runtime::units
