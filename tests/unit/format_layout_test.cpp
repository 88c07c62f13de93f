// `rubric fmt` layout rules, one behaviour per test: columns, comments, blank
// lines, clause order, parentheses, escapes, and refusal on syntax errors.
#include <catch2/catch.hpp>

#include "compiler/tools/format.hpp"
#include "compiler/tools/text_diff.hpp"

using namespace rubric::compiler;

namespace {

std::string fmt_ok(const std::string& text) {
  source_manager sources;
  diagnostic_sink sink;
  auto out = format_source(sources, "test.rubric", text, sink);
  INFO(render_text(sources, sink.items()));
  REQUIRE(out.has_value());
  // Idempotent on every input these tests use.
  source_manager again_sources;
  diagnostic_sink again_sink;
  auto again = format_source(again_sources, "test.rubric", *out, again_sink);
  REQUIRE(again.has_value());
  CHECK(*again == *out);
  return *out;
}

}  // namespace

TEST_CASE("format: header clauses line up in one column, in the order written", "[format]") {
  std::string in =
      "guideline acr.x \"X\"\n"
      "  select first in order 2, 1\n"
      "  source \"S\"\n"
      "    radiation   stdlib.acr.relative_radiation_level\n";
  CHECK(fmt_ok(in) ==
        "guideline acr.x \"X\"\n"
        "  select    first in order 2, 1\n"
        "  source    \"S\"\n"
        "  radiation stdlib.acr.relative_radiation_level\n");
}

TEST_CASE("format: rating tables are aligned across the file, procedure then category then rrl", "[format]") {
  std::string in =
      "guideline acr.x \"X\"\n"
      "variant 1 \"One\"\n"
      "  when a\n"
      "  rate \"MRI\" usually appropriate rrl O\n"
      "  rate \"Radiography lumbar spine\"   usually not appropriate\n"
      "variant 2 \"Two\"\n"
      "  rate ct_lumbar   may be appropriate (Disagreement)   rrl ☢☢☢\n";
  CHECK(fmt_ok(in) ==
        "guideline acr.x \"X\"\n"
        "\n"
        "variant 1 \"One\"\n"
        "  when a\n"
        "  rate \"MRI\"                      usually appropriate                rrl O\n"
        "  rate \"Radiography lumbar spine\" usually not appropriate\n"
        "\n"
        "variant 2 \"Two\"\n"
        "  rate ct_lumbar                  may be appropriate (Disagreement)  rrl ☢☢☢\n");
}

TEST_CASE("format: comments stay where they stand", "[format]") {
  std::string in =
      "# file comment\n"
      "\n"
      "guideline acr.x \"X\"   # trailing on the header\n"
      "  # before select\n"
      "  select first\n"
      "import stdlib.acr # why\n"
      "import stdlib.spine    # and why\n"
      "# about the criterion\n"
      "criterion a \"A\":   # after the colon\n"
      "  x >= 6 weeks\n"
      "\n"
      "# at the end\n";
  CHECK(fmt_ok(in) ==
        "# file comment\n"
        "\n"
        "guideline acr.x \"X\"  # trailing on the header\n"
        "  # before select\n"
        "  select    first\n"
        "\n"
        "import stdlib.acr    # why\n"
        "import stdlib.spine  # and why\n"
        "\n"
        "# about the criterion\n"
        "criterion a \"A\":  # after the colon\n"
        "  x >= 6 weeks\n"
        "\n"
        "# at the end\n");
}

TEST_CASE("format: one blank line between declarations, author's blank lines inside kept once", "[format]") {
  std::string in =
      "guideline acr.x \"X\"\n\n\n\n"
      "let a = 6 weeks\n"
      "let b = 70 years\n\n\n"
      "let c = 1\n"
      "variant 1 \"One\"\n"
      "  when a\n\n\n"
      "  advise \"Go\"\n"
      "example \"e\"\n"
      "  given x = 1\n"
      "  expect variant 1\n";
  CHECK(fmt_ok(in) ==
        "guideline acr.x \"X\"\n"
        "\n"
        "let a = 6 weeks\n"
        "let b = 70 years\n"
        "\n"
        "let c = 1\n"
        "\n"
        "variant 1 \"One\"\n"
        "  when a\n"
        "\n"
        "  advise \"Go\"\n"
        "\n"
        "example \"e\"\n"
        "  given x = 1\n"
        "  expect variant 1\n");
}

