// Checks the encoded ACR Suspected Pulmonary Embolism guidelines against the
// facts file (../shared/acr/suspected_pe.md), read from its own tables:
// - 2022: the 4 variants titled with the portal scenario labels of the facts
//   file's grouping, the 14 procedures with their RRLs, all 52 ratings, the
//   caveats on exactly the cells the facts file marks (5 unknown Disagreement
//   flags, the unresolved V1 row, the likely V4 row), and the two known scores;
// - 2016: the 3 variant titles, the 13 procedures in their 2016 wording, all
//   39 ratings with the medians the narrative shows.
// The project's copy of the facts file (tests/fixtures/acr/) stands in when
// ../shared/ is absent, and must equal it when both exist.
#include <catch2/catch.hpp>

#include <map>

#include "tests/unit/content_facts.hpp"

namespace {

const std::string facts_file = "suspected_pe.md";
const std::string path_2022 = RUBRIC_SOURCE_DIR "/guidelines/acr/suspected_pe.rubric";
const std::string path_2016 = RUBRIC_SOURCE_DIR "/guidelines/acr/history/suspected_pe_2016.rubric";

const rubric::runtime::graph& compiled(const std::string& path) {
  static std::map<std::string, rubric::compiler::compile_result> cache;
  auto it = cache.find(path);
  if (it == cache.end()) it = cache.emplace(path, rubric::compiler::compile_file(path)).first;
  const auto& r = it->second;
  INFO(rubric::compiler::render_text(r.sources, r.diagnostics.items()));
  REQUIRE_FALSE(r.diagnostics.has_errors());
  REQUIRE(r.graph);
  return *r.graph;
}

// A 2022 cell: its category and what the facts file marks on it.
struct cell {
  std::string category;   // "UNA", "MBA", … or "" when not rated
  bool flag_unknown;      // `*`: Disagreement flag unknown
  bool name_inferred;     // `†`: the row's name was recovered by elimination
  bool name_unresolved;   // `?`: … and not resolved
};

cell parse_cell(std::string s) {
  cell c{"", false, false, false};
  auto strip = [&](const std::string& mark, bool& flag) {
    if (s.size() >= mark.size() && s.compare(s.size() - mark.size(), mark.size(), mark) == 0) {
      s.erase(s.size() - mark.size());
      flag = true;
    }
  };
  strip("?", c.name_unresolved);
  strip("†", c.name_inferred);
  strip("*", c.flag_unknown);
  if (s != "—") c.category = s;
  return c;
}

// "☢☢☢ (a)" → "☢☢☢"; "unknown" → "—" (no level in the graph).
std::string rrl_cell(std::string s) {
  auto note = s.find(" (");
  if (note != std::string::npos) s.erase(note);
  return s == "unknown" ? "—" : s;
}

}  // namespace

TEST_CASE("suspected PE: the project's copy of the facts file equals the shared one", "[content]") {
  if (!content_facts::exists(content_facts::shared_path(facts_file))) {
    WARN("../shared/acr/suspected_pe.md is not beside this checkout; the copy in tests/fixtures/acr/ is used");
    return;
  }
  CHECK(content_facts::read_all(content_facts::shared_path(facts_file)) ==
        content_facts::read_all(content_facts::copy_path(facts_file)));
}

