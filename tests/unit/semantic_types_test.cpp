// Type and unit checking, names and lets: each bad snippet gives exactly one
// diagnostic with the expected code and wording; good snippets give none.
#include <catch2/catch.hpp>

#include "tests/unit/semantic_helpers.hpp"

using rubric::test::codes;
using rubric::test::compile_snippet;
using rubric::test::messages;

namespace {

struct bad_case {
  const char* body;
  const char* code;
  const char* message;  // a substring of the message
};

}  // namespace

TEST_CASE("semantic: well-typed criteria produce no diagnostics", "[semantic]") {
  const char* good[] = {
      "criterion a \"A\":\n  symptom_duration >= 6 weeks\n",
      "criterion a \"A\":\n  symptom_duration >= 6 wk and age > 70 a and age < 840 mo and symptom_duration > 3 d\n",
      "let t = 6 weeks\nlet u = t\ncriterion a \"A\":\n  symptom_duration >= u\n",
      "criterion a \"A\":\n  red_flags has any of {fever, iv_drug_use} or red_flags has all of {fever}\n",
      "criterion a \"A\":\n  red_flags is empty or red_flags is not empty\n",
      "criterion a \"A\":\n  radiculopathy is known and symptom_duration is unknown\n",
      "criterion a \"A\":\n  radiculopathy = true and not radiculopathy != false\n",
      "criterion a \"A\":\n  pain_score >= 3 and 5 > pain_score and note = \"x\" and note != \"y\"\n",
      "criterion a \"A\":\n  radiculopathy\ncriterion b \"B\":\n  a and not a\n",
      "criterion a \"A\":\n  red_flags has any of {stdlib.spine.red_flag.fever, red_flag.fever}\n",
      "criterion a \"A\":\n  symptom_duration <= age\n",
  };
  for (const char* body : good) {
    auto r = compile_snippet(body);
    INFO(body);
    INFO(messages(r));
    CHECK(r.diagnostics.items().empty());
  }
}

TEST_CASE("semantic: each type error is reported once with its code and wording", "[semantic]") {
  const bad_case cases[] = {
      {"criterion a \"A\":\n  symptom_duration >= 6\n", "R0301", "`symptom_duration` is a duration, but `6` is a plain number"},
      {"criterion a \"A\":\n  6 < symptom_duration\n", "R0301", "is a plain number"},
      {"criterion a \"A\":\n  pain_score >= 6 weeks\n", "R0313",
       "`6 weeks` is a quantity in a duration (time), but `pain_score` is a bare number"},
      {"criterion a \"A\":\n  radiculopathy = 6 weeks\n", "R0300", "cannot compare `radiculopathy`"},
      {"criterion a \"A\":\n  symptom_duration\n", "R0302", "`symptom_duration` is a duration, not a condition"},
      {"criterion a \"A\":\n  radiculopathy and pain_score\n", "R0302", "`pain_score` is a number, but `and` needs a condition"},
      {"criterion a \"A\":\n  radiculopathy has any of {fever}\n", "R0303", "`has any of` needs a set"},
      {"criterion a \"A\":\n  pain_score is empty\n", "R0303", "`is empty` needs a set, but `pain_score` is a number"},
      {"criterion a \"A\":\n  red_flags in {fever}\n", "R0304", "`in { … }` needs an enum value"},
      {"criterion a \"A\":\n  note < \"x\"\n", "R0305", "`<` needs numbers or durations"},
      {"criterion a \"A\":\n  b\ncriterion b \"B\":\n  a\n", "R0306", "depends on itself"},
      {"let t = age\n", "R0307", "`let t` must be a constant, but `age` is a patient fact"},
      {"let t = 6 weeks and true\n", "R0307", "`let t` must be a single constant value"},
      {"let t = u\nlet u = t\n", "R0308", "refers to itself"},
      {"criterion a \"A\":\n  radiculopathy\ncriterion b \"B\":\n  a is known\n", "R0309", "`is known` applies to a patient fact"},
      {"criterion a \"A\":\n  radiculopathy = unknown\n", "R0310", "`unknown` can only be given"},
      {"criterion a \"A\":\n  red_flags = red_flags\n", "R0311", "sets cannot be compared"},
      {"criterion a \"A\":\n  red_flags = {fever}\n", "R0312", "cannot be compared with `=`"},
      {"criterion a \"A\":\n  red_flags has any of {fevr}\n", "R0208", "`fevr` is not a member of enum `red_flag`"},
      {"criterion a \"A\":\n  symptom_duraton >= 6 weeks\n", "R0204", "unknown fact, let, criterion, score or value `symptom_duraton`"},
      {"patient\n  side : persistent \"Side\"\ncriterion persistent \"P\":\n  radiculopathy\n", "R0207",
       "`persistent` is a criterion, not an enum"},
      {"patient\n  side : stdlib.nothing.side \"Side\"\n", "R0206", "`stdlib.nothing` is not an imported module"},
      {"criterion a \"A\":\n  radiculopathy\ncriterion a \"A again\":\n  radiculopathy\n", "R0203", "name `a` is defined twice"},
  };
  for (const auto& c : cases) {
    auto r = compile_snippet(c.body);
    INFO(c.body);
    INFO(messages(r));
    REQUIRE(codes(r) == std::vector<std::string>{c.code});
    CHECK_THAT(r.diagnostics.items()[0].message, Catch::Contains(c.message));
    CHECK_FALSE(r.graph.has_value());
  }
}

