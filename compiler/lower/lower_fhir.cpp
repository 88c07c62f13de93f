// Lowering the guideline's `fhir` block (docs/ir.md, "fhir"): each binding
// becomes a record with the fact's slot, the set member, the source and the
// index of its code list; each code list used is copied once, its systems as
// FHIR URIs and durations in days. Sema (bindings.cpp) has resolved every name.
#include "compiler/lower/lower_internal.hpp"
#include "runtime/fhir_systems.hpp"

namespace rubric::compiler::lowering {

std::int32_t lowerer::code_list_index(std::uint32_t module, std::uint32_t index) {
  auto key = std::make_pair(module, index);
  if (auto it = code_lists_.find(key); it != code_lists_.end()) return it->second;
  const ast::codes_decl& d = p_.module(module).code_lists[index];
  rt::fhir_code_list list;
  list.id = p_.scopes[module].name + "." + d.id.text;
  list.label = d.label ? d.label->value : d.id.text;
  list.source = d.source ? d.source->value : "";
  list.url = d.url ? d.url->value : "";
  for (const auto& e : d.codes) {
    rt::fhir_code c;
    const auto* system = rt::coding_system_named(e.system.text);
    c.system = system ? std::string(system->uri) : e.system.text;
    c.code = e.code.value;
    c.prefix = !c.code.empty() && c.code.back() == '*';
    if (c.prefix) c.code.pop_back();
    c.display = e.display ? e.display->value : "";
    c.unverified = e.unverified;
    list.codes.push_back(std::move(c));
  }
  auto at = static_cast<std::int32_t>(g_.fhir.code_lists.size());
  g_.fhir.code_lists.push_back(std::move(list));
  code_lists_[key] = at;
  return at;
}

void lowerer::fhir() {
  std::size_t next = 0;
  for (const auto& block : root_.fhir) {
    if (g_.fhir.label.empty() && block.label) g_.fhir.label = block.label->value;
    for (const auto& word : block.complete) {
      if (word.text == "conditions") g_.fhir.conditions_complete = true;
      if (word.text == "procedures") g_.fhir.procedures_complete = true;
      if (word.text == "medications") g_.fhir.medications_complete = true;
    }
    for (const auto& b : block.bindings) {
      const sema::binding_info& info = p_.bindings[next++];
      rt::fhir_binding out;
      out.slot = static_cast<std::uint32_t>(slot_of(info.fact));
      out.member = info.member;
      out.source = static_cast<rt::fhir_source>(b.source);
      out.resource = static_cast<rt::fhir_resource>(b.resource);
      out.earliest = b.earliest;
      if (info.codes_module >= 0)
        out.codes = code_list_index(static_cast<std::uint32_t>(info.codes_module), static_cast<std::uint32_t>(info.codes_index));
      if (b.within) out.within_days = literal_value(*b.within);
      out.or_previous = b.alternative;
      if (b.question) out.question = b.question->value;
      if (b.questionnaire) out.questionnaire = b.questionnaire->value;
      out.text = text_of(b.where);
      out.where = loc(b.where);
      g_.fhir.bindings.push_back(std::move(out));
    }
  }
  std::size_t next_unbound = 0;
  for (const auto& block : root_.fhir)
    for (const auto& u : block.unbound) {
      const sema::unbound_info& info = p_.unbound[next_unbound++];
      if (!info.ok) continue;
      g_.fhir.unbound.push_back({static_cast<std::uint32_t>(slot_of(info.fact)), info.member, u.reason.value, loc(u.where)});
    }
}

}  // namespace rubric::compiler::lowering
