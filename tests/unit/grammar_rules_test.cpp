// Grammar tests: PEGTL's analysis finds no problem in the grammar, and tables
// of inputs each rule must accept or reject (no actions: the grammar alone).
#include <catch2/catch.hpp>
#include <string>
#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze.hpp>

#include "grammar/errors.hpp"
#include "grammar/grammar.hpp"

namespace {

namespace pegtl = tao::pegtl;
namespace g = rubric::grammar;

// Whether Rule matches the whole of `text`. A committed rule that fails
// raises; that counts as a rejection.
template <typename Rule>
bool matches(const std::string& text) {
  pegtl::memory_input<> in(text, "test");
  try {
    return pegtl::parse<pegtl::seq<Rule, pegtl::eof>>(in);
  } catch (const pegtl::parse_error&) {
    return false;
  }
}

template <typename Rule>
void check_table(std::initializer_list<const char*> accept, std::initializer_list<const char*> reject) {
  for (const char* text : accept) {
    INFO("should accept: " << text);
    CHECK(matches<Rule>(text));
  }
  for (const char* text : reject) {
    INFO("should reject: " << text);
    CHECK_FALSE(matches<Rule>(text));
  }
}

}  // namespace

TEST_CASE("grammar: PEGTL analysis finds no problems", "[grammar]") {
  CHECK(pegtl::analyze<g::file>(-1) == 0);
  CHECK(pegtl::analyze<g::rest>(-1) == 0);
}

TEST_CASE("grammar: identifiers and guarded keywords", "[grammar]") {
  // v1: only the words of expressions are reserved; clause words are names elsewhere.
  check_table<g::identifier>({"a", "variantx", "_x1", "Variant", "notable", "or_else", "O", "order_set", "variant", "score",
                              "value", "level", "of", "rate", "first", "all", "code", "text", "rrl"},
                             {"not", "or", "1a", "", "a-b", "true", "if", "then", "else", "in", "is", "has", "unknown"});
  check_table<g::dotted_name>({"stdlib.acr.appropriateness", "a", "stdlib.variant"}, {"a.", ".a", "a..b", "a. b"});
  check_table<g::keyword>({"and", "if", "else", "false"}, {"variants", "guideline", "score", "iff"});
  check_table<g::declaration_keyword>({"criterion", "score", "value", "example"}, {"scores", "rate", "valued"});
}

TEST_CASE("grammar: strings, numbers, durations and radiation levels", "[grammar]") {
  check_table<g::string_lit>({R"("abc")", R"("a \" b")", R"("\\ \n \t")", "\"☢ © é\"", R"("")"},
                             {"\"abc", "\"a\nb\"", R"("\q")", "abc", "\"a\r\n\""});
  check_table<g::number_lit>({"55", "0.5", "-3", "2021", "12345678901234567890"},
                             {"1e5", "1.", ".5", "1x", "--1", "123456789012345678901"});
  check_table<g::quantity>({"6 weeks", "12wk", "1 a", "20 days", "3 months", "55 years", "1 d", "2 mo", "1 week",
                            "1 day", "1 month", "1 year", "0.5", "500 ng/mL", "100 /min", "120 mm[Hg]", "3 {beats}/min",
                            "60 mL/min/{1.73_m2}", "95 %", "36 [in_i]", "30 minutes", "5 s", "2 h"},
                           {"weeks", "6 and", "6 of", "6 / 2", "6 -1", "6\nweeks"});
  check_table<g::sum>({"a + b", "a - 1", "(age in years) * 10 ng/mL", "x / 2", "1.5 * a + b - 3 /min"}, {"a +", "a\n- b"});
  // `rrl` is a keyword only where a clause starts (v1 names), so it is a level name here.
  check_table<g::level_ref>({"O", "☢", "☢☢☢☢☢", "rrl1", "rrl"}, {"☢x", "", "not"});
  check_table<g::variant_id>({"2", "acute_pain", "10", "variant"}, {"2a", "not", "-1"});
}

