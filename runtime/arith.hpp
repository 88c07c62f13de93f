// Three-valued arithmetic as intervals (format version 2): the value of a
// numeric node is the interval of values it can still take given the facts
// that are unknown. An unknown condition adds 0 or its points; an unknown fact
// takes its declared range (±∞ where the range is open); a comparison is true
// when the whole interval satisfies it, false when none of it does, unknown
// otherwise. One definition, used by every evaluator (evaluate_nodes, the
// flattened program, the bit-sliced batch program) and by the explainer.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>

#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

struct interval {
  double lo = 0;
  double hi = 0;
  bool exact() const { return lo == hi; }
  bool operator==(const interval&) const = default;
};

inline constexpr double unbounded = std::numeric_limits<double>::infinity();

// The truth of `x op c` over every x in `v`.
inline truth compare_interval(compare_op op, interval v, double c) {
  auto of = [](bool b) { return b ? truth::yes : truth::no; };
  switch (op) {
    case compare_op::lt: return v.hi < c ? truth::yes : v.lo >= c ? truth::no : truth::unknown;
    case compare_op::le: return v.hi <= c ? truth::yes : v.lo > c ? truth::no : truth::unknown;
    case compare_op::gt: return v.lo > c ? truth::yes : v.hi <= c ? truth::no : truth::unknown;
    case compare_op::ge: return v.lo >= c ? truth::yes : v.hi < c ? truth::no : truth::unknown;
    case compare_op::eq:
      if (v.exact()) return of(v.lo == c);
      return c < v.lo || c > v.hi ? truth::no : truth::unknown;
    case compare_op::ne:
      if (v.exact()) return of(v.lo != c);
      return c < v.lo || c > v.hi ? truth::yes : truth::unknown;
  }
  return truth::unknown;
}

// The value of number/duration fact `slot`: its value, or its declared range.
inline interval fact_interval(const fact& f, const slot_value& s) {
  if (s.known) return {s.number, s.number};
  return {f.min ? *f.min : -unbounded, f.max ? *f.max : unbounded};
}

// A num_scale node multiplies by `number` and divides by the divisor held in
// `mask` (the bits of a double; 0 means 1). Two exact steps instead of one
// rounded factor keep unit conversions exact: days to years is × 100 ÷ 36525,
// so 22645.5 days is exactly 62 years.
inline double scale_divisor(const node& n) { return n.mask == 0 ? 1.0 : std::bit_cast<double>(n.mask); }
inline std::uint64_t divisor_bits(double d) { return d == 1.0 ? 0 : std::bit_cast<std::uint64_t>(d); }

// `v × k ÷ d` (k finite and non-zero, d positive; the compiler drops zero factors).
inline interval scale_interval(double k, double d, interval v) {
  double a = v.lo * k / d, b = v.hi * k / d;
  return k >= 0 ? interval{a, b} : interval{b, a};
}

inline interval hull(interval a, interval b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }

// Kleene `at least k of` over counts: `yes` children and `maybe` unknown ones.
inline truth at_least_truth(double k, std::uint32_t yes, std::uint32_t maybe) {
  if (static_cast<double>(yes) >= k) return truth::yes;
  if (static_cast<double>(yes + maybe) < k) return truth::no;
  return truth::unknown;
}

// Evaluates one version-2 node `nd` (at index `i`) whose children are already
// evaluated: writes its interval to numbers[i] (numeric kinds) and returns its
// truth value (numeric kinds: `yes` when the interval is one number).
inline truth evaluate_arith_node(const graph& g, const node& nd, std::size_t i, const slot_value* slots,
                                 const truth* values, interval* numbers) {
  const std::uint32_t* kids = g.children.data() + nd.first;
  interval v{};
  switch (nd.kind) {
    case node_kind::num_const: v = {nd.number, nd.number}; break;
    case node_kind::num_fact:
      v = fact_interval(g.facts[static_cast<std::size_t>(nd.slot)], slots[nd.slot]);
      break;
    case node_kind::num_sum:
      v = {nd.number, nd.number};
      for (std::uint32_t k = 0; k < nd.count; ++k) {
        v.lo += numbers[kids[k]].lo;
        v.hi += numbers[kids[k]].hi;
      }
      break;
    case node_kind::num_scale: v = scale_interval(nd.number, scale_divisor(nd), numbers[kids[0]]); break;
    case node_kind::num_points: {
      truth c = values[kids[0]];
      if (c == truth::yes) v = {nd.number, nd.number};
      else if (c == truth::no) v = {0, 0};
      else v = {std::min(0.0, nd.number), std::max(0.0, nd.number)};
      break;
    }
    case node_kind::num_if: {
      truth c = values[kids[0]];
      v = c == truth::yes ? numbers[kids[1]] : c == truth::no ? numbers[kids[2]] : hull(numbers[kids[1]], numbers[kids[2]]);
      break;
    }
    case node_kind::num_min:
    case node_kind::num_max: {
      v = numbers[kids[0]];
      for (std::uint32_t k = 1; k < nd.count; ++k) {
        interval c = numbers[kids[k]];
        if (nd.kind == node_kind::num_min) v = {std::min(v.lo, c.lo), std::min(v.hi, c.hi)};
        else v = {std::max(v.lo, c.lo), std::max(v.hi, c.hi)};
      }
      break;
    }
    case node_kind::score: v = numbers[kids[0]]; break;
    case node_kind::compare_num: return compare_interval(nd.op, numbers[kids[0]], nd.number);
    case node_kind::at_least: {
      std::uint32_t yes = 0, maybe = 0;
      for (std::uint32_t k = 0; k < nd.count; ++k) {
        truth c = values[kids[k]];
        yes += c == truth::yes;
        maybe += c == truth::unknown;
      }
      return at_least_truth(nd.number, yes, maybe);
    }
    default: return truth::unknown;  // not a version-2 kind: the callers handle those
  }
  numbers[i] = v;
  return v.exact() ? truth::yes : truth::unknown;
}

// Whether a graph has version-2 nodes (callers then need an interval buffer).
inline bool has_arithmetic(const graph& g) {
  return std::any_of(g.nodes.begin(), g.nodes.end(), [](const node& n) { return is_v2_kind(n.kind); });
}

}  // namespace rubric::runtime
