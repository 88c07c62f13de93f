// The syntax-error table: for every rule the grammar commits to (`if_must`,
// `must`), the diagnostic code and the message an author sees when it is
// missing, in the author's terms. compiler/parser.cpp raises these; a rule
// that can never fail (`sep`, `opt<…>`, `star<…>`) needs no entry, and any
// other committed rule without one is a compile error there.
#pragma once

#include <string_view>

#include "grammar/grammar.hpp"

namespace rubric::grammar {

struct error {
  std::string_view code;     // a code from compiler/codes_syntax.def
  std::string_view message;  // lower-case start, no trailing period
};

template <typename Rule>
inline constexpr error error_message{};

// Rules that always succeed: `must` around them never raises.
template <typename Rule>
inline constexpr bool never_fails = false;
template <>
inline constexpr bool never_fails<sep> = true;
template <typename... Rules>
inline constexpr bool never_fails<opt<Rules...>> = true;
template <typename... Rules>
inline constexpr bool never_fails<star<Rules...>> = true;
template <>
inline constexpr bool never_fails<string_body> = true;  // it only fails by raising `string_end`

#define RUBRIC_SYNTAX_ERROR(rule, code, text) \
  template <>                                 \
  inline constexpr error error_message<rule> = {#code, text};

// --- lexical ---------------------------------------------------------------
RUBRIC_SYNTAX_ERROR(string_close, R0107, "unterminated string: the closing `\"` is missing on this line")
RUBRIC_SYNTAX_ERROR(escape_code, R0108, "unknown escape in a string")
RUBRIC_SYNTAX_ERROR(name_end, R0105, "this name is longer than the limit of 200 characters")
RUBRIC_SYNTAX_ERROR(string_end, R0105, "this string is longer than the limit of 10000 bytes")
RUBRIC_SYNTAX_ERROR(digits_end, R0106, "this number has more than 20 digits")
RUBRIC_SYNTAX_ERROR(nesting_too_deep, R0104, "this condition nests `(` and `not` more than 256 levels deep")

// --- expressions -------------------------------------------------------------
RUBRIC_SYNTAX_ERROR(set_member, R0112, "expected a name after `,` in the set")
RUBRIC_SYNTAX_ERROR(set_close, R0117, "expected `}` to close the set, or `,` and another name")
RUBRIC_SYNTAX_ERROR(paren_inner, R0114, "expected a condition after `(`")
RUBRIC_SYNTAX_ERROR(paren_close, R0117, "expected `)` to close the parenthesis")
RUBRIC_SYNTAX_ERROR(compare_rhs, R0121, "expected a value such as `6 weeks`, `true` or a name after the comparison")
RUBRIC_SYNTAX_ERROR(no_chained_comparison, R0124, "comparisons do not chain")
RUBRIC_SYNTAX_ERROR(in_set, R0121, "expected a set such as `{left, right}` after `in`")
RUBRIC_SYNTAX_ERROR(has_quantifier, R0118, "expected `any of` or `all of` after `has`")
RUBRIC_SYNTAX_ERROR(has_of, R0118, "expected `of` after `has any` or `has all`")
RUBRIC_SYNTAX_ERROR(has_set, R0121, "expected a set such as `{fever, weight_loss}` after `of`")
RUBRIC_SYNTAX_ERROR(is_not_empty_word, R0118, "expected `empty` after `is not`")
RUBRIC_SYNTAX_ERROR(is_what, R0118, "expected `empty`, `not empty`, `known` or `unknown` after `is`")
RUBRIC_SYNTAX_ERROR(not_operand, R0114, "expected a condition after `not`")
RUBRIC_SYNTAX_ERROR(and_rhs, R0114, "expected a condition after `and`")
RUBRIC_SYNTAX_ERROR(or_rhs, R0114, "expected a condition after `or`")
RUBRIC_SYNTAX_ERROR(item_list, R0117, "expected `(` and a list of conditions or values, as in `(a, b, c)`")
RUBRIC_SYNTAX_ERROR(list_item, R0121, "expected a condition or a value in the list")
RUBRIC_SYNTAX_ERROR(list_close, R0117, "expected `)` to close the list, or `,` and another item")
RUBRIC_SYNTAX_ERROR(count_number, R0115, "expected a whole number, as in `at least 2 of (…)`")
RUBRIC_SYNTAX_ERROR(count_of, R0118, "expected `of` and a list after the number, as in `at least 2 of (a, b, c)`")
RUBRIC_SYNTAX_ERROR(if_condition, R0114, "expected a condition after `if`")
RUBRIC_SYNTAX_ERROR(if_then_word, R0118, "expected `then` after the condition, as in `if C then A else B`")
RUBRIC_SYNTAX_ERROR(if_then, R0121, "expected a value after `then`")
RUBRIC_SYNTAX_ERROR(if_else_word, R0118, "expected `else` and a value: `if C then A else B` needs both branches")
RUBRIC_SYNTAX_ERROR(if_else, R0121, "expected a value after `else`")
RUBRIC_SYNTAX_ERROR(product_rhs, R0121, "expected a value after `*` or `/`")
RUBRIC_SYNTAX_ERROR(sum_rhs, R0121, "expected a value after `+` or `-`")

// --- module header -------------------------------------------------------------
RUBRIC_SYNTAX_ERROR(header, R0109, "expected `guideline` or `library` and the module's name at the start of the file")
RUBRIC_SYNTAX_ERROR(module_name, R0112, "expected the module's dotted name, such as `acr.low_back_pain`")
RUBRIC_SYNTAX_ERROR(module_title, R0113, "expected the module's title in quotes after its name")
RUBRIC_SYNTAX_ERROR(source_text, R0113, "expected the source in quotes after `source`")
RUBRIC_SYNTAX_ERROR(citation_text, R0113, "expected the citation in quotes after `citation`")
RUBRIC_SYNTAX_ERROR(revised_year, R0115, "expected the year of revision, such as `2021`, after `revised`")
RUBRIC_SYNTAX_ERROR(doi_text, R0113, "expected the DOI in quotes after `doi`")
RUBRIC_SYNTAX_ERROR(url_text, R0113, "expected the address in quotes after `url`")
RUBRIC_SYNTAX_ERROR(license_text, R0113, "expected the license text in quotes after `license`")
RUBRIC_SYNTAX_ERROR(radiation_name, R0112, "expected the name of the radiation-level scale after `radiation`")
RUBRIC_SYNTAX_ERROR(select_policy, R0118, "expected `first`, `unique` or `all` after `select`")
RUBRIC_SYNTAX_ERROR(order_word, R0118, "expected `order` after `in`, as in `select first in order 4, 7, 6`")
RUBRIC_SYNTAX_ERROR(order_item, R0120, "expected a variant number or name in the order list")

// --- declarations ------------------------------------------------------------
RUBRIC_SYNTAX_ERROR(import_name, R0112, "expected a module name, such as `stdlib.acr`, after `import`")
RUBRIC_SYNTAX_ERROR(enum_id, R0112, "expected a name for the enumeration after `enum`")
RUBRIC_SYNTAX_ERROR(scale_id, R0112, "expected a name for the scale after `scale`")
RUBRIC_SYNTAX_ERROR(scale_label, R0113, "expected the scale's label in quotes after its name")
RUBRIC_SYNTAX_ERROR(level_id, R0112, "expected a name for the level after `level`")
RUBRIC_SYNTAX_ERROR(level_label, R0113, "expected the level's label in quotes, such as `\"Usually appropriate\"`")
RUBRIC_SYNTAX_ERROR(range_min, R0115, "expected the lowest score of the range after `range`")
RUBRIC_SYNTAX_ERROR(range_to, R0118, "expected `to` between the two ends of the range")
RUBRIC_SYNTAX_ERROR(range_max, R0115, "expected the highest score of the range after `to`")
RUBRIC_SYNTAX_ERROR(means_text, R0113, "expected the level's meaning in quotes after `means`")
RUBRIC_SYNTAX_ERROR(adult_dose, R0113, "expected the adult dose range in quotes, such as `\"<0.1 mSv\"`")
RUBRIC_SYNTAX_ERROR(pediatric_dose, R0113, "expected the pediatric dose range in quotes, such as `\"<0.03 mSv\"`")
RUBRIC_SYNTAX_ERROR(procedure_id, R0112, "expected a name for the procedure after `procedure`")
RUBRIC_SYNTAX_ERROR(procedure_display, R0113, "expected the procedure's display name in quotes, in the ACR wording")
RUBRIC_SYNTAX_ERROR(modality_text, R0113, "expected the modality in quotes, such as `\"MRI\"`, after `modality`")
RUBRIC_SYNTAX_ERROR(region_text, R0113, "expected the body region in quotes after `region`")
RUBRIC_SYNTAX_ERROR(contrast_text, R0113, "expected the contrast wording in quotes after `contrast`")
RUBRIC_SYNTAX_ERROR(rrl_word, R0118, "expected `rrl` and a radiation level, as in `adult rrl ☢☢`")
RUBRIC_SYNTAX_ERROR(adult_rrl, R0119, "expected a radiation level such as `O` or `☢☢` after `adult rrl`")
RUBRIC_SYNTAX_ERROR(pediatric_rrl, R0119, "expected a radiation level such as `O` or `☢☢` after `pediatric rrl`")
RUBRIC_SYNTAX_ERROR(code_system, R0112, "expected a coding system such as `CPT` after `code`")
RUBRIC_SYNTAX_ERROR(code_value, R0113, "expected the code in quotes after the coding system, such as `CPT \"72148\"`")
RUBRIC_SYNTAX_ERROR(fact_start, R0112, "expected the fact's name")
RUBRIC_SYNTAX_ERROR(fact_colon, R0117, "expected `:` and a type after the fact's name, as in `age : duration`")
RUBRIC_SYNTAX_ERROR(fact_type, R0116, "expected a type such as `bool`, `number mm[Hg]`, `integer 3..15`, `duration`, `set of red_flag` or an enumeration name")
RUBRIC_SYNTAX_ERROR(set_of_word, R0118, "expected `of` after `set`, as in `set of red_flag`")
RUBRIC_SYNTAX_ERROR(set_element_type, R0116, "expected the enumeration the set draws from after `set of`")
RUBRIC_SYNTAX_ERROR(let_id, R0112, "expected a name for the constant after `let`")
RUBRIC_SYNTAX_ERROR(let_equals, R0117, "expected `=` and a value after the constant's name")
RUBRIC_SYNTAX_ERROR(let_value, R0121, "expected a value such as `6 weeks` after `=`")
RUBRIC_SYNTAX_ERROR(criterion_id, R0112, "expected a name for the criterion after `criterion`")
RUBRIC_SYNTAX_ERROR(criterion_colon, R0117, "expected `:` before the criterion's condition")
RUBRIC_SYNTAX_ERROR(criterion_body, R0114, "expected the criterion's condition after `:`")
RUBRIC_SYNTAX_ERROR(score_id, R0112, "expected a name for the score after `score`")
RUBRIC_SYNTAX_ERROR(score_points, R0115, "expected the points of the line, as in `1.5 if heart_rate > 100 /min`")
RUBRIC_SYNTAX_ERROR(score_if, R0118, "expected `if` and a condition after the points")
RUBRIC_SYNTAX_ERROR(score_condition, R0114, "expected the condition that earns the points after `if`")
RUBRIC_SYNTAX_ERROR(value_id, R0112, "expected a name for the value after `value`")
RUBRIC_SYNTAX_ERROR(value_equals, R0117, "expected `=` and an expression after the value's name and label")
RUBRIC_SYNTAX_ERROR(value_body, R0121, "expected the value's expression after `=`, such as `(age in years) * 10 ng/mL`")
RUBRIC_SYNTAX_ERROR(variant_name, R0120, "expected a variant number or name after `variant`")
RUBRIC_SYNTAX_ERROR(variant_title, R0113, "expected the variant's title in quotes, in the ACR wording")
RUBRIC_SYNTAX_ERROR(variant_guard, R0114, "expected the variant's condition after `when`")
RUBRIC_SYNTAX_ERROR(rated_procedure, R0123,
                    "expected a procedure after `rate`: its display name in quotes or its name")
RUBRIC_SYNTAX_ERROR(rated_category, R0111,
                    "expected a rating category such as `usually not appropriate` after the procedure")
RUBRIC_SYNTAX_ERROR(category_paren_word, R0111, "expected a word such as `Disagreement` inside the parentheses")
RUBRIC_SYNTAX_ERROR(category_paren_close, R0117, "expected `)` after the word in parentheses")
RUBRIC_SYNTAX_ERROR(score_value, R0115, "expected the numeric rating, such as `8`, after `score`")
RUBRIC_SYNTAX_ERROR(rating_rrl, R0119, "expected a radiation level such as `O` or `☢☢` after `rrl`")
RUBRIC_SYNTAX_ERROR(caveat_text, R0113, "expected what is not known, in quotes, after `caveat`")
RUBRIC_SYNTAX_ERROR(advice_text, R0113, "expected the advice in quotes after `advise`")
RUBRIC_SYNTAX_ERROR(advice_condition, R0114, "expected a condition after `when`")
RUBRIC_SYNTAX_ERROR(next_target, R0120, "expected the number or name of the next variant after `next`")
RUBRIC_SYNTAX_ERROR(next_when, R0118, "expected `when` and a condition after the next variant")
RUBRIC_SYNTAX_ERROR(next_condition, R0114, "expected a condition after `when`")
RUBRIC_SYNTAX_ERROR(evidence_text, R0113, "expected the evidence in quotes after `evidence`")
RUBRIC_SYNTAX_ERROR(assume_condition, R0114, "expected a condition after `assume`")
RUBRIC_SYNTAX_ERROR(pediatric_when, R0118, "expected `when` and the condition that makes a patient a child, as in `pediatric when age < 18 years`")
RUBRIC_SYNTAX_ERROR(pediatric_condition, R0114, "expected the condition that makes a patient a child after `pediatric when`")
RUBRIC_SYNTAX_ERROR(example_title, R0113, "expected the example's title in quotes after `example`")
RUBRIC_SYNTAX_ERROR(given_item, R0112, "expected a fact and its value, such as `age = 55 years`")
RUBRIC_SYNTAX_ERROR(given_equals, R0117, "expected `=` and a value after the fact's name")
RUBRIC_SYNTAX_ERROR(given_value, R0121, "expected a value such as `55 years`, `true`, `unknown` or `{fever}` after `=`")
RUBRIC_SYNTAX_ERROR(expectation, R0122,
                    "expected `variant`, `status`, `missing`, `candidates` or a procedure and its rating after `expect`")
RUBRIC_SYNTAX_ERROR(expected_variant, R0120, "expected a variant number or name after `expect variant`")
RUBRIC_SYNTAX_ERROR(status_word, R0118, "expected `matched`, `undetermined` or `no_criteria_apply` after `expect status`")
RUBRIC_SYNTAX_ERROR(missing_fact, R0112, "expected the name of a fact that should be missing")
RUBRIC_SYNTAX_ERROR(candidate_id, R0120, "expected a variant number or name in the candidate list")
RUBRIC_SYNTAX_ERROR(expected_category, R0111,
                    "expected a rating category such as `usually not appropriate` after the procedure")

// --- FHIR code lists and bindings ----------------------------------------------
RUBRIC_SYNTAX_ERROR(codes_id, R0112, "expected a name for the code list after `codes`")
RUBRIC_SYNTAX_ERROR(codes_source, R0113, "expected where the codes come from, in quotes, after `source`")
RUBRIC_SYNTAX_ERROR(codes_url, R0113, "expected the value set's URL or OID in quotes after `url`")
RUBRIC_SYNTAX_ERROR(codes_system, R0112, "expected a coding system such as `ICD10CM` or `SNOMED`")
RUBRIC_SYNTAX_ERROR(codes_code, R0113, "expected the code in quotes after the coding system, such as `ICD10CM \"M54.16\"`")
RUBRIC_SYNTAX_ERROR(complete_resources, R0118, "expected `conditions`, `procedures` or `medications` after `complete`")
RUBRIC_SYNTAX_ERROR(window_amount, R0115, "expected a duration such as `4 weeks` after `within`")
RUBRIC_SYNTAX_ERROR(window_before, R0118, "expected `before the order` after the window's duration")
RUBRIC_SYNTAX_ERROR(source_age_words, R0118, "expected `at the order` after `age`")
RUBRIC_SYNTAX_ERROR(onset_words, R0118, "expected `since onset of` after `time`")
RUBRIC_SYNTAX_ERROR(onset_choice, R0118, "expected `latest` or `earliest` after `time since onset of`")
RUBRIC_SYNTAX_ERROR(resource_in_codes, R0118,
                    "expected `condition`, `procedure` or `medication`, then `in` and a code list, as in `condition in lumbar_radiculopathy`")
RUBRIC_SYNTAX_ERROR(total_words, R0118, "expected `time of` after `total`")
RUBRIC_SYNTAX_ERROR(binding_member, R0112, "expected the member of the set after `has`, as in `red_flags has fever`")
RUBRIC_SYNTAX_ERROR(binding_from, R0118, "expected `from` and where the fact comes from, as in `age from age at the order`")
RUBRIC_SYNTAX_ERROR(binding_source, R0118,
                    "expected `age at the order`, `time since onset of latest condition in …`, `any condition in …`, `total time of procedure in …` or `answer \"…\" in questionnaire \"…\"` after `from`")
RUBRIC_SYNTAX_ERROR(observation_in_codes, R0118, "expected `in` and a code list after `observation`, as in `latest observation in heart_rate`")
RUBRIC_SYNTAX_ERROR(count_in_codes, R0118,
                    "expected `conditions`, `procedures`, `medications` or `observations`, then `in` and a code list, after `number of`")
RUBRIC_SYNTAX_ERROR(answer_link, R0113, "expected the item's linkId in quotes after `answer`, as in `answer \"night-pain\"`")
RUBRIC_SYNTAX_ERROR(answer_in, R0118, "expected `in questionnaire` and the questionnaire's URL after the item's linkId")
RUBRIC_SYNTAX_ERROR(unbound_fact, R0112, "expected the name of the fact before `is unbound`")
RUBRIC_SYNTAX_ERROR(unbound_words, R0118, "expected `is unbound` after the fact")
RUBRIC_SYNTAX_ERROR(unbound_reason, R0113,
                    "expected the reason in quotes after `is unbound`, as in `pretest_probability is unbound \"the clinician's judgement; no EHR code\"`")
RUBRIC_SYNTAX_ERROR(answer_questionnaire, R0113, "expected the questionnaire's canonical URL in quotes after `in questionnaire`")

// --- the file ----------------------------------------------------------------
RUBRIC_SYNTAX_ERROR(end_of_file, R0110,
                    "expected a declaration such as `criterion`, `variant` or `example`, or a clause of the one above")

#undef RUBRIC_SYNTAX_ERROR

}  // namespace rubric::grammar
