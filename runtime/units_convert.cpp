// Exact conversion: value × from / to as one rational N/D × 2^b (decimal
// digits, the factors' integers and powers of five in N and D, powers of two
// in b), then one correctly rounded division to a double. A small
// fixed-capacity bignum on the stack: no allocation, bounded work (at most
// ~60 significant digits and a bounded exponent; see units.hpp).
#include <array>
#include <bit>
#include <cmath>
#include <numeric>

#include "runtime/units.hpp"

namespace rubric::runtime::units {

namespace {

// An unsigned integer of up to 56 × 32 bits, little-endian limbs.
class big {
 public:
  static constexpr int capacity = 56;

  big() = default;
  explicit big(std::uint64_t v) {
    limb_[0] = static_cast<std::uint32_t>(v);
    limb_[1] = static_cast<std::uint32_t>(v >> 32);
    size_ = limb_[1] ? 2 : limb_[0] ? 1 : 0;
  }

  bool zero() const { return size_ == 0; }

  void mul_small(std::uint32_t m) {
    std::uint64_t carry = 0;
    for (int i = 0; i < size_; ++i) {
      std::uint64_t p = std::uint64_t{limb_[i]} * m + carry;
      limb_[i] = static_cast<std::uint32_t>(p);
      carry = p >> 32;
    }
    if (carry) push(static_cast<std::uint32_t>(carry));
    if (m == 0) size_ = 0;
  }

  void mul(std::uint64_t m) {
    if (m >> 32 == 0) return mul_small(static_cast<std::uint32_t>(m));
    big high = *this;
    high.mul_small(static_cast<std::uint32_t>(m >> 32));
    high.shift_left(32);
    mul_small(static_cast<std::uint32_t>(m));
    add(high);
  }

  void add_small(std::uint32_t a) { add(big(a)); }

  void add(const big& o) {
    std::uint64_t carry = 0;
    int n = size_ > o.size_ ? size_ : o.size_;
    for (int i = 0; i < n; ++i) {
      std::uint64_t s = std::uint64_t{at(i)} + o.at(i) + carry;
      if (i < capacity) limb_[i] = static_cast<std::uint32_t>(s);
      carry = s >> 32;
    }
    size_ = n;
    if (carry) push(static_cast<std::uint32_t>(carry));
  }

  // *this -= o; requires *this >= o.
  void subtract(const big& o) {
    std::int64_t borrow = 0;
    for (int i = 0; i < size_; ++i) {
      std::int64_t d = std::int64_t{limb_[i]} - o.at(i) - borrow;
      borrow = d < 0;
      limb_[i] = static_cast<std::uint32_t>(d + (borrow << 32));
    }
    trim();
  }

  void shift_left(int bits) {
    if (zero() || bits == 0) return;
    int words = bits / 32, rest = bits % 32;
    if (size_ + words + 1 > capacity) { overflow_ = true; return; }
    for (int i = size_ - 1 + words + 1; i >= 0; --i) {
      std::uint32_t hi = i - words >= 0 && i - words < size_ ? limb_[i - words] : 0;
      std::uint32_t lo = rest && i - words - 1 >= 0 && i - words - 1 < size_ ? limb_[i - words - 1] : 0;
      limb_[i] = rest ? (hi << rest | lo >> (32 - rest)) : hi;
    }
    size_ += words + 1;
    trim();
  }

  void shift_right_one() {
    for (int i = 0; i < size_; ++i) limb_[i] = limb_[i] >> 1 | (i + 1 < size_ ? limb_[i + 1] << 31 : 0);
    trim();
  }

  int bit_length() const {
    if (zero()) return 0;
    return (size_ - 1) * 32 + (32 - __builtin_clz(limb_[size_ - 1]));
  }

  int compare(const big& o) const {
    if (size_ != o.size_) return size_ < o.size_ ? -1 : 1;
    for (int i = size_ - 1; i >= 0; --i)
      if (limb_[i] != o.limb_[i]) return limb_[i] < o.limb_[i] ? -1 : 1;
    return 0;
  }

  bool overflow() const { return overflow_; }

  // The value as a 64-bit integer, when it fits.
  bool fits_u64(std::uint64_t& out) const {
    if (size_ > 2) return false;
    out = std::uint64_t{at(0)} | std::uint64_t{at(1)} << 32;
    return true;
  }

 private:
  std::array<std::uint32_t, capacity> limb_{};
  int size_ = 0;
  bool overflow_ = false;

