// The facts the runtime's Bundle decoder derives, exactly, for the FHIRPath
// oracle (tests/fhir/oracle.mjs, run by tests/cli/fhir_oracle.sh). Reads a
// compiled graph and Bundles as NDJSON on stdin; prints one JSON line per
// input line: {"error", "facts": {fact: null | number (days) | bool | [members]},
// "members": [per binding: true | false | null], "warnings"}. Links the runtime
// only, like a deployment would.
#include <cstdio>
#include <iostream>
#include <string>

#include "runtime/fhir_bundle.hpp"
#include "runtime/graph_io.hpp"
#include "runtime/json_writer.hpp"

using namespace rubric::runtime;

namespace {

void write_slot(json_writer& w, const graph& g, const patient& p, std::uint32_t slot) {
  const fact& f = g.facts[slot];
  const slot_value& v = p.slots[slot];
  if (!v.known) {
    w.null();
  } else if (f.type == value_type::boolean) {
    w.value(v.bits != 0);
  } else if (f.type == value_type::set) {
    w.begin_array();
    const auto& members = g.enumerations[static_cast<std::size_t>(f.enumeration)].members;
    for (std::size_t m = 0; m < members.size(); ++m)
      if (v.bits & (std::uint64_t(1) << m)) w.value(members[m].id);
    w.end_array();
  } else {
    w.value(v.number);
  }
}

void write_result(json_writer& w, const graph& g, bool ok, const std::string& error, const patient& p,
                  const fhir_provenance& where) {
  w.begin_object().key("error");
  if (!ok) {
    w.value(error).end_object();
    return;
  }
  w.null().key("facts").begin_object();
  for (std::uint32_t slot = 0; slot < g.facts.size(); ++slot) {
    if (where.facts[slot].empty()) continue;  // not bound
    w.key(g.facts[slot].id);
    write_slot(w, g, p, slot);
  }
  w.end_object().key("members").begin_array();
  for (std::size_t i = 0; i < g.fhir.bindings.size(); ++i) {
    if (g.fhir.bindings[i].member < 0 || where.members[i] == truth::unknown) w.null();
    else w.value(where.members[i] == truth::yes);
  }
  w.end_array().key("order").value(where.order).key("warnings").begin_array();
  for (const auto& warning : p.warnings) w.value(warning);
  w.end_array().end_object();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fhir_facts_dump GRAPH.json < BUNDLES.ndjson\n");
    return 2;
  }
  auto loaded = load_graph_file(argv[1]);
  if (!loaded) {
    std::fprintf(stderr, "fhir_facts_dump: %s\n", loaded.error.c_str());
    return 2;
  }
  const graph& g = *loaded.value;
  fhir_decoder decoder(g);
  patient p;
  fhir_provenance where;
  std::string line, error;
  json_writer w;
  while (std::getline(std::cin, line)) {
    w.clear();
    bool ok = decoder.decode(line, p, where, error);
    write_result(w, g, ok, error, p, where);
    std::fwrite(w.str().data(), 1, w.str().size(), stdout);
    std::fputc('\n', stdout);
  }
  return 0;
}
