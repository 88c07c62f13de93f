// Hostile shapes for the semantic passes: long chains of criteria and lets
// must neither overflow the stack nor take long; a long criterion cycle is
// one diagnostic.
#include <catch2/catch.hpp>

#include <fmt/format.h>

#include "tests/unit/semantic_helpers.hpp"

using rubric::test::codes;
using rubric::test::compile_snippet;
using rubric::test::messages;

// Issue 19: past 1024 levels of expanded depth the chain is R0125 (one
// diagnostic, at the criterion that crosses the limit); below it, it compiles.
TEST_CASE("hostile: 30,000 chained criteria and lets are one R0125, without recursion", "[semantic][hostile]") {
  constexpr int n = 30000;
  std::string body = "let l0 = 6 weeks\ncriterion c0 \"C0\":\n  symptom_duration >= l0\n";
  for (int i = 1; i < n; ++i) {
    body += fmt::format("let l{} = l{}\n", i, i - 1);
    body += fmt::format("criterion c{} \"C{}\":\n  c{} and symptom_duration < l{}\n", i, i, i - 1, i);
  }
  body += fmt::format("variant 1 \"V\"\n  when c{}\n", n - 1);
  auto r = compile_snippet(body);
  CHECK(codes(r) == std::vector<std::string>{"R0125"});
  CHECK_FALSE(r.graph);
}

TEST_CASE("hostile: 500 chained criteria and 30,000 chained lets compile without recursion", "[semantic][hostile]") {
  constexpr int n = 500;
  std::string body = "let l0 = 6 weeks\ncriterion c0 \"C0\":\n  symptom_duration >= l0\n";
  for (int i = 1; i < 30000; ++i) body += fmt::format("let l{} = l{}\n", i, i - 1);
  for (int i = 1; i < n; ++i)
    body += fmt::format("criterion c{} \"C{}\":\n  c{} and symptom_duration < l{}\n", i, i, i - 1, 29999 - i);
  body += fmt::format("variant 1 \"V\"\n  when c{}\n", n - 1);
  auto r = compile_snippet(body);
  INFO(messages(r).substr(0, 2000));
  REQUIRE(r.diagnostics.items().empty());
  REQUIRE(r.graph);
  CHECK(r.graph->criteria.size() == static_cast<std::size_t>(n));
}

TEST_CASE("hostile: a long criterion cycle is one diagnostic", "[semantic][hostile]") {
  constexpr int n = 20000;
  std::string body;
  for (int i = 0; i < n; ++i) body += fmt::format("criterion c{} \"C\":\n  c{} or radiculopathy\n", i, (i + 1) % n);
  auto r = compile_snippet(body);
  CHECK(codes(r) == std::vector<std::string>{"R0306"});
}
