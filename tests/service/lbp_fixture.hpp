// The compiled Low Back Pain graph and the coding systems the service tests
// write their draft orders in (shared by hook_test and answer_cache_test).
#pragma once

#include <catch2/catch.hpp>

#include <string>

#include "runtime/graph_io.hpp"

namespace rubric::service_test {

inline runtime::graph lbp_graph() {
  auto loaded = runtime::load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json");
  REQUIRE(loaded);
  return *loaded.value;
}

inline const std::string cpt = "http://www.ama-assn.org/go/cpt";
inline const std::string icd = "http://hl7.org/fhir/sid/icd-10-cm";
inline const std::string snomed = "http://snomed.info/sct";

}  // namespace rubric::service_test
