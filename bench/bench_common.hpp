// Shared by the runtime benchmarks: the Low Back Pain graph compiled in memory
// and a reproducible mix of synthetic patients as NDJSON lines.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "compiler/pipeline/pipeline.hpp"
#include "runtime/graph.hpp"

namespace rubric::bench {

inline const runtime::graph& lbp_graph() {
  static runtime::graph g = [] {
    compiler::compile_options options;
    options.verify = false;
    auto r = compiler::compile_file(RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric", options);
    if (!r.graph) {
      std::fprintf(stderr, "bench: guidelines/acr/low_back_pain.rubric does not compile\n");
      std::exit(1);
    }
    return std::move(*r.graph);
  }();
  return g;
}

// `n` patient lines (no newline), mixing every variant, unknowns and FHIR quantities.
inline std::vector<std::string> patient_lines(std::size_t n) {
  static const char* flags[] = {"saddle_anesthesia", "fever", "osteoporosis", "history_of_cancer", "significant_trauma"};
  std::vector<std::string> out;
  std::uint64_t s = 0x9E3779B97F4A7C15ull;
  auto next = [&] { s ^= s << 13; s ^= s >> 7; s ^= s << 17; return s; };
  auto boolean = [&](unsigned unknown_pct) -> std::string {
    auto r = next() % 100;
    return r < unknown_pct ? "null" : (r % 2 ? "true" : "false");
  };
  for (std::size_t i = 0; i < n; ++i) {
    std::string red = "[";
    for (const char* f : flags)
      if (next() % 12 == 0) red += (red.size() > 1 ? ",\"" : "\"") + std::string(f) + "\"";
    red += "]";
    std::string duration = next() % 4 == 0 ? fmt::format("{{\"value\":{},\"unit\":\"wk\"}}", next() % 30)
                                           : fmt::format("\"{} weeks\"", next() % 30);
    out.push_back(fmt::format(
        "{{\"id\":\"p{}\",\"age\":\"{} years\",\"symptom_duration\":{},\"radiculopathy\":{},\"red_flags\":{},"
        "\"conservative_therapy\":\"{} weeks\",\"improved_with_therapy\":{},\"intervention_candidate\":{},"
        "\"prior_lumbar_surgery\":{},\"new_or_progressing_symptoms\":{}}}",
        i, 20 + next() % 70, duration, boolean(5), red, next() % 5, boolean(30), boolean(30), boolean(2), boolean(5)));
  }
  return out;
}

}  // namespace rubric::bench
