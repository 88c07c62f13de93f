// Bit-sliced batch evaluation: 64 decoded patients per pass. Each node's value
// is two 64-bit masks (lane i = patient i): `t` (true) and `u` (unknown);
// false is neither. Leaves are computed per patient from the fact slots and
// packed into masks; not/and/or/criterion nodes are a few bitwise operations
// for all 64 patients at once, and the selection policy (first, unique, all)
// runs over the lanes with masks too. Same status and selected variant as
// evaluate(); for undetermined patients the details (candidates, missing)
// are left to the single-patient evaluator. Arithmetic (format version 2) is
// evaluated lane by lane with the intervals of runtime/arith.hpp.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "runtime/evaluate.hpp"
#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

// One patient's outcome from the batch evaluator.
struct batch_outcome {
  status result = status::no_criteria_apply;
  // matched: the selected variant (first/unique: the chosen one; all: the
  // first true one in selection order, i.e. evaluation::selected.front());
  // otherwise -1.
  std::int32_t variant = -1;
  // The line needs nothing but status, variant and condition values (which
  // include the assumptions, whose violations are its only warnings): not
  // undetermined, no `unique` conflict, not `select all` (whose lines list
  // every variant). Otherwise the caller asks the single-patient evaluator
  // for the details.
  bool settled = false;
  // matched under `all`: the further true variants, in selection order (so
  // `variant` followed by `also` is evaluation::selected). Reuse outcomes
  // across runs and this keeps its capacity.
  std::vector<std::uint32_t> also;
};

// Holds per-node mask buffers sized at construction, so run() never
// allocates. Not thread-safe (the buffers are scratch): one per thread.
class batch_evaluator {
 public:
  static constexpr std::size_t lanes = 64;
  explicit batch_evaluator(const graph& g);
  const graph& source() const { return *g_; }

  // Evaluates every patient (any count; 64 per pass) and writes out[i] for
  // patients[i]. `out` must be at least as long as `patients`.
  void run(std::span<const patient> patients, std::span<batch_outcome> out);
  // The same for patients held by pointer (e.g. a reused decode buffer).
  void run(std::span<const patient* const> patients, std::span<batch_outcome> out);
  // A node's value for one lane of the last pass (lane < 64).
  truth value(std::uint32_t node, unsigned lane) const {
    const truth_mask m = values_[node];
    return (m.u >> lane & 1) ? truth::unknown : (m.t >> lane & 1) ? truth::yes : truth::no;
  }

 private:
  struct truth_mask {
    std::uint64_t t, u;
  };
  void run_pass(const patient* const* ps, unsigned n, batch_outcome* out);
  void select(unsigned n, batch_outcome* out) const;
  truth_mask arith(std::size_t node, const slot_value* const* base, unsigned n, std::uint64_t all);

  const graph* g_;
  std::vector<truth_mask> values_;     // per node
  std::vector<std::uint64_t> known_;   // per fact slot: lanes whose fact is known
  std::vector<std::uint64_t> partial_; // per set fact slot: lanes whose set is partly known (slot_value::decided)
  std::vector<std::uint32_t> set_slots_;  // the set facts' slots
  std::vector<interval> numbers_;      // version-2 graphs: per node and lane, the node's interval
  std::vector<std::int32_t> guards_;   // per variant in selection order: guard node, -1 = always
  std::vector<std::uint32_t> order_;   // variant indices in selection order
  const patient* ptrs_[lanes] = {};
};

}  // namespace rubric::runtime
