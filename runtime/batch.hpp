// Batch evaluation: NDJSON in, NDJSON out, one output line per input line in
// input order. Reads in fixed-size chunks and writes through a bounded ring
// of blocks, so memory stays constant whatever the input size (docs/limits.md);
// `threads` workers evaluate blocks of lines in parallel and the writer keeps
// order. Bad lines become "status":"error" lines. result_formatter is the
// reference line format; runtime/line_writer.hpp writes the same bytes fast.
#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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

  // The prepared parts, for line_writer (which writes the same bytes fast).
  const std::string& variant_json(std::uint32_t v) const { return variant_json_[v]; }
  const std::string& ratings_json(truth group, std::uint32_t v) const { return ratings_json_[static_cast<std::size_t>(group)][v]; }
  const std::string& next_json(std::uint32_t v) const { return next_json_[v]; }
  // The warning a violated assumption `a` gives, as a JSON string.
  const std::string& violated_json(std::uint32_t a) const { return violated_json_[a]; }

 private:
  const graph* g_;
  std::vector<std::string> variant_json_;  // {"id","title"}
  std::vector<std::string> ratings_json_[3];  // [...] per variant, by patient group: truth no (adult), yes (child), unknown
  std::vector<std::string> next_json_;     // [...]
  std::vector<std::string> fact_json_;     // "fact_id", escaped once
  std::vector<std::string> variant_id_json_;  // "variant_id" (candidates), escaped once
  std::vector<std::vector<std::string>> advice_json_;  // per variant, escaped advice texts
  std::vector<std::string> otherwise_json_;
  std::vector<std::string> violated_json_;  // per assumption: its warning, escaped once
  std::vector<std::string> conflict_json_;  // per variant: the warning that it also applies (unique)
};

// The keys of a compact line (`--fields`), written in the order given.
enum class line_field : std::uint8_t {
  id, status, variant, title, ratings, advice, next, missing, candidates, otherwise, warnings, error,
  procedure,  // the ordered procedure's display name
  ordered,    // the category (level id) the selected variant gives the ordered procedure
};
// "id,status,variant,ordered" → fields; nullopt with `error` naming the bad one.
std::optional<std::vector<line_field>> parse_fields(std::string_view list, std::string& error);
std::string_view field_name(line_field f);

// What a malformed record does to the run.
enum class on_error : std::uint8_t {
  line,  // an error line in the output; the run goes on and exits 0
  fail,  // the error line is the last line written; the run stops and exits 1
};

struct batch_options {
  unsigned threads = 1;
  bool progress = false;           // progress bar on stderr
  std::uint64_t total_bytes = 0;   // input size if known (for the progress ETA)
  enum on_error errors = on_error::line;
  std::vector<line_field> fields;  // empty: the full line
  std::int32_t procedure = -1;     // the ordered procedure of every line (index), or -1
  std::string procedure_key;       // or: the input key naming each line's ordered procedure
};

struct batch_stats {
  std::uint64_t lines = 0, errors = 0, matched = 0, undetermined = 0, no_criteria = 0;
  std::uint64_t reference = 0;     // lines that needed the single-patient evaluator
  std::string first_error;         // "line 3: …" (the first error line's message)
  bool stopped = false;            // on_error::fail stopped the run at first_error
  std::string io_error;            // reading or writing failed
};

// Where batch input comes from and output goes: a file descriptor, a FILE,
// or memory (the C and Python bindings).
struct batch_source {
  virtual ~batch_source() = default;
  // Up to `size` bytes into `buf`; 0 at the end; -1 on error.
  virtual std::ptrdiff_t read(char* buf, std::size_t size) = 0;
};
struct batch_sink {
  virtual ~batch_sink() = default;
  virtual bool write(const char* data, std::size_t size) = 0;
};

// Evaluates every line of `in` and writes one line per input line to `out`.
batch_stats run_batch(const graph& g, std::FILE* in, std::FILE* out, const batch_options& options = {});
batch_stats run_batch(const graph& g, batch_source& in, batch_sink& out, const batch_options& options = {});
// The same over a buffer: the output text, byte for byte what the CLI writes.
batch_stats run_batch(const graph& g, std::string_view input, std::string& output, const batch_options& options = {});

}  // namespace rubric::runtime
