// Parser tests: syntax diagnostics (code, position, message text), recovery
// after an error, and hostile inputs (each a diagnostic, fast, no crash).
#include <catch2/catch.hpp>
#include <chrono>
#include <random>
#include <string>

#include "compiler/syntax/parse_limits.hpp"
#include "compiler/syntax/parser.hpp"

namespace {

using namespace rubric::compiler;

struct parsed {
  source_manager sources;
  diagnostic_sink sink;
  std::optional<ast::module> module;
  double seconds = 0;
};

parsed parse_text(std::string text) {
  parsed p;
  file_id id = p.sources.add("t.rubric", std::move(text));
  auto start = std::chrono::steady_clock::now();
  p.module = parse_module(p.sources, id, p.sink);
  p.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return p;
}

std::string code_of(const diagnostic& d) { return std::string(info(d.code).code); }
std::string where(const parsed& p, const diagnostic& d) { return p.sources.location(d.primary); }

// The one diagnostic a bad input must produce.
const diagnostic& only(const parsed& p) {
  INFO(render_text(p.sources, p.sink.items()));
  REQUIRE(p.sink.items().size() == 1);
  CHECK_FALSE(p.module.has_value());
  return p.sink.items()[0];
}

const std::string head = "guideline a \"T\"\n";

}  // namespace

TEST_CASE("syntax errors: a missing rating category", "[parser][diagnostics]") {
  parsed p = parse_text(head + "variant 2 \"V\"\n  rate \"MRI lumbar spine\"  score 8\n");
  const diagnostic& d = only(p);
  CHECK(code_of(d) == "R0111");
  CHECK(d.message == "expected a rating category such as `usually not appropriate` after the procedure");
  CHECK(where(p, d) == "t.rubric:3:28");
  CHECK(d.primary_label == "found `score`");
}

TEST_CASE("syntax errors: something missing at the end of a line points there", "[parser][diagnostics]") {
  parsed p = parse_text(head + "variant 2 \"V\"\n  rate \"MRI\"   # no category\n  advise \"x\"\n");
  const diagnostic& d = only(p);
  CHECK(code_of(d) == "R0111");
  CHECK(where(p, d) == "t.rubric:3:13");
  CHECK(d.primary_label == "expected here");
  REQUIRE(d.notes.size() == 1);
  CHECK(d.notes[0] == "the next line starts with `advise`");
}

TEST_CASE("syntax errors: one code per kind of expectation", "[parser][diagnostics]") {
  struct row {
    std::string text, code, location, message;
  };
  const row rows[] = {
      {"variant 2 \"x\"\n", "R0109", "t.rubric:1:1",
       "expected `guideline` or `library` and the module's name at the start of the file"},
      {head + "rat \"x\"\n", "R0110", "t.rubric:2:1",
       "expected a declaration such as `criterion`, `variant` or `example`, or a clause of the one above"},
      {head + "criterion \"C\": a\n", "R0112", "t.rubric:2:11", "expected a name for the criterion after `criterion`"},
      {head + "variant 2 when a\n", "R0113", "t.rubric:2:11", "expected the variant's title in quotes, in the ACR wording"},
      {head + "criterion c \"C\": a and\n", "R0114", "t.rubric:2:23", "expected a condition after `and`"},
      {head + "scale s \"S\" level l \"L\" range x to 9\n", "R0115", "t.rubric:2:31",
       "expected the lowest score of the range after `range`"},
      {head + "patient\n  age : 3\n", "R0116", "t.rubric:3:9",
       "expected a type such as `bool`, `number mm[Hg]`, `integer 3..15`, `duration`, `set of red_flag` or an enumeration name"},
      {head + "criterion c \"C\" a\n", "R0117", "t.rubric:2:17", "expected `:` before the criterion's condition"},
      {head + "criterion c: a has some of {x}\n", "R0118", "t.rubric:2:20", "expected `any of` or `all of` after `has`"},
      {head + "procedure p \"P\" adult rrl \"high\"\n", "R0119", "t.rubric:2:27",
       "expected a radiation level such as `O` or `☢☢` after `adult rrl`"},
      {head + "variant \"x\"\n", "R0120", "t.rubric:2:9", "expected a variant number or name after `variant`"},
      {head + "let x =\n", "R0121", "t.rubric:2:8", "expected a value such as `6 weeks` after `=`"},
      {head + "example \"e\"\n  expect 3\n", "R0122", "t.rubric:3:10",
       "expected `variant`, `status`, `missing`, `candidates` or a procedure and its rating after `expect`"},
      {head + "variant 2 \"V\"\n  rate 7 usually appropriate\n", "R0123", "t.rubric:3:8",
       "expected a procedure after `rate`: its display name in quotes or its name"},
      {head + "criterion c: 1 < x < 3\n", "R0124", "t.rubric:2:20", "comparisons do not chain"},
      {head + "let x = \"abc\n", "R0107", "t.rubric:2:9", "unterminated string: the closing `\"` is missing on this line"},
      {head + "let x = \"a\\qb\"\n", "R0108", "t.rubric:2:11", "unknown escape in a string"},
  };
  for (const row& r : rows) {
    INFO(r.text);
    parsed p = parse_text(r.text);
    const diagnostic& d = only(p);
    CHECK(code_of(d) == r.code);
    CHECK(where(p, d) == r.location);
    CHECK(d.message == r.message);
  }
}

