// A plain AST builder: compiler/parser.cpp's parse actions call one method per
// grammar rule that carries a value, with the matched text and its span. No
// PEGTL here. Declarations are opened by their keyword and filled clause by
// clause; expressions are built on a small stack (operands push, operators
// pop). After a syntax error the parser calls `abandon()` and resumes at the
// next declaration.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/diagnostics/source.hpp"

namespace rubric::compiler {

// A clause a declaration may have once, written again (a variant's second
// `when`, a header's second `scale`): the builder keeps the first and records
// both for a diagnostic.
struct repeated_clause {
  std::string clause;  // the clause's keyword: "when", "source", "scale", "pediatric when"…
  std::string owner;   // the declaration, in the author's words: "variant `2`", "the guideline header"
  span first, again;   // the first clause's value and the repeated one's
};

class ast_builder {
 public:
  explicit ast_builder(file_id file);

  // The finished module (call once, after a successful parse).
  ast::module take();
  // Forgets a half-built clause or expression after a syntax error.
  void abandon();
  // Clauses written twice where one is allowed (the parser reports them).
  const std::vector<repeated_clause>& repeated() const { return repeated_; }
  span at(std::uint32_t begin, std::uint32_t end) const { return {file_, begin, end}; }

  // --- lexical ---------------------------------------------------------------
  void comment(std::string_view text, span where);
  void string_open(std::uint32_t offset) { last_string_open_ = offset; }
  std::uint32_t last_string_open() const { return last_string_open_; }

  // --- header ------------------------------------------------------------------
  void begin_header(ast::module_kind kind, span where);
  void module_name(std::string_view text, span where);
  void module_title(std::string_view text, span where);
  void source(std::string_view text, span where);  // header or variant, by context
  void citation(std::string_view text, span where);
  void revised(std::string_view text, span where);
  void doi(std::string_view text, span where);
  void url(std::string_view text, span where);
  void license(std::string_view text, span where);
  void header_scale(std::string_view text, span where);
  void radiation(std::string_view text, span where);
  void select_policy(ast::select_policy policy, span where);
  void order_item(std::string_view text, span where);
  void end_select(span where);
  void end_header(span where);

  // --- declarations ------------------------------------------------------------
  // Every declaration: `begin(kind)` at its keyword, `end_decl` when it is done.
  void begin(ast::decl_kind kind, span where);
  void end_decl(span where);

  void import_name(std::string_view text, span where);

  void enum_id(std::string_view text, span where);
  void enum_label(std::string_view text, span where);
  void member_id(std::string_view text, span where);
  void member_label(std::string_view text, span where);
  void end_member(span where);

  void scale_id(std::string_view text, span where);
  void scale_label(std::string_view text, span where);
  void begin_level(span where);
  void level_id(std::string_view text, span where);
  void level_label(std::string_view text, span where);
  void range_min(std::string_view text, span where);
  void range_max(std::string_view text, span where);
  void means(std::string_view text, span where);
  void adult_dose(std::string_view text, span where);
  void pediatric_dose(std::string_view text, span where);
  void end_level(span where);

  void procedure_id(std::string_view text, span where);
  void procedure_display(std::string_view text, span where);
  void modality(std::string_view text, span where);
  void region(std::string_view text, span where);
  void contrast(std::string_view text, span where);
  void adult_rrl(std::string_view text, span where);
  void pediatric_rrl(std::string_view text, span where);
  void begin_code(span where);
  void code_system(std::string_view text, span where);
  void code_value(std::string_view text, span where);
  void end_code(span where);

  void fact_id(std::string_view text, span where);
  void fact_type(ast::type_kind kind, std::string_view named, span where);
  void fact_range(std::string_view text, span where);  // `3..15`, `0..`, `..10`
  void fact_unit(std::string_view text, span where);
  void fact_label(std::string_view text, span where);
  void fact_fixed();
  void end_fact(span where);

  void let_id(std::string_view text, span where);
  void let_value();

  void criterion_id(std::string_view text, span where);
  void criterion_label(std::string_view text, span where);
  void criterion_body();

  void score_id(std::string_view text, span where);
  void score_label(std::string_view text, span where);
  void score_points(std::string_view text, span where);  // opens a line
  void score_condition(span line);

  void value_id(std::string_view text, span where);
  void value_label(std::string_view text, span where);
  void value_body();

  void variant_name(std::string_view text, span where);
  void variant_title(std::string_view text, span where);
  void variant_guard();
  void rated_procedure(std::string_view text, span where);
  void category_word(std::string_view text);
  void category(std::string_view text, span where);
  void score(std::string_view text, span where);
  void rating_rrl(std::string_view text, span where);
  void rating_caveat(std::string_view text, span where);
  void end_rating(span where);
  void begin_advice(span where);
  void advice_text(std::string_view text, span where);
  void advice_condition();
  void end_advice(span where);
  void begin_next(span where);
  void next_target(std::string_view text, span where);
  void next_urgent();
  void next_condition();
  void next_label(std::string_view text, span where);
  void end_next(span where);
  void evidence(std::string_view text, span where);

