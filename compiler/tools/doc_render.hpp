// `rubric doc`: the reviewer's view of a guideline, as Markdown or as one
// self-contained HTML file. Citation and licensing note; per variant its title,
// its guard in plain words (criterion labels, not code), its ratings in the ACR
// layout (procedure, category, adult and pediatric RRL with dose ranges) from
// usually appropriate to usually not appropriate, advice, next steps and source;
// the criteria and the data the guideline needs (facts and their meanings);
// the examples as a table.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "runtime/graph.hpp"
#include "runtime/plain_words.hpp"

namespace rubric::compiler {

struct doc_options {
  const ast::module* module = nullptr;  // the guideline's AST, for its examples
  std::string graph_svg;                // embedded in HTML when not empty
  std::string graph_note;               // said instead when there is no picture (e.g. no Graphviz)
  std::string graph_mermaid;            // a ```mermaid block in Markdown when not empty
};

std::string render_markdown(const runtime::graph& g, const doc_options& options = {});
std::string render_html(const runtime::graph& g, const doc_options& options = {});

// --- plain words (compiler/doc_words.cpp) -------------------------------------

// A condition node as a reader says it, grouping kept (runtime/plain_words.hpp).
using runtime::plain_words;

// The parts of an `and`/`or` node (one part for anything else), and which it is.
struct plain_parts {
  std::vector<std::uint32_t> nodes;
  bool any = false;  // `or`: any of them
};
plain_parts condition_parts(const runtime::graph& g, std::uint32_t node);

// A fact's type in words: "yes / no", "duration", "any of: Fever, …".
std::string fact_type_words(const runtime::graph& g, const runtime::fact& f);

// "☢☢☢ 1-10 mSv" for a level of the radiation scale; "—" when there is none.
std::string rrl_words(const runtime::graph& g, std::int32_t level, bool pediatric);

// Indices of a variant's ratings, most favourable category first (stable).
std::vector<std::size_t> ratings_in_acr_order(const runtime::variant& v);

}  // namespace rubric::compiler