TEST_CASE("format: variant clauses keep their order; expressions get canonical spacing", "[format]") {
  std::string in =
      "guideline acr.x \"X\"\n"
      "variant 2 \"Two\"\n"
      "  advise \"first\"   when  a   and(b or c)\n"
      "  when not (a and b) and ((c))\n"
      "  next 3 urgent when   x>=6 weeks  \"go\"\n"
      "  source \"s\"\n"
      "  rate \"P\" usually appropriate\n";
  CHECK(fmt_ok(in) ==
        "guideline acr.x \"X\"\n"
        "\n"
        "variant 2 \"Two\"\n"
        "  advise \"first\" when a and (b or c)\n"
        "  when not (a and b) and (c)\n"
        "  next 3 urgent when x >= 6 weeks \"go\"\n"
        "  source \"s\"\n"
        "  rate \"P\" usually appropriate\n");
}

// Issue 19: the formatter dropped these parentheses, and explanations then
// showed `not age < 18 years`.
TEST_CASE("format: a test under `not` keeps its parentheses; `not not` needs none", "[format]") {
  std::string in =
      "guideline acr.x \"X\"\n"
      "variant 1 \"One\"\n"
      "  when not (age < 18 years) and not (red_flags is empty) and not not b\n";
  CHECK(fmt_ok(in) ==
        "guideline acr.x \"X\"\n"
        "\n"
        "variant 1 \"One\"\n"
        "  when not (age < 18 years) and not (red_flags is empty) and not not b\n");
}

TEST_CASE("format: patient facts and enum members in columns", "[format]") {
  std::string in =
      "library stdlib.x \"X\"\n"
      "enum red_flag \"Red flag\"\n"
      "  fever \"Fever\"\n"
      "  saddle_anesthesia \"Saddle anesthesia\"\n"
      "patient\n"
      "  age : duration \"Age\" fixed\n"
      "  red_flags : set of red_flag \"Red flags\"\n"
      "  note:text\n";
  CHECK(fmt_ok(in) ==
        "library stdlib.x \"X\"\n"
        "\n"
        "enum red_flag \"Red flag\"\n"
        "  fever             \"Fever\"\n"
        "  saddle_anesthesia \"Saddle anesthesia\"\n"
        "\n"
        "patient\n"
        "  age       : duration        \"Age\"       fixed\n"
        "  red_flags : set of red_flag \"Red flags\"\n"
        "  note      : text\n");
}

TEST_CASE("format: given keeps the author's line breaks and clauses; expect ratings align", "[format]") {
  std::string in =
      "guideline acr.x \"X\"\n"
      "example \"e\"\n"
      "  given age = 55 years,symptom_duration = 12   wk,\n"
      "     red_flags = {fever,osteoporosis}\n"
      "  given improved = unknown\n"
      "  expect \"MRI lumbar spine\" usually appropriate\n"
      "  expect \"CT\" may be appropriate (Disagreement)\n"
      "  expect missing a,b\n";
  CHECK(fmt_ok(in) ==
        "guideline acr.x \"X\"\n"
        "\n"
        "example \"e\"\n"
        "  given age = 55 years, symptom_duration = 12 wk,\n"
        "        red_flags = {fever, osteoporosis}\n"
        "  given improved = unknown\n"
        "  expect \"MRI lumbar spine\" usually appropriate\n"
        "  expect \"CT\"               may be appropriate (Disagreement)\n"
        "  expect missing a, b\n");
}

TEST_CASE("format: strings are re-escaped; scales with meanings are not put in columns", "[format]") {
  std::string in =
      "library stdlib.x \"Say \\\"hi\\\" \\\\ there\"\n"
      "scale appropriateness \"A\"\n"
      "  level usually_appropriate \"Usually appropriate\" range 7 to 9\n"
      "    means \"Indicated\"\n"
      "  level no \"No\" range 1 to 3\n"
      "scale radiation_levels \"R\"\n"
      "  level none \"O\" adult \"0 mSv\" pediatric \"0 mSv\"\n"
      "  level rrl5 \"☢☢☢☢☢\" adult \"30-100 mSv\" pediatric \"10-30 mSv\"\n";
  CHECK(fmt_ok(in) ==
        "library stdlib.x \"Say \\\"hi\\\" \\\\ there\"\n"
        "\n"
        "scale appropriateness \"A\"\n"
        "  level usually_appropriate \"Usually appropriate\" range 7 to 9\n"
        "    means \"Indicated\"\n"
        "  level no \"No\" range 1 to 3\n"
        "\n"
        "scale radiation_levels \"R\"\n"
        "  level none \"O\"     adult \"0 mSv\"      pediatric \"0 mSv\"\n"
        "  level rrl5 \"☢☢☢☢☢\" adult \"30-100 mSv\" pediatric \"10-30 mSv\"\n");
}