  void otherwise_label(std::string_view text, span where);

  void assume_condition();
  void pediatric_condition();
  void assume_label(std::string_view text, span where);

  void example_title(std::string_view text, span where);
  void given_fact(std::string_view text, span where);
  void end_given(span where);
  void begin_expect(span where);
  void expect_variant(std::string_view text, span where);
  void expect_status(std::string_view text, span where);
  void expect_missing(std::string_view text, span where);
  void expect_candidate(std::string_view text, span where);
  void expect_rating();
  void end_expect(span where);

  // --- expressions -------------------------------------------------------------
  void push_bool(bool value, span where);
  void push_unknown(span where);
  void push_number(std::string_view text, span where);
  void push_string(std::string_view text, span where);
  void push_name(std::string_view text, span where);
  void set_open(span where);
  void set_member(std::string_view text, span where);
  void set_close(span where);
  void compare(span tail, std::string_view text);
  void arithmetic(span tail, std::string_view text);  // `+ x`, `- x`, `* x`, `/ x`: the operator is the text's first character
  void convert(span tail, std::string_view unit);
  // Counts, `min` and `max`: a list's items are what the stack gained since its `(`.
  void count_number(std::string_view text, span where);
  void list_open();
  void list_close(ast::expr_kind kind, span where);
  void if_value(span where);
  void in_set(span tail);
  void has_quantifier(bool all) { pending_has_all_ = all; }
  void has(span tail);
  void is_test(ast::expr_kind kind) { pending_is_ = kind; }
  void is(span tail);
  void parenthesized(span where);  // widens the inner expression's span to its parentheses
  void negate(span where);
  void and_(span tail);
  void or_(span tail);

  // Unescapes a string literal as written (with its quotes).
  static std::string unescape(std::string_view literal);
  // Parses `6 weeks`, `12wk`, `-3`, `0.5` (the grammar has checked the shape).
  // --- FHIR code lists and bindings (ast_builder_fhir.cpp) -------------------------
  void codes_id(std::string_view text, span where);
  void codes_label(std::string_view text, span where);
  void codes_source(std::string_view text, span where);
  void codes_url(std::string_view text, span where);
  void codes_system(std::string_view text, span where);
  void codes_code(std::string_view text, span where);
  void codes_display(std::string_view text, span where);
  void codes_unverified(span where);
  void fhir_label(std::string_view text, span where);
  void complete_resource(std::string_view text, span where);
  void binding_fact(std::string_view text, span where);
  void binding_member(std::string_view text, span where);
  void binding_source(ast::fhir_source source);
  void binding_resource(ast::fhir_resource resource);
  void binding_observation_value();
  void binding_earliest() { module_.fhir.back().bindings.back().earliest = true; }
  void binding_codes(std::string_view text, span where);
  void binding_window(std::string_view text, span where);
  void binding_question(std::string_view text, span where);
  void binding_questionnaire(std::string_view text, span where);
  void binding_alternative(span where);
  void end_binding(span where);
  void unbound_fact(std::string_view text, span where);
  void unbound_member(std::string_view text, span where);
  void unbound_reason(std::string_view text, span where);

  static ast::number parse_quantity(std::string_view text, span where);
  // The duration unit of a time word or UCUM code (`weeks`, `h`); none otherwise.
  static ast::unit time_unit(std::string_view unit);

 private:
  ast::expr pop();
  void binary(ast::expr_kind kind, span tail);
  static ast::name make_name(std::string_view text, span where) { return {std::string(text), where}; }
  static ast::text make_text(std::string_view literal, span where) { return {unescape(literal), where}; }
  // Sets a once-only clause, or keeps the first and records the repetition.
  template <class T>
  void set_once(std::optional<T>& slot, const char* clause, const std::string& owner, T value) {
    if (slot) repeated_.push_back({clause, owner, slot->where, value.where});
    else slot = std::move(value);
  }
  std::string variant_owner() const;  // "variant `2`"
  std::string header_owner() const;   // "the guideline header"

  file_id file_;
  ast::module module_;
  ast::decl_kind context_ = ast::decl_kind::import;
  bool in_header_ = false;
  bool skipping_select_ = false;  // inside a repeated `select` (R0126)
  std::vector<ast::expr> stack_;
  std::vector<std::size_t> lists_;  // stack sizes at each open `(` of a list
  ast::compare_op pending_op_ = ast::compare_op::eq;
  bool pending_has_all_ = false;
  ast::expr_kind pending_is_ = ast::expr_kind::is_empty;
  std::uint32_t last_string_open_ = 0;
  // The clause being filled: a rating, expectation or piece of advice.
  ast::procedure_ref procedure_;
  ast::category_ref category_;
  std::vector<std::string> words_;
  std::optional<ast::number> score_;
  std::optional<ast::level_ref> rrl_;
  std::optional<ast::text> caveat_;
  ast::advice_decl advice_;
  ast::transition_decl next_;
  ast::code_decl code_;
  ast::name given_fact_;
  ast::expect_decl expect_;
  std::vector<repeated_clause> repeated_;
};

}  // namespace rubric::compiler