  std::uint32_t at(int i) const { return i < size_ ? limb_[i] : 0; }
  void push(std::uint32_t v) {
    if (size_ == capacity) { overflow_ = true; return; }
    limb_[size_++] = v;
  }
  void trim() {
    while (size_ > 0 && limb_[size_ - 1] == 0) --size_;
  }
};

// `n` × 5^k, in steps of 5^13 (the largest power of five below 2^32).
void times_power_of_five(big& n, int k) {
  for (; k >= 13; k -= 13) n.mul_small(1220703125u);
  std::uint32_t p = 1;
  for (; k > 0; --k) p *= 5;
  n.mul_small(p);
}

// An exact value: (negative ? -1 : 1) × digits × 10^exp10.
struct exact {
  big digits;
  std::int64_t exp10 = 0;
  bool negative = false;
};

// JSON-number syntax, plus a leading `+` or `.`; whole text.
conversion_error parse_decimal(std::string_view s, exact& out) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) out.negative = s[i++] == '-';
  int significant = 0, pending_zeros = 0;
  std::size_t digits = 0;
  auto take = [&](char c, bool fraction) {
    ++digits;
    if (fraction) --out.exp10;
    if (c == '0') {
      if (significant) ++pending_zeros;  // trailing zeros are held back
      return;
    }
    for (; pending_zeros > 0; --pending_zeros, ++significant) out.digits.mul_small(10);
    out.digits.mul_small(10);
    out.digits.add_small(static_cast<std::uint32_t>(c - '0'));
    ++significant;
  };
  bool too_many = false;
  auto run = [&](bool fraction) {
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      take(s[i++], fraction);
      too_many = too_many || significant > max_significant_digits;
    }
  };
  run(false);
  if (i < s.size() && s[i] == '.') {
    ++i;
    run(true);
  }
  if (digits == 0) return conversion_error::malformed_number;
  out.exp10 += pending_zeros;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    std::size_t start = i;
    std::int64_t e = 0;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') e = std::min<std::int64_t>(e * 10 + (s[i++] - '0'), 1000000);
    if (i == start) return conversion_error::malformed_number;
    out.exp10 += negative ? -e : e;
  }
  if (i != s.size()) return conversion_error::malformed_number;
  if (too_many) return conversion_error::too_many_digits;
  return conversion_error::none;
}

// N / D × 2^b, correctly rounded to the nearest double (ties to even);
// nullopt unless the result is a normal finite double.
std::optional<double> round_quotient(big n, big d, std::int64_t b) {
  int k = 63 - (n.bit_length() - d.bit_length());
  if (k >= 0) n.shift_left(k); else d.shift_left(-k);
  if (n.overflow() || d.overflow()) return std::nullopt;
  // Long division: the quotient has 63 or 64 bits.
  std::uint64_t q = 0;
  big shifted = d;
  shifted.shift_left(63);
  if (shifted.overflow()) return std::nullopt;
  for (int bit = 63; bit >= 0; --bit) {
    if (n.compare(shifted) >= 0) {
      n.subtract(shifted);
      q |= std::uint64_t{1} << bit;
    }
    shifted.shift_right_one();
  }
  bool sticky = !n.zero();
  int drop = (64 - __builtin_clzll(q)) - 53;
  std::uint64_t mantissa = q >> drop;
  std::uint64_t rest = q & ((std::uint64_t{1} << drop) - 1), half = std::uint64_t{1} << (drop - 1);
  if (rest > half || (rest == half && (sticky || (mantissa & 1)))) ++mantissa;
  std::int64_t exp2 = b - k + drop;
  if (mantissa == std::uint64_t{1} << 53) mantissa >>= 1, ++exp2;
  // mantissa ∈ [2^52, 2^53): normal when 2^-1022 ≤ value < 2^1024.
  if (exp2 < -1074 || exp2 > 971) return std::nullopt;
  return std::ldexp(static_cast<double>(mantissa), static_cast<int>(exp2));
}

// The common case (a few digits, small factors) without the bignum: when N
// and D are integers below 2^53 they are exact as doubles, and IEEE division
// rounds their quotient correctly; the power of two is exact. Nullopt when the
// case does not apply.
std::optional<double> small_quotient(std::uint64_t digits, std::int64_t e10, std::int64_t exp2, const unit& from,
                                     const unit& to) {
  constexpr std::uint64_t limit = std::uint64_t{1} << 53;
  if (e10 > 22 || e10 < -22) return std::nullopt;
  std::uint64_t n = digits, d = from.scale.den;
  bool overflow = __builtin_mul_overflow(n, from.scale.num, &n) || __builtin_mul_overflow(n, to.scale.den, &n) ||
                  __builtin_mul_overflow(d, to.scale.num, &d);
  for (std::int64_t k = e10; k > 0 && !overflow; --k) overflow = __builtin_mul_overflow(n, std::uint64_t{5}, &n);
  for (std::int64_t k = -e10; k > 0 && !overflow; --k) overflow = __builtin_mul_overflow(d, std::uint64_t{5}, &d);
  if (overflow || n >= limit || d >= limit) return std::nullopt;
  double r = std::ldexp(static_cast<double>(n) / static_cast<double>(d), static_cast<int>(exp2 + e10));
  if (!std::isnormal(r)) return std::nullopt;  // the slow path decides the edges
  return r;
}