TEST_CASE("suspected PE 2022 guideline matches the ACR facts file", "[content]") {
  auto tables = content_facts::read_tables(facts_file);
  const auto* scenarios = content_facts::find_table(tables, "", "Portal scenarios");
  const auto* ratings = content_facts::find_table(tables, "", "Ratings");
  REQUIRE(scenarios);
  REQUIRE(ratings);
  REQUIRE(scenarios->rows.size() == 4);
  REQUIRE(ratings->rows.size() == 14);
  const auto& g = compiled(path_2022);
  const auto& levels = g.scales[std::size_t(g.rating_scale)].levels;

  SECTION("the 4 variants, titled with ACR's portal scenario labels as the facts file groups them") {
    REQUIRE(g.variants.size() == 4);
    for (const auto& row : scenarios->rows) {
      std::string id = row[0].substr(1, row[0].find(' ') - 1);  // "V1 (low or …)" → "1"
      INFO("variant " << id);
      const auto* v = content_facts::find_variant(g, id);
      REQUIRE(v != nullptr);
      CHECK(v->title == row[1]);
    }
  }

  SECTION("selection order: pregnancy, then high probability, then the D-dimer") {
    std::vector<std::string> order;
    for (auto i : g.order) order.push_back(g.variants[i].id);
    CHECK(order == std::vector<std::string>{"4", "3", "2", "1"});
  }

  SECTION("the 14 procedures, with ACR's names and relative radiation levels") {
    for (const auto& row : ratings->rows) {
      INFO(row[0]);
      const auto* p = content_facts::find_procedure(g, row[0]);
      REQUIRE(p != nullptr);
      CHECK(content_facts::rrl_label(g, p->adult_rrl) == rrl_cell(row[1]));
      CHECK(content_facts::rrl_label(g, p->pediatric_rrl) == rrl_cell(row[2]));
    }
  }

  SECTION("all 52 ratings, with a caveat exactly where the facts file marks one") {
    int compared = 0, flag_caveats = 0, name_caveats = 0;
    for (const auto& v : g.variants) {
      INFO("variant " << v.id);
      std::size_t column = 2 + std::stoul(v.id);
      std::size_t rated = 0;
      for (const auto& row : ratings->rows) {
        INFO(row[0] << ": " << row[column]);
        cell c = parse_cell(row[column]);
        const auto* r = content_facts::find_rating(g, v, row[0]);
        if (c.category.empty()) {
          CHECK(r == nullptr);
          continue;
        }
        ++rated;
        REQUIRE(r != nullptr);
        CHECK(levels[r->level].id == content_facts::category_id(c.category));
        // `†` on V2 and V3 is certain (the only candidate); on V4 likely; on V1 unresolved.
        bool uncertain_name = c.name_unresolved || (c.name_inferred && v.id == "4");
        if (c.flag_unknown) {
          CHECK(r->caveat.rfind("Disagreement flag unknown", 0) == 0);
          ++flag_caveats;
        } else if (c.name_unresolved) {
          CHECK(r->caveat.rfind("Procedure unresolved", 0) == 0);
          CHECK(r->caveat.find("Radiography chest") != std::string::npos);
          ++name_caveats;
        } else if (uncertain_name) {
          CHECK(r->caveat.rfind("Procedure name recovered by elimination", 0) == 0);
          ++name_caveats;
        } else {
          CHECK(r->caveat.empty());
        }
        ++compared;
      }
      CHECK(v.ratings.size() == rated);
    }
    CHECK(compared == 52);
    CHECK(flag_caveats == 5);
    CHECK(name_caveats == 2);
  }

  SECTION("the two known scores, and no other") {
    for (const auto& v : g.variants)
      for (const auto& r : v.ratings) {
        const auto& name = g.procedures[r.procedure].name;
        INFO("variant " << v.id << ": " << name);
        bool audited = v.id == "2" || v.id == "3";
        if (audited && name == "CTA pulmonary arteries with IV contrast") CHECK(r.score == 9.0);
        else if (audited && name == "V/Q scan lung") CHECK(r.score == 7.0);
        else CHECK_FALSE(r.score.has_value());
      }
  }

  SECTION("the header carries the citation, DOI, revision and licensing note") {
    CHECK(g.title == "Suspected Pulmonary Embolism");
    CHECK(g.doi == "10.1016/j.jacr.2022.09.014");
    CHECK(g.revised == 2022);
    CHECK(g.citation.find("Kirsch J") != std::string::npos);
    CHECK(g.citation.find("2022;19(11S):S488–S501") != std::string::npos);
    CHECK(g.license.find("licence from the ACR") != std::string::npos);
  }
}

TEST_CASE("suspected PE 2016 guideline matches the superseded table of the facts file", "[content]") {
  auto tables = content_facts::read_tables(facts_file);
  const auto* titles = content_facts::find_table(tables, "", "Superseded 2016", "2016 variants");
  const auto* ratings = content_facts::find_table(tables, "", "Superseded 2016", "2016 ratings");
  REQUIRE(titles);
  REQUIRE(ratings);
  REQUIRE(titles->rows.size() == 3);
  REQUIRE(ratings->rows.size() == 13);
  const auto& g = compiled(path_2016);
  const auto& levels = g.scales[std::size_t(g.rating_scale)].levels;

  SECTION("the 3 variants, with ACR's exact titles") {
    REQUIRE(g.variants.size() == 3);
    for (const auto& row : titles->rows) {
      INFO("variant " << row[0]);
      const auto* v = content_facts::find_variant(g, row[0]);
      REQUIRE(v != nullptr);
      CHECK(v->title == row[1]);
    }
  }

  SECTION("all 39 ratings, in 2016 wording, with the medians shown in brackets") {
    int compared = 0;
    for (const auto& row : ratings->rows) {
      // `Radiography chest ("X-ray chest")`: the 2016 name is the one in quotes.
      std::string name = row[0];
      auto quote = name.find("(\"");
      if (quote != std::string::npos) name = name.substr(quote + 2, name.find("\")") - quote - 2);
      INFO(name);
      REQUIRE(content_facts::find_procedure(g, name) != nullptr);
      for (const auto& v : g.variants) {
        INFO("variant " << v.id << ": " << row[std::stoul(v.id)]);
        std::string text = row[std::stoul(v.id)];
        std::string category = text.substr(0, text.find(' '));
        const auto* r = content_facts::find_rating(g, v, name);
        REQUIRE(r != nullptr);
        CHECK(levels[r->level].id == content_facts::category_id(category));
        auto bracket = text.find('(');
        if (bracket == std::string::npos || category == "MBA-D") CHECK_FALSE(r->score.has_value());
        else CHECK(r->score == std::stod(text.substr(bracket + 1)));
        ++compared;
      }
    }
    CHECK(compared == 39);
    for (const auto& v : g.variants) CHECK(v.ratings.size() == 13);
  }

  SECTION("the header marks the revision as the superseded 2016 one") {
    CHECK(g.revised == 2016);
    CHECK(g.title.find("superseded") != std::string::npos);
  }
}

TEST_CASE("suspected PE: the pretest probability enumeration", "[content]") {
  const auto& g = compiled(path_2022);
  std::vector<std::string> ids;
  for (const auto& e : g.enumerations)
    if (e.id == "pretest_probability" || e.id == "stdlib.chest.pretest_probability")
      for (const auto& m : e.members) ids.push_back(m.id);
  CHECK(ids == std::vector<std::string>{"low", "intermediate", "high"});
}
