// A decision graph flattened for the hot path: one 16-byte instruction per
// node with the comparison operator fused into the opcode, so evaluating a
// patient is one tight loop over a few hundred bytes. Same semantics as
// evaluate_nodes() (tests run both); built once per graph and thread-safe to share.
#pragma once

#include <cstdint>
#include <vector>

#include "runtime/evaluate.hpp"
#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

class program {
 public:
  explicit program(const graph& g);
  const graph& source() const { return *g_; }
  // Writes the truth of every node into `values` and the interval of every
  // numeric node into `numbers` (both sized ≥ nodes). No allocation.
  void run(const patient& p, truth* values, interval* numbers) const;
  // The same with a per-thread interval buffer (grown once, then reused).
  void run(const patient& p, truth* values) const;

 private:
  struct instr {
    std::uint8_t code;
    std::uint8_t op;       // compare_facts / text: the compare_op; constant: its value
    std::uint16_t unused;
    std::uint32_t a;       // slot, or first child index into kids_
    union {
      double number;
      std::uint64_t mask;  // set/enum mask; compare_facts: slot2; text: string index; and/or: child count
    };
  };
  static_assert(sizeof(instr) == 16);
  const graph* g_;
  std::vector<instr> code_;
  std::vector<std::uint32_t> kids_;
};

// Evaluates with a prepared program, then selects as evaluate() does.
void evaluate(const program& prog, const patient& p, evaluation& out);

}  // namespace rubric::runtime
