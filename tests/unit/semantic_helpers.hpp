// Helpers for the semantic and lowering tests: compile a snippet under a
// standard header (stdlib imports, four facts) and look at its diagnostics.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "compiler/pipeline/pipeline.hpp"

namespace rubric::test {

// A guideline module named `test` with the LBP-style facts; `body` follows.
// An `extra_header` with its own `scale` or `radiation` replaces the default
// one (a header may name each once: R0126).
inline std::string with_header(const std::string& body, const std::string& extra_header = "") {
  bool own_scale = extra_header.find("  scale ") != std::string::npos;
  bool own_radiation = extra_header.find("  radiation ") != std::string::npos;
  return std::string("guideline test \"Test\"\n") +
         (own_scale ? "" : "  scale stdlib.acr.appropriateness\n") +
         (own_radiation ? "" : "  radiation stdlib.acr.relative_radiation_level\n") +
         extra_header +
         "import stdlib.acr\n"
         "import stdlib.spine\n"
         "patient\n"
         "  age : duration \"Age\" fixed\n"
         "  symptom_duration : duration \"Duration\"\n"
         "  radiculopathy : bool \"Radiculopathy\"\n"
         "  red_flags : set of red_flag \"Red flags\"\n"
         "  pain_score : number \"Score\"\n"
         "  note : text \"Note\"\n" +
         body;
}

inline compiler::compile_result compile_snippet(const std::string& body, const std::string& extra_header = "") {
  compiler::compile_options o;
  o.verify = false;
  return compiler::compile_text("test.rubric", with_header(body, extra_header), o);
}

// "R0301" for each diagnostic, in order.
inline std::vector<std::string> codes(const compiler::compile_result& r) {
  std::vector<std::string> out;
  for (const auto& d : r.diagnostics.items()) out.emplace_back(compiler::info(d.code).code);
  return out;
}

inline std::string messages(const compiler::compile_result& r) {
  std::string out;
  for (const auto& d : r.diagnostics.items()) {
    out += std::string(compiler::info(d.code).code) + ": " + d.message + "\n";
    for (const auto& h : d.help) out += "  help: " + h + "\n";
    for (const auto& n : d.notes) out += "  note: " + n + "\n";
  }
  return out;
}

}  // namespace rubric::test
