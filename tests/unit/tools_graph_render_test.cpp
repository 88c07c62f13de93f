// `rubric graph` rendering: selection order, determinism, escaping, and the
// seed patient's path through the LBP guideline (variant 2) highlighted.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "compiler/tools/graph_render.hpp"
#include "compiler/pipeline/pipeline.hpp"
#include "runtime/evaluate.hpp"
#include "runtime/patient.hpp"

using namespace rubric;
using namespace rubric::compiler;

namespace {

const runtime::graph& lbp() {
  static compile_result r = compile_file(RUBRIC_SOURCE_DIR "/guidelines/acr/low_back_pain.rubric");
  INFO(render_text(r.sources, r.diagnostics.items()));
  REQUIRE(r.graph.has_value());
  return *r.graph;
}

std::uint32_t variant_index(const runtime::graph& g, const std::string& id) {
  for (std::uint32_t i = 0; i < g.variants.size(); ++i) {
    if (g.variants[i].id == id) return i;
  }
  FAIL("no variant " << id);
  return 0;
}

runtime::evaluation evaluate_file(const runtime::graph& g, const std::string& path) {
  std::ifstream in(path);
  std::ostringstream b;
  b << in.rdbuf();
  runtime::patient_decoder decoder(g);
  runtime::patient p;
  std::string error;
  REQUIRE(decoder.decode(b.str(), p, error));
  runtime::evaluation e;
  runtime::evaluate(g, p, e);
  return e;
}

// The DOT statement that declares node `id`.
std::string node_line(const std::string& dot, const std::string& id) {
  auto at = dot.find("\n  " + id + " [label=");
  REQUIRE(at != std::string::npos);
  return dot.substr(at + 1, dot.find('\n', at + 1) - at - 1);
}

std::string edge_line(const std::string& dot, const std::string& from, const std::string& to) {
  auto at = dot.find("\n  " + from + " -> " + to + " [");
  REQUIRE(at != std::string::npos);
  return dot.substr(at + 1, dot.find('\n', at + 1) - at - 1);
}

// A one-variant graph whose every label needs escaping.
runtime::graph tiny_graph() {
  runtime::graph g;
  g.id = "test.tiny";
  g.title = "Tiny \"quoted\" <b>&</b>";
  g.facts.push_back({"flag", "Flag <set> & \"on\"", runtime::value_type::boolean, -1, false, {}});
  runtime::node leaf;
  leaf.kind = runtime::node_kind::fact_true;
  leaf.slot = 0;
  runtime::node crit;
  crit.kind = runtime::node_kind::criterion;
  crit.first = 0;
  crit.count = 1;
  crit.criterion = 0;
  g.nodes = {leaf, crit};
  g.info = {{"flag", {}}, {"flag", {}}};
  g.children = {0};
  g.criteria.push_back({"flag_on", "Flag is <on> & \"set\"", "flag", 1, {}});
  runtime::scale s;
  s.id = "a";
  s.label = "A";
  s.levels.push_back({"ua", "Usually <appropriate>", "", 7.0, 9.0, "", ""});
  g.scales.push_back(s);
  g.rating_scale = 0;
  g.procedures.push_back({"p", "MRI <lumbar> & \"spine\"", "MRI", "", "", -1, -1, {}});
  runtime::variant v;
  v.id = "1";
  v.title = "Title with <tags> & \"quotes\"";
  v.guard = 1;
  v.ratings.push_back({0, 0, std::nullopt, {}, {}});
  g.variants.push_back(v);
  g.order = {0};
  return g;
}

}  // namespace

TEST_CASE("graph: variants appear in selection order with their guards", "[graph]") {
  const auto& g = lbp();
  std::string dot = render_dot(g);
  CHECK(dot == render_dot(g));  // deterministic
  std::size_t last = 0;
  for (std::size_t k = 0; k < g.order.size(); ++k) {
    std::string id = "g" + std::to_string(g.order[k]);
    auto at = dot.find("\n  " + id + " [label=");
    REQUIRE(at != std::string::npos);
    CHECK(at > last);
    last = at;
    CHECK(node_line(dot, id).find(std::to_string(k + 1) + ". Variant " + g.variants[g.order[k]].id + " applies when") !=
          std::string::npos);
    // under `select first` each guard's `no` leads to the next one
    if (k + 1 < g.order.size()) CHECK(edge_line(dot, id, "g" + std::to_string(g.order[k + 1])).find("label=\"no\"") != std::string::npos);
  }
  // guards name criteria by label, not code
  std::uint32_t v2 = variant_index(g, "2");
  CHECK(node_line(dot, "g" + std::to_string(v2)).find("No red flags") != std::string::npos);
  // ratings summarised per variant
  CHECK(node_line(dot, "v" + std::to_string(v2)).find("Usually not appropriate: 11 procedures") != std::string::npos);
  std::uint32_t v3 = variant_index(g, "3");
  CHECK(node_line(dot, "v" + std::to_string(v3)).find("MRI lumbar spine without IV contrast") != std::string::npos);
  // transitions between variants
  CHECK(edge_line(dot, "v" + std::to_string(v2), "v" + std::to_string(v3)).find("next: ") != std::string::npos);
  CHECK(dot.find("No criteria apply") != std::string::npos);
}