// value (digits × 10^exp10 × 2^exp2) × from / to.
conversion finish(const exact& v, std::int64_t exp2, const unit& from, const unit& to) {
  if (from.dim != to.dim) return {0, conversion_error::different_dimension};
  if (v.digits.zero()) return {0.0, conversion_error::none};
  std::int64_t e10_total = v.exp10 + from.scale.exp10 - to.scale.exp10;
  std::uint64_t small = 0;
  if (v.digits.fits_u64(small)) {
    if (auto r = small_quotient(small, e10_total, exp2, from, to)) return {v.negative ? -*r : *r, conversion_error::none};
  }
  big n = v.digits, d(from.scale.den);
  n.mul(from.scale.num);
  n.mul(to.scale.den);
  d.mul(to.scale.num);
  std::int64_t e10 = v.exp10 + from.scale.exp10 - to.scale.exp10;
  // Far outside the doubles whatever the factors (each below 2^128 ≈ 10^39).
  std::int64_t magnitude = e10 + (v.digits.bit_length() * 30103) / 100000;
  if (magnitude > 360 || magnitude < -370) return {0, conversion_error::out_of_range};
  if (e10 >= 0) times_power_of_five(n, static_cast<int>(e10)); else times_power_of_five(d, static_cast<int>(-e10));
  auto r = round_quotient(n, d, exp2 + e10);
  if (!r || n.overflow() || d.overflow()) return {0, conversion_error::out_of_range};
  return {v.negative ? -*r : *r, conversion_error::none};
}

}  // namespace

// "55", "12.5", "-0.7": at most 18 digits, no exponent, as an integer and a
// power of ten; false for anything else (the bignum parser takes it).
bool parse_plain_decimal(std::string_view s, std::uint64_t& digits, std::int64_t& exp10, bool& negative) {
  std::size_t i = 0;
  negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  digits = 0;
  exp10 = 0;
  int count = 0;
  bool point = false;
  for (; i < s.size(); ++i) {
    char c = s[i];
    if (c == '.' && !point) { point = true; continue; }
    if (c < '0' || c > '9' || ++count > 18) return false;
    digits = digits * 10 + static_cast<std::uint64_t>(c - '0');
    if (point) --exp10;
  }
  return count > 0 && (s.back() != '.');
}

conversion convert(std::string_view decimal_text, const unit& from, const unit& to) {
  // The common case without the bignum: same dimension, few digits, small factors.
  std::uint64_t digits = 0;
  std::int64_t exp10 = 0;
  bool negative = false;
  if (from.dim == to.dim && parse_plain_decimal(decimal_text, digits, exp10, negative)) {
    if (digits == 0) return {0.0, conversion_error::none};
    if (auto r = small_quotient(digits, exp10 + from.scale.exp10 - to.scale.exp10, 0, from, to))
      return {negative ? -*r : *r, conversion_error::none};
  }
  exact v;
  if (auto e = parse_decimal(decimal_text, v); e != conversion_error::none) return {0, e};
  return finish(v, 0, from, to);
}

integer_conversion::integer_conversion(const unit& from, const unit& to) {
  // small_quotient's integers for digits = 1: from.num × to.den × 5^e10 over
  // from.den × to.num × 5^-e10, and the power of two 2^e10.
  if (from.dim != to.dim) return;
  constexpr std::uint64_t limit = std::uint64_t{1} << 53;
  const std::int64_t e10 = std::int64_t{from.scale.exp10} - to.scale.exp10;
  if (e10 > 22 || e10 < -22) return;
  std::uint64_t n = from.scale.num, d = from.scale.den;
  bool overflow = __builtin_mul_overflow(n, to.scale.den, &n) || __builtin_mul_overflow(d, to.scale.num, &d);
  for (std::int64_t k = e10; k > 0 && !overflow; --k) overflow = __builtin_mul_overflow(n, std::uint64_t{5}, &n);
  for (std::int64_t k = -e10; k > 0 && !overflow; --k) overflow = __builtin_mul_overflow(d, std::uint64_t{5}, &d);
  if (overflow || n >= limit || d >= limit) return;
  // In lowest terms (the same rational, so the same rounded quotient): days
  // from weeks become 7/1, from years 1461/4, and a power-of-two denominator
  // is an exact multiplication.
  const std::uint64_t common = std::gcd(n, d);
  num_ = n / common;
  den_ = d / common;
  d = den_;
  exp2_ = static_cast<int>(e10);
  usable_ = true;
  if ((d & (d - 1)) == 0) multiplier_ = std::ldexp(1.0, exp2_ - std::countr_zero(d));  // exact: |exponent| < 140
}

double integer_conversion::divide(std::uint64_t scaled) const {
  double r = static_cast<double>(scaled) / static_cast<double>(den_);
  return exp2_ != 0 ? std::ldexp(r, exp2_) : r;
}

conversion convert(double value, const unit& from, const unit& to) {
  if (!std::isfinite(value)) return {0, conversion_error::out_of_range};
  exact v;
  v.negative = std::signbit(value);
  int exp2 = 0;
  double m = std::frexp(std::fabs(value), &exp2);  // value = m × 2^exp2, m ∈ [0.5, 1)
  v.digits = big(static_cast<std::uint64_t>(std::ldexp(m, 53)));
  return finish(v, exp2 - 53, from, to);
}

}  // namespace rubric::runtime::units
