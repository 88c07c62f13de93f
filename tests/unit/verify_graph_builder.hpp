// A tiny builder of decision graphs for the verifier's tests: facts, predicate
// and boolean nodes, criteria and variants, without the parser or compiler.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/diagnostics/source.hpp"
#include "runtime/graph.hpp"

namespace rubric::test {

struct graph_builder {
  runtime::graph g;
  std::uint32_t line = 1;  // each variant / criterion gets its own line in the fake file

  graph_builder() {
    g.id = "test.guideline";
    g.title = "Test";
    g.files.push_back("test.rubric");
  }

  runtime::location here() { return runtime::location{0, line, 1, line, 10}; }

  std::uint32_t fact(const std::string& id, runtime::value_type t, std::int32_t enumeration = -1) {
    runtime::fact f;
    f.id = id;
    f.label = id;
    f.type = t;
    f.enumeration = enumeration;
    g.facts.push_back(f);
    return static_cast<std::uint32_t>(g.facts.size() - 1);
  }
  std::int32_t enumeration(const std::string& id, const std::vector<std::string>& members) {
    runtime::enumeration e;
    e.id = id;
    e.label = id;
    for (const std::string& m : members) e.members.push_back({m, m});
    g.enumerations.push_back(e);
    return static_cast<std::int32_t>(g.enumerations.size() - 1);
  }
  std::uint32_t add(runtime::node n, const std::string& text) {
    g.nodes.push_back(n);
    g.info.push_back({text, here()});
    return static_cast<std::uint32_t>(g.nodes.size() - 1);
  }
  std::uint32_t compare(std::uint32_t slot, runtime::compare_op op, double v, const std::string& text) {
    runtime::node n;
    n.kind = runtime::node_kind::compare;
    n.slot = static_cast<std::int32_t>(slot);
    n.op = op;
    n.number = v;
    return add(n, text);
  }
  std::uint32_t compare_facts(std::uint32_t a, runtime::compare_op op, std::uint32_t b, const std::string& text) {
    runtime::node n;
    n.kind = runtime::node_kind::compare_facts;
    n.slot = static_cast<std::int32_t>(a);
    n.slot2 = static_cast<std::int32_t>(b);
    n.op = op;
    return add(n, text);
  }
  std::uint32_t simple(runtime::node_kind k, std::uint32_t slot, std::uint64_t mask, const std::string& text) {
    runtime::node n;
    n.kind = k;
    n.slot = static_cast<std::int32_t>(slot);
    n.mask = mask;
    return add(n, text);
  }
  std::uint32_t connective(runtime::node_kind k, const std::vector<std::uint32_t>& kids, const std::string& text) {
    runtime::node n;
    n.kind = k;
    n.first = static_cast<std::uint32_t>(g.children.size());
    n.count = static_cast<std::uint32_t>(kids.size());
    for (std::uint32_t c : kids) g.children.push_back(c);
    return add(n, text);
  }
  std::uint32_t constant(runtime::truth t) {
    runtime::node n;
    n.kind = runtime::node_kind::constant;
    n.constant = t;
    return add(n, t == runtime::truth::yes ? "true" : t == runtime::truth::no ? "false" : "unknown");
  }
  std::uint32_t criterion(const std::string& id, std::uint32_t body, const std::string& label = "") {
    ++line;
    runtime::criterion c;
    c.id = id;
    c.label = label.empty() ? id : label;
    c.text = g.info[body].text;
    c.where = here();
    runtime::node n;
    n.kind = runtime::node_kind::criterion;
    n.first = static_cast<std::uint32_t>(g.children.size());
    n.count = 1;
    n.criterion = static_cast<std::int32_t>(g.criteria.size());
    g.children.push_back(body);
    std::uint32_t node = add(n, id);
    c.node = node;
    g.criteria.push_back(c);
    return node;
  }
  std::uint32_t variant(const std::string& id, std::int32_t guard) {
    ++line;
    runtime::variant v;
    v.id = id;
    v.title = "Variant " + id;
    v.guard = guard;
    v.where = here();
    g.variants.push_back(v);
    g.order.push_back(static_cast<std::uint32_t>(g.variants.size() - 1));
    return static_cast<std::uint32_t>(g.variants.size() - 1);
  }
  void assume(std::uint32_t node, const std::string& text) {
    ++line;
    g.assumptions.push_back({node, "", text, here()});
  }
  void next(std::uint32_t from, std::uint32_t to, std::uint32_t when) {
    ++line;
    runtime::transition t;
    t.target = to;
    t.when = when;
    t.where = here();
    g.variants[from].next.push_back(t);
  }

  // A fake source file with enough lines for every location.
  compiler::source_manager sources() const {
    compiler::source_manager s;
    std::string text;
    for (std::uint32_t i = 0; i <= line + 1; ++i) text += "line " + std::to_string(i + 1) + " of the test guideline\n";
    s.add("test.rubric", text);
    return s;
  }
};

}  // namespace rubric::test
