// Fuzzes the decision-graph loader on arbitrary bytes, then evaluates, explains
// and asks why-not for two patients on every graph it accepts: everything
// unknown, and every fact known (with values taken from the graph's tests).
// The loader must refuse what the runtime cannot evaluate safely.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz/fuzz_eval.hpp"
#include "runtime/graph_io.hpp"

namespace {

// Every fact known: true, the first threshold compared with, the first
// member, the empty set, the first string compared with.
rubric::runtime::patient all_known(const rubric::runtime::graph& g) {
  using namespace rubric::runtime;
  patient p;
  p.reset(g);
  for (std::uint32_t s = 0; s < g.facts.size(); ++s) {
    double number = 0;
    std::string text;
    for (const node& n : g.nodes) {
      if (n.slot != static_cast<std::int32_t>(s)) continue;
      if (n.kind == node_kind::compare) number = n.number;
      if (n.kind == node_kind::text_equals && n.mask < g.strings.size()) text = g.strings[n.mask];
    }
    switch (g.facts[s].type) {
      case value_type::boolean: p.set_bool(s, true); break;
      case value_type::number: p.set_number(s, number); break;
      case value_type::duration: p.set_number(s, number < 0 ? 0 : number); break;
      case value_type::enumeration: p.set_member(s, 0); break;
      case value_type::set: p.set_members(s, 0); break;
      case value_type::text: p.set_text(s, text); break;
    }
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace rubric;
  runtime::graph_load_result r = runtime::load_graph_json(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!r) {
    fuzz::require(!r.error.empty(), "a graph refused without a reason");
    return 0;
  }
  const runtime::graph& g = *r.value;
  runtime::patient unknown;
  unknown.reset(g);
  fuzz::evaluate_everything(g, unknown, 2000);
  fuzz::evaluate_everything(g, all_known(g), 2000);
  return 0;
}
