// Checks the encoded ACR Low Back Pain guideline against the facts file
// (../shared/acr/low_back_pain_2021.md): the 7 variant titles, the 11
// procedure names and their RRLs, and all 77 ratings, read from the facts
// file's own tables and compared with the compiled decision graph. The facts
// file lives in the read-only ../shared/ beside the checkout; a copy is kept
// in tests/fixtures/acr/ so the test also runs where shared/ is laid out
// elsewhere, and when both exist they must be identical.
#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/pipeline/pipeline.hpp"

namespace {

const std::string shared_facts_path = RUBRIC_SOURCE_DIR "/../shared/acr/low_back_pain_2021.md";
const std::string copied_facts_path = RUBRIC_SOURCE_DIR "/tests/fixtures/acr/low_back_pain_2021.md";

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shared facts file when present (the source of truth), else the copy.
std::string facts_path() {
  std::ifstream shared(shared_facts_path);
  return shared.good() ? shared_facts_path : copied_facts_path;
}
const std::string guideline_path = RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric";

std::string trim(const std::string& s) {
  auto b = s.find_first_not_of(" \t");
  auto e = s.find_last_not_of(" \t\r");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

// The cells of a Markdown table row `| a | b |`.
std::vector<std::string> cells(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line.substr(1));
  std::string cell;
  while (std::getline(in, cell, '|')) out.push_back(trim(cell));
  if (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

struct facts_table {
  std::map<std::string, std::string> titles;     // variant id → title
  std::vector<std::vector<std::string>> rows;    // ratings rows: procedure, adult, pediatric, V1..V7
};

// Reads the "Variants" and "Ratings" tables (rows under the header and the `---` line).
facts_table read_facts() {
  std::ifstream in(facts_path());
  REQUIRE(in.good());
  facts_table t;
  std::string line, section;
  while (std::getline(in, line)) {
    if (line.rfind("## ", 0) == 0) section = line.substr(3);
    if (line.rfind("| ", 0) != 0 || line.find("---") != std::string::npos) continue;
    auto c = cells(line);
    if (section.rfind("Variants", 0) == 0 && c.size() == 2 && c[0] != "id") t.titles[c[0]] = c[1];
    if (section.rfind("Ratings", 0) == 0 && c.size() == 10 && c[0] != "procedure") t.rows.push_back(c);
  }
  return t;
}

const std::map<std::string, std::string> category_ids = {
    {"UA", "usually_appropriate"},
    {"MBA", "may_be_appropriate"},
    {"MBA-D", "may_be_appropriate_disagreement"},
    {"UNA", "usually_not_appropriate"},
};

std::string rrl_label(const rubric::runtime::graph& g, std::int32_t level) {
  if (level < 0) return "—";
  return g.scales[std::size_t(g.radiation_scale)].levels[std::size_t(level)].label;
}

}  // namespace

TEST_CASE("the project's copy of the facts file equals the shared one", "[content]") {
  std::ifstream shared(shared_facts_path);
  if (!shared.good()) {
    WARN("../shared/acr/low_back_pain_2021.md is not beside this checkout; the copy in tests/fixtures/acr/ is used");
    return;
  }
  CHECK(read_all(shared_facts_path) == read_all(copied_facts_path));
}

TEST_CASE("the facts file has the tables this test reads", "[content]") {
  auto t = read_facts();
  CHECK(t.titles.size() == 7);
  CHECK(t.rows.size() == 11);
}

TEST_CASE("low back pain guideline matches the ACR facts file", "[content]") {
  auto facts = read_facts();
  REQUIRE(facts.titles.size() == 7);
  REQUIRE(facts.rows.size() == 11);

  auto result = rubric::compiler::compile_file(guideline_path);
  INFO(rubric::compiler::render_text(result.sources, result.diagnostics.items()));
  REQUIRE_FALSE(result.diagnostics.has_errors());
  REQUIRE(result.graph);
  const auto& g = *result.graph;
  REQUIRE(g.rating_scale >= 0);
  REQUIRE(g.radiation_scale >= 0);
  const auto& levels = g.scales[std::size_t(g.rating_scale)].levels;

  SECTION("the 7 variants, with ACR's exact titles") {
    REQUIRE(g.variants.size() == 7);
    for (const auto& v : g.variants) {
      INFO("variant " << v.id);
      REQUIRE(facts.titles.count(v.id) == 1);
      CHECK(v.title == facts.titles.at(v.id));
    }
  }

  SECTION("selection order: the most urgent scenario first") {
    std::vector<std::string> order;
    for (auto i : g.order) order.push_back(g.variants[i].id);
    CHECK(order == std::vector<std::string>{"4", "7", "6", "5", "3", "2", "1"});
  }

  SECTION("the 11 procedures, with ACR's names and relative radiation levels") {
    for (const auto& row : facts.rows) {
      INFO(row[0]);
      int found = -1;
      for (std::size_t i = 0; i < g.procedures.size(); ++i)
        if (g.procedures[i].name == row[0]) found = int(i);
      REQUIRE(found >= 0);
      const auto& p = g.procedures[std::size_t(found)];
      CHECK(rrl_label(g, p.adult_rrl) == row[1]);
      CHECK(rrl_label(g, p.pediatric_rrl) == row[2]);
    }
  }

  SECTION("all 77 ratings") {
    int compared = 0;
    for (const auto& v : g.variants) {
      INFO("variant " << v.id);
      CHECK(v.ratings.size() == 11);
      std::size_t column = 2 + std::stoul(v.id);  // V1 is the 4th cell
      for (const auto& row : facts.rows) {
        INFO(row[0]);
        const rubric::runtime::rating* found = nullptr;
        for (const auto& r : v.ratings)
          if (g.procedures[r.procedure].name == row[0]) found = &r;
        REQUIRE(found != nullptr);
        REQUIRE(category_ids.count(row[column]) == 1);
        CHECK(levels[found->level].id == category_ids.at(row[column]));
        CHECK_FALSE(found->score.has_value());  // ACR's medians are not public: none may be invented
        ++compared;
      }
    }
    CHECK(compared == 77);
  }

  SECTION("the header carries the citation, DOI, revision and licensing note") {
    CHECK(g.title == "Low Back Pain");
    CHECK(g.doi == "10.1016/j.jacr.2021.08.002");
    CHECK(g.revised == 2021);
    CHECK(g.citation.find("Hutchins TA") != std::string::npos);
    CHECK(g.license.find("American College of Radiology") != std::string::npos);
    CHECK(g.license.find("licence from the ACR") != std::string::npos);
  }
}

TEST_CASE("the 9 patient facts, with the types and fixed markers other tools rely on", "[content]") {
  using vt = rubric::runtime::value_type;
  struct want {
    std::string id;
    vt type;
    bool fixed;
  };
  const std::vector<want> facts = {
      {"age", vt::duration, true},
      {"symptom_duration", vt::duration, false},
      {"radiculopathy", vt::boolean, false},
      {"red_flags", vt::set, false},
      {"conservative_therapy", vt::duration, false},
      {"improved_with_therapy", vt::boolean, false},
      {"intervention_candidate", vt::boolean, false},
      {"prior_lumbar_surgery", vt::boolean, true},
      {"new_or_progressing_symptoms", vt::boolean, false},
  };
  auto result = rubric::compiler::compile_file(guideline_path);
  REQUIRE(result.graph);
  const auto& g = *result.graph;
  REQUIRE(g.facts.size() == facts.size());
  for (std::size_t i = 0; i < facts.size(); ++i) {
    INFO(facts[i].id);
    CHECK(g.facts[i].id == facts[i].id);
    CHECK(g.facts[i].type == facts[i].type);
    CHECK(g.facts[i].fixed == facts[i].fixed);
    CHECK_FALSE(g.facts[i].label.empty());
  }
}

TEST_CASE("the red_flag enum has exactly the 13 members other tools rely on", "[content]") {
  auto result = rubric::compiler::compile_file(guideline_path);
  REQUIRE(result.graph);
  const auto& g = *result.graph;
  const rubric::runtime::enumeration* flags = nullptr;
  for (const auto& e : g.enumerations)
    if (e.id == "red_flag" || e.id == "stdlib.spine.red_flag") flags = &e;
  REQUIRE(flags != nullptr);
  std::vector<std::string> ids;
  for (const auto& m : flags->members) {
    ids.push_back(m.id);
    CHECK_FALSE(m.label.empty());
  }
  CHECK(ids == std::vector<std::string>{
                   "saddle_anesthesia", "bowel_or_bladder_dysfunction", "progressive_motor_weakness",
                   "history_of_cancer", "unexplained_weight_loss", "fever", "immunosuppression", "iv_drug_use",
                   "nocturnal_pain", "low_velocity_trauma", "osteoporosis", "chronic_steroid_use",
                   "significant_trauma"});
}