TEST_CASE("graph: the seed patient's path to variant 2 is highlighted, other branches dimmed", "[graph]") {
  const auto& g = lbp();
  auto e = evaluate_file(g, RUBRIC_SOURCE_DIR "/guidelines/acr/cases/seed-55yo.json");
  REQUIRE(e.result == runtime::status::matched);
  std::uint32_t v2 = variant_index(g, "2"), v1 = variant_index(g, "1");
  REQUIRE(e.selected == std::vector<std::uint32_t>{v2});
  graph_render_options o;
  o.evaluation = &e;
  o.patient_name = "seed-55yo";
  std::string dot = render_dot(g, o);
  CHECK(dot == render_dot(g, o));
  std::string s2 = std::to_string(v2), s1 = std::to_string(v1);
  // the chosen variant and its `yes` edge: bold green
  CHECK(node_line(dot, "v" + s2).find("BORDER=\"3\"") != std::string::npos);
  CHECK(node_line(dot, "v" + s2).find("#1b7f3b") != std::string::npos);
  CHECK(edge_line(dot, "g" + s2, "v" + s2).find("color=\"#1b7f3b\"") != std::string::npos);
  // every guard before it was tried and failed: red, and their `no` edges taken
  for (std::size_t k = 0; g.order[k] != v2; ++k) {
    std::string id = "g" + std::to_string(g.order[k]);
    CHECK(node_line(dot, id).find("#b3261e") != std::string::npos);
    CHECK(edge_line(dot, id, "g" + std::to_string(g.order[k + 1])).find("penwidth=3") != std::string::npos);
    CHECK(node_line(dot, "v" + std::to_string(g.order[k])).find("#c4c4c4") != std::string::npos);  // not chosen
  }
  // variant 1 comes after: never tried, dimmed
  CHECK(node_line(dot, "g" + s1).find("#c4c4c4") != std::string::npos);
  CHECK(edge_line(dot, "g" + s2, "g" + s1).find("#c4c4c4") != std::string::npos);
  // each criterion marked: variant 2's three conditions hold; variant 3 needs an unknown fact
  std::string g2 = node_line(dot, "g" + s2);
  std::size_t trues = 0;
  for (auto at = g2.find("✓ true"); at != std::string::npos; at = g2.find("✓ true", at + 1)) ++trues;
  CHECK(trues == 3);
  CHECK(node_line(dot, "g" + std::to_string(variant_index(g, "3"))).find("? unknown") != std::string::npos);
  CHECK(node_line(dot, "g" + std::to_string(variant_index(g, "4"))).find("✗ false") != std::string::npos);
  CHECK(node_line(dot, "start").find("matched: variant 2") != std::string::npos);
  // Mermaid says the same
  std::string mm = render_mermaid(g, o);
  std::istringstream lines(mm);
  std::string line, taken;
  while (std::getline(lines, line)) {
    if (line.rfind("  class ", 0) == 0 && line.size() > 6 && line.compare(line.size() - 6, 6, " taken") == 0) taken = line;
  }
  CHECK(taken == "  class start,g" + s2 + ",v" + s2 + " taken");
  CHECK(mm.find("✓ true") != std::string::npos);
}

TEST_CASE("graph: labels are escaped in DOT and Mermaid", "[graph]") {
  runtime::graph g = tiny_graph();
  std::string dot = render_dot(g);
  CHECK(dot.find("Title with &lt;tags&gt; &amp; &quot;quotes&quot;") != std::string::npos);
  CHECK(dot.find("Usually &lt;appropriate&gt;: 1 procedure") != std::string::npos);  // the lowest level is counted
  CHECK(dot.find("Flag is &lt;on&gt; &amp; &quot;set&quot;") != std::string::npos);
  CHECK(dot.find("<tags>") == std::string::npos);
  CHECK(dot.find("label=\"Tiny \\\"quoted\\\" <b>&</b> (test.tiny)\"") != std::string::npos);
  std::string mm = render_mermaid(g);
  CHECK(mm.find("Title with #lt;tags#gt; & #quot;quotes#quot;") != std::string::npos);
  svg_result svg = dot_to_svg(dot);
  if (!svg.svg) WARN("Graphviz not available: " << svg.error);
  else CHECK(svg.svg->find("<svg") != std::string::npos);
}

TEST_CASE("graph: svg without Graphviz is a clear message", "[graph]") {
  const char* old = std::getenv("PATH");
  std::string saved = old ? old : "";
  ::setenv("PATH", "/nonexistent-rubric-test", 1);
  svg_result svg = dot_to_svg("digraph { a }");
  ::setenv("PATH", saved.c_str(), 1);
  CHECK_FALSE(svg.svg.has_value());
  CHECK(svg.error.find("Graphviz `dot` was not found") != std::string::npos);
  CHECK(svg.error.find("graphviz") != std::string::npos);
}
