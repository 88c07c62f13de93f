// A small streaming JSON writer that appends to a string: used for the
// decision graph, evaluation results and diagnostics. Commas are automatic.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace rubric::runtime {

class json_writer {
 public:
  explicit json_writer(bool pretty = false) : pretty_(pretty) {}

  json_writer& begin_object();
  json_writer& end_object();
  json_writer& begin_array();
  json_writer& end_array();
  json_writer& key(std::string_view k);
  json_writer& value(std::string_view s);
  json_writer& value(const char* s) { return value(std::string_view(s)); }
  json_writer& value(const std::string& s) { return value(std::string_view(s)); }
  json_writer& value(bool b);
  json_writer& value(double d);
  json_writer& value(std::int64_t i);
  json_writer& value(std::uint64_t i);
  json_writer& value(int i) { return value(static_cast<std::int64_t>(i)); }
  json_writer& value(unsigned i) { return value(static_cast<std::uint64_t>(i)); }
  json_writer& null();
  // Inserts already-serialised JSON as one value.
  json_writer& raw(std::string_view json);

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  void clear() { out_.clear(); stack_.clear(); after_key_ = false; }

 private:
  void before_value();
  void newline();
  std::string out_;
  std::vector<bool> stack_;  // per open container: has it any element yet
  bool after_key_ = false;
  bool pretty_ = false;
};

// Appends `s` to `out` as a quoted JSON string with escapes.
void append_json_string(std::string& out, std::string_view s);

}  // namespace rubric::runtime
