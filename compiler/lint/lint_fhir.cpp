// Lints of a guideline's FHIR bindings (docs/lints.md, R0611-R0615): facts
// with no binding that are not declared `is unbound` (set members named one
// by one), windows that keep a time since onset below every value a test
// needs, code lists nothing uses, codes of a system the resource is never
// coded in, and counts that can never be known. They read the AST for spans
// and the graph for resolved facts, members and the comparisons made.
#include <fmt/format.h>

#include <map>
#include <set>

#include "compiler/lint/lint.hpp"
#include "runtime/fhir_systems.hpp"
#include "runtime/patient.hpp"

namespace rubric::compiler {

namespace {

namespace rt = runtime;

struct fhir_view {
  const ast::module& m;
  const rt::graph& g;
  std::vector<const ast::binding_decl*> bindings;  // parallel to g.fhir.bindings
  std::vector<const ast::unbound_decl*> unbound;   // every `is unbound` line
  span block;                                      // the first `fhir` keyword
};

const ast::fact_decl* fact_named(const ast::module& m, const std::string& id) {
  for (const auto& p : m.patients)
    for (const auto& f : p.facts)
      if (f.id.text == id) return &f;
  return nullptr;
}

bool graph_reads(const rt::graph& g, std::uint32_t slot) {
  for (const rt::node& n : g.nodes)
    if (n.slot == static_cast<std::int32_t>(slot)) return true;
  return false;
}

std::string join_ticked(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i)
    out += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + ("`" + names[i] + "`");
  return out;
}

// R0611: every fact the graph reads is bound, or declared unbound with a reason.
void unbound_facts(const fhir_view& v, diagnostic_sink& sink) {
  std::map<std::uint32_t, std::set<std::int32_t>> bound, acknowledged;  // slot → members (-1: whole fact)
  for (const auto& b : v.g.fhir.bindings) bound[b.slot].insert(b.member);
  for (const auto& u : v.g.fhir.unbound) acknowledged[u.slot].insert(u.member);
  for (std::uint32_t s = 0; s < v.g.facts.size(); ++s) {
    const rt::fact& f = v.g.facts[s];
    const ast::fact_decl* decl = fact_named(v.m, f.id);
    if (!decl || !graph_reads(v.g, s) || acknowledged[s].count(-1)) continue;
    std::string help = fmt::format("bind it (`{} from …`), or say why no resource carries it: `{} is unbound \"…\"`", f.id, f.id);
    if (f.type != rt::value_type::set) {
      if (bound[s].empty())
        sink.report(diag_code::unbound_fact, decl->id.where, fmt::format("the fact `{}` has no FHIR binding", f.id))
            .also(v.block, "the guideline's bindings")
            .note("from a Bundle it is always unknown")
            .suggest(help);
      continue;
    }
    const auto& members = v.g.enumerations[static_cast<std::size_t>(f.enumeration)].members;
    std::vector<std::string> open;
    for (std::size_t i = 0; i < members.size(); ++i) {
      auto m = static_cast<std::int32_t>(i);
      if (!bound[s].count(m) && !acknowledged[s].count(m)) open.push_back(members[i].id);
    }
    if (open.empty()) continue;
    if (open.size() == members.size() && acknowledged[s].empty()) {
      sink.report(diag_code::unbound_fact, decl->id.where, fmt::format("the set fact `{}` has no FHIR binding", f.id))
          .also(v.block, "the guideline's bindings")
          .note("from a Bundle it is always unknown")
          .suggest(fmt::format("bind each member (`{} has MEMBER from …`), or say why none can be: `{} is unbound \"…\"`", f.id, f.id));
      continue;
    }
    sink.report(diag_code::unbound_fact, decl->id.where,
                fmt::format("{} {} of `{}` {} no FHIR binding", open.size() == 1 ? "the member" : "the members", join_ticked(open),
                            f.id, open.size() == 1 ? "has" : "have"))
        .also(v.block, "the guideline's bindings")
        .note(fmt::format("from a Bundle {} always undecided, so `{}` is never fully known", open.size() == 1 ? "it is" : "they are", f.id))
        .suggest(fmt::format("bind {} (`{} has {} from …`), or say why no resource carries {}: `{} has {} is unbound \"…\"`",
                             open.size() == 1 ? "it" : "each", f.id, open.front(), open.size() == 1 ? "it" : "them", f.id, open.front()));
  }
  for (const auto* u : v.unbound)
    if (u->reason.value.find_first_not_of(" \t") == std::string::npos)
      sink.report(diag_code::unbound_fact, u->reason.where, fmt::format("`{}` is declared unbound without a reason", u->fact.text))
          .suggest("say why no resource carries it, as in `is unbound \"the clinician's judgement; no EHR code\"`");
}

// The comparisons the graph makes on a fact: (op, threshold, text).
struct comparison {
  rt::compare_op op;
  double threshold;
  const std::string* text;
};
std::vector<comparison> comparisons_of(const rt::graph& g, std::uint32_t slot) {
  std::vector<comparison> out;
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const rt::node& n = g.nodes[i];
    bool direct = n.kind == rt::node_kind::compare && n.slot == static_cast<std::int32_t>(slot);
    bool ranged = n.kind == rt::node_kind::compare_num && g.nodes[g.children[n.first]].kind == rt::node_kind::num_fact &&
                  g.nodes[g.children[n.first]].slot == static_cast<std::int32_t>(slot);
    if (direct || ranged) out.push_back({n.op, n.number, &g.info[i].text});
  }
  return out;
}

