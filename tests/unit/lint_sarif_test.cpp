// SARIF 2.1.0 output: the properties the schema requires and code-scanning
// tools read — $schema, version "2.1.0", runs[].tool.driver.name and rules
// (unique ids), results[].ruleId/ruleIndex/level/message.text and
// locations[].physicalLocation.artifactLocation.uri/region.startLine… —
// checked by parsing the output with simdjson.
#include <catch2/catch.hpp>
#include <simdjson.h>

#include <set>
#include <string>

#include "compiler/diagnostics/sarif.hpp"

using namespace rubric::compiler;

namespace {

std::vector<diagnostic> sample(source_manager& sources) {
  file_id f = sources.add("guidelines/acr/low back.rubric", "guideline x \"X\"\nvariant 2 \"Ä title\"\n  when a\n");
  std::vector<diagnostic> ds;
  ds.push_back(make_diagnostic(diag_code::variant_shadowed, span{f, 16, 25}, "variant `2` can never be selected"));
  ds.back().also(span{f, 0, 9}, "earlier in the selection order").note("for example: given a = true").suggest("move it");
  ds.push_back(make_diagnostic(diag_code::variant_requires, span{f, 28, 34}, "variant `2` needs `a`"));
  ds.push_back(make_diagnostic(diag_code::guard_never_holds, span{f, 45, 51}, "the guard of variant `2` can never hold"));
  return ds;
}

}  // namespace

TEST_CASE("sarif: the log has the structure SARIF 2.1.0 requires", "[sarif][lint]") {
  source_manager sources;
  std::vector<diagnostic> ds = sample(sources);
  sarif_options o;
  o.tool_version = "0.1.0";
  o.source_root = "/work/project";
  std::string text = render_sarif(sources, ds, o);
  simdjson::dom::parser parser;
  simdjson::dom::element log;
  REQUIRE(parser.parse(text).get(log) == simdjson::SUCCESS);

  CHECK(std::string(log["$schema"].get_string().value()).find("sarif-schema-2.1.0.json") != std::string::npos);
  CHECK(log["version"].get_string().value() == "2.1.0");
  simdjson::dom::array runs = log["runs"].get_array().value();
  REQUIRE(runs.size() == 1);
  simdjson::dom::element run = runs.at(0).value();
  CHECK(run["columnKind"].get_string().value() == "unicodeCodePoints");
  CHECK(run["originalUriBaseIds"]["%SRCROOT%"]["uri"].get_string().value() == "file:///work/project/");

  simdjson::dom::element driver = run["tool"]["driver"].value();
  CHECK(driver["name"].get_string().value() == "rubric");
  CHECK(driver["version"].get_string().value() == "0.1.0");
  simdjson::dom::array rules = driver["rules"].get_array().value();
  CHECK(rules.size() == all_diagnostics().size());
  std::set<std::string> ids;
  for (simdjson::dom::element r : rules) {
    std::string id(r["id"].get_string().value());
    CHECK(ids.insert(id).second);  // rule ids are unique
    CHECK_FALSE(std::string(r["shortDescription"]["text"].get_string().value()).empty());
    std::string level(r["defaultConfiguration"]["level"].get_string().value());
    CHECK((level == "error" || level == "warning" || level == "note"));
  }

  simdjson::dom::array results = run["results"].get_array().value();
  REQUIRE(results.size() == 3);
  const char* levels[] = {"warning", "note", "error"};
  const char* rule_ids[] = {"R0502", "R0507", "R0501"};
  std::size_t i = 0;
  for (simdjson::dom::element r : results) {
    CHECK(r["ruleId"].get_string().value() == rule_ids[i]);
    std::uint64_t index = r["ruleIndex"].get_uint64().value();
    REQUIRE(index < rules.size());
    CHECK(rules.at(index).value()["id"].get_string().value() == rule_ids[i]);  // ruleIndex points at its rule
    CHECK(r["level"].get_string().value() == levels[i]);
    CHECK(std::string(r["message"]["text"].get_string().value()).rfind(ds[i].message, 0) == 0);
    simdjson::dom::array locations = r["locations"].get_array().value();
    REQUIRE(locations.size() == 1);
    simdjson::dom::element phys = locations.at(0).value()["physicalLocation"].value();
    CHECK(phys["artifactLocation"]["uri"].get_string().value() == "guidelines/acr/low%20back.rubric");
    CHECK(phys["artifactLocation"]["uriBaseId"].get_string().value() == "%SRCROOT%");
    CHECK(phys["region"]["startLine"].get_uint64().value() >= 1);
    CHECK(phys["region"]["startColumn"].get_uint64().value() >= 1);
    CHECK(phys["region"]["endLine"].get_uint64().value() >= phys["region"]["startLine"].get_uint64().value());
    ++i;
  }
  // The first result: line 2, columns counted in code points ("Ä" is one).
  simdjson::dom::element first = results.at(0).value();
  simdjson::dom::element region = first["locations"].at(0).value()["physicalLocation"]["region"].value();
  CHECK(region["startLine"].get_uint64().value() == 2);
  CHECK(region["startColumn"].get_uint64().value() == 1);
  CHECK(region["endColumn"].get_uint64().value() == 10);
  simdjson::dom::array related = first["relatedLocations"].get_array().value();
  REQUIRE(related.size() == 1);
  CHECK(related.at(0).value()["id"].get_int64().value() == 1);
  CHECK(related.at(0).value()["message"]["text"].get_string().value() == "earlier in the selection order");
  std::string message(first["message"]["text"].get_string().value());
  CHECK(message == "variant `2` can never be selected\nnote: for example: given a = true\nhelp: move it");
}

TEST_CASE("sarif: paths become URI references", "[sarif][lint]") {
  CHECK(path_to_uri("guidelines/acr/low_back_pain.rubric") == "guidelines/acr/low_back_pain.rubric");
  CHECK(path_to_uri("/tmp/a b/x#1.rubric") == "file:///tmp/a%20b/x%231.rubric");
  CHECK(path_to_uri("caf\xc3\xa9.rubric") == "caf%C3%A9.rubric");
}

TEST_CASE("sarif: no findings is still a valid log with an empty results array", "[sarif][lint]") {
  source_manager sources;
  std::string text = render_sarif(sources, {});
  simdjson::dom::parser parser;
  simdjson::dom::element log;
  REQUIRE(parser.parse(text).get(log) == simdjson::SUCCESS);
  CHECK(log["runs"].at(0).value()["results"].get_array().value().size() == 0);
}