TEST_CASE("syntax errors: a misspelt clause word gets a suggestion", "[parser][diagnostics]") {
  parsed p = parse_text(head + "example \"e\"\n  expect variant 2\n  expcet status matched\n");
  const diagnostic& d = only(p);
  CHECK(code_of(d) == "R0110");
  CHECK(d.primary_label == "found `expcet`");
  REQUIRE(d.help.size() == 1);
  CHECK(d.help[0] == "did you mean `expect`?");
}

TEST_CASE("syntax errors: a category ends at the end of its line", "[parser][diagnostics]") {
  parsed p = parse_text(head + "variant 2 \"V\"\n  rate \"MRI\" usually appropriate\n  advize \"Rest\"\n");
  const diagnostic& d = only(p);
  CHECK(code_of(d) == "R0110");
  CHECK(where(p, d) == "t.rubric:4:3");
  CHECK(d.primary_label == "found `advize`");
  REQUIRE(d.help.size() == 1);
  CHECK(d.help[0] == "did you mean `advise`?");
}

TEST_CASE("syntax errors: recovery reports one error per broken declaration", "[parser][diagnostics]") {
  parsed p = parse_text(head +
                        "variant 2 \"V\"\n  rate \"MRI\"\n"       // 1: no category
                        "criterion ok \"fine\": a\n"               // fine
                        "criterion c \"C\" a\n"                    // 2: no colon
                        "  and more words that should not cascade\n"
                        "let y = 3\n"                              // fine
                        "variant 3 \"W\" when (a\n"                // 3: unclosed parenthesis
                        "example \"e\"\n  given age 5\n");         // 4: no `=`
  INFO(render_text(p.sources, p.sink.items()));
  REQUIRE(p.sink.items().size() == 4);
  CHECK_FALSE(p.module);
  CHECK(code_of(p.sink.items()[0]) == "R0111");
  CHECK(code_of(p.sink.items()[1]) == "R0117");
  CHECK(where(p, p.sink.items()[1]) == "t.rubric:5:17");
  CHECK(code_of(p.sink.items()[2]) == "R0117");
  CHECK(p.sink.items()[2].message == "expected `)` to close the parenthesis");
  CHECK(code_of(p.sink.items()[3]) == "R0117");
  CHECK(where(p, p.sink.items()[3]) == "t.rubric:10:13");
}

TEST_CASE("syntax errors: a header error does not cascade into header clauses", "[parser][diagnostics]") {
  parsed p = parse_text("guideline a\n  scale appropriateness\n  select first\nlet x = 3\nlet y =\n");
  INFO(render_text(p.sources, p.sink.items()));
  REQUIRE(p.sink.items().size() == 2);
  CHECK(code_of(p.sink.items()[0]) == "R0113");
  CHECK(code_of(p.sink.items()[1]) == "R0121");
}

TEST_CASE("syntax errors: at most max_syntax_errors per file", "[parser][diagnostics]") {
  std::string text = head;
  for (int i = 0; i < 200; ++i) text += "let x =\n";
  parsed p = parse_text(text);
  REQUIRE(p.sink.items().size() == max_syntax_errors);
  CHECK(p.sink.items().back().notes.back() == "stopped after 50 syntax errors in this file");
}

// --- hostile inputs ------------------------------------------------------------