TEST_CASE("grammar: expressions", "[grammar]") {
  check_table<g::expr>(
      {"a", "a and b", "a or b and not c", "not not a", "(a or b) and c", "age >= 18 years", "x != 3",
       "x = true", "x < -0.5", "side in {left, right}", "flags has any of {a, b}", "flags has all of {a}",
       "flags is empty", "flags is not empty", "x is known", "x is unknown", "x = \"text\"", "x = {}",
       "a and\n  # a comment\n  b", "((((a))))", "stdlib.spine.flag = true", "at least 2 of (a, b, c)",
       "at most 1 of (a, b)", "none of (a, x > 1 /min)", "all of (a, b)", "wells > 4", "min(a, b) > 3 ng/mL",
       "if a then 1 else 2 = 1", "age in years > 50", "score >= 3 and level and all and of",
       "a in x"},  // `a in x` converts `a` to the unit `x` (the type checker knows no such unit)
      {"a and", "(a", "a <", "a has any {x}", "a is", "not", "a has of {x}", "a is not known", "at least of (a)",
       "none of a", "if a then 1", "min()", "a * * b",
       "a and or b", "x = {a,}", "x = {a b}", "()", "1 < x < 3", "a = b = c"});
}

TEST_CASE("grammar: nesting of `(` and `not` is limited", "[grammar]") {
  std::string ok = std::string(g::max_nesting, '(') + "a" + std::string(g::max_nesting, ')');
  CHECK(matches<g::expr>(ok));
  std::string deep = std::string(g::max_nesting + 1, '(') + "a" + std::string(g::max_nesting + 1, ')');
  CHECK_FALSE(matches<g::expr>(deep));
  std::string nots;
  for (std::size_t i = 0; i < 100000; ++i) nots += "not ";
  CHECK_FALSE(matches<g::expr>(nots + "a"));
}

TEST_CASE("grammar: rating categories", "[grammar]") {
  check_table<g::category_words>({"usually not appropriate", "May be appropriate (Disagreement)",
                                  "usually_appropriate", "may be appropriate ( disagreement )"},
                                 {"score 8", "(x)", "usually (a) b", "rrl O", "caveat \"c\"", "", "usually\nappropriate",
                                  "may be appropriate\n(Disagreement)"});
  check_table<g::rate_clause>(
      {"rate \"MRI lumbar spine\" usually appropriate", "rate mri usually appropriate score 8 rrl O",
       "rate mri usually not appropriate rrl ☢☢", "rate \"X\" may be appropriate (Disagreement) score 5",
       // A label may contain any word, so a clause word without its value joins
       // the label; the checker then reports it with help (semantic_ratings_test).
       "rate mri usually appropriate score", "rate mri ok rrl"},
      {"rate \"MRI\"", "rate \"X\" score 8", "rate mri ok rrl ☢x", "rate mri usually appropriate score 8 rrl"});
}

TEST_CASE("grammar: module header", "[grammar]") {
  check_table<g::header>(
      {"guideline acr.low_back_pain \"Low Back Pain\"", "library stdlib.spine \"Spine\"\n  source \"S\"",
       "guideline a \"T\" source \"S\" citation \"C\" revised 2021 doi \"D\" url \"U\" license \"L\" "
       "scale appropriateness radiation rrl_scale select first in order 4, 7, 6",
       "guideline a \"T\"\n  select unique", "guideline a \"T\"\n  select all"},
      {"guideline \"T\"", "guideline a", "library a \"T\" select", "guideline a \"T\" select first in 4",
       "guideline a \"T\" revised \"2021\""});
}

