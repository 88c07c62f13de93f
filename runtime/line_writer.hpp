// Result lines for batch output, fast. The full line is result_formatter's
// format byte for byte; every part that depends only on the variant (its
// object, ratings, next steps, the empty tail) is serialised once here, so a
// line the batch evaluator settled is a few memcpy's. A compact line
// (`--fields`) carries only the keys asked for, including the category the
// selected variant gives the ordered procedure.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/batch.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

// Where a line's condition values come from: the reference evaluation, or a
// lane of the batch evaluator's masks.
class node_truth {
 public:
  explicit node_truth(const std::vector<truth>& values) : values_(values.data()) {}
  node_truth(const class batch_evaluator& b, unsigned lane) : batch_(&b), lane_(lane) {}
  truth operator()(std::uint32_t node) const;

 private:
  const truth* values_ = nullptr;
  const class batch_evaluator* batch_ = nullptr;
  unsigned lane_ = 0;
};

class line_writer {
 public:
  // `ordered`: the procedure of --procedure for every line, or -1.
  line_writer(const graph& g, const std::vector<line_field>& fields, std::int32_t ordered = -1);
  bool compact() const { return !fields_.empty(); }

  // A line the batch evaluator settled: matched one variant `v`, or no
  // criteria apply (v = -1); no decoder warnings, no conflicts. Violated
  // assumptions (read through `truth_of`) are its warnings.
  void write_settled(const patient& p, status s, std::int32_t v, const node_truth& truth_of, std::string& out) const;
  // Any evaluated patient, from the reference evaluation.
  void write(const patient& p, const evaluation& e, std::string& out) const;
  void write_error(std::string_view id, std::string_view message, std::string& out) const;

  // The procedure a line names in its extra column: index, -1 when none is
  // given, -2 when no procedure has that name, id or code.
  std::int32_t resolve_procedure(std::string_view text) const;
  std::int32_t ordered_for(const patient& p) const;

 private:
  struct view {
    status result;
    std::int32_t variant;
    const evaluation* detail;  // null for settled lines: nothing missing, no warnings
    const node_truth* truth_of;
  };
  void write_compact(const patient& p, const view& v, std::string& out) const;
  void append_advice(const std::vector<advisory>& list, const std::vector<std::string>& texts, const node_truth& t,
                     std::string& out) const;
  void append_tail(const std::string& tail, const node_truth& truth_of, std::string& out) const;
  void append_violated(const node_truth& truth_of, std::string& out) const;

  const graph* g_;
  result_formatter reference_;
  std::vector<line_field> fields_;
  std::int32_t ordered_;
  truth group(const node_truth& truth_of) const;  // the patient group of the pediatric rule
  std::vector<std::string> matched_head_[3];  // per patient group, per variant: ,"status":"matched","variant":…,"ratings":…,[advice,]
  std::vector<std::string> matched_tail_;   // per variant: "next":…,"missing":[],…,"error":null}
  std::vector<std::uint8_t> conditional_;   // per variant: has advice with a condition
  std::string none_head_, none_tail_;       // the same for no_criteria_apply
  std::vector<std::string> variant_id_, variant_title_;
  std::vector<std::vector<std::string>> advice_;  // per variant, escaped advice texts
  std::vector<std::string> otherwise_advice_;
  std::vector<std::string> category_;        // per rating level: its id, quoted
  std::vector<std::string> procedure_name_;  // per procedure, quoted
  std::vector<std::int32_t> level_of_;       // [variant * procedures + procedure]: level, -1 unrated
  std::unordered_map<std::string, std::int32_t> procedure_index_;  // names, ids, codes
};

}  // namespace rubric::runtime
