// The solver encoding of a decision graph (internal to the verifier).
// Each fact slot is a `known` flag plus a value (bool; number and duration as a
// Real in days; enum as an Int index; set as one Bool per member; text as an
// Int index into the graph's strings, one past the end meaning "other text").
// Each node is two Bools, is_true and is_false, exactly as the runtime's
// Kleene evaluation: unknown is neither.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <vector>

#include "compiler/verify/verify_patient.hpp"
#include "runtime/graph.hpp"

namespace rubric::compiler::verify_detail {

// The three-valued value of a node: at most one of the two holds.
struct tv {
  z3::expr t;  // is_true
  z3::expr f;  // is_false
};

// The interval of a numeric node (format version 2): its ends, and whether
// each is finite (an unknown fact with an open range has an infinite end).
struct num_iv {
  z3::expr lo, hi;
  z3::expr lo_finite, hi_finite;
};

struct slot_vars {
  z3::expr known;
  z3::expr value;                 // bool / real / int, by the fact's type
  std::vector<z3::expr> members;  // sets: one Bool per enum member
};

class encoding {
 public:
  encoding(z3::context& ctx, const runtime::graph& g);

  z3::context& ctx() const { return *ctx_; }
  const runtime::graph& graph() const { return *g_; }

  const std::vector<slot_vars>& slots() const { return slots_; }
  // Node values over the base slots.
  const std::vector<tv>& nodes() const { return nodes_; }
  // Node values over other slot variables (e.g. with one fact forced unknown).
  std::vector<tv> encode_nodes(const std::vector<slot_vars>& slots) const;

  // A variant's guard (index as written); a variant without guard always holds.
  tv guard(std::size_t variant) const { return guard_in(nodes_, variant); }
  tv guard_in(const std::vector<tv>& nodes, std::size_t variant) const;
  // "variant is selected" under `select first` over graph.order (is_true only).
  z3::expr selected_first(std::size_t variant) const { return selected_first_in(nodes_, variant); }
  z3::expr selected_first_in(const std::vector<tv>& nodes, std::size_t variant) const;

  // The selection order: graph.order when valid, else the order written.
  const std::vector<std::size_t>& order() const { return order_; }

  // Value ranges every real patient has: enum index in range, durations >= 0.
  const z3::expr& domain() const { return domain_; }
  // The same value ranges over other slot variables (a second guideline's
  // facts sharing this one's slots: `rubric diff`).
  z3::expr domain_over(const std::vector<slot_vars>& slots) const;
  // Every `assume` holds: none is false (unknown is no violation, as in the runtime).
  z3::expr assumptions_hold() const { return assumptions_hold_in(nodes_); }
  // The same over node values from encode_nodes().
  z3::expr assumptions_hold_in(const std::vector<tv>& nodes) const;
  // Assumption `i` (index into graph.assumptions) is not false.
  z3::expr assumption_holds(std::size_t i) const;
  // Every `assume` is true (not merely unknown): what "the assumptions can hold
  // together" means for R0509.
  z3::expr assumptions_true() const;
  // Every fact is known.
  z3::expr all_known() const;

  // Reads the patient out of a model (unknown facts stay unknown).
  cx_patient patient_from(const z3::model& m) const;
  // Constraints that pin the base slots to a patient's values (unknown stays unknown).
  z3::expr pinned_to(const cx_patient& p) const;
  // Pins only the known values of `p`; its unknown facts are left free.
  z3::expr pinned_known(const cx_patient& p) const;

 private:
  tv encode_node(const std::vector<slot_vars>& slots, const std::vector<tv>& done, std::vector<num_iv>& nums,
                 std::size_t i) const;
  // Version-2 nodes: arithmetic as intervals, exactly as runtime/arith.hpp.
  tv encode_arith(const std::vector<slot_vars>& slots, const std::vector<tv>& done, std::vector<num_iv>& nums,
                  std::size_t i) const;
  z3::expr real_of(double v) const;
  z3::expr as_number(const z3::expr& v) const;
  z3::expr cmp(runtime::compare_op op, const z3::expr& a, const z3::expr& b) const;

  z3::context* ctx_;
  const runtime::graph* g_;
  std::vector<slot_vars> slots_;
  std::vector<tv> nodes_;
  z3::expr domain_;
  std::vector<std::size_t> order_;
};

}  // namespace rubric::compiler::verify_detail