// R0612: `time since onset of … within W before the order` is at most W
// days; with every source of the fact so bounded, a test that needs more
// can never hold from a Bundle.
void windows_below_thresholds(const fhir_view& v, diagnostic_sink& sink) {
  const auto& bs = v.g.fhir.bindings;
  for (std::size_t i = 0; i < bs.size();) {
    std::size_t end = i + 1;
    while (end < bs.size() && bs[end].or_previous) ++end;
    double most = 0;
    bool bounded = true;
    std::size_t widest = i;
    for (std::size_t k = i; k < end; ++k) {
      if (bs[k].source != rt::fhir_source::time_since_onset || !bs[k].within_days) bounded = false;
      else if (*bs[k].within_days >= most) { most = *bs[k].within_days; widest = k; }
    }
    if (bounded && bs[i].member < 0) {
      const rt::fact& f = v.g.facts[bs[i].slot];
      for (const comparison& c : comparisons_of(v.g, bs[i].slot)) {
        bool needs_more = (c.op == rt::compare_op::gt && c.threshold >= most) ||
                          ((c.op == rt::compare_op::ge || c.op == rt::compare_op::eq) && c.threshold > most);
        if (!needs_more) continue;
        const ast::binding_decl* b = v.bindings[widest];
        sink.report(diag_code::window_never_reaches, b->within->where,
                    fmt::format("`{}` from FHIR is at most {}, so `{}` can never hold", f.id, rt::format_duration(most), *c.text))
            .note(fmt::format("the window keeps only onsets within {} before the order", b->within->spelling))
            .suggest(fmt::format("widen the window to more than {}, or drop it", rt::format_duration(c.threshold)));
      }
    }
    i = end;
  }
}

// R0613: a code list the guideline declares that no binding names.
void unused_code_lists(const fhir_view& v, const std::string& module_name, diagnostic_sink& sink) {
  std::set<std::string> named;
  for (const auto& block : v.m.fhir)
    for (const auto& b : block.bindings) {
      const std::string& n = b.codes.text;
      auto dot = n.rfind('.');
      if (dot == std::string::npos) named.insert(n);
      else if (n.substr(0, dot) == module_name) named.insert(n.substr(dot + 1));
    }
  for (const auto& list : v.m.code_lists)
    if (!named.count(list.id.text))
      sink.report(diag_code::unused_code_list, list.id.where, fmt::format("the code list `{}` is not used by any binding", list.id.text))
          .suggest("name it in a binding (`… from any condition in " + list.id.text + "`), move it to a library of codes, or remove it");
}

// R0614: the systems each resource is coded in (FHIR R4's usual bindings):
// a Condition in ICD-10-CM or SNOMED CT, a Procedure in CPT or SNOMED CT,
// an Observation in LOINC or SNOMED CT, a medication in RxNorm or SNOMED CT.
const char* resource_systems(rt::fhir_resource r) {
  switch (r) {
    case rt::fhir_resource::condition: return "http://hl7.org/fhir/sid/icd-10-cm http://snomed.info/sct";
    case rt::fhir_resource::procedure: return "http://www.ama-assn.org/go/cpt http://snomed.info/sct";
    case rt::fhir_resource::observation: return "http://loinc.org http://snomed.info/sct";
    case rt::fhir_resource::medication: return "http://www.nlm.nih.gov/research/umls/rxnorm http://snomed.info/sct";
    case rt::fhir_resource::questionnaire_response: break;
  }
  return nullptr;
}
const char* resource_word(rt::fhir_resource r) {
  switch (r) {
    case rt::fhir_resource::condition: return "Condition";
    case rt::fhir_resource::procedure: return "Procedure";
    case rt::fhir_resource::observation: return "Observation";
    case rt::fhir_resource::medication: return "MedicationRequest or MedicationStatement";
    case rt::fhir_resource::questionnaire_response: break;
  }
  return "QuestionnaireResponse";
}
const char* systems_words(rt::fhir_resource r) {
  switch (r) {
    case rt::fhir_resource::condition: return "ICD10CM or SNOMED";
    case rt::fhir_resource::procedure: return "CPT or SNOMED";
    case rt::fhir_resource::observation: return "LOINC or SNOMED";
    case rt::fhir_resource::medication: return "RXNORM or SNOMED";
    case rt::fhir_resource::questionnaire_response: break;
  }
  return "";
}

