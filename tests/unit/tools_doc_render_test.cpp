// `rubric doc` content for the LBP guideline: every variant with its ratings in
// ACR order, guards in plain words, data requirements, examples; the HTML is
// self-contained with the graph embedded.
#include <catch2/catch.hpp>

#include <regex>
#include <sstream>

#include "compiler/tools/doc_render.hpp"
#include "compiler/tools/graph_render.hpp"
#include "compiler/pipeline/pipeline.hpp"

using namespace rubric;
using namespace rubric::compiler;

namespace {

const compile_result& lbp() {
  static compile_result r = compile_file(RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric");
  INFO(render_text(r.sources, r.diagnostics.items()));
  REQUIRE(r.graph.has_value());
  return r;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto at = s.find(what); at != std::string::npos; at = s.find(what, at + what.size())) ++n;
  return n;
}

int level_of(const runtime::graph& g, const std::string& label) {
  const auto& ls = g.scales[static_cast<std::size_t>(g.rating_scale)].levels;
  for (std::size_t i = 0; i < ls.size(); ++i) {
    if (ls[i].label == label) return static_cast<int>(i);
  }
  return -1;
}

}  // namespace

TEST_CASE("doc: Markdown has every variant, its ratings in ACR order and plain-word guards", "[doc]") {
  const auto& r = lbp();
  const auto& g = *r.graph;
  doc_options o;
  o.module = &r.modules.front();
  std::string md = render_markdown(g, o);
  CHECK(md == render_markdown(g, o));
  CHECK(count(md, "\n## Variant ") == 7);
  for (const auto& v : g.variants) CHECK(md.find("## Variant " + v.id + ": " + v.title) != std::string::npos);
  // Rating rows: procedure | category | adult RRL | peds RRL; 77 in all, and
  // within each variant from the most to the least favourable category.
  std::istringstream in(md);
  std::string line;
  std::size_t ratings = 0, variants_seen = 0;
  int last_level = -1;
  std::regex row(R"(^\| (.+?) \| (.+?) \| (.+?) \| (.+?) \|$)");
  while (std::getline(in, line)) {
    if (line.rfind("## Variant ", 0) == 0) {
      ++variants_seen;
      last_level = -1;
    }
    std::smatch m;
    if (!std::regex_match(line, m, row)) continue;
    int level = level_of(g, m[2]);
    if (level < 0) continue;
    ++ratings;
    CHECK(level >= last_level);
    last_level = level;
    CHECK((m[3].str().find("mSv") != std::string::npos));  // adult RRL with its dose range
  }
  CHECK(variants_seen == 7);
  CHECK(ratings == 77);
  // Guards in the author's labels, not identifiers.
  CHECK(md.find("- **Not:** At least 6 weeks of structured conservative management completed") != std::string::npos);
  CHECK(md.find("persistent_pain and") == std::string::npos);
  // Citation, licence, next steps, source line.
  CHECK(md.find("**Citation:** Hutchins TA") != std::string::npos);
  CHECK(md.find("**Licence:** ACR content ©") != std::string::npos);
  CHECK(md.find("**Urgent:**") != std::string::npos);
  CHECK(md.find("go to variant 3 (") != std::string::npos);
  CHECK(md.find("**Source:** ACR Appropriateness Criteria: Low Back Pain (2021), variant 2") != std::string::npos);
  // Data requirements: every fact with its meaning.
  for (const auto& f : g.facts) CHECK(md.find("| " + f.id + " | " + f.label + " |") != std::string::npos);
  CHECK(md.find("any of: Saddle anesthesia") != std::string::npos);
  // Examples as a table: one row per example.
  std::size_t example_rows = 0;
  for (const auto& e : r.modules.front().examples) example_rows += md.find("| " + e.title.value.substr(0, 20)) != std::string::npos;
  CHECK(example_rows == r.modules.front().examples.size());
}

TEST_CASE("doc: HTML is one self-contained file with the graph and print styles", "[doc]") {
  const auto& r = lbp();
  const auto& g = *r.graph;
  doc_options o;
  o.module = &r.modules.front();
  svg_result svg = dot_to_svg(render_dot(g));
  if (svg.svg) o.graph_svg = *svg.svg;
  else o.graph_note = svg.error;
  std::string html = render_html(g, o);
  CHECK(html.rfind("<!DOCTYPE html>", 0) == 0);
  CHECK(count(html, "<section class=\"variant\"") == 7);
  CHECK(count(html, "<tr class=\"rating\">") == 77);
  CHECK(html.find("@media print") != std::string::npos);
  CHECK(html.find("<script") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
  CHECK(html.find("src=\"http") == std::string::npos);
  CHECK(html.find("<?xml") == std::string::npos);  // the SVG is inlined without its prolog
  if (svg.svg) CHECK(count(html, "<svg") == 1);
  CHECK(html.find("<td class=\"cat-usually-appropriate\">Usually appropriate</td>") != std::string::npos);
}

TEST_CASE("doc: without Graphviz the HTML says why the picture is missing", "[doc]") {
  const auto& r = lbp();
  doc_options o;
  o.graph_note = "The decision graph is not shown: Graphviz `dot` was not found on PATH.";
  std::string html = render_html(*r.graph, o);
  CHECK(html.find("<svg") == std::string::npos);
  CHECK(html.find("<p class=\"note\">The decision graph is not shown: Graphviz `dot` was not found on PATH.</p>") !=
        std::string::npos);
  CHECK(count(html, "<tr class=\"rating\">") == 77);
}
