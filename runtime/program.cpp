// The flattened evaluator: opcodes with the operator fused in, and Kleene
// and/or folded over a bit set of the children's values (bit 0: some child
// false, bit 2: some child unknown) instead of branching per child.
#include "runtime/program.hpp"

namespace rubric::runtime {

namespace {

enum opcode : std::uint8_t {
  op_const, op_true, op_lt, op_le, op_gt, op_ge, op_eq, op_ne, op_cmp_facts, op_text,
  op_any, op_all, op_empty, op_known, op_not, op_and, op_or, op_copy,
  op_arith  // a version-2 node: evaluate_arith_node() (runtime/arith.hpp)
};

}  // namespace

program::program(const graph& g) : g_(&g), kids_(g.children) {
  code_.reserve(g.nodes.size());
  for (const node& n : g.nodes) {
    instr in{};
    in.a = static_cast<std::uint32_t>(n.slot);
    in.mask = n.mask;
    switch (n.kind) {
      case node_kind::constant: in.code = op_const; in.op = static_cast<std::uint8_t>(n.constant); break;
      case node_kind::fact_true: in.code = op_true; break;
      case node_kind::compare:
        in.code = static_cast<std::uint8_t>(op_lt + static_cast<int>(n.op));
        in.number = n.number;
        break;
      case node_kind::compare_facts:
        in.code = op_cmp_facts;
        in.op = static_cast<std::uint8_t>(n.op);
        in.mask = static_cast<std::uint64_t>(n.slot2);
        break;
      case node_kind::text_equals: in.code = op_text; in.op = static_cast<std::uint8_t>(n.op); break;
      case node_kind::enum_in:
      case node_kind::set_any: in.code = op_any; break;
      case node_kind::set_all: in.code = op_all; break;
      case node_kind::set_empty: in.code = op_empty; break;
      case node_kind::is_known: in.code = op_known; break;
      case node_kind::not_: in.code = op_not; in.a = n.first; break;
      case node_kind::and_: in.code = op_and; in.a = n.first; in.mask = n.count; break;
      case node_kind::or_: in.code = op_or; in.a = n.first; in.mask = n.count; break;
      case node_kind::criterion: in.code = op_copy; in.a = n.first; break;
      default: in.code = op_arith; break;
    }
    code_.push_back(in);
  }
}

namespace {

inline truth of(bool b) { return static_cast<truth>(b); }

}  // namespace

void program::run(const patient& p, truth* out) const {
  thread_local std::vector<interval> numbers;
  if (numbers.size() < code_.size()) numbers.resize(code_.size());
  run(p, out, numbers.data());
}

void program::run(const patient& p, truth* out, interval* numbers) const {
  const slot_value* slots = p.slots.data();
  const std::uint32_t* kids = kids_.data();
  const instr* code = code_.data();
  const std::size_t n = code_.size();
  for (std::size_t i = 0; i < n; ++i) {
    const instr& in = code[i];
    truth t;
// Branch-free: the test's bit when the fact is known, 2 (unknown) when not.
#define RUBRIC_LEAF(expr)                                                                        \
  {                                                                                              \
    const slot_value& s = slots[in.a];                                                           \
    unsigned k = s.known;                                                                        \
    t = static_cast<truth>((static_cast<unsigned>(expr) & k) | ((k ^ 1u) << 1));                 \
    break;                                                                                       \
  }
    switch (in.code) {
      case op_const: t = static_cast<truth>(in.op); break;
      case op_true: RUBRIC_LEAF(s.bits != 0)
      case op_lt: RUBRIC_LEAF(s.number < in.number)
      case op_le: RUBRIC_LEAF(s.number <= in.number)
      case op_gt: RUBRIC_LEAF(s.number > in.number)
      case op_ge: RUBRIC_LEAF(s.number >= in.number)
      case op_eq: RUBRIC_LEAF(s.number == in.number)
      case op_ne: RUBRIC_LEAF(s.number != in.number)
      case op_any: t = set_any_truth(slots[in.a], in.mask); break;
      case op_all: t = set_all_truth(slots[in.a], in.mask); break;
      case op_empty: t = set_empty_truth(slots[in.a]); break;
      case op_known: t = of(slots[in.a].known); break;
      case op_cmp_facts: {
        const slot_value& a = slots[in.a];
        const slot_value& b = slots[in.mask];
        t = a.known && b.known ? of(compare_holds(static_cast<compare_op>(in.op), a.number, b.number)) : truth::unknown;
        break;
      }
      case op_text: {
        const slot_value& s = slots[in.a];
        if (!s.known) { t = truth::unknown; break; }
        bool eq = p.text[in.a] == g_->strings[in.mask];
        t = of(in.op == static_cast<std::uint8_t>(compare_op::ne) ? !eq : eq);
        break;
      }
      case op_not: {
        truth c = out[kids[in.a]];
        t = c == truth::unknown ? c : of(c == truth::no);
        break;
      }
      case op_and: {
        unsigned seen = 0;
        for (std::uint64_t k = 0; k < in.mask; ++k) seen |= 1u << static_cast<unsigned>(out[kids[in.a + k]]);
        t = (seen & 1u) ? truth::no : (seen & 4u) ? truth::unknown : truth::yes;
        break;
      }
      case op_or: {
        unsigned seen = 0;
        for (std::uint64_t k = 0; k < in.mask; ++k) seen |= 1u << static_cast<unsigned>(out[kids[in.a + k]]);
        t = (seen & 2u) ? truth::yes : (seen & 4u) ? truth::unknown : truth::no;
        break;
      }
      case op_arith: t = evaluate_arith_node(*g_, g_->nodes[i], i, slots, out, numbers); break;
      default: t = out[kids[in.a]]; break;  // op_copy: a criterion passes its child through
    }
#undef RUBRIC_LEAF
    out[i] = t;
  }
}

}  // namespace rubric::runtime