TEST_CASE("format: CRLF input and a BOM come out as LF text", "[format]") {
  std::string in = "\xEF\xBB\xBFguideline acr.x \"X\"\r\n  source \"S\"  # note\r\n";
  CHECK(fmt_ok(in) == "guideline acr.x \"X\"\n  source    \"S\"  # note\n");
}

TEST_CASE("format: a file with a syntax error is refused, with diagnostics", "[format]") {
  source_manager sources;
  diagnostic_sink sink;
  auto out = format_source(sources, "bad.rubric", "guideline acr.x \"X\"\nvariant 1 \"One\"\n  rate \"MRI\"\n", sink);
  CHECK_FALSE(out.has_value());
  REQUIRE(sink.has_errors());
  CHECK(render_text(sources, sink.items()).find("bad.rubric:") != std::string::npos);
}

TEST_CASE("unified diff: hunks with context, deletions before additions", "[format]") {
  std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n", b = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n10\n";
  CHECK(unified_diff(a, b, "f.rubric") ==
        "--- a/f.rubric\n+++ b/f.rubric\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n");
  CHECK(unified_diff(a, a, "f.rubric").empty());
  CHECK(unified_diff("x\n", "x\ny\n", "f").find("@@ -1,1 +1,2 @@\n x\n+y\n") != std::string::npos);
  CHECK(unified_diff("x", "x\n", "f").find("final newline") != std::string::npos);
}

// Issue 10, item 6: a long condition is broken before `and`/`or` with aligned
// continuation lines, and the author's parentheses stay — even redundant ones.
TEST_CASE("format: long conditions break before and/or, aligned, keeping the author's parentheses", "[format]") {
  std::string in =
      "guideline acr.x \"X\"\n"
      "variant 2 \"Two\"\n"
      "  when persistent_pain and (red_flags is empty)\n"
      "    and (conservative_therapy >= six_weeks_of_conservative_management or prior_lumbar_surgery)\n"
      "    and not (new_or_progressing_symptoms and (age > elderly_age or cancer_history))\n"
      "    and symptom_duration < long_course\n"
      "  advise \"Reassess.\" when (a and b) or c\n";
  CHECK(fmt_ok(in) ==
        "guideline acr.x \"X\"\n"
        "\n"
        "variant 2 \"Two\"\n"
        "  when persistent_pain\n"
        "       and (red_flags is empty)\n"
        "       and (conservative_therapy >= six_weeks_of_conservative_management or prior_lumbar_surgery)\n"
        "       and not (new_or_progressing_symptoms and (age > elderly_age or cancer_history))\n"
        "       and symptom_duration < long_course\n"
        "  advise \"Reassess.\" when (a and b) or c\n");
}

TEST_CASE("format: a group too long for its line is broken inside its parentheses", "[format]") {
  std::string in =
      "guideline acr.x \"X\"\n"
      "criterion c \"C\":\n"
      "  first_fact_with_a_long_name or (second_fact_with_a_long_name and third_fact_with_a_long_name\n"
      "    and fourth_fact_with_a_long_name and fifth)\n";
  CHECK(fmt_ok(in) ==
        "guideline acr.x \"X\"\n"
        "\n"
        "criterion c \"C\":\n"
        "  first_fact_with_a_long_name\n"
        "  or (second_fact_with_a_long_name\n"
        "      and third_fact_with_a_long_name\n"
        "      and fourth_fact_with_a_long_name\n"
        "      and fifth)\n");
}

TEST_CASE("format: every output line of a broken condition fits in 100 columns", "[format]") {
  std::string cond = "a0";
  for (int i = 1; i < 30; ++i) cond += (i % 3 ? " and fact_number_" : " or (f_") + std::to_string(i) + (i % 3 ? "" : " or g)");
  std::string out = fmt_ok("guideline acr.x \"X\"\nvariant 1 \"One\"\n  when " + cond + "\n");
  std::size_t start = 0;
  while (start < out.size()) {
    std::size_t end = out.find('\n', start);
    INFO(out.substr(start, end - start));
    CHECK(display_width(out.substr(start, end - start)) <= max_line_width);
    start = end + 1;
  }
}
