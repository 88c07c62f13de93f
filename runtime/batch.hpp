// Batch evaluation: NDJSON in, NDJSON out, one output line per input line in
// input order. Reads in fixed-size chunks, so memory stays constant whatever
// the input size; `threads` workers evaluate blocks of lines in parallel and
// the writer keeps order. Bad lines become "status":"error" lines.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>

#include "runtime/evaluate.hpp"
#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::runtime {

// Appends one result line (no newline) for an evaluated patient:
// {"id","status","variant","ratings","advice","next","missing","candidates",
// "otherwise","warnings","error"}; under `select all` "variants" (each matched
// variant with its "variant", "ratings", "advice", "next") and "advice" (the
// `otherwise` advice) take the place of "variant", "ratings", "advice", "next".
// Per-variant parts are prepared once in the formatter.
class result_formatter {
 public:
  explicit result_formatter(const graph& g);
  void write(const patient& p, const evaluation& e, std::string& out) const;
  // An error line: status "error", the message in "error", `id` as JSON text or empty.
  void write_error(std::string_view id, std::string_view message, std::string& out) const;

 private:
  const graph* g_;
  std::vector<std::string> variant_json_;  // {"id","title"}
  std::vector<std::string> ratings_json_[3];  // [...] per variant, by patient group: truth no (adult), yes (child), unknown
  std::vector<std::string> next_json_;     // [...]
  std::vector<std::string> fact_json_;     // "fact_id", escaped once
  std::vector<std::vector<std::string>> advice_json_;  // per variant, escaped advice texts
  std::vector<std::string> otherwise_json_;
};

struct batch_options {
  unsigned threads = 1;
  bool progress = false;           // progress bar on stderr
  std::uint64_t total_bytes = 0;   // input size if known (for the progress ETA)
};

struct batch_stats {
  std::uint64_t lines = 0, errors = 0, matched = 0, undetermined = 0, no_criteria = 0;
  std::string io_error;            // reading or writing failed
};

// Evaluates every line of `in` and writes one line per input line to `out`.
batch_stats run_batch(const graph& g, std::FILE* in, std::FILE* out, const batch_options& options = {});

}  // namespace rubric::runtime
