// Parsing: text → AST. The only compiler translation unit that includes PEGTL.
// It checks the file's encoding and size, runs grammar::file with actions
// that forward to the plain ast_builder, turns a failed commit point into a
// diagnostic (code and message from grammar/errors.hpp) while the input is
// still alive, and resumes at the next declaration so one run reports every
// syntax error in a file, one per root cause.
#include "compiler/syntax/parser.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <tao/pegtl.hpp>

#include "compiler/syntax/ast_builder.hpp"
#include "compiler/syntax/parse_limits.hpp"
#include "compiler/syntax/syntax_hints.hpp"
#include "compiler/syntax/text_checks.hpp"
#include "grammar/errors.hpp"
#include "grammar/grammar.hpp"

namespace rubric::compiler {
namespace {

namespace pegtl = tao::pegtl;
namespace g = rubric::grammar;

// What the parse actions see: the builder and where the file's text begins.
struct parse_state {
  ast_builder& build;
  const char* base;
  file_id file;

  template <typename Input>
  span where(const Input& in) const {
    return {file, static_cast<std::uint32_t>(in.begin() - base), static_cast<std::uint32_t>(in.end() - base)};
  }
};

// A failed commit point, caught by parse_module while the input is alive.
struct syntax_error {
  std::string_view code;
  std::string_view message;
  std::uint32_t offset;
  const void* rule;  // identifies the rule, for the span fix-ups below
};

template <typename Rule>
inline constexpr char rule_tag = 0;

template <typename Rule>
struct control : pegtl::normal<Rule> {
  template <typename Input>
  [[noreturn]] static void raise(const Input& in, parse_state& st) {
    constexpr g::error e = g::error_message<Rule>;
    static_assert(!e.code.empty() || g::never_fails<Rule>, "a committed rule has no entry in grammar/errors.hpp");
    throw syntax_error{e.code, e.message, static_cast<std::uint32_t>(in.current() - st.base), &rule_tag<Rule>};
  }
};

// --- actions: each forwards one matched rule to the builder --------------------

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

#define RUBRIC_ACTION(rule, ...)                                            \
  template <>                                                               \
  struct action<g::rule> {                                                  \
    template <typename Input>                                               \
    static void apply(const Input& in, parse_state& st) {                   \
      [[maybe_unused]] const span at = st.where(in);                        \
      [[maybe_unused]] const std::string_view text(in.begin(), in.size()); \
      st.build.__VA_ARGS__;                                                 \
    }                                                                       \
  };

RUBRIC_ACTION(comment, comment(text, at))
RUBRIC_ACTION(string_open, string_open(at.begin))

// header
RUBRIC_ACTION(guideline_keyword, begin_header(ast::module_kind::guideline, at))
RUBRIC_ACTION(library_keyword, begin_header(ast::module_kind::library, at))
RUBRIC_ACTION(module_name, module_name(text, at))
RUBRIC_ACTION(module_title, module_title(text, at))
RUBRIC_ACTION(source_text, source(text, at))
RUBRIC_ACTION(citation_text, citation(text, at))
RUBRIC_ACTION(revised_year, revised(text, at))
RUBRIC_ACTION(doi_text, doi(text, at))
RUBRIC_ACTION(url_text, url(text, at))
RUBRIC_ACTION(license_text, license(text, at))
RUBRIC_ACTION(header_scale_name, header_scale(text, at))
RUBRIC_ACTION(radiation_name, radiation(text, at))
RUBRIC_ACTION(policy_first, select_policy(ast::select_policy::first, at))
RUBRIC_ACTION(policy_unique, select_policy(ast::select_policy::unique, at))
RUBRIC_ACTION(policy_all, select_policy(ast::select_policy::all, at))
RUBRIC_ACTION(order_item, order_item(text, at))
RUBRIC_ACTION(select_clause, end_select(at))
RUBRIC_ACTION(header, end_header(at))

// declarations: opened at their keyword, closed with their full span
RUBRIC_ACTION(import_start, begin(ast::decl_kind::import, at))
RUBRIC_ACTION(enum_start, begin(ast::decl_kind::enumeration, at))
RUBRIC_ACTION(scale_start, begin(ast::decl_kind::scale, at))
RUBRIC_ACTION(procedure_start, begin(ast::decl_kind::procedure, at))
RUBRIC_ACTION(patient_start, begin(ast::decl_kind::patient, at))
RUBRIC_ACTION(let_start, begin(ast::decl_kind::let, at))
RUBRIC_ACTION(criterion_start, begin(ast::decl_kind::criterion, at))
RUBRIC_ACTION(variant_start, begin(ast::decl_kind::variant, at))
RUBRIC_ACTION(otherwise_start, begin(ast::decl_kind::otherwise, at))
RUBRIC_ACTION(assume_start, begin(ast::decl_kind::assume, at))
RUBRIC_ACTION(example_start, begin(ast::decl_kind::example, at))
RUBRIC_ACTION(import_decl, end_decl(at))
RUBRIC_ACTION(enum_decl, end_decl(at))
RUBRIC_ACTION(scale_decl, end_decl(at))
RUBRIC_ACTION(procedure_decl, end_decl(at))
RUBRIC_ACTION(patient_decl, end_decl(at))
RUBRIC_ACTION(let_decl, end_decl(at))
RUBRIC_ACTION(criterion_decl, end_decl(at))
RUBRIC_ACTION(variant_decl, end_decl(at))
RUBRIC_ACTION(otherwise_decl, end_decl(at))
RUBRIC_ACTION(assume_decl, end_decl(at))
RUBRIC_ACTION(example_decl, end_decl(at))
RUBRIC_ACTION(score_start, begin(ast::decl_kind::score, at))
RUBRIC_ACTION(value_start, begin(ast::decl_kind::value, at))
RUBRIC_ACTION(score_decl, end_decl(at))
RUBRIC_ACTION(codes_start, begin(ast::decl_kind::codes, at))
RUBRIC_ACTION(fhir_start, begin(ast::decl_kind::fhir, at))
RUBRIC_ACTION(codes_decl, end_decl(at))
RUBRIC_ACTION(fhir_decl, end_decl(at))

// FHIR code lists and bindings
RUBRIC_ACTION(codes_id, codes_id(text, at))
RUBRIC_ACTION(codes_label, codes_label(text, at))
RUBRIC_ACTION(codes_source, codes_source(text, at))
RUBRIC_ACTION(codes_url, codes_url(text, at))
RUBRIC_ACTION(codes_system, codes_system(text, at))
RUBRIC_ACTION(codes_code, codes_code(text, at))
RUBRIC_ACTION(codes_display, codes_display(text, at))
RUBRIC_ACTION(codes_unverified, codes_unverified(at))
RUBRIC_ACTION(fhir_label, fhir_label(text, at))
RUBRIC_ACTION(complete_resources, complete_resource(text, at))
RUBRIC_ACTION(binding_fact, binding_fact(text, at))
RUBRIC_ACTION(binding_member, binding_member(text, at))
RUBRIC_ACTION(source_age, binding_source(ast::fhir_source::age_at_order))
RUBRIC_ACTION(onset_words, binding_source(ast::fhir_source::time_since_onset))
RUBRIC_ACTION(source_any, binding_source(ast::fhir_source::any))
RUBRIC_ACTION(total_words, binding_source(ast::fhir_source::total_time))
RUBRIC_ACTION(resource_condition, binding_resource(ast::fhir_resource::condition))
RUBRIC_ACTION(resource_procedure, binding_resource(ast::fhir_resource::procedure))
RUBRIC_ACTION(choose_earliest, binding_earliest())
RUBRIC_ACTION(binding_codes, binding_codes(text, at))
RUBRIC_ACTION(window_amount, binding_window(text, at))
RUBRIC_ACTION(source_answer, binding_source(ast::fhir_source::answer))
RUBRIC_ACTION(observation_choice, binding_observation_value())
RUBRIC_ACTION(count_words, binding_source(ast::fhir_source::count))
RUBRIC_ACTION(resource_medication, binding_resource(ast::fhir_resource::medication))
RUBRIC_ACTION(count_conditions, binding_resource(ast::fhir_resource::condition))
RUBRIC_ACTION(count_procedures, binding_resource(ast::fhir_resource::procedure))
RUBRIC_ACTION(count_medications, binding_resource(ast::fhir_resource::medication))
RUBRIC_ACTION(count_observations, binding_resource(ast::fhir_resource::observation))
RUBRIC_ACTION(answer_link, binding_question(text, at))
RUBRIC_ACTION(answer_questionnaire, binding_questionnaire(text, at))
RUBRIC_ACTION(binding_or, binding_alternative(at))
RUBRIC_ACTION(binding_decl, end_binding(at))
RUBRIC_ACTION(unbound_fact, unbound_fact(text, at))
RUBRIC_ACTION(unbound_member, unbound_member(text, at))
RUBRIC_ACTION(unbound_reason, unbound_reason(text, at))
RUBRIC_ACTION(value_decl, end_decl(at))

RUBRIC_ACTION(import_name, import_name(text, at))
RUBRIC_ACTION(enum_id, enum_id(text, at))
RUBRIC_ACTION(enum_label, enum_label(text, at))
RUBRIC_ACTION(member_id, member_id(text, at))
RUBRIC_ACTION(member_label, member_label(text, at))
RUBRIC_ACTION(enum_member, end_member(at))

RUBRIC_ACTION(scale_id, scale_id(text, at))
RUBRIC_ACTION(scale_label, scale_label(text, at))
RUBRIC_ACTION(level_start, begin_level(at))
RUBRIC_ACTION(level_id, level_id(text, at))
RUBRIC_ACTION(level_label, level_label(text, at))
RUBRIC_ACTION(range_min, range_min(text, at))
RUBRIC_ACTION(range_max, range_max(text, at))
RUBRIC_ACTION(means_text, means(text, at))
RUBRIC_ACTION(adult_dose, adult_dose(text, at))
RUBRIC_ACTION(pediatric_dose, pediatric_dose(text, at))
RUBRIC_ACTION(level_decl, end_level(at))

RUBRIC_ACTION(procedure_id, procedure_id(text, at))
RUBRIC_ACTION(procedure_display, procedure_display(text, at))
RUBRIC_ACTION(modality_text, modality(text, at))
RUBRIC_ACTION(region_text, region(text, at))
RUBRIC_ACTION(contrast_text, contrast(text, at))
RUBRIC_ACTION(adult_rrl, adult_rrl(text, at))
RUBRIC_ACTION(pediatric_rrl, pediatric_rrl(text, at))
RUBRIC_ACTION(code_start, begin_code(at))
RUBRIC_ACTION(code_system, code_system(text, at))
RUBRIC_ACTION(code_value, code_value(text, at))
RUBRIC_ACTION(code_clause, end_code(at))

RUBRIC_ACTION(fact_start, fact_id(text, at))
RUBRIC_ACTION(type_bool, fact_type(ast::type_kind::boolean, {}, at))
RUBRIC_ACTION(type_number, fact_type(ast::type_kind::number, {}, at))
RUBRIC_ACTION(type_integer, fact_type(ast::type_kind::integer, {}, at))
RUBRIC_ACTION(fact_range, fact_range(text, at))
RUBRIC_ACTION(fact_unit, fact_unit(text, at))
RUBRIC_ACTION(type_duration, fact_type(ast::type_kind::duration, {}, at))
RUBRIC_ACTION(type_text, fact_type(ast::type_kind::text, {}, at))
RUBRIC_ACTION(type_set, fact_type(ast::type_kind::set_of, text, at))
RUBRIC_ACTION(type_named, fact_type(ast::type_kind::named, text, at))
RUBRIC_ACTION(fact_label, fact_label(text, at))
RUBRIC_ACTION(fact_fixed, fact_fixed())
RUBRIC_ACTION(fact_decl, end_fact(at))

RUBRIC_ACTION(let_id, let_id(text, at))
RUBRIC_ACTION(let_value, let_value())
RUBRIC_ACTION(criterion_id, criterion_id(text, at))
RUBRIC_ACTION(criterion_label, criterion_label(text, at))
RUBRIC_ACTION(criterion_body, criterion_body())

RUBRIC_ACTION(score_id, score_id(text, at))
RUBRIC_ACTION(score_label, score_label(text, at))
RUBRIC_ACTION(score_points, score_points(text, at))
RUBRIC_ACTION(score_condition, score_condition(at))
RUBRIC_ACTION(value_id, value_id(text, at))
RUBRIC_ACTION(value_label, value_label(text, at))
RUBRIC_ACTION(value_body, value_body())

RUBRIC_ACTION(variant_name, variant_name(text, at))
RUBRIC_ACTION(variant_title, variant_title(text, at))
RUBRIC_ACTION(variant_guard, variant_guard())
RUBRIC_ACTION(rated_procedure, rated_procedure(text, at))
RUBRIC_ACTION(category_word, category_word(text))
RUBRIC_ACTION(category_paren_word, category_word(text))
RUBRIC_ACTION(rated_category, category(text, at))
RUBRIC_ACTION(score_value, score(text, at))
RUBRIC_ACTION(rating_rrl, rating_rrl(text, at))
RUBRIC_ACTION(caveat_text, rating_caveat(text, at))
RUBRIC_ACTION(rate_clause, end_rating(at))
RUBRIC_ACTION(advise_start, begin_advice(at))
RUBRIC_ACTION(advice_text, advice_text(text, at))
RUBRIC_ACTION(advice_condition, advice_condition())
RUBRIC_ACTION(advise_clause, end_advice(at))
RUBRIC_ACTION(next_start, begin_next(at))
RUBRIC_ACTION(next_target, next_target(text, at))
RUBRIC_ACTION(next_urgent, next_urgent())
RUBRIC_ACTION(next_condition, next_condition())
RUBRIC_ACTION(next_label, next_label(text, at))
RUBRIC_ACTION(next_clause, end_next(at))
RUBRIC_ACTION(evidence_text, evidence(text, at))

RUBRIC_ACTION(otherwise_label, otherwise_label(text, at))
RUBRIC_ACTION(assume_condition, assume_condition())
RUBRIC_ACTION(pediatric_condition, pediatric_condition())
RUBRIC_ACTION(assume_label, assume_label(text, at))

RUBRIC_ACTION(example_title, example_title(text, at))
RUBRIC_ACTION(given_fact, given_fact(text, at))
RUBRIC_ACTION(given_item, end_given(at))
RUBRIC_ACTION(expect_start, begin_expect(at))
RUBRIC_ACTION(expected_variant, expect_variant(text, at))
RUBRIC_ACTION(status_word, expect_status(text, at))
RUBRIC_ACTION(missing_fact, expect_missing(text, at))
RUBRIC_ACTION(candidate_id, expect_candidate(text, at))
RUBRIC_ACTION(expected_category, category(text, at))
RUBRIC_ACTION(expect_rating, expect_rating())
RUBRIC_ACTION(expect_clause, end_expect(at))

// expressions: operands push, operators pop
RUBRIC_ACTION(literal_true, push_bool(true, at))
RUBRIC_ACTION(literal_false, push_bool(false, at))
RUBRIC_ACTION(literal_unknown, push_unknown(at))
RUBRIC_ACTION(literal_number, push_number(text, at))
RUBRIC_ACTION(literal_string, push_string(text, at))
RUBRIC_ACTION(literal_name, push_name(text, at))
RUBRIC_ACTION(set_open, set_open(at))
RUBRIC_ACTION(set_member, set_member(text, at))
RUBRIC_ACTION(set_close, set_close(at))
RUBRIC_ACTION(compare_tail, compare(at, text))
RUBRIC_ACTION(product_tail, arithmetic(at, text))
RUBRIC_ACTION(sum_tail, arithmetic(at, text))
RUBRIC_ACTION(convert_unit, convert(at, text))
RUBRIC_ACTION(count_number, count_number(text, at))
RUBRIC_ACTION(list_open, list_open())
RUBRIC_ACTION(at_least, list_close(ast::expr_kind::at_least, at))
RUBRIC_ACTION(at_most, list_close(ast::expr_kind::at_most, at))
RUBRIC_ACTION(none_of, list_close(ast::expr_kind::none_of, at))
RUBRIC_ACTION(all_of, list_close(ast::expr_kind::all_of, at))
RUBRIC_ACTION(min_of, list_close(ast::expr_kind::min_of, at))
RUBRIC_ACTION(max_of, list_close(ast::expr_kind::max_of, at))
RUBRIC_ACTION(if_value, if_value(at))
RUBRIC_ACTION(in_tail, in_set(at))
RUBRIC_ACTION(has_any, has_quantifier(false))
RUBRIC_ACTION(has_all, has_quantifier(true))
RUBRIC_ACTION(has_tail, has(at))
RUBRIC_ACTION(is_empty, is_test(ast::expr_kind::is_empty))
RUBRIC_ACTION(is_not_empty, is_test(ast::expr_kind::is_not_empty))
RUBRIC_ACTION(is_known, is_test(ast::expr_kind::is_known))
RUBRIC_ACTION(is_unknown, is_test(ast::expr_kind::is_unknown))
RUBRIC_ACTION(is_tail, is(at))
RUBRIC_ACTION(parenthesized, parenthesized(at))
RUBRIC_ACTION(negation, negate(at))
RUBRIC_ACTION(and_tail, and_(at))
RUBRIC_ACTION(or_tail, or_(at))

#undef RUBRIC_ACTION

// --- turning a failure into a diagnostic ----------------------------------------

diag_code code_named(std::string_view code) {
  const auto& all = all_diagnostics();
  for (std::size_t i = 0; i < all.size(); ++i) {
    if (all[i].code == code) return static_cast<diag_code>(i);
  }
  // A code in grammar/errors.hpp missing from codes_syntax.def would show as
  // R0100 here, and the golden test of that code would fail.
  return diag_code::cannot_read_file;
}

diagnostic make_syntax_diagnostic(const syntax_error& e, std::string_view text, file_id file,
                                  std::uint32_t string_open) {
  diagnostic d;
  d.code = code_named(e.code);
  d.level = severity::error;
  d.message = std::string(e.message);
  span token = token_at(text, file, e.offset);
  if (e.rule == &rule_tag<g::string_close> || e.rule == &rule_tag<g::string_end>) {
    // Point at the string from its opening quote.
    bool closed_missing = e.rule == &rule_tag<g::string_close>;
    d.primary = {file, string_open, closed_missing ? std::max(e.offset, string_open + 1) : string_open + 1};
    d.primary_label = e.rule == &rule_tag<g::string_close> ? "this string is never closed" : "";
    if (e.rule == &rule_tag<g::string_close>) d.suggest("add `\"` where the text ends; write `\\\"` for a quote inside it");
    return d;
  }
  if (e.rule == &rule_tag<g::name_end> || e.rule == &rule_tag<g::digits_end>) {
    // Underline the whole token, from its first character.
    bool (*inside)(char) = e.rule == &rule_tag<g::name_end> ? is_ident_char : [](char c) { return c >= '0' && c <= '9'; };
    std::uint32_t begin = e.offset;
    while (begin > 0 && inside(text[begin - 1])) --begin;
    d.primary = {file, begin, std::min<std::uint32_t>(begin + 1, static_cast<std::uint32_t>(text.size()))};
    return d;
  }
  if (e.rule == &rule_tag<g::escape_code>) {
    d.primary = {file, e.offset > 0 ? e.offset - 1 : 0, token.end};
    d.suggest("write `\\\"` for a quote, `\\\\` for a backslash, `\\n` for a new line, `\\t` for a tab");
    return d;
  }
  if (e.rule == &rule_tag<g::no_chained_comparison>) {
    // The lookahead stops before the space; underline the second operator.
    std::uint32_t at = e.offset;
    while (at < text.size() && (text[at] == ' ' || text[at] == '\t' || text[at] == '\r' || text[at] == '\n')) ++at;
    std::uint32_t width = at + 1 < text.size() && text[at + 1] == '=' ? 2 : 1;
    d.primary = {file, at, std::min<std::uint32_t>(at + width, static_cast<std::uint32_t>(text.size()))};
    d.primary_label = "a second comparison";
    d.suggest("join two comparisons with `and`, as in `1 < x and x < 3`");
    return d;
  }
  if (e.rule == &rule_tag<g::nesting_too_deep>) {
    d.primary = token;
    d.suggest("name the inner parts as criteria and combine the criteria");
    return d;
  }
  d.primary = token;
  d.primary_label = found_label(text, token);
  bool crossed = false;
  std::uint32_t before = previous_token_end(text, e.offset, crossed);
  if (crossed && before > 0 && e.rule != &rule_tag<g::end_of_file>) {
    // What was expected is missing at the end of a line: point there, not at
    // the start of whatever the next line holds.
    d.primary = {file, before, before};
    if (token.begin < text.size()) {
      d.primary_label = "expected here";
      d.note(fmt::format("the next line starts with {}", found_label(text, token).substr(6)));
    } else {
      d.primary_label = "the file ends here";
    }
  }
  if (token.end > token.begin && is_ident_char(text[token.begin])) {
    std::string_view suggestion = nearest_keyword(text.substr(token.begin, token.end - token.begin));
    if (!suggestion.empty()) d.suggest(fmt::format("did you mean `{}`?", suggestion));
  }
  return d;
}

// Whether `text` starts with `Rule`. A probe never throws: a commit point
// that fails inside it (a `scale` name past the length limit) means the text
// is that construct, however malformed, so it counts as a match. This runs
// inside the syntax_error handler, where an escaping exception would abort.
template <typename Rule>
bool starts_with(std::string_view text) {
  pegtl::memory_input<> probe(text.data(), text.data() + text.size(), "");
  try {
    return pegtl::parse<Rule>(probe);
  } catch (const pegtl::parse_error&) {
    return true;
  }
}

// Where parsing resumes after an error at `offset`: the first line at or after
// it, and past `after`, whose first word starts a declaration (a header's
// `scale NAME` clause does not). Returns text.size() if there is none.
std::uint32_t resume_point(std::string_view text, std::uint32_t offset, std::int64_t after) {
  std::size_t line = text.rfind('\n', offset == 0 ? 0 : offset - 1);
  line = line == std::string_view::npos ? 0 : line + 1;
  while (line < text.size()) {
    std::size_t first = line;
    while (first < text.size() && (text[first] == ' ' || text[first] == '\t')) ++first;
    if (first >= offset && static_cast<std::int64_t>(first) > after) {
      std::string_view rest = text.substr(first);
      if (starts_with<g::declaration_keyword>(rest) && !starts_with<g::header_scale_clause>(rest)) {
        return static_cast<std::uint32_t>(first);
      }
    }
    std::size_t next = text.find('\n', line);
    if (next == std::string_view::npos) break;
    line = next + 1;
  }
  return static_cast<std::uint32_t>(text.size());
}

// R0126: a once-only clause written twice. The builder kept the first; the
// second would otherwise be dropped without a word (and with it any unknown
// name in it).
void report_repeated(const std::vector<repeated_clause>& repeated, diagnostic_sink& sink) {
  for (const auto& r : repeated) {
    diagnostic& d = sink.report(diag_code::repeated_clause, r.again, fmt::format("{} has a second `{}`", r.owner, r.clause));
    d.also(r.first, fmt::format("first `{}` here", r.clause));
    if (r.clause == "when")
      d.suggest("a variant has one condition: join the two with `and` in one `when` (or with `or` if either alone selects it)");
    else if (r.clause == "pediatric when")
      d.suggest("join the two conditions with `or` in one `pediatric when`");
    else if (r.clause == "scale" || r.clause == "radiation" || r.clause == "revised" || r.clause == "select")
      d.suggest(fmt::format("keep the one `{}` that is meant", r.clause));
    else
      d.suggest(fmt::format("keep one `{}` and put everything it should say in it", r.clause));
  }
}

}  // namespace

std::optional<ast::module> parse_module(const source_manager& sources, file_id id, diagnostic_sink& sink) {
  std::string_view text = sources.text(id);
  if (!check_text(text, id, sink)) return std::nullopt;
  ast_builder build(id);
  parse_state state{build, text.data(), id};
  const std::string& path = sources.path(id);
  std::size_t errors = 0;
  std::uint32_t resume = 0;
  bool first = true;
  while (true) {
    try {
      if (first) {
        pegtl::memory_input<> in(text.data(), text.data() + text.size(), path);
        pegtl::parse<g::file, action, control>(in, state);
      } else {
        pegtl::memory_input<> in(text.data() + resume, text.data() + text.size(), path);
        pegtl::parse<g::rest, action, control>(in, state);
      }
      break;
    } catch (const syntax_error& e) {
      diagnostic& d = sink.report(make_syntax_diagnostic(e, text, id, build.last_string_open()));
      build.abandon();
      if (++errors >= max_syntax_errors) {
        d.note(fmt::format("stopped after {} syntax errors in this file", max_syntax_errors));
        break;
      }
      std::uint32_t next = resume_point(text, e.offset, first ? -1 : std::int64_t{resume});
      if (next >= text.size()) break;
      if (!first && next <= resume) break;  // no progress: never loop
      resume = next;
      first = false;
    } catch (const pegtl::parse_error& e) {
      // Not raised by this grammar (every commit point throws syntax_error);
      // kept so an unexpected PEGTL error is still a diagnostic, not a crash.
      std::size_t at = (first ? 0 : resume) + (e.positions().empty() ? 0 : e.positions().front().byte);
      auto offset = static_cast<std::uint32_t>(std::min(at, text.size()));
      sink.report(diag_code::expected_declaration, {id, offset, offset}, std::string(e.message()));
      ++errors;
      break;
    }
  }
  report_repeated(build.repeated(), sink);
  if (errors > 0) return std::nullopt;
  return build.take();
}

}  // namespace rubric::compiler
