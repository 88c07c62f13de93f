// Ratings, variants, selection order, otherwise and examples (R04xx).
#include <catch2/catch.hpp>

#include "tests/unit/semantic_helpers.hpp"

using rubric::test::codes;
using rubric::test::compile_snippet;
using rubric::test::messages;

namespace {

std::string variant(const std::string& id, const std::string& lines) {
  return "variant " + id + " \"Variant " + id + "\"\n  when radiculopathy\n" + lines;
}

}  // namespace

TEST_CASE("ratings: display names, ids, categories, scores and RRLs that agree compile", "[semantic][ratings]") {
  auto r = compile_snippet(variant("1",
                                   "  rate \"MRI lumbar spine without IV contrast\" usually appropriate score 8 rrl O\n"
                                   "  rate ct_lumbar_without may be appropriate rrl ☢☢☢\n"
                                   "  rate stdlib.spine.radiography_lumbar Usually Not Appropriate score 1\n"
                                   "  rate \"CT lumbar spine with IV contrast\" may be appropriate (disagreement)\n"
                                   "  rate \"CT myelography lumbar spine\" usually_not_appropriate rrl rrl4\n"));
  INFO(messages(r));
  REQUIRE(r.diagnostics.items().empty());
  REQUIRE(r.graph);
  const auto& v = r.graph->variants.at(0);
  REQUIRE(v.ratings.size() == 5);
  const auto& scale = r.graph->scales.at(static_cast<std::size_t>(r.graph->rating_scale));
  CHECK(scale.levels[v.ratings[0].level].id == "usually_appropriate");
  CHECK(r.graph->procedures[v.ratings[0].procedure].name == "MRI lumbar spine without IV contrast");
  CHECK(v.ratings[0].score == 8.0);
  CHECK(scale.levels[v.ratings[1].level].id == "may_be_appropriate");
  CHECK(scale.levels[v.ratings[2].level].id == "usually_not_appropriate");
  CHECK(scale.levels[v.ratings[3].level].id == "may_be_appropriate_disagreement");
  CHECK(r.graph->procedures[v.ratings[4].procedure].id == "stdlib.spine.ct_myelography_lumbar");
}

TEST_CASE("ratings: each mistake has its code and wording", "[semantic][ratings]") {
  struct bad_case {
    std::string body;
    const char* code;
    const char* message;
  };
  const bad_case cases[] = {
      {variant("1", "  rate \"MRI lumbar spine without contrast\" usually appropriate\n"), "R0400",
       "`MRI lumbar spine without contrast` is not in the procedure catalog"},
      {variant("1", "  rate mri_lumbar_witout usually appropriate\n"), "R0400", "`mri_lumbar_witout` is not in the procedure catalog"},
      {variant("1", "  rate \"MRI lumbar spine without IV contrast\" usually approprate\n"), "R0401",
       "`usually approprate` is not a category of scale `appropriateness`"},
      {variant("1", "  rate \"MRI lumbar spine without IV contrast\" usually appropriate score 5\n"), "R0402",
       "score 5 is outside the range of `Usually appropriate` (7 to 9)"},
      {variant("1", "  rate \"MRI lumbar spine without IV contrast\" may be appropriate (disagreement) score 5\n"), "R0402",
       "has no numeric range"},
      {variant("1", "  rate \"CT lumbar spine without IV contrast\" usually appropriate rrl ☢\n"), "R0403",
       "`CT lumbar spine without IV contrast` has radiation level `☢☢☢` in the catalog, not `☢`"},
      {variant("1", "  rate \"CT lumbar spine without IV contrast\" usually appropriate rrl rrl9\n"), "R0209",
       "`rrl9` is not a level of radiation scale `relative_radiation_level`"},
      {variant("1", "  rate \"CT lumbar spine without IV contrast\" usually appropriate\n  rate ct_lumbar_without usually appropriate\n"),
       "R0404", "is rated twice in variant `1`"},
      {variant("1", "") + variant("1", ""), "R0405", "variant `1` is defined twice"},
      {variant("1", "  next 2 when radiculopathy\n"), "R0406", "`next` names variant `2`, which does not exist"},
      {variant("1", "") + "otherwise \"a\"\notherwise \"b\"\n", "R0408", "only one `otherwise`"},
      {variant("1", "") + "example \"e\"\n  given age = 55\n  expect variant 1\n", "R0410",
       "`age` is a duration, but the example gives it `55`"},
      {variant("1", "") + "example \"e\"\n  given radiculopathy = 3 weeks\n", "R0410", "`radiculopathy` is a true/false condition"},
      {variant("1", "") + "example \"e\"\n  given red_flags = {fevr}\n", "R0208", "`fevr` is not a member"},
      {variant("1", "") + "example \"e\"\n  given age = 5 years, age = 6 years\n", "R0411", "gives `age` twice"},
      {variant("1", "") + "example \"e\"\n  given agee = 5 years\n", "R0204", "unknown fact, let, criterion, score or value `agee`"},
      {variant("1", "") + "example \"e\"\n  expect variant 3\n", "R0406", "`expect variant` names variant `3`"},
      {variant("1", "") + "example \"e\"\n  expect \"MRI lumbar spine\" usually appropriate\n", "R0400", "is not in the procedure catalog"},
      {variant("1", "") + "example \"e\"\n  expect missing radiculopathy, nothing\n", "R0204", "`nothing`"},
  };
  for (const auto& c : cases) {
    auto r = compile_snippet(c.body);
    INFO(c.body);
    INFO(messages(r));
    REQUIRE(codes(r) == std::vector<std::string>{c.code});
    CHECK_THAT(r.diagnostics.items()[0].message, Catch::Contains(c.message));
  }
}