void codes_of_other_systems(const fhir_view& v, diagnostic_sink& sink) {
  for (std::size_t i = 0; i < v.g.fhir.bindings.size(); ++i) {
    rt::fhir_binding b = v.g.fhir.bindings[i];
    // `latest observation in …` reads Observations whatever its `resource` field says.
    if (b.source == rt::fhir_source::observation_value) b.resource = rt::fhir_resource::observation;
    const char* systems = resource_systems(b.resource);
    if (b.codes < 0 || !systems) continue;
    const rt::fhir_code_list& list = v.g.fhir.code_lists[static_cast<std::size_t>(b.codes)];
    std::vector<std::string> odd;
    for (const auto& c : list.codes)
      if (std::string_view(systems).find(c.system) == std::string_view::npos) {
        const rt::coding_system* known = rt::coding_system_of_uri(c.system);
        odd.push_back((known ? std::string(known->name) : c.system) + " " + c.code);
      }
    if (odd.empty()) continue;
    sink.report(diag_code::code_system_not_of_resource, v.bindings[i]->codes.where,
                fmt::format("a {} is not coded in the system of {} of `{}`'s codes", resource_word(b.resource),
                            odd.size() == list.codes.size() ? "any" : fmt::format("{}", odd.size()), list.id))
        .note(fmt::format("{} no {} will match: {}", odd.size() == 1 ? "this code" : "these codes", resource_word(b.resource),
                          fmt::join(odd, ", ")))
        .suggest(fmt::format("use {} codes for a {}, or bind the code list to the resource it codes", systems_words(b.resource),
                             resource_word(b.resource)));
  }
}

// R0615: a count is known only where its record is declared complete.
void counts_never_known(const fhir_view& v, diagnostic_sink& sink) {
  const auto& f = v.g.fhir;
  for (std::size_t i = 0; i < f.bindings.size(); ++i) {
    const rt::fhir_binding& b = f.bindings[i];
    if (b.source != rt::fhir_source::count) continue;
    bool complete = b.resource == rt::fhir_resource::condition    ? f.conditions_complete
                    : b.resource == rt::fhir_resource::procedure  ? f.procedures_complete
                    : b.resource == rt::fhir_resource::medication ? f.medications_complete
                                                                  : false;
    if (complete) continue;
    auto& d = sink.report(diag_code::count_never_known, v.bindings[i]->where,
                          fmt::format("this count is always unknown: the record of {}s is not declared complete",
                                      b.resource == rt::fhir_resource::medication ? "medication" : resource_word(b.resource)))
                  .note("where the record may be incomplete, the count found is only a lower bound");
    if (b.resource == rt::fhir_resource::observation) d.suggest("observations are never complete: count conditions, procedures or medications, or read the latest observation");
    else d.suggest(fmt::format("declare the record complete (`complete {}s`) if the EHR sends all of it", b.resource == rt::fhir_resource::condition ? "condition" : b.resource == rt::fhir_resource::procedure ? "procedure" : "medication"));
  }
}

}  // namespace

void fhir_lints(const ast::module& m, const runtime::graph* g, diagnostic_sink& sink) {
  if (m.head.kind != ast::module_kind::guideline || m.fhir.empty() || g == nullptr) return;
  fhir_view v{m, *g, {}, {}, m.fhir.front().where};
  v.block.end = v.block.begin + 4;  // the `fhir` keyword
  for (const auto& block : m.fhir) {
    for (const auto& b : block.bindings) v.bindings.push_back(&b);
    for (const auto& u : block.unbound) v.unbound.push_back(&u);
  }
  if (v.bindings.size() != g->fhir.bindings.size()) return;  // the graph was not lowered from these lines
  unbound_facts(v, sink);
  windows_below_thresholds(v, sink);
  unused_code_lists(v, g->id, sink);
  codes_of_other_systems(v, sink);
  counts_never_known(v, sink);
}

}  // namespace rubric::compiler
