// A rating's `caveat "…"`: what the source leaves unknown about a rating (a
// Disagreement flag, a procedure's name). Parsed after `score` and `rrl`,
// lowered into the graph, kept by the graph's JSON, shown by `explain` (text
// and JSON) and `doc`, and put on its own line by `fmt`.
#include <catch2/catch.hpp>

#include <string>

#include "compiler/pipeline/pipeline.hpp"
#include "compiler/tools/doc_render.hpp"
#include "compiler/tools/format.hpp"
#include "grammar/grammar.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/explain.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/patient.hpp"

using namespace rubric;

namespace {

const char* const guideline_text = R"(guideline caveat_demo "Caveat demo"
  scale stdlib.acr.appropriateness
  radiation stdlib.acr.relative_radiation_level

import stdlib.acr
import stdlib.spine

patient
  red_flags : set of red_flag "Red flags"

variant 1 "Red flags"
  when red_flags is not empty
  rate "Radiography lumbar spine"            May be appropriate  rrl ☢☢☢
    caveat "Disagreement flag unknown: the source merges the two categories"
  rate "MRI lumbar spine without IV contrast" Usually appropriate
  source "test"
)";

const compiler::compile_result& compiled() {
  static compiler::compile_result r = compiler::compile_text("caveat_demo.rubric", guideline_text);
  INFO(compiler::render_text(r.sources, r.diagnostics.items()));
  REQUIRE(r.graph.has_value());
  return r;
}

const std::string caveat = "Disagreement flag unknown: the source merges the two categories";

}  // namespace

TEST_CASE("caveat: the grammar takes it last on a rate line, with a quoted text", "[caveat]") {
  namespace pegtl = tao::pegtl;
  auto accepts = [](const std::string& text) {
    pegtl::memory_input<> in(text, "test");
    try {
      return pegtl::parse<pegtl::seq<grammar::rate_clause, pegtl::eof>>(in);
    } catch (const pegtl::parse_error&) {
      return false;
    }
  };
  CHECK(accepts(R"(rate "X" may be appropriate caveat "flag unknown")"));
  CHECK(accepts("rate x usually appropriate score 8 rrl O\n    caveat \"name inferred\""));
  // Without a quoted text, `caveat` is one more word of the category (any word
  // may be, in v1), which the category check then rejects (R0401).
  CHECK_FALSE(accepts("rate x usually appropriate caveat \"a\" caveat"));
  CHECK_FALSE(accepts(R"(rate x usually appropriate caveat "a" rrl O)"));
}

TEST_CASE("caveat: lowered into the graph and kept by its JSON", "[caveat]") {
  const auto& g = *compiled().graph;
  REQUIRE(g.variants.size() == 1);
  REQUIRE(g.variants[0].ratings.size() == 2);
  CHECK(g.variants[0].ratings[0].caveat == caveat);
  CHECK(g.variants[0].ratings[1].caveat.empty());

  std::string json = runtime::write_graph_json(g);
  CHECK(json.find("\"caveat\": \"" + caveat + "\"") != std::string::npos);
  auto loaded = runtime::load_graph_json(json);
  REQUIRE(loaded.value.has_value());
  CHECK(loaded.value->variants[0].ratings[0].caveat == caveat);
  CHECK(loaded.value->variants[0].ratings[1].caveat.empty());
}

TEST_CASE("caveat: explain shows it under the rating, in text and JSON", "[caveat]") {
  const auto& g = *compiled().graph;
  runtime::patient_decoder decoder(g);
  runtime::patient p;
  std::string error;
  REQUIRE(decoder.decode(R"({"red_flags": ["fever"]})", p, error));
  runtime::evaluation e;
  runtime::evaluate(g, p, e);
  runtime::explanation x = runtime::explain(g, p, e);
  std::string text = runtime::render_explanation_text(g, p, x, {false, 100});
  INFO(text);
  auto row = text.find("Radiography lumbar spine");
  REQUIRE(row != std::string::npos);
  auto next_line = text.find('\n', row) + 1;
  CHECK(text.compare(next_line, 12 + caveat.size(), "    caveat: " + caveat) == 0);
  CHECK(text.find("caveat:", text.find("MRI lumbar spine without IV contrast")) == std::string::npos);

  std::string json = runtime::render_explanation_json(g, p, x, false);
  CHECK(json.find("\"caveat\":\"" + caveat + "\"") != std::string::npos);
}

TEST_CASE("caveat: doc numbers it beside the category and lists it under the table", "[caveat]") {
  std::string md = compiler::render_markdown(*compiled().graph);
  INFO(md);
  CHECK(md.find("May be appropriate (caveat 1)") != std::string::npos);
  CHECK(md.find("Caveat 1:") != std::string::npos);
  CHECK(md.find("Radiography lumbar spine: " + caveat) != std::string::npos);
  CHECK(md.find("(caveat 2)") == std::string::npos);
}

TEST_CASE("caveat: fmt puts it on its own line under the rating, idempotently", "[caveat]") {
  compiler::source_manager sources;
  compiler::diagnostic_sink sink;
  auto once = compiler::format_source(sources, "caveat_demo.rubric",
                                      "guideline g \"G\"\nvariant 1 \"V\"\n  rate x  usually appropriate  caveat \"name inferred\"  # why\n",
                                      sink);
  REQUIRE(once.has_value());
  CHECK(once->find("  rate x usually appropriate\n    caveat \"name inferred\"  # why\n") != std::string::npos);
  auto twice = compiler::format_source(sources, "caveat_demo.rubric", *once, sink);
  REQUIRE(twice.has_value());
  CHECK(*twice == *once);
}
