// Checks the encoded ACR Head Trauma-Child guideline against the facts file
// (../shared/acr/head_trauma.md, Part 1): the 6 variant titles, the 14
// procedure names with their adult and pediatric RRLs, and all 64 ratings
// (with their Disagreement flags), read from the facts file's own tables and
// compared with the compiled decision graph; and the PECARN findings the
// criteria ask about. The project's copy of the facts file
// (tests/fixtures/acr/) stands in when ../shared/ is absent, and must equal
// it when both exist.
#include <catch2/catch.hpp>

#include <set>

#include "tests/unit/content_facts.hpp"

namespace {

const std::string facts_file = "head_trauma.md";
const std::string guideline_path = RUBRIC_SOURCE_DIR "/guidelines/acr/head_trauma_child.rubric";

struct facts {
  const content_facts::table* titles = nullptr;
  const content_facts::table* ratings = nullptr;
};

facts read_facts(const std::vector<content_facts::table>& tables) {
  return {content_facts::find_table(tables, "Part 1", "Variants"), content_facts::find_table(tables, "Part 1", "Ratings")};
}

const rubric::compiler::compile_result& compiled() {
  static rubric::compiler::compile_result r = rubric::compiler::compile_file(guideline_path);
  INFO(rubric::compiler::render_text(r.sources, r.diagnostics.items()));
  REQUIRE_FALSE(r.diagnostics.has_errors());
  REQUIRE(r.graph);
  return r;
}

}  // namespace

TEST_CASE("head trauma: the project's copy of the facts file equals the shared one", "[content]") {
  if (!content_facts::exists(content_facts::shared_path(facts_file))) {
    WARN("../shared/acr/head_trauma.md is not beside this checkout; the copy in tests/fixtures/acr/ is used");
    return;
  }
  CHECK(content_facts::read_all(content_facts::shared_path(facts_file)) ==
        content_facts::read_all(content_facts::copy_path(facts_file)));
}

TEST_CASE("head trauma: the facts file has the Part 1 tables this test reads", "[content]") {
  auto tables = content_facts::read_tables(facts_file);
  auto f = read_facts(tables);
  REQUIRE(f.titles);
  REQUIRE(f.ratings);
  CHECK(f.titles->rows.size() == 6);
  CHECK(f.ratings->rows.size() == 14);
  for (const auto& row : f.ratings->rows) CHECK(row.size() == 9);
}

TEST_CASE("head trauma child guideline matches the ACR facts file", "[content]") {
  auto tables = content_facts::read_tables(facts_file);
  auto f = read_facts(tables);
  REQUIRE(f.titles);
  REQUIRE(f.ratings);
  const auto& g = *compiled().graph;
  REQUIRE(g.rating_scale >= 0);
  REQUIRE(g.radiation_scale >= 0);
  const auto& levels = g.scales[std::size_t(g.rating_scale)].levels;

  SECTION("the 6 variants, with ACR's exact titles") {
    REQUIRE(g.variants.size() == 6);
    for (const auto& row : f.titles->rows) {
      INFO("variant " << row[0]);
      const auto* v = content_facts::find_variant(g, row[0]);
      REQUIRE(v != nullptr);
      CHECK(v->title == row[1]);
    }
  }

  SECTION("selection order: moderate or severe first, then PECARN's high, intermediate and very low risk") {
    std::vector<std::string> order;
    for (auto i : g.order) order.push_back(g.variants[i].id);
    CHECK(order == std::vector<std::string>{"4", "3", "2", "1", "5", "6"});
  }

  SECTION("the 14 procedures, with ACR's names and both relative radiation levels") {
    for (const auto& row : f.ratings->rows) {
      INFO(row[0]);
      const auto* p = content_facts::find_procedure(g, row[0]);
      REQUIRE(p != nullptr);
      CHECK(content_facts::rrl_label(g, p->adult_rrl) == row[1]);
      CHECK(content_facts::rrl_label(g, p->pediatric_rrl) == row[2]);
    }
  }

  SECTION("all 64 ratings, and no rating the table does not have") {
    int compared = 0;
    for (const auto& v : g.variants) {
      INFO("variant " << v.id);
      std::size_t column = 2 + std::stoul(v.id);  // V1 is the 4th cell
      std::size_t rated = 0;
      for (const auto& row : f.ratings->rows) {
        INFO(row[0]);
        const auto* r = content_facts::find_rating(g, v, row[0]);
        if (row[column] == "—") {
          CHECK(r == nullptr);
          continue;
        }
        ++rated;
        REQUIRE(r != nullptr);
        REQUIRE_FALSE(content_facts::category_id(row[column]).empty());
        CHECK(levels[r->level].id == content_facts::category_id(row[column]));
        CHECK_FALSE(r->score.has_value());  // no median is public: none may be invented
        CHECK(r->caveat.empty());           // every cell, flag included, is known
        ++compared;
      }
      CHECK(v.ratings.size() == rated);
    }
    CHECK(compared == 64);
  }

  SECTION("the header carries the citation, DOI and licensing note, and no revision year") {
    CHECK(g.title == "Head Trauma-Child");
    CHECK(g.doi == "10.1016/j.jacr.2020.01.026");
    CHECK_FALSE(g.revised.has_value());  // the revision label was not seen
    CHECK(g.citation.find("Ryan ME") != std::string::npos);
    CHECK(g.citation.find("2020;17(5S):S125–S137") != std::string::npos);
    CHECK(g.license.find("licence from the ACR") != std::string::npos);
  }
}

TEST_CASE("head trauma: the PECARN findings as enumerations", "[content]") {
  const auto& g = *compiled().graph;
  auto members = [&](const std::string& id) {
    std::vector<std::string> out;
    for (const auto& e : g.enumerations)
      if (e.id == id || e.id == "stdlib.head." + id)
        for (const auto& m : e.members) {
          CHECK_FALSE(m.label.empty());
          out.push_back(m.id);
        }
    return out;
  };
  CHECK(members("scalp_region") == std::vector<std::string>{"frontal", "occipital", "parietal", "temporal"});
  CHECK(members("altered_mental_status_sign") ==
        std::vector<std::string>{"agitation", "somnolence", "repetitive_questioning", "slow_response"});
  CHECK(members("basilar_skull_fracture_sign") ==
        std::vector<std::string>{"hemotympanum", "raccoon_eyes", "battle_sign", "csf_otorrhea", "csf_rhinorrhea"});
  CHECK(members("injury_mechanism") ==
        std::vector<std::string>{"vehicle_crash_ejection", "vehicle_crash_death", "vehicle_rollover", "pedestrian_struck",
                                 "unhelmeted_bicyclist_struck", "high_impact_object"});
}