TEST_CASE("semantic: a duration without a unit suggests writing the unit", "[semantic]") {
  auto r = compile_snippet("criterion a \"A\":\n  symptom_duration >= 6\n");
  REQUIRE(r.diagnostics.items().size() == 1);
  REQUIRE(r.diagnostics.items()[0].help.size() == 1);
  CHECK(r.diagnostics.items()[0].help[0] == "write the unit, for example `6 weeks`");
}

TEST_CASE("semantic: did you mean on a misspelled name and member", "[semantic]") {
  auto r = compile_snippet("criterion a \"A\":\n  symptom_duraton >= 6 weeks or red_flags has any of {fevr}\n");
  REQUIRE(codes(r) == std::vector<std::string>{"R0204", "R0208"});
  CHECK(r.diagnostics.items()[0].help[0] == "did you mean `symptom_duration`?");
  CHECK(r.diagnostics.items()[1].help[0] == "did you mean `fever`?");
}

TEST_CASE("semantic: an unknown name is reported once, its uses stay silent", "[semantic]") {
  auto r = compile_snippet(
      "criterion a \"A\":\n  symptom_duraton >= 6 weeks\n"
      "criterion b \"B\":\n  symptom_duraton >= 12 weeks and symptom_duraton < 1 year\n");
  CHECK(codes(r) == std::vector<std::string>{"R0204"});
}

TEST_CASE("semantic: a criterion cycle names every step", "[semantic]") {
  auto r = compile_snippet(
      "criterion a \"A\":\n  b and radiculopathy\ncriterion b \"B\":\n  c\ncriterion c \"C\":\n  a or radiculopathy\n");
  REQUIRE(codes(r) == std::vector<std::string>{"R0306"});
  const auto& d = r.diagnostics.items()[0];
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0] == "the cycle is `a` → `b` → `c` → `a`");
  CHECK(d.secondary.size() == 2);
}

TEST_CASE("semantic: every independent error is reported in one run", "[semantic]") {
  auto r = compile_snippet(
      "criterion a \"A\":\n  symptom_duration >= 6\n"
      "criterion b \"B\":\n  radiculopathy has any of {fever}\n"
      "criterion c \"C\":\n  pain_score >= 2 weeks\n"
      "let t = age\n");
  CHECK(codes(r) == std::vector<std::string>{"R0301", "R0303", "R0313", "R0307"});
}
