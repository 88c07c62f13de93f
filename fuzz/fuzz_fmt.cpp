// Fuzzes the `rubric fmt` round trip: whatever parses formats to text that
// parses again, formats to itself (idempotent), and compiles to the same
// decision graph. Source locations may move; the displayed expression texts
// (criterion and node texts, shown in explanations) may differ only in
// layout — spacing, line breaks, comments and parentheses the formatter
// adds or drops by precedence (that `not (x < 1)` keeps its parentheses is a
// unit test: tests/unit/format_layout_test.cpp).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "compiler/pipeline/pipeline.hpp"
#include "compiler/tools/format.hpp"
#include "fuzz/fuzz_common.hpp"
#include "runtime/graph_io.hpp"

namespace {

using namespace rubric;

// An expression's text without layout: no whitespace, comments or
// parentheses (strings kept as written).
std::string layout_free(std::string_view text) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) out.push_back(text[++i]);
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (c == '#') {
      while (i + 1 < text.size() && text[i + 1] != '\n') ++i;
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '(' && c != ')') {
      out.push_back(c);
    }
  }
  return out;
}

// The graph without its source locations or text layout, as JSON.
std::string without_layout(runtime::graph g) {
  for (auto& i : g.info) i.text = layout_free(i.text);
  for (auto& c : g.criteria) c.text = layout_free(c.text);
  for (auto& a : g.assumptions) a.text = layout_free(a.text);
  runtime::location none{};
  for (auto& f : g.facts) f.where = none;
  for (auto& i : g.info) i.where = none;
  for (auto& c : g.criteria) c.where = none;
  for (auto& v : g.variants) {
    v.where = none;
    for (auto& r : v.ratings) r.where = none;
    for (auto& a : v.advice) a.where = none;
    for (auto& t : v.next) t.where = none;
  }
  g.otherwise.where = none;
  for (auto& a : g.otherwise.advice) a.where = none;
  for (auto& a : g.assumptions) a.where = none;
  return runtime::write_graph_json(g);
}

std::optional<std::string> format_text(const std::string& text) {
  compiler::source_manager sources;
  compiler::diagnostic_sink sink;
  return compiler::format_source(sources, "fuzz.rubric", text, sink);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::optional<std::string> once = format_text(text);
  if (!once) return 0;
  std::optional<std::string> twice = format_text(*once);
  fuzz::require(twice.has_value(), "formatted text does not parse", *once);
  fuzz::require(*twice == *once, "fmt is not idempotent", *once + "\n---\n" + *twice);
  compiler::compile_options options;
  options.verify = false;
  compiler::compile_result before = compiler::compile_text("fuzz.rubric", text, options);
  compiler::compile_result after = compiler::compile_text("fuzz.rubric", *once, options);
  fuzz::require(before.graph.has_value() == after.graph.has_value(), "fmt changes whether the file compiles", *once);
  if (before.graph) {
    std::string a = without_layout(*before.graph), b = without_layout(*after.graph);
    fuzz::require(a == b, "fmt changes the decision graph", *once);
  }
  return 0;
}
