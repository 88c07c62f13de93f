// Why-not from a FHIR Bundle names the resource that would have to exist or
// change (runtime/fhir_why_not.hpp), on the compiled Low Back Pain graph and
// the seed Bundle (guidelines/acr/cases/seed-55yo.bundle.json): the exact
// text, and an independent check of every claim the seed's why-not makes
// about a resource: a Bundle built by hand with that resource added (the
// codes written here, not read from the graph) is decoded and evaluated, and
// the MRI gets the category and variant the option says.
#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

#include "runtime/evaluate.hpp"
#include "runtime/fhir_bundle.hpp"
#include "runtime/fhir_why_not.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/why_not.hpp"

using namespace rubric::runtime;

namespace {

const graph& lbp() {
  static graph g = [] {
    graph_load_result r = load_graph_file(std::string(RUBRIC_SOURCE_DIR) + "/tests/runtime_only/data/low_back_pain.graph.json");
    REQUIRE(r);
    return std::move(*r.value);
  }();
  return g;
}

std::string seed_text() {
  std::ifstream in(std::string(RUBRIC_SOURCE_DIR) + "/guidelines/acr/cases/seed-55yo.bundle.json", std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The seed Bundle with `entries` (JSON objects, comma-separated) added as its first entries.
std::string seed_with(const std::string& entries) {
  std::string text = seed_text();
  auto at = text.find("\"entry\"");
  REQUIRE(at != std::string::npos);
  at = text.find('[', at);
  return text.substr(0, at + 1) + entries + "," + text.substr(at + 1);
}

patient decode(const std::string& json) {
  patient p;
  fhir_provenance where;
  std::string error;
  fhir_decoder decoder(lbp());
  REQUIRE(decoder.decode(json, p, where, error));
  return p;
}

const char* const mri = "MRI lumbar spine without IV contrast";

// The MRI's category label and variant id for a patient.
std::pair<std::string, std::string> mri_rating(const patient& p) {
  const graph& g = lbp();
  evaluation e;
  evaluate(g, p, e);
  why_not_result r = why_not(g, p, mri);  // current_level and current_variant, as the why-not itself reads them
  REQUIRE(r.current_level >= 0);
  return {g.scales[static_cast<std::size_t>(g.rating_scale)].levels[static_cast<std::size_t>(r.current_level)].label,
          g.variants[static_cast<std::size_t>(r.current_variant)].id};
}

std::string condition(const std::string& id, const std::string& system, const std::string& code, const std::string& onset) {
  return R"({"resource":{"resourceType":"Condition","id":")" + id +
         R"(","clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},)"
         R"("code":{"coding":[{"system":")" + system + R"(","code":")" + code + R"("}]},"onsetDateTime":")" + onset + R"("}})";
}

}  // namespace