TEST_CASE("grammar: declarations", "[grammar]") {
  check_table<g::declaration>(
      {"import stdlib.acr",
       "enum red_flag \"Red flag\"\n  fever \"Fever\"\n  weight_loss",
       "enum laterality left right",
       "scale appropriateness \"ACR\"\n  level ok \"Usually appropriate\" range 7 to 9\n    means \"M\"",
       "scale rrl_scale \"RRL\" level none \"O\" adult \"0 mSv\" pediatric \"0 mSv\"",
       "procedure mri \"MRI lumbar\"\n  modality \"MRI\" region \"lumbar spine\" contrast \"without\"\n"
       "  adult rrl O pediatric rrl ☢ code CPT \"72148\"",
       "patient\n  age : duration \"Age\" fixed\n  flags : set of red_flag\n  side : laterality \"Side\"\n"
       "  ok : bool\n  n : number\n  t : text",
       "let subacute = 6 weeks",
       "criterion c \"C\":\n  a and b",
       "criterion c: a",
       "variant 2 \"Title\"\n  when a\n  rate mri usually appropriate\n  advise \"A\" when b\n"
       "  next 3 urgent when c \"L\"\n  source \"S\"\n  evidence \"E\"",
       "variant acute \"Title\"",
       "otherwise \"None\"\n  advise \"Reassess\"",
       "otherwise",
       "assume a <= b \"Label\"",
       "example \"E\"\n  given age = 55 years, flags = {}, x = unknown, s = left\n  expect variant 2\n"
       "  expect status no_criteria_apply\n  expect \"MRI\" usually not appropriate\n"
       "  expect missing a, b\n  expect candidates 3, 2"},
      {"import", "enum", "scale a", "scale a \"A\" level b", "procedure p", "patient age duration",
       "patient age : ", "let x 3", "let x =", "criterion c \"C\" a", "variant \"T\"", "variant 2",
       "variant 2 \"T\" next 3 a", "assume", "example \"E\" given age 5", "example \"E\" expect status done",
       "example \"E\" expect", "guideline a \"T\""});
}

TEST_CASE("grammar: whole files", "[grammar]") {
  check_table<g::file>({"guideline a \"T\"\n", "\xEF\xBB\xBFguideline a \"T\"\r\nlet x = 3\r\n",
                        "# leading comment\nlibrary a.b \"T\" # trailing\n\nimport c\n"},
                       {"", "let x = 3", "guideline a \"T\"\nguideline b \"U\"", "guideline a \"T\"\n@"});
}

TEST_CASE("grammar: every committed rule has a message and a syntax code", "[grammar]") {
  // Spot checks: the table in grammar/errors.hpp speaks the author's terms.
  CHECK(g::error_message<g::rated_category>.code == "R0111");
  CHECK(g::error_message<g::rated_category>.message ==
        "expected a rating category such as `usually not appropriate` after the procedure");
  CHECK(g::error_message<g::end_of_file>.code == "R0110");
  CHECK(g::error_message<g::string_close>.code == "R0107");
  CHECK(g::error_message<g::nesting_too_deep>.code == "R0104");
  CHECK(g::error_message<g::sep>.code.empty());
}

TEST_CASE("grammar: FHIR bindings with answers, observations, counts, medications and `or`", "[grammar]") {
  check_table<g::binding_decl>(
      {"night from answer \"night-pain\" in questionnaire \"http://example.org/q\"",
       "red_flags has fever from any condition in fever within 4 weeks before the order\n"
       "    or answer \"fever\" in questionnaire \"http://example.org/q\" within 4 weeks before the order",
       "hr from latest observation in heart_rate within 1 day before the order", "hr from earliest observation in heart_rate",
       "n from number of conditions in low_back_pain", "n from number of observations in heart_rate",
       "w from any medication in warfarin or any condition in x or answer \"w\" in questionnaire \"q\""},
      {"x from answer night in questionnaire \"q\"", "x from answer \"n\" in \"q\"", "x from latest observation heart_rate",
       "x from number of condition in c", "x from any condition in c or", "x from any observation in c"});
  check_table<g::complete_clause>({"complete conditions, procedures, medications"}, {"complete observations"});
  // `FACT [has MEMBER] is unbound "REASON"`: the reason is required; `from` lines are not unbound lines.
  check_table<g::unbound_decl>({"pretest_probability is unbound \"the clinician's gestalt\"",
                                "red_flags has nocturnal_pain is unbound \"asked at the examination\"",
                                "x\n  is unbound\n  \"reasons may follow on the next lines\""},
                               {"x is unbound", "x is unbound reason", "x from any condition in c", "x is bound \"r\"",
                                "x has is unbound \"r\""});
  check_table<g::fhir_clause>({"x is unbound \"r\"", "x from age at the order", "x has m is unbound \"r\""}, {"x is \"r\""});
}
