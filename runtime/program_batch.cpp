// The bit-sliced evaluator: per pass, leaves are packed lane by lane from the
// slots, inner nodes are bitwise Kleene logic over 64 lanes, and selection
// walks the variants once with lane masks (see program_batch.hpp).
#include "runtime/program_batch.hpp"

#include <algorithm>
#include <bit>

namespace rubric::runtime {

batch_evaluator::batch_evaluator(const graph& g)
    : g_(&g), values_(g.nodes.size()), known_(g.facts.size()), partial_(g.facts.size()) {
  for (std::uint32_t s = 0; s < g.facts.size(); ++s)
    if (g.facts[s].type == value_type::set) set_slots_.push_back(s);
  if (has_arithmetic(g)) numbers_.resize(g.nodes.size() * lanes);
  order_ = g.order;
  for (std::uint32_t v : order_) guards_.push_back(g.variants[v].guard);
}

void batch_evaluator::run(std::span<const patient> patients, std::span<batch_outcome> out) {
  for (std::size_t i = 0; i < patients.size(); i += lanes) {
    unsigned n = static_cast<unsigned>(std::min<std::size_t>(lanes, patients.size() - i));
    for (unsigned l = 0; l < n; ++l) ptrs_[l] = &patients[i + l];
    run_pass(ptrs_, n, out.data() + i);
  }
}

void batch_evaluator::run(std::span<const patient* const> patients, std::span<batch_outcome> out) {
  for (std::size_t i = 0; i < patients.size(); i += lanes) {
    unsigned n = static_cast<unsigned>(std::min<std::size_t>(lanes, patients.size() - i));
    run_pass(patients.data() + i, n, out.data() + i);
  }
}

namespace {

// The test's bit per lane (unknown lanes are masked off by the caller).
template <class Test>
inline std::uint64_t pack(const slot_value* const* base, std::uint32_t slot, unsigned n, Test test) {
  std::uint64_t bits = 0;
  for (unsigned l = 0; l < n; ++l) bits |= static_cast<std::uint64_t>(test(base[l][slot])) << l;
  return bits;
}

// Lanes holding a partly known set get the Kleene test per member: their
// test bit and their "decided" bit are rewritten in `bits` and `known`.
template <class Test>
inline void fix_partial_lanes(const slot_value* const* base, std::uint32_t slot, std::uint64_t partial, std::uint64_t& bits,
                              std::uint64_t& known, Test test) {
  for (; partial; partial &= partial - 1) {
    const unsigned l = static_cast<unsigned>(std::countr_zero(partial));
    const truth v = test(base[l][slot]);
    const std::uint64_t bit = std::uint64_t(1) << l;
    bits = v == truth::yes ? bits | bit : bits & ~bit;
    known = v == truth::unknown ? known & ~bit : known | bit;
  }
}

template <class Cmp>
inline std::uint64_t pack_facts(const slot_value* const* base, std::uint32_t a, std::uint32_t b, unsigned n, Cmp cmp) {
  std::uint64_t bits = 0;
  for (unsigned l = 0; l < n; ++l) bits |= static_cast<std::uint64_t>(cmp(base[l][a].number, base[l][b].number)) << l;
  return bits;
}

// Dispatches the comparison operator once per node, not once per lane.
template <class F>
inline std::uint64_t with_op(compare_op op, F f) {
  switch (op) {
    case compare_op::lt: return f([](double x, double y) { return x < y; });
    case compare_op::le: return f([](double x, double y) { return x <= y; });
    case compare_op::gt: return f([](double x, double y) { return x > y; });
    case compare_op::ge: return f([](double x, double y) { return x >= y; });
    case compare_op::eq: return f([](double x, double y) { return x == y; });
    case compare_op::ne: return f([](double x, double y) { return x != y; });
  }
  return 0;
}

}  // namespace

void batch_evaluator::run_pass(const patient* const* ps, unsigned n, batch_outcome* out) {
  const slot_value* base[lanes];
  for (unsigned l = 0; l < n; ++l) base[l] = ps[l]->slots.data();
  const std::uint64_t all = n == lanes ? ~std::uint64_t(0) : (std::uint64_t(1) << n) - 1;

  // Known lanes per fact, once per pass: every leaf needs them.
  for (std::uint32_t s = 0; s < known_.size(); ++s) known_[s] = pack(base, s, n, [](const slot_value& v) { return v.known; });
  for (std::uint32_t s : set_slots_) partial_[s] = pack(base, s, n, [](const slot_value& v) { return partly_known(v); });

  const node* nodes = g_->nodes.data();
  const std::uint32_t* kids = g_->children.data();
  truth_mask* val = values_.data();
  const std::size_t count = values_.size();
  for (std::size_t i = 0; i < count; ++i) {
    const node& nd = nodes[i];
    const std::uint32_t slot = static_cast<std::uint32_t>(nd.slot);
    std::uint64_t bits = 0, known = 0;  // leaves: test bits and known lanes
    switch (nd.kind) {
      case node_kind::constant:
        val[i] = {nd.constant == truth::yes ? all : 0, nd.constant == truth::unknown ? all : 0};
        continue;
      case node_kind::is_known:
        val[i] = {known_[slot], 0};
        continue;
      case node_kind::fact_true:
        bits = pack(base, slot, n, [](const slot_value& s) { return s.bits != 0; });
        known = known_[slot];
        break;
      case node_kind::compare: {
        const double c = nd.number;
        bits = with_op(nd.op, [&](auto cmp) { return pack(base, slot, n, [&](const slot_value& s) { return cmp(s.number, c); }); });
        known = known_[slot];
        break;
      }
      case node_kind::compare_facts: {
        const std::uint32_t slot2 = static_cast<std::uint32_t>(nd.slot2);
        bits = with_op(nd.op, [&](auto cmp) { return pack_facts(base, slot, slot2, n, cmp); });
        known = known_[slot] & known_[slot2];
        break;
      }
      case node_kind::text_equals: {
        const std::string& c = g_->strings[nd.mask];
        for (unsigned l = 0; l < n; ++l) bits |= static_cast<std::uint64_t>(ps[l]->text[slot] == c) << l;
        if (nd.op == compare_op::ne) bits = ~bits;
        known = known_[slot];
        break;
      }
      case node_kind::enum_in: {
        const std::uint64_t m = nd.mask;
        bits = pack(base, slot, n, [m](const slot_value& s) { return (s.bits & m) != 0; });
        known = known_[slot];
        break;
      }
      // Sets: known and unknown lanes as for any fact; lanes with a partly
      // known set (rare) are decided member by member.
      case node_kind::set_any: {
        const std::uint64_t m = nd.mask;
        bits = pack(base, slot, n, [m](const slot_value& s) { return (s.bits & m) != 0; });
        known = known_[slot];
        if (partial_[slot]) fix_partial_lanes(base, slot, partial_[slot], bits, known, [m](const slot_value& s) { return set_any_truth(s, m); });
        break;
      }
      case node_kind::set_all: {
        const std::uint64_t m = nd.mask;
        bits = pack(base, slot, n, [m](const slot_value& s) { return (s.bits & m) == m; });
        known = known_[slot];
        if (partial_[slot]) fix_partial_lanes(base, slot, partial_[slot], bits, known, [m](const slot_value& s) { return set_all_truth(s, m); });
        break;
      }
      case node_kind::set_empty:
        bits = pack(base, slot, n, [](const slot_value& s) { return s.bits == 0; });
        known = known_[slot];
        if (partial_[slot]) fix_partial_lanes(base, slot, partial_[slot], bits, known, [](const slot_value& s) { return set_empty_truth(s); });
        break;
      case node_kind::not_: {
        // Swaps true and false, keeps unknown.
        const truth_mask c = val[kids[nd.first]];
        val[i] = {~(c.t | c.u) & all, c.u};
        continue;
      }
      case node_kind::and_: {
        // False if any child is false, else unknown if any is unknown, else true.
        std::uint64_t all_true = all, any_false = 0;
        for (std::uint32_t k = 0; k < nd.count; ++k) {
          const truth_mask c = val[kids[nd.first + k]];
          all_true &= c.t;
          any_false |= ~(c.t | c.u);
        }
        any_false &= all;
        val[i] = {all_true, all & ~any_false & ~all_true};
        continue;
      }
      case node_kind::or_: {
        std::uint64_t any_true = 0, all_false = all;
        for (std::uint32_t k = 0; k < nd.count; ++k) {
          const truth_mask c = val[kids[nd.first + k]];
          any_true |= c.t;
          all_false &= ~(c.t | c.u);
        }
        val[i] = {any_true, all & ~any_true & ~all_false};
        continue;
      }
      case node_kind::criterion:
        val[i] = val[kids[nd.first]];
        continue;
      default:
        val[i] = arith(i, base, n, all);
        continue;
    }
    val[i] = {bits & known, all & ~known};
  }
  select(n, out);
}

// A version-2 node, lane by lane: intervals live in numbers_[node * lanes + lane].
batch_evaluator::truth_mask batch_evaluator::arith(std::size_t i, const slot_value* const* base, unsigned n,
                                                   std::uint64_t all) {
  const node& nd = g_->nodes[i];
  const std::uint32_t* kids = g_->children.data() + nd.first;
  auto lane_truth = [&](std::uint32_t child, unsigned l) {
    const truth_mask c = values_[child];
    return (c.t >> l & 1) ? truth::yes : (c.u >> l & 1) ? truth::unknown : truth::no;
  };
  auto num = [&](std::uint32_t node_index, unsigned l) -> interval& { return numbers_[node_index * lanes + l]; };
  std::uint64_t t = 0, u = 0;
  if (nd.kind == node_kind::compare_num || nd.kind == node_kind::at_least) {
    for (unsigned l = 0; l < n; ++l) {
      truth r;
      if (nd.kind == node_kind::compare_num) {
        r = compare_interval(nd.op, num(kids[0], l), nd.number);
      } else {
        std::uint32_t yes = 0, maybe = 0;
        for (std::uint32_t k = 0; k < nd.count; ++k) {
          truth c = lane_truth(kids[k], l);
          yes += c == truth::yes;
          maybe += c == truth::unknown;
        }
        r = at_least_truth(nd.number, yes, maybe);
      }
      t |= static_cast<std::uint64_t>(r == truth::yes) << l;
      u |= static_cast<std::uint64_t>(r == truth::unknown) << l;
    }
    return {t, u};
  }
  for (unsigned l = 0; l < n; ++l) {
    interval v{};
    switch (nd.kind) {
      case node_kind::num_const: v = {nd.number, nd.number}; break;
      case node_kind::num_fact: v = fact_interval(g_->facts[static_cast<std::size_t>(nd.slot)], base[l][nd.slot]); break;
      case node_kind::num_sum:
        v = {nd.number, nd.number};
        for (std::uint32_t k = 0; k < nd.count; ++k) {
          v.lo += num(kids[k], l).lo;
          v.hi += num(kids[k], l).hi;
        }
        break;
      case node_kind::num_scale: v = scale_interval(nd.number, scale_divisor(nd), num(kids[0], l)); break;
      case node_kind::num_points: {
        truth c = lane_truth(kids[0], l);
        v = c == truth::yes ? interval{nd.number, nd.number}
            : c == truth::no ? interval{0, 0}
                             : interval{std::min(0.0, nd.number), std::max(0.0, nd.number)};
        break;
      }
      case node_kind::num_if: {
        truth c = lane_truth(kids[0], l);
        v = c == truth::yes ? num(kids[1], l) : c == truth::no ? num(kids[2], l) : hull(num(kids[1], l), num(kids[2], l));
        break;
      }
      case node_kind::num_min:
      case node_kind::num_max:
        v = num(kids[0], l);
        for (std::uint32_t k = 1; k < nd.count; ++k) {
          interval c = num(kids[k], l);
          v = nd.kind == node_kind::num_min ? interval{std::min(v.lo, c.lo), std::min(v.hi, c.hi)}
                                            : interval{std::max(v.lo, c.lo), std::max(v.hi, c.hi)};
        }
        break;
      default: v = num(kids[0], l); break;  // score: passes its child through
    }
    num(static_cast<std::uint32_t>(i), l) = v;
    t |= static_cast<std::uint64_t>(v.exact()) << l;
  }
  return {t, all & ~t};
}

void batch_evaluator::select(unsigned n, batch_outcome* out) const {
  const std::uint64_t all = n == lanes ? ~std::uint64_t(0) : (std::uint64_t(1) << n) - 1;
  std::int32_t variant[lanes];
  std::uint64_t matched = 0, undetermined = 0, unsettled = 0;
  // Gives `v` to every lane in `m`.
  auto assign = [&](std::uint64_t m, std::uint32_t v) {
    for (; m; m &= m - 1) variant[std::countr_zero(m)] = static_cast<std::int32_t>(v);
  };
  auto guard = [&](std::size_t k) -> truth_mask {
    std::int32_t gnode = guards_[k];
    return gnode < 0 ? truth_mask{all, 0} : values_[static_cast<std::size_t>(gnode)];
  };

  switch (g_->policy) {
    case select_policy::first: {
      // open: nothing true or unknown yet; pending: an unknown guard seen, so
      // a later true guard only makes the patient undetermined.
      std::uint64_t open = all, pending = 0;
      for (std::size_t k = 0; k < order_.size() && (open | pending); ++k) {
        const truth_mask gv = guard(k);
        const std::uint64_t won = open & gv.t;
        assign(won, order_[k]);
        matched |= won;
        undetermined |= pending & gv.t;
        pending &= ~gv.t;
        const std::uint64_t now_pending = open & gv.u;
        open &= ~(gv.t | gv.u);
        pending |= now_pending;
      }
      undetermined |= pending;
      break;
    }
    case select_policy::unique:
    case select_policy::all: {
      // unique: the first true guard decides even when others are unknown.
      // all: any unknown guard makes it undetermined; else the first true one.
      std::uint64_t no_true = all, any_unknown = 0;
      for (std::size_t k = 0; k < order_.size(); ++k) {
        const truth_mask gv = guard(k);
        assign(no_true & gv.t, order_[k]);
        unsettled |= ~no_true & gv.t;  // a second true guard: a conflict (unique)
        no_true &= ~gv.t;
        any_unknown |= gv.u;
      }
      if (g_->policy == select_policy::unique) {
        matched = all & ~no_true;
        undetermined = no_true & any_unknown;
      } else {
        undetermined = any_unknown;
        matched = all & ~no_true & ~any_unknown;
        unsettled = all;  // `select all` lines list every variant ("variants")
      }
      break;
    }
  }
  // A violated assumption is a warning on the line, which line_writer reads
  // from the assumption's node: it does not unsettle the line.
  unsettled |= undetermined;
  for (unsigned l = 0; l < n; ++l) {
    const std::uint64_t bit = std::uint64_t(1) << l;
    const bool settled = !(unsettled & bit);
    out[l].also.clear();
    out[l].result = matched & bit ? status::matched : undetermined & bit ? status::undetermined : status::no_criteria_apply;
    out[l].variant = matched & bit ? variant[l] : -1;
    out[l].settled = settled;
  }
  if (g_->policy != select_policy::all) return;
  // Under `all` every true guard applies: the first went to `variant`, the rest to `also`.
  for (std::size_t k = 0; k < order_.size(); ++k) {
    for (std::uint64_t m = guard(k).t & matched; m; m &= m - 1) {
      unsigned l = static_cast<unsigned>(std::countr_zero(m));
      if (variant[l] != static_cast<std::int32_t>(order_[k])) out[l].also.push_back(order_[k]);
    }
  }
}

}  // namespace rubric::runtime
