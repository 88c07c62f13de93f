// The builder's part for FHIR code lists (`codes`) and bindings (`fhir`):
// one method per grammar rule that carries a value (grammar/grammar.hpp,
// section "FHIR R4").
#include "compiler/syntax/ast_builder.hpp"

namespace rubric::compiler {

void ast_builder::codes_id(std::string_view text, span where) { module_.code_lists.back().id = make_name(text, where); }
void ast_builder::codes_label(std::string_view text, span where) {
  module_.code_lists.back().label = make_text(text, where);
}
void ast_builder::codes_source(std::string_view text, span where) {
  module_.code_lists.back().source = make_text(text, where);
}
void ast_builder::codes_url(std::string_view text, span where) { module_.code_lists.back().url = make_text(text, where); }
void ast_builder::codes_system(std::string_view text, span where) {
  module_.code_lists.back().codes.push_back({make_name(text, where), {}, std::nullopt, false, where});
}
void ast_builder::codes_code(std::string_view text, span where) {
  auto& entry = module_.code_lists.back().codes.back();
  entry.code = make_text(text, where);
  entry.where = at(entry.system.where.begin, where.end);
}
void ast_builder::codes_display(std::string_view text, span where) {
  auto& entry = module_.code_lists.back().codes.back();
  entry.display = make_text(text, where);
  entry.where.end = where.end;
}
void ast_builder::codes_unverified(span where) {
  auto& entry = module_.code_lists.back().codes.back();
  entry.unverified = true;
  entry.where.end = where.end;
}

void ast_builder::fhir_label(std::string_view text, span where) { module_.fhir.back().label = make_text(text, where); }
void ast_builder::complete_resource(std::string_view text, span where) {
  module_.fhir.back().complete.push_back(make_name(text, where));
}
void ast_builder::binding_fact(std::string_view text, span where) {
  ast::binding_decl b;
  b.fact = make_name(text, where);
  b.where = where;
  module_.fhir.back().bindings.push_back(std::move(b));
}
void ast_builder::binding_member(std::string_view text, span where) {
  module_.fhir.back().bindings.back().member = make_name(text, where);
}
void ast_builder::binding_source(ast::fhir_source source) { module_.fhir.back().bindings.back().source = source; }
// `latest observation in CODES`: the value of an Observation (the source and
// the resource are one keyword, so both are set here).
void ast_builder::binding_observation_value() {
  binding_source(ast::fhir_source::observation_value);
  binding_resource(ast::fhir_resource::observation);
}
void ast_builder::binding_resource(ast::fhir_resource resource) {
  module_.fhir.back().bindings.back().resource = resource;
}
void ast_builder::binding_codes(std::string_view text, span where) {
  module_.fhir.back().bindings.back().codes = make_name(text, where);
}
void ast_builder::binding_window(std::string_view text, span where) {
  module_.fhir.back().bindings.back().within = parse_quantity(text, where);
}
void ast_builder::binding_question(std::string_view text, span where) {
  module_.fhir.back().bindings.back().question = make_text(text, where);
  module_.fhir.back().bindings.back().resource = ast::fhir_resource::questionnaire_response;
}
void ast_builder::binding_questionnaire(std::string_view text, span where) {
  module_.fhir.back().bindings.back().questionnaire = make_text(text, where);
}
// `or`: a new binding of the same fact and member, spanning from `or`.
void ast_builder::binding_alternative(span where) {
  auto& bindings = module_.fhir.back().bindings;
  ast::binding_decl b;
  b.fact = bindings.back().fact;
  b.member = bindings.back().member;
  b.alternative = true;
  b.where = where;
  bindings.push_back(std::move(b));
}
// The whole line goes to the first binding of the line; each alternative
// runs from its `or` to the start of the next one (or the end).
void ast_builder::end_binding(span where) {
  auto& bindings = module_.fhir.back().bindings;
  std::size_t i = bindings.size() - 1;
  std::uint32_t next_begin = where.end;
  while (bindings[i].alternative) {
    bindings[i].where.end = next_begin;
    next_begin = bindings[i].where.begin;
    --i;
  }
  bindings[i].where = where;
}

// `FACT [has MEMBER] is unbound "REASON"`: the line runs from the fact to the reason.
void ast_builder::unbound_fact(std::string_view text, span where) {
  ast::unbound_decl u;
  u.fact = make_name(text, where);
  u.where = where;
  module_.fhir.back().unbound.push_back(std::move(u));
}
void ast_builder::unbound_member(std::string_view text, span where) {
  module_.fhir.back().unbound.back().member = make_name(text, where);
}
void ast_builder::unbound_reason(std::string_view text, span where) {
  auto& u = module_.fhir.back().unbound.back();
  u.reason = make_text(text, where);
  u.where.end = where.end;
}

}  // namespace rubric::compiler
