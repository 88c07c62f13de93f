// `rubric diff` matching (issue 18): variants by id, then title, or as given
// with --variant; procedures by id, then name, then a shared code, or as given
// with --rename; a procedure matched across a rename reports its rating moves
// under the new name instead of "no longer rated" plus "newly rated".
#include <catch2/catch.hpp>

#include "compiler/tools/guideline_diff.hpp"
#include "verify_graph_builder.hpp"

using namespace rubric;
using runtime::value_type;

namespace {

// One bool fact `flag`; variant `id` "title" when flag, rating `procedure` at `level`.
runtime::graph one_variant(const std::string& id, const std::string& title, const std::string& proc_id,
                           const std::string& proc_name, const std::string& code, std::uint32_t level) {
  test::graph_builder b;
  std::uint32_t flag = b.fact("flag", value_type::boolean);
  std::uint32_t node = b.simple(runtime::node_kind::fact_true, flag, 0, "flag");
  runtime::scale s;
  s.id = "appropriateness";
  for (const char* l : {"usually_appropriate", "may_be_appropriate", "usually_not_appropriate"}) s.levels.push_back({l, l, "", {}, {}, "", ""});
  b.g.scales.push_back(s);
  b.g.rating_scale = 0;
  runtime::procedure p;
  p.id = proc_id;
  p.name = proc_name;
  if (!code.empty()) p.codes.push_back({"CPT", code});
  b.g.procedures.push_back(p);
  std::uint32_t v = b.variant(id, static_cast<std::int32_t>(node));
  b.g.variants[v].title = title;
  b.g.variants[v].ratings.push_back({0, level, {}, {}, ""});
  return b.g;
}

}  // namespace

TEST_CASE("diff matching: a variant renumbered with the same title is the same variant", "[diff]") {
  auto a = one_variant("1", "Scenario", "cta_chest", "CTA chest with IV contrast", "71275", 0);
  auto b = one_variant("2", "Scenario", "cta_chest", "CTA chest with IV contrast", "71275", 0);
  auto d = compiler::diff_guidelines(a, b, {});
  CHECK(d.variants_matched == std::vector<std::string>{"1 → 2 (matched by title)"});
  CHECK(d.changes.empty());
}

TEST_CASE("diff matching: a renamed procedure with a shared code keeps its rating history", "[diff]") {
  auto a = one_variant("1", "Scenario", "cta_chest", "CTA chest with IV contrast", "71275", 0);
  auto b = one_variant("1", "Scenario", "cta_pa", "CTA pulmonary arteries with IV contrast", "71275", 2);
  auto d = compiler::diff_guidelines(a, b, {});
  CHECK(d.procedures_renamed ==
        std::vector<std::string>{"\"CTA chest with IV contrast\" → \"CTA pulmonary arteries with IV contrast\" (code CPT 71275)"});
  REQUIRE(d.changes.size() == 1);
  CHECK(d.changes[0].confirmed);
  CHECK(d.changes[0].condition == std::vector<std::string>{"flag"});
  REQUIRE(d.changes[0].ratings.size() == 1);
  CHECK(d.changes[0].ratings[0].procedure == "CTA pulmonary arteries with IV contrast");
  CHECK(d.changes[0].ratings[0].move == compiler::category_move::worse);
  CHECK(compiler::has_worse(d));
}

TEST_CASE("diff matching: without a code, --rename links the procedures; without it they split", "[diff]") {
  auto a = one_variant("1", "Scenario", "xr", "X-ray chest", "", 0);
  auto b = one_variant("1", "Scenario", "rad", "Radiography chest", "", 0);
  auto split = compiler::diff_guidelines(a, b, {});
  REQUIRE(split.changes.size() == 1);
  REQUIRE(split.changes[0].ratings.size() == 2);
  CHECK(split.changes[0].ratings[0].move == compiler::category_move::newly_rated);
  CHECK(split.changes[0].ratings[1].move == compiler::category_move::no_longer_rated);
  compiler::diff_options o;
  o.renames = {{"X-ray chest", "Radiography chest"}};
  auto linked = compiler::diff_guidelines(a, b, o);
  CHECK(linked.changes.empty());
  CHECK(linked.procedures_renamed == std::vector<std::string>{"\"X-ray chest\" → \"Radiography chest\" (rename)"});
}

TEST_CASE("diff matching: --variant pairs renumbered variants before ids", "[diff]") {
  auto a = one_variant("3", "Pregnant", "ct", "CT chest with IV contrast", "71260", 0);
  auto b = one_variant("4", "Pregnant patient", "ct", "CT chest with IV contrast", "71260", 2);
  compiler::diff_options o;
  o.variants = {{"3", "4"}};
  auto d = compiler::diff_guidelines(a, b, o);
  CHECK(d.variants_matched == std::vector<std::string>{"3 → 4 (--variant)"});
  REQUIRE(d.changes.size() == 1);
  CHECK_FALSE(d.changes[0].variant_changed);
  CHECK(d.changes[0].ratings[0].move == compiler::category_move::worse);
  CHECK(compiler::render_diff_text(d).find("1. variant 3 → variant 4 (the same variant, renumbered), ratings change") !=
        std::string::npos);
}