TEST_CASE("ratings: a near miss of a display name suggests the exact ACR wording", "[semantic][ratings]") {
  auto r = compile_snippet(variant("1", "  rate \"MRI lumbar spine without contrast\" usually appropriate\n"));
  REQUIRE(r.diagnostics.items().size() == 1);
  CHECK(r.diagnostics.items()[0].help == std::vector<std::string>{"did you mean `\"MRI lumbar spine without IV contrast\"`?"});
  auto upper = compile_snippet(variant("1", "  rate \"MRI LUMBAR SPINE WITHOUT IV CONTRAST\" usually appropriate\n"));
  REQUIRE(upper.diagnostics.items().size() == 1);
  CHECK(upper.diagnostics.items()[0].help == std::vector<std::string>{"did you mean `\"MRI lumbar spine without IV contrast\"`?"});
}

TEST_CASE("ratings: the same misspelt procedure in many variants is one diagnostic", "[semantic][ratings]") {
  auto r = compile_snippet(variant("1", "  rate \"MRI lumbar spine\" usually appropriate\n") +
                           variant("2", "  rate \"MRI lumbar spine\" usually appropriate\n"));
  CHECK(codes(r) == std::vector<std::string>{"R0400"});
}

TEST_CASE("ratings: the same misspelt category in many ratings is one diagnostic", "[semantic][ratings]") {
  auto r = compile_snippet(variant("1", "  rate \"MRI lumbar spine without IV contrast\" usualy appropriate\n"
                                        "  rate \"CT lumbar spine without IV contrast\" usualy appropriate\n") +
                           variant("2", "  rate \"MRI lumbar spine without IV contrast\" usualy appropriate\n"));
  CHECK(codes(r) == std::vector<std::string>{"R0401"});
}

TEST_CASE("ratings: the selection order lists every variant exactly once", "[semantic][ratings]") {
  auto r = compile_snippet(variant("1", "") + variant("2", "") + variant("3", ""), "  select first in order 3, 9, 3\n");
  INFO(messages(r));
  CHECK(codes(r) == std::vector<std::string>{"R0407", "R0406", "R0407"});
  CHECK_THAT(messages(r), Catch::Contains("the selection order leaves out variants `1`, `2`"));
  auto ok = compile_snippet(variant("1", "") + variant("2", ""), "  select first in order 2, 1\n");
  REQUIRE(ok.graph);
  CHECK(ok.graph->order == std::vector<std::uint32_t>{1, 0});
}

TEST_CASE("ratings: a guideline without a scale cannot rate", "[semantic][ratings]") {
  rubric::compiler::compile_options o;
  o.verify = false;
  auto r = rubric::compiler::compile_text(
      "test.rubric",
      "guideline test \"T\"\nimport stdlib.spine\nvariant 1 \"V\"\n  rate \"CT lumbar spine without IV contrast\" usually appropriate\n"
      "variant 2 \"W\"\n  rate \"CT lumbar spine with IV contrast\" usually appropriate\n",
      o);
  CHECK(codes(r) == std::vector<std::string>{"R0409"});
}

TEST_CASE("ratings: a clause word left without its value is named in the help", "[semantic][ratings]") {
  struct tail_case {
    const char* line;
    const char* help;
  };
  const tail_case cases[] = {
      {"  rate \"MRI lumbar spine without IV contrast\" usually appropriate caveat\n",
       "`caveat` takes a quoted text after it, as in `caveat \"the source does not say\"`"},
      {"  rate \"MRI lumbar spine without IV contrast\" usually appropriate score\n",
       "`score` takes a number after it, as in `score 8`"},
      {"  rate \"MRI lumbar spine without IV contrast\" usually not appropriate rrl\n",
       "`rrl` takes a radiation level after it, as in `rrl ☢☢`"},
  };
  for (const auto& c : cases) {
    auto r = compile_snippet(variant("1", c.line));
    INFO(messages(r));
    REQUIRE(codes(r) == std::vector<std::string>{"R0401"});
    CHECK(r.diagnostics.items()[0].help == std::vector<std::string>{c.help});
  }
}
