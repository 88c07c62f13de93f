// Module loading: stdlib and project files compile, imports resolve on the
// search path (stdlib root, the file's root, -I), and module errors point at
// both places involved.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "tests/unit/semantic_helpers.hpp"

using rubric::test::codes;
using rubric::test::messages;
namespace fs = std::filesystem;

namespace {

rubric::compiler::compile_result compile(const std::string& path, std::vector<std::string> includes = {}) {
  rubric::compiler::compile_options o;
  o.verify = false;
  o.include_paths = std::move(includes);
  return rubric::compiler::compile_file(path, o);
}

std::string src(const std::string& rel) { return std::string(RUBRIC_SOURCE_DIR) + "/" + rel; }

}  // namespace

TEST_CASE("modules: every stdlib module type-checks and compiles to no graph", "[semantic][modules]") {
  for (const auto& entry : fs::directory_iterator(src("stdlib"))) {
    if (entry.path().extension() != ".rubric") continue;
    auto r = compile(entry.path().string());
    INFO(entry.path().string());
    INFO(messages(r));
    CHECK(r.diagnostics.items().empty());
    CHECK_FALSE(r.graph.has_value());
    CHECK_FALSE(r.modules.empty());
  }
}

TEST_CASE("modules: the Low Back Pain guideline compiles", "[semantic][modules]") {
  auto r = compile(src("guidelines/acr/low_back_pain.rubric"));
  INFO(messages(r));
  REQUIRE(r.diagnostics.items().empty());
  REQUIRE(r.graph);
  CHECK(r.graph->id == "acr.low_back_pain");
  CHECK(r.graph->variants.size() == 7);
  std::size_t ratings = 0;
  for (const auto& v : r.graph->variants) ratings += v.ratings.size();
  CHECK(ratings == 77);
  CHECK(r.graph->facts.size() == 9);
  CHECK(r.graph->procedures.size() == 11);
}

TEST_CASE("modules: missing module, cycle and misnamed file", "[semantic][modules]") {
  auto missing = compile(src("tests/diagnostics/module_not_found.rubric"));
  CHECK(codes(missing) == std::vector<std::string>{"R0200"});
  CHECK_THAT(missing.diagnostics.items()[0].message, Catch::Equals("module `stdlib.acrr` was not found"));

  auto cycle = compile(src("tests/diagnostics/import_cycle.rubric"));
  REQUIRE(codes(cycle) == std::vector<std::string>{"R0202"});
  CHECK(cycle.diagnostics.items()[0].secondary.size() == 1);
  CHECK(cycle.diagnostics.items()[0].notes[0] == "the cycle is `import_cycle` → `modules.cycle_partner` → `import_cycle`");

  auto misnamed = compile(src("tests/diagnostics/module_name_mismatch.rubric"));
  CHECK(codes(misnamed) == std::vector<std::string>{"R0201"});

  auto ambiguous = compile(src("tests/diagnostics/ambiguous_name.rubric"));
  REQUIRE(codes(ambiguous) == std::vector<std::string>{"R0205"});
  CHECK(ambiguous.diagnostics.items()[0].secondary.size() == 2);
}

TEST_CASE("modules: -I folders are searched after the file's root", "[semantic][modules]") {
  fs::path dir = fs::temp_directory_path() / "rubric_semantic_modules_test";
  fs::remove_all(dir);
  fs::create_directories(dir / "lib" / "extra");
  fs::create_directories(dir / "main");
  std::ofstream(dir / "lib" / "extra" / "sides.rubric") << "library extra.sides \"Sides\"\nenum side \"Side\"\n  left \"Left\"\n  right \"Right\"\n";
  std::ofstream(dir / "main" / "g.rubric")
      << "guideline g \"G\"\nimport extra.sides\npatient\n  s : side \"Side\"\ncriterion left_side \"Left\":\n  s = left\n"
         "variant 1 \"Left\"\n  when left_side\n";
  auto without = compile((dir / "main" / "g.rubric").string());
  CHECK(codes(without) == std::vector<std::string>{"R0200"});
  auto with = compile((dir / "main" / "g.rubric").string(), {(dir / "lib").string()});
  INFO(messages(with));
  REQUIRE(with.diagnostics.items().empty());
  REQUIRE(with.graph);
  CHECK(with.graph->enumerations.back().id == "extra.sides.side");
  CHECK(with.graph->nodes.at(0).kind == rubric::runtime::node_kind::enum_in);
  CHECK(with.graph->nodes.at(0).mask == 1);
  fs::remove_all(dir);
}

TEST_CASE("modules: an unreadable file is a diagnostic, not a crash", "[semantic][modules]") {
  auto r = compile("/nonexistent/nothing.rubric");
  CHECK(codes(r) == std::vector<std::string>{"R0100"});
  CHECK_FALSE(r.graph);
}