TEST_CASE("hostile: invalid UTF-8, NUL bytes, oversized files", "[parser][hostile]") {
  {
    parsed p = parse_text(head + "let x = \"caf\xC3\"\n");
    const diagnostic& d = only(p);
    CHECK(code_of(d) == "R0101");
    CHECK(where(p, d) == "t.rubric:2:13");
    CHECK(d.message == "this file is not valid UTF-8 text: byte 0xC3 cannot appear here");
  }
  {
    parsed p = parse_text(head + "let x = \xED\xA0\x80\n");  // an encoded surrogate
    CHECK(code_of(only(p)) == "R0101");
  }
  {
    parsed p = parse_text(head + "let x\0 = 3\n" + std::string("\0", 1));
    const diagnostic& d = only(p);
    CHECK(code_of(d) == "R0102");
  }
  {
    std::string text = head + "let x = 3\n";
    text.insert(text.size() - 1, std::string(1, '\0'));
    parsed p = parse_text(text);
    const diagnostic& d = only(p);
    CHECK(code_of(d) == "R0102");
    CHECK(where(p, d) == "t.rubric:2:10");
  }
  {
    std::string line = "criterion c \"C\": a and b or not (c >= 6 weeks)\n";
    std::string text = head;
    while (text.size() < 10 * 1024 * 1024) text += line;
    parsed p = parse_text(text);
    const diagnostic& d = only(p);
    CHECK(code_of(d) == "R0103");
    CHECK(where(p, d) == "t.rubric:1:1");
    CHECK(p.seconds < 1.0);
  }
}

TEST_CASE("hostile: deep nesting, long tokens, unterminated strings", "[parser][hostile]") {
  struct row {
    std::string name, text, code;
  };
  std::string nots;
  for (int i = 0; i < 100000; ++i) nots += "not ";
  const row rows[] = {
      {"200,000 nested parentheses", head + "criterion c: " + std::string(200000, '(') + "a" + std::string(200000, ')'),
       "R0104"},
      {"100,000 chained not", head + "criterion c: " + nots + "a\n", "R0104"},
      {"a 1 MB identifier", head + "let " + std::string(1 << 20, 'a') + " = 3\n", "R0105"},
      {"a 1 MB identifier in a condition", head + "criterion c: " + std::string(1 << 20, 'b') + "\n", "R0105"},
      {"a 20,000-byte string", head + "let x = \"" + std::string(20000, 's') + "\"\n", "R0105"},
      {"a 5,000-digit number", head + "let x = " + std::string(5000, '9') + "\n", "R0106"},
      {"a 5,000-digit variant number", head + "variant " + std::string(5000, '7') + " \"V\"\n", "R0106"},
      {"an unterminated string", head + "let x = \"abc", "R0107"},
  };
  for (const row& r : rows) {
    INFO(r.name);
    parsed p = parse_text(r.text);
    const diagnostic& d = only(p);
    CHECK(code_of(d) == r.code);
    CHECK(d.primary.file == 0);
    CHECK(p.sources.begin_of(d.primary).line == 2);
    CHECK(p.seconds < 1.0);
  }
}

TEST_CASE("hostile: nesting up to the limit is accepted", "[parser][hostile]") {
  parsed p = parse_text(head + "criterion c: " + std::string(250, '(') + "a" + std::string(250, ')') + "\n");
  INFO(render_text(p.sources, p.sink.items()));
  REQUIRE(p.module);
  const ast::expr* e = &p.module->criteria[0].body;
  CHECK(e->kind == ast::expr_kind::name);
}

TEST_CASE("hostile: random bytes and random tokens never crash", "[parser][hostile]") {
  std::mt19937 rng(20261127);
  const std::string alphabet = "abcdefgnotandor ()\"#\n\r\t{}=<>!,:0123456789.-\\☢";
  const char* words[] = {"variant ", "rate ", "when ", "not ", "(", ")", "\"x\" ", "usually ", "appropriate ",
                         "criterion ", "c ", ": ", "and ", "{", "}", ",", "6 weeks ", "\n", "# c\n", "example ",
                         "given ", "expect ", "= ", "patient ", "x : ", "set of ", "let ", "next ", "urgent "};
  for (int round = 0; round < 300; ++round) {
    std::string text;
    if (round % 3 == 0) {
      for (int i = 0; i < 2000; ++i) text.push_back(static_cast<char>(rng() & 0xFF));
    } else if (round % 3 == 1) {
      text = head;
      for (int i = 0; i < 2000; ++i) text.push_back(alphabet[rng() % alphabet.size()]);
    } else {
      text = head;
      for (int i = 0; i < 400; ++i) text += words[rng() % std::size(words)];
    }
    parsed p = parse_text(text);
    // Either a module, or at least one error with a real position.
    if (!p.module) {
      REQUIRE_FALSE(p.sink.items().empty());
      for (const diagnostic& d : p.sink.items()) CHECK(d.primary.end <= p.sources.text(0).size());
    }
    CHECK(p.seconds < 1.0);
  }
}
