// The PEGTL grammar of Rubric v1 (docs/language.md): rules only.
// Read it top to bottom: lexical rules, expressions, clauses, declarations,
// the file. Parse actions live in compiler/parser.cpp and attach to the named
// "use-site" rules (e.g. `variant_title`), so every rule that carries a value
// has its own name. `if_must` marks commit points: once a clause keyword has
// been read the input can be nothing else, so a failure is a syntax error whose
// message is in grammar/errors.hpp. Keywords are guarded (`variantx` is an
// identifier), and `depth_limited` bounds the nesting of `(` and `not`.
#pragma once

#include <cstddef>

#include <tao/pegtl.hpp>
#include <tao/pegtl/contrib/analyze_traits.hpp>

namespace rubric::grammar {

using namespace tao::pegtl;  // NOLINT: rule combinators read best unqualified

// Limits (docs/limits.md): the deepest nesting of `(` and `not` in one
// expression, the longest name, digits on either side of a decimal point, and
// the longest string. Past a limit the parser reports a diagnostic.
inline constexpr std::size_t max_nesting = 256;
inline constexpr std::size_t max_name_length = 200;
inline constexpr std::size_t max_digits = 20;
inline constexpr std::size_t max_string_length = 10000;

// ============================================================================
// Lexical structure. Layout is free: `sep` (white space and `#` comments) may
// appear between any two tokens, newlines included.
// ============================================================================

// comment := "#" { any character but a newline }
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
struct sep : star<sor<space, comment>> {};

// A UTF-8 byte-order mark, skipped at the very start of a file.
struct bom : string<'\xEF', '\xBB', '\xBF'> {};

// identifier := [A-Za-z_] [A-Za-z0-9_]*   (but not a keyword)
struct ident_first : ranges<'a', 'z', 'A', 'Z', '_'> {};
struct ident_other : ranges<'a', 'z', 'A', 'Z', '0', '9', '_'> {};

// Every keyword is guarded by `not_at<ident_other>`, so `variantx` is a name.
template <char... Cs>
struct key : seq<string<Cs...>, not_at<ident_other>> {};

struct kw_guideline : key<'g', 'u', 'i', 'd', 'e', 'l', 'i', 'n', 'e'> {};
struct kw_library : key<'l', 'i', 'b', 'r', 'a', 'r', 'y'> {};
struct kw_import : key<'i', 'm', 'p', 'o', 'r', 't'> {};
struct kw_source : key<'s', 'o', 'u', 'r', 'c', 'e'> {};
struct kw_citation : key<'c', 'i', 't', 'a', 't', 'i', 'o', 'n'> {};
struct kw_revised : key<'r', 'e', 'v', 'i', 's', 'e', 'd'> {};
struct kw_doi : key<'d', 'o', 'i'> {};
struct kw_url : key<'u', 'r', 'l'> {};
struct kw_license : key<'l', 'i', 'c', 'e', 'n', 's', 'e'> {};
struct kw_scale : key<'s', 'c', 'a', 'l', 'e'> {};
struct kw_select : key<'s', 'e', 'l', 'e', 'c', 't'> {};
struct kw_first : key<'f', 'i', 'r', 's', 't'> {};
struct kw_unique : key<'u', 'n', 'i', 'q', 'u', 'e'> {};
struct kw_all : key<'a', 'l', 'l'> {};
struct kw_in : key<'i', 'n'> {};
struct kw_order : key<'o', 'r', 'd', 'e', 'r'> {};
struct kw_radiation : key<'r', 'a', 'd', 'i', 'a', 't', 'i', 'o', 'n'> {};
struct kw_enum : key<'e', 'n', 'u', 'm'> {};
struct kw_level : key<'l', 'e', 'v', 'e', 'l'> {};
struct kw_range : key<'r', 'a', 'n', 'g', 'e'> {};
struct kw_to : key<'t', 'o'> {};
struct kw_means : key<'m', 'e', 'a', 'n', 's'> {};
struct kw_adult : key<'a', 'd', 'u', 'l', 't'> {};
struct kw_pediatric : key<'p', 'e', 'd', 'i', 'a', 't', 'r', 'i', 'c'> {};
struct kw_procedure : key<'p', 'r', 'o', 'c', 'e', 'd', 'u', 'r', 'e'> {};
struct kw_modality : key<'m', 'o', 'd', 'a', 'l', 'i', 't', 'y'> {};
struct kw_region : key<'r', 'e', 'g', 'i', 'o', 'n'> {};
struct kw_contrast : key<'c', 'o', 'n', 't', 'r', 'a', 's', 't'> {};
struct kw_rrl : key<'r', 'r', 'l'> {};
struct kw_code : key<'c', 'o', 'd', 'e'> {};
struct kw_patient : key<'p', 'a', 't', 'i', 'e', 'n', 't'> {};
struct kw_fixed : key<'f', 'i', 'x', 'e', 'd'> {};
struct kw_set : key<'s', 'e', 't'> {};
struct kw_of : key<'o', 'f'> {};
struct kw_bool : key<'b', 'o', 'o', 'l'> {};
struct kw_number : key<'n', 'u', 'm', 'b', 'e', 'r'> {};
struct kw_duration : key<'d', 'u', 'r', 'a', 't', 'i', 'o', 'n'> {};
struct kw_text : key<'t', 'e', 'x', 't'> {};
struct kw_let : key<'l', 'e', 't'> {};
struct kw_criterion : key<'c', 'r', 'i', 't', 'e', 'r', 'i', 'o', 'n'> {};
struct kw_variant : key<'v', 'a', 'r', 'i', 'a', 'n', 't'> {};
struct kw_when : key<'w', 'h', 'e', 'n'> {};
struct kw_rate : key<'r', 'a', 't', 'e'> {};
struct kw_score : key<'s', 'c', 'o', 'r', 'e'> {};
struct kw_caveat : key<'c', 'a', 'v', 'e', 'a', 't'> {};
struct kw_advise : key<'a', 'd', 'v', 'i', 's', 'e'> {};
struct kw_next : key<'n', 'e', 'x', 't'> {};
struct kw_urgent : key<'u', 'r', 'g', 'e', 'n', 't'> {};
struct kw_evidence : key<'e', 'v', 'i', 'd', 'e', 'n', 'c', 'e'> {};
struct kw_otherwise : key<'o', 't', 'h', 'e', 'r', 'w', 'i', 's', 'e'> {};
struct kw_assume : key<'a', 's', 's', 'u', 'm', 'e'> {};
struct kw_example : key<'e', 'x', 'a', 'm', 'p', 'l', 'e'> {};
struct kw_given : key<'g', 'i', 'v', 'e', 'n'> {};
struct kw_expect : key<'e', 'x', 'p', 'e', 'c', 't'> {};
struct kw_status : key<'s', 't', 'a', 't', 'u', 's'> {};
struct kw_missing : key<'m', 'i', 's', 's', 'i', 'n', 'g'> {};
struct kw_candidates : key<'c', 'a', 'n', 'd', 'i', 'd', 'a', 't', 'e', 's'> {};
struct kw_and : key<'a', 'n', 'd'> {};
struct kw_or : key<'o', 'r'> {};
struct kw_not : key<'n', 'o', 't'> {};
struct kw_has : key<'h', 'a', 's'> {};
struct kw_any : key<'a', 'n', 'y'> {};
struct kw_is : key<'i', 's'> {};
struct kw_empty : key<'e', 'm', 'p', 't', 'y'> {};
struct kw_known : key<'k', 'n', 'o', 'w', 'n'> {};
struct kw_unknown : key<'u', 'n', 'k', 'n', 'o', 'w', 'n'> {};
struct kw_true : key<'t', 'r', 'u', 'e'> {};
struct kw_false : key<'f', 'a', 'l', 's', 'e'> {};
// v1: quantities, scores, values and counts.
struct kw_integer : key<'i', 'n', 't', 'e', 'g', 'e', 'r'> {};
struct kw_value : key<'v', 'a', 'l', 'u', 'e'> {};
struct kw_if : key<'i', 'f'> {};
struct kw_then : key<'t', 'h', 'e', 'n'> {};
struct kw_else : key<'e', 'l', 's', 'e'> {};
struct kw_at : key<'a', 't'> {};
struct kw_least : key<'l', 'e', 'a', 's', 't'> {};
struct kw_most : key<'m', 'o', 's', 't'> {};
struct kw_none : key<'n', 'o', 'n', 'e'> {};
struct kw_min : key<'m', 'i', 'n'> {};
struct kw_max : key<'m', 'a', 'x'> {};
// FHIR bindings and code lists.
struct kw_codes : key<'c', 'o', 'd', 'e', 's'> {};
struct kw_unverified : key<'u', 'n', 'v', 'e', 'r', 'i', 'f', 'i', 'e', 'd'> {};
struct kw_fhir : key<'f', 'h', 'i', 'r'> {};
struct kw_complete : key<'c', 'o', 'm', 'p', 'l', 'e', 't', 'e'> {};
struct kw_from : key<'f', 'r', 'o', 'm'> {};
struct kw_age : key<'a', 'g', 'e'> {};
struct kw_the : key<'t', 'h', 'e'> {};
struct kw_time : key<'t', 'i', 'm', 'e'> {};
struct kw_since : key<'s', 'i', 'n', 'c', 'e'> {};
struct kw_onset : key<'o', 'n', 's', 'e', 't'> {};
struct kw_latest : key<'l', 'a', 't', 'e', 's', 't'> {};
struct kw_earliest : key<'e', 'a', 'r', 'l', 'i', 'e', 's', 't'> {};
struct kw_total : key<'t', 'o', 't', 'a', 'l'> {};
struct kw_condition : key<'c', 'o', 'n', 'd', 'i', 't', 'i', 'o', 'n'> {};
struct kw_conditions : key<'c', 'o', 'n', 'd', 'i', 't', 'i', 'o', 'n', 's'> {};
struct kw_procedures : key<'p', 'r', 'o', 'c', 'e', 'd', 'u', 'r', 'e', 's'> {};
struct kw_within : key<'w', 'i', 't', 'h', 'i', 'n'> {};
struct kw_before : key<'b', 'e', 'f', 'o', 'r', 'e'> {};
struct kw_answer : key<'a', 'n', 's', 'w', 'e', 'r'> {};
struct kw_observation : key<'o', 'b', 's', 'e', 'r', 'v', 'a', 't', 'i', 'o', 'n'> {};
struct kw_observations : key<'o', 'b', 's', 'e', 'r', 'v', 'a', 't', 'i', 'o', 'n', 's'> {};
struct kw_medication : key<'m', 'e', 'd', 'i', 'c', 'a', 't', 'i', 'o', 'n'> {};
struct kw_medications : key<'m', 'e', 'd', 'i', 'c', 'a', 't', 'i', 'o', 'n', 's'> {};
struct kw_questionnaire : key<'q', 'u', 'e', 's', 't', 'i', 'o', 'n', 'n', 'a', 'i', 'r', 'e'> {};
struct kw_unbound : key<'u', 'n', 'b', 'o', 'u', 'n', 'd'> {};

// The reserved words: the words of expressions, which may stand where a name
// could. Every other keyword is contextual: a keyword only where a clause can
// start (`score`, `value`, `level`, `of`, `rate`, `first`, `all`, `code`,
// `text` … are ordinary names elsewhere).
struct keyword
    : sor<kw_and, kw_or, kw_not, kw_in, kw_has, kw_is, kw_true, kw_false, kw_unknown, kw_if, kw_then, kw_else> {};

// The keywords that start a top-level declaration (where error recovery
// resumes, and what an enum member cannot be called).
struct declaration_keyword
    : sor<kw_import, kw_enum, kw_scale, kw_procedure, kw_patient, kw_let, kw_criterion, kw_variant, kw_otherwise,
          kw_assume, kw_example, kw_score, kw_value, kw_codes, kw_fhir> {};

// Raised when a name runs on past `max_name_length` characters.
struct name_end : not_at<ident_other> {};
struct name_chars : seq<ident_first, rep_opt<max_name_length - 1, ident_other>, must<name_end>> {};
struct identifier : seq<not_at<keyword>, name_chars> {};
// A name after `.` may be anything identifier-shaped (`stdlib.acr.scale`).
struct name_part : name_chars {};
// dotted_name := identifier { "." name_part }
struct dotted_name : seq<identifier, star<one<'.'>, name_part>> {};

// string := '"' { char | escape } '"'  — on one line; escapes \" \\ \n \t
struct escape_code : one<'"', '\\', 'n', 't'> {};
struct escape : if_must<one<'\\'>, escape_code> {};
struct string_char : sor<escape, not_one<'"', '\\', '\n', '\r'>> {};
struct string_open : one<'"'> {};
struct string_close : one<'"'> {};
// Raised when a string runs on past `max_string_length` bytes.
struct string_end : not_at<string_char> {};
struct string_body : seq<rep_opt<max_string_length, string_char>, must<string_end>> {};
struct string_lit : if_must<string_open, string_body, string_close> {};

// number := ["-"] digit+ ["." digit+]   (no exponents)
// Raised when a run of digits is longer than `max_digits`.
struct digits_end : not_at<digit> {};
struct digits : seq<digit, rep_opt<max_digits - 1, digit>, must<digits_end>> {};
struct number_body : seq<opt<one<'-'>>, digits, opt<one<'.'>, digits>> {};
struct number_lit : seq<number_body, not_at<ident_other>> {};
// An integer, for variant numbers.
struct integer : seq<digits, not_at<ident_other>> {};

// unit := a UCUM code as written: `ng/mL`, `/min`, `mm[Hg]`, `{beats}/min`,
// `mL/min/{1.73_m2}`, `%`, `[in_i]`, or a duration word (`weeks`, `hours`).
// It starts with a letter, `%`, `[`, `{` or `/` and a letter, and runs to the
// next blank; a reserved word or `of` is never a unit (`2 of (…)`, `5 and …`).
// Which units exist is checked later, against the runtime's unit table.
struct unit_letter : ranges<'a', 'z', 'A', 'Z'> {};
struct unit_head : sor<unit_letter, one<'%', '[', '{'>, seq<one<'/'>, sor<unit_letter, one<'[', '{'>>>> {};
struct unit_char : sor<ranges<'a', 'z', 'A', 'Z', '0', '9'>, one<'_', '.', '/', '%', '[', ']', '{', '}'>> {};
struct unit_token : seq<not_at<sor<keyword, kw_of>>, unit_head, star<unit_char>> {};
// quantity := number [unit]   — `6 weeks`, `55 years`, `100 /min`, `0.5`
struct quantity : seq<number_body, opt<star<blank>, unit_token>, not_at<ident_other>> {};

// A radiation level as written: `O`, `☢`…`☢☢☢☢☢` (U+2622) or a level id.
struct radiation_symbols : seq<plus<utf8::one<0x2622>>, not_at<ident_other>> {};
struct level_ref : sor<radiation_symbols, identifier> {};

// A variant id: a number (`2`) or a name (`suspected_fracture`).
struct variant_id : sor<integer, identifier> {};

// ============================================================================
// Expressions, lowest to highest precedence:
//   expr     := and_expr { "or" and_expr }
//   and_expr := not_expr { "and" not_expr }
//   not_expr := "not" not_expr | test
//   test     := sum [ cmp_op sum | "in" set | "has" ("any"|"all") "of" set
//                    | "is" ["not"] "empty" | "is" "known" | "is" "unknown" ]
//   sum      := product { ("+" | "-") product }
//   product  := operand { ("*" | "/") operand }
//   operand  := atom [ "in" unit ]                      — `age in years`
//   atom     := "(" expr ")" | count | "min" list | "max" list
//             | "if" expr "then" sum "else" sum | literal | name
//   count    := ("at" "least" n | "at" "most" n | "none" | "all") "of" list
//   list     := "(" expr { "," expr } ")"
// Comparisons do not chain. An arithmetic operator stays on the line of its
// left operand, so a score line `-1 if …` never continues the line above.
// `(`, `not` and the other nesting forms nest at most `max_nesting` deep.
// ============================================================================

struct expr;
struct not_expr;
struct sum;

// Raised when `(` or `not` nest deeper than `max_nesting`.
struct nesting_too_deep : failure {};

// Matches Rule one nesting level deeper; raises `nesting_too_deep` past the
// limit, so 200,000 `(` fail fast instead of overflowing the stack.
template <typename Rule>
struct depth_limited {
  using rule_t = depth_limited;
  using subs_t = type_list<Rule>;

  template <apply_mode A, rewind_mode M, template <typename...> class Action, template <typename...> class Control,
            typename ParseInput, typename... States>
  [[nodiscard]] static bool match(ParseInput& in, States&&... st) {
    // The input's depth counter (the one PEGTL's limit_depth uses), restored on
    // every exit, exceptions included.
    struct guard {
      std::size_t& depth;
      explicit guard(std::size_t& d) : depth(++d) {}
      guard(const guard&) = delete;
      guard& operator=(const guard&) = delete;
      ~guard() { --depth; }
    } const nested(in.private_depth);
    if (in.private_depth > max_nesting) Control<nesting_too_deep>::raise(in, st...);
    return Control<Rule>::template match<A, M, Action, Control>(in, st...);
  }
};

// set := "{" [ name { "," name } ] "}"
struct set_open : one<'{'> {};
struct set_member : dotted_name {};
struct set_close : one<'}'> {};
struct set_more : if_must<seq<sep, one<','>>, sep, set_member> {};
struct set_literal : if_must<set_open, sep, opt<set_member, star<set_more>>, sep, set_close> {};

// literal := "true" | "false" | "unknown" | quantity | string | set
struct literal_true : kw_true {};
struct literal_false : kw_false {};
struct literal_unknown : kw_unknown {};
struct literal_number : quantity {};
struct literal_string : string_lit {};
// A clause or declaration keyword followed on its line by what starts its
// clause (`rate "…"`, `criterion c`, `next 3`) is never read as a name, so a
// condition left unfinished at the end of a line is reported there.
struct clause_word
    : sor<kw_when, kw_rate, kw_advise, kw_next, kw_source, kw_evidence, kw_given, kw_expect, kw_import, kw_enum,
          kw_scale, kw_procedure, kw_patient, kw_let, kw_criterion, kw_variant, kw_otherwise, kw_assume, kw_example,
          kw_score, kw_value, kw_codes, kw_fhir> {};
struct clause_start : seq<clause_word, plus<blank>, not_at<keyword>, sor<one<'"'>, ident_first, digit>> {};
struct literal_name : seq<not_at<clause_start>, dotted_name> {};
struct literal : sor<set_literal, literal_true, literal_false, literal_unknown, literal_number, literal_string> {};

struct paren_open : one<'('> {};
struct paren_inner : depth_limited<expr> {};
struct paren_close : one<')'> {};
struct parenthesized : if_must<paren_open, sep, paren_inner, sep, paren_close> {};

// list := "(" expr { "," expr } ")"   — the items of a count, `min` or `max`
struct list_open : one<'('> {};
struct list_item : depth_limited<expr> {};
struct list_more : if_must<seq<sep, one<','>>, sep, list_item> {};
struct list_close : one<')'> {};
struct item_list : if_must<list_open, sep, list_item, star<list_more>, sep, list_close> {};

// count := "at" "least" n "of" list | "at" "most" n "of" list | "none" "of" list | "all" "of" list
struct count_number : integer {};
struct count_of : kw_of {};
struct at_least_start : seq<kw_at, sep, kw_least> {};
struct at_least : if_must<at_least_start, sep, count_number, sep, count_of, sep, item_list> {};
struct at_most_start : seq<kw_at, sep, kw_most> {};
struct at_most : if_must<at_most_start, sep, count_number, sep, count_of, sep, item_list> {};
struct none_of_start : seq<kw_none, sep, kw_of, sep, at<one<'('>>> {};
struct none_of : if_must<none_of_start, sep, item_list> {};
struct all_of_start : seq<kw_all, sep, kw_of, sep, at<one<'('>>> {};
struct all_of : if_must<all_of_start, sep, item_list> {};
struct count : sor<at_least, at_most, none_of, all_of> {};

// "min" list | "max" list
struct min_start : seq<kw_min, star<blank>, at<one<'('>>> {};
struct min_of : if_must<min_start, item_list> {};
struct max_start : seq<kw_max, star<blank>, at<one<'('>>> {};
struct max_of : if_must<max_start, item_list> {};

// "if" expr "then" sum "else" sum
struct if_condition : depth_limited<expr> {};
struct if_then_word : kw_then {};
struct if_then : depth_limited<sum> {};
struct if_else_word : kw_else {};
struct if_else : depth_limited<sum> {};
struct if_value : if_must<kw_if, sep, if_condition, sep, if_then_word, sep, if_then, sep, if_else_word, sep, if_else> {};

struct atom : sor<parenthesized, count, min_of, max_of, if_value, literal, literal_name> {};

// `Q in UNIT`: a quantity as a plain number of that unit. A set after `in`
// is the membership test instead.
struct convert_unit : unit_token {};
struct convert_tail : seq<sep, kw_in, sep, not_at<one<'{'>>, convert_unit> {};
struct operand : seq<atom, opt<convert_tail>> {};

struct op_times : one<'*'> {};
struct op_divide : one<'/'> {};
struct product_rhs : operand {};
struct product_tail : if_must<seq<star<blank>, sor<op_times, op_divide>>, sep, product_rhs> {};
struct product : seq<operand, star<product_tail>> {};

struct op_plus : one<'+'> {};
struct op_minus : one<'-'> {};
struct sum_rhs : product {};
struct sum_tail : if_must<seq<star<blank>, sor<op_plus, op_minus>>, sep, sum_rhs> {};
struct sum : seq<product, star<sum_tail>> {};

// cmp_op := "<=" | ">=" | "!=" | "=" | "<" | ">"
struct op_le : string<'<', '='> {};
struct op_ge : string<'>', '='> {};
struct op_ne : string<'!', '='> {};
struct op_eq : one<'='> {};
struct op_lt : one<'<'> {};
struct op_gt : one<'>'> {};
struct compare_op : sor<op_le, op_ge, op_ne, op_eq, op_lt, op_gt> {};
struct compare_rhs : sum {};
// Raised on `1 < x < 3`: comparisons do not chain.
struct no_chained_comparison : not_at<sep, compare_op> {};
struct compare_tail : if_must<compare_op, sep, compare_rhs, no_chained_comparison> {};

struct in_set : set_literal {};
struct in_tail : if_must<kw_in, sep, in_set> {};

struct has_any : kw_any {};
struct has_all : kw_all {};
struct has_quantifier : sor<has_any, has_all> {};
struct has_of : kw_of {};
struct has_set : set_literal {};
struct has_tail : if_must<kw_has, sep, has_quantifier, sep, has_of, sep, has_set> {};

struct is_empty : kw_empty {};
struct is_not_empty_word : kw_empty {};
struct is_not_empty : if_must<kw_not, sep, is_not_empty_word> {};
struct is_known : kw_known {};
struct is_unknown : kw_unknown {};
struct is_what : sor<is_empty, is_not_empty, is_known, is_unknown> {};
struct is_tail : if_must<kw_is, sep, is_what> {};

struct test_tail : sor<compare_tail, in_tail, has_tail, is_tail> {};
struct test : seq<sum, opt<sep, test_tail>> {};

struct not_operand : depth_limited<not_expr> {};
struct negation : if_must<kw_not, sep, not_operand> {};
struct not_expr : sor<negation, test> {};

struct and_rhs : not_expr {};
struct and_tail : if_must<seq<sep, kw_and>, sep, and_rhs> {};
struct and_expr : seq<not_expr, star<and_tail>> {};

struct or_rhs : and_expr {};
struct or_tail : if_must<seq<sep, kw_or>, sep, or_rhs> {};
struct expr : seq<and_expr, star<or_tail>> {};

// ============================================================================
// The module header: `guideline NAME "Title"` or `library NAME "Title"`, then
// optional metadata clauses, each led by its keyword.
// ============================================================================

struct module_name : dotted_name {};
struct module_title : string_lit {};

struct source_text : string_lit {};
struct source_clause : if_must<kw_source, sep, source_text> {};
struct citation_text : string_lit {};
struct citation_clause : if_must<kw_citation, sep, citation_text> {};
struct revised_year : number_lit {};
struct revised_clause : if_must<kw_revised, sep, revised_year> {};
struct doi_text : string_lit {};
struct doi_clause : if_must<kw_doi, sep, doi_text> {};
struct url_text : string_lit {};
struct url_clause : if_must<kw_url, sep, url_text> {};
struct license_text : string_lit {};
struct license_clause : if_must<kw_license, sep, license_text> {};
// `scale NAME` in a header names the rating scale; `scale NAME "Label"` is a
// scale declaration, so the header clause stops short of a quoted label.
struct header_scale_name : seq<dotted_name, not_at<sep, one<'"'>>> {};
struct header_scale_clause : seq<kw_scale, sep, header_scale_name> {};
struct radiation_name : dotted_name {};
struct radiation_clause : if_must<kw_radiation, sep, radiation_name> {};

// select := "select" ("first" | "unique" | "all") [ "in" "order" id { "," id } ]
struct policy_first : kw_first {};
struct policy_unique : kw_unique {};
struct policy_all : kw_all {};
struct select_policy : sor<policy_first, policy_unique, policy_all> {};
struct order_word : kw_order {};
struct order_item : variant_id {};
struct order_more : if_must<seq<sep, one<','>>, sep, order_item> {};
struct select_order : if_must<kw_in, sep, order_word, sep, order_item, star<order_more>> {};
struct select_clause : if_must<kw_select, sep, select_policy, opt<sep, select_order>> {};

// pediatric := "pediatric" "when" expr   — who gets the pediatric RRL and doses
struct pediatric_when : kw_when {};
struct pediatric_condition : expr {};
struct pediatric_clause : if_must<kw_pediatric, sep, pediatric_when, sep, pediatric_condition> {};

struct header_clause
    : sor<source_clause, citation_clause, revised_clause, doi_clause, url_clause, license_clause,
          header_scale_clause, radiation_clause, select_clause, pediatric_clause> {};
struct guideline_keyword : kw_guideline {};
struct library_keyword : kw_library {};
struct header_start : sor<guideline_keyword, library_keyword> {};
struct header : if_must<header_start, sep, module_name, sep, module_title, star<sep, header_clause>> {};

// ============================================================================
// Declarations. Each starts with its keyword; its clauses follow, each led by
// a keyword, so a declaration ends where the next top-level keyword begins.
// ============================================================================

// import := "import" dotted_name
struct import_name : dotted_name {};
struct import_start : kw_import {};
struct import_decl : if_must<import_start, sep, import_name> {};

// enum := "enum" id [label] { member [label] }
struct enum_id : identifier {};
struct enum_label : string_lit {};
// A member is any name but a declaration keyword (the next declaration).
struct member_id : seq<not_at<declaration_keyword>, identifier> {};
struct member_label : string_lit {};
struct enum_member : seq<member_id, opt<sep, member_label>> {};
struct enum_start : kw_enum {};
struct enum_decl : if_must<enum_start, sep, enum_id, opt<sep, enum_label>, star<sep, enum_member>> {};

// scale := "scale" id label { level }
// level := "level" id label { "range" n "to" n | "means" text | "adult" text | "pediatric" text }
struct scale_id : identifier {};
struct scale_label : string_lit {};
struct level_id : identifier {};
struct level_label : string_lit {};
struct range_min : number_lit {};
struct range_to : kw_to {};
struct range_max : number_lit {};
struct range_clause : if_must<kw_range, sep, range_min, sep, range_to, sep, range_max> {};
struct means_text : string_lit {};
struct means_clause : if_must<kw_means, sep, means_text> {};
struct adult_dose : string_lit {};
struct adult_dose_clause : if_must<kw_adult, sep, adult_dose> {};
struct pediatric_dose : string_lit {};
struct pediatric_dose_clause : if_must<kw_pediatric, sep, pediatric_dose> {};
struct level_clause : sor<range_clause, means_clause, adult_dose_clause, pediatric_dose_clause> {};
struct level_start : kw_level {};
struct level_decl : if_must<level_start, sep, level_id, sep, level_label, star<sep, level_clause>> {};
struct scale_start : kw_scale {};
struct scale_decl : if_must<scale_start, sep, scale_id, sep, scale_label, star<sep, level_decl>> {};

// procedure := "procedure" id display { modality | region | contrast | adult rrl | pediatric rrl | code }
struct procedure_id : identifier {};
struct procedure_display : string_lit {};
struct modality_text : string_lit {};
struct modality_clause : if_must<kw_modality, sep, modality_text> {};
struct region_text : string_lit {};
struct region_clause : if_must<kw_region, sep, region_text> {};
struct contrast_text : string_lit {};
struct contrast_clause : if_must<kw_contrast, sep, contrast_text> {};
struct rrl_word : kw_rrl {};
struct adult_rrl : level_ref {};
struct adult_rrl_clause : if_must<kw_adult, sep, rrl_word, sep, adult_rrl> {};
struct pediatric_rrl : level_ref {};
struct pediatric_rrl_clause : if_must<kw_pediatric, sep, rrl_word, sep, pediatric_rrl> {};
struct code_system : identifier {};
struct code_value : string_lit {};
struct code_start : kw_code {};
struct code_clause : if_must<code_start, sep, code_system, sep, code_value> {};
struct procedure_clause
    : sor<modality_clause, region_clause, contrast_clause, adult_rrl_clause, pediatric_rrl_clause, code_clause> {};
struct procedure_start : kw_procedure {};
struct procedure_decl
    : if_must<procedure_start, sep, procedure_id, sep, procedure_display, star<sep, procedure_clause>> {};

// patient := "patient" { id ":" type [label] ["fixed"] }
// type := "bool" | "number" [range] [unit] | "integer" [range] | "duration"
//       | "text" | "set" "of" name | name
// range := [number] ".." [number]   — either end may be left out
// A fact is a name followed by `:`, so any word may name one (`score : integer`).
struct fact_start : identifier {};
struct fact_probe : seq<identifier, sep, one<':'>> {};
struct fact_colon : one<':'> {};
struct type_bool : kw_bool {};
struct range_low : number_body {};
struct range_dots : string<'.', '.'> {};
struct range_high : number_body {};
struct fact_range : seq<opt<range_low>, range_dots, opt<range_high>> {};
struct fact_unit : unit_token {};
struct type_number : seq<kw_number, opt<star<blank>, fact_range>, opt<star<blank>, fact_unit>> {};
struct type_integer : seq<kw_integer, opt<star<blank>, fact_range>> {};
struct type_duration : kw_duration {};
struct type_text : kw_text {};
struct set_of_word : kw_of {};
struct set_element_type : dotted_name {};
struct type_set : if_must<kw_set, sep, set_of_word, sep, set_element_type> {};
struct type_named : dotted_name {};
struct fact_type : sor<type_bool, type_number, type_integer, type_duration, type_text, type_set, type_named> {};
struct fact_label : string_lit {};
struct fact_fixed : kw_fixed {};
struct fact_decl : if_must<at<fact_probe>, fact_start, sep, fact_colon, sep, fact_type, opt<sep, fact_label>, opt<sep, fact_fixed>> {};
struct patient_start : kw_patient {};
struct patient_decl : if_must<patient_start, star<sep, fact_decl>> {};

// let := "let" id "=" expr
struct let_id : identifier {};
struct let_equals : one<'='> {};
struct let_value : expr {};
struct let_start : kw_let {};
struct let_decl : if_must<let_start, sep, let_id, sep, let_equals, sep, let_value> {};

// criterion := "criterion" id [label] ":" expr
struct criterion_id : identifier {};
struct criterion_label : string_lit {};
struct criterion_colon : one<':'> {};
struct criterion_body : expr {};
struct criterion_start : kw_criterion {};
struct criterion_decl
    : if_must<criterion_start, sep, criterion_id, opt<sep, criterion_label>, sep, criterion_colon, sep, criterion_body> {};

// score := "score" id [label] { points "if" expr }
struct score_id : identifier {};
struct score_label : string_lit {};
struct score_points : number_body {};
struct score_if : kw_if {};
struct score_condition : expr {};
struct score_line_start : seq<number_body, sep, kw_if> {};
struct score_line : if_must<at<score_line_start>, score_points, sep, score_if, sep, score_condition> {};
struct score_start : kw_score {};
struct score_decl : if_must<score_start, sep, score_id, opt<sep, score_label>, star<sep, score_line>> {};

// value := "value" id [label] "=" sum
struct value_id : identifier {};
struct value_label : string_lit {};
struct value_equals : one<'='> {};
struct value_body : sum {};
struct value_start : kw_value {};
struct value_decl : if_must<value_start, sep, value_id, opt<sep, value_label>, sep, value_equals, sep, value_body> {};

// A procedure as a rating names it (display name or id), and a rating
// category: a label of the scale in quotes, or a run of words (`usually not
// appropriate`) and an optional `(Disagreement)`. Any word may be part of the
// run (`on the basis of other clinical factors`) but `score N`, `rrl L` and
// `caveat "…"`, which end it, and so does the end of the line: a misspelt
// clause word on the next line (`advize`) is reported as such instead of
// joining the category.
struct rated_procedure : sor<string_lit, dotted_name> {};
struct category_tail_start
    : sor<seq<kw_score, plus<blank>, number_body>, seq<kw_rrl, plus<blank>, level_ref>, seq<kw_caveat, plus<blank>, one<'"'>>> {};
struct category_word : seq<not_at<category_tail_start>, name_chars> {};
struct category_paren_word : category_word {};
struct category_paren_close : one<')'> {};
struct category_paren : if_must<one<'('>, sep, category_paren_word, sep, category_paren_close> {};
// The first word is never a clause or declaration keyword: a rating whose
// category is missing must not take the next line's `advise` for one.
struct clause_keyword : sor<kw_when, kw_rate, kw_advise, kw_next, kw_source, kw_evidence, kw_given, kw_expect> {};
struct category_first_word : seq<not_at<clause_keyword>, not_at<declaration_keyword>, category_word> {};
struct category_words : seq<category_first_word, star<star<blank>, category_word>, opt<star<blank>, category_paren>> {};
struct category_quoted : string_lit {};
struct category_any : sor<category_quoted, category_words> {};
struct rated_category : category_any {};

// variant := "variant" id title { when | rate | advise | next | source | evidence }
struct variant_name : variant_id {};
struct variant_title : string_lit {};
struct variant_guard : expr {};
struct when_clause : if_must<kw_when, sep, variant_guard> {};
// rate := "rate" procedure category ["score" number] ["rrl" level] ["caveat" text]
struct score_value : number_lit {};
struct score_part : if_must<kw_score, sep, score_value> {};
struct rating_rrl : level_ref {};
struct rrl_part : if_must<kw_rrl, sep, rating_rrl> {};
// What the source leaves unknown about this rating (a Disagreement flag, the procedure's name).
struct caveat_text : string_lit {};
struct caveat_part : if_must<kw_caveat, sep, caveat_text> {};
struct rate_start : kw_rate {};
struct rate_clause : if_must<rate_start, sep, rated_procedure, sep, rated_category, opt<sep, score_part>,
                             opt<sep, rrl_part>, opt<sep, caveat_part>> {};
// advise := "advise" text ["when" expr]
struct advice_text : string_lit {};
struct advice_condition : expr {};
struct advice_when : if_must<kw_when, sep, advice_condition> {};
struct advise_start : kw_advise {};
struct advise_clause : if_must<advise_start, sep, advice_text, opt<sep, advice_when>> {};
// next := "next" id ["urgent"] "when" expr [label]
struct next_target : variant_id {};
struct next_urgent : kw_urgent {};
struct next_when : kw_when {};
struct next_condition : expr {};
struct next_label : string_lit {};
struct next_start : kw_next {};
struct next_clause
    : if_must<next_start, sep, next_target, opt<sep, next_urgent>, sep, next_when, sep, next_condition, opt<sep, next_label>> {};
struct evidence_text : string_lit {};
struct evidence_clause : if_must<kw_evidence, sep, evidence_text> {};
struct variant_clause : sor<when_clause, rate_clause, advise_clause, next_clause, source_clause, evidence_clause> {};
struct variant_start : kw_variant {};
struct variant_decl : if_must<variant_start, sep, variant_name, sep, variant_title, star<sep, variant_clause>> {};

// otherwise := "otherwise" [label] { advise }
struct otherwise_label : string_lit {};
struct otherwise_start : kw_otherwise {};
struct otherwise_decl : if_must<otherwise_start, opt<sep, otherwise_label>, star<sep, advise_clause>> {};

// assume := "assume" expr [label]
struct assume_condition : expr {};
struct assume_label : string_lit {};
struct assume_start : kw_assume {};
struct assume_decl : if_must<assume_start, sep, assume_condition, opt<sep, assume_label>> {};

// example := "example" title { given | expect }
// given := "given" fact "=" value { "," fact "=" value }
// expect := "expect" ( "variant" id | "status" word | "missing" names | "candidates" ids | procedure category )
struct example_title : string_lit {};
struct given_fact : dotted_name {};
struct given_equals : one<'='> {};
struct given_value : operand {};
struct given_item : if_must<given_fact, sep, given_equals, sep, given_value> {};
struct given_more : if_must<seq<sep, one<','>>, sep, given_item> {};
struct given_start : kw_given {};
struct given_clause : if_must<given_start, sep, given_item, star<given_more>> {};
struct expected_variant : variant_id {};
struct expect_variant : if_must<kw_variant, sep, expected_variant> {};
struct status_word
    : sor<key<'m', 'a', 't', 'c', 'h', 'e', 'd'>, key<'u', 'n', 'd', 'e', 't', 'e', 'r', 'm', 'i', 'n', 'e', 'd'>,
          key<'n', 'o', '_', 'c', 'r', 'i', 't', 'e', 'r', 'i', 'a', '_', 'a', 'p', 'p', 'l', 'y'>> {};
struct expect_status : if_must<kw_status, sep, status_word> {};
struct missing_fact : dotted_name {};
struct missing_more : if_must<seq<sep, one<','>>, sep, missing_fact> {};
struct expect_missing : if_must<kw_missing, sep, missing_fact, star<missing_more>> {};
struct candidate_id : variant_id {};
struct candidate_more : if_must<seq<sep, one<','>>, sep, candidate_id> {};
struct expect_candidates : if_must<kw_candidates, sep, candidate_id, star<candidate_more>> {};
struct expected_category : category_any {};
struct expect_rating : if_must<rated_procedure, sep, expected_category> {};
struct expectation : sor<expect_variant, expect_status, expect_missing, expect_candidates, expect_rating> {};
struct expect_start : kw_expect {};
struct expect_clause : if_must<expect_start, sep, expectation> {};
struct example_clause : sor<given_clause, expect_clause> {};
struct example_start : kw_example {};
struct example_decl : if_must<example_start, sep, example_title, star<sep, example_clause>> {};

// ============================================================================
// FHIR R4: code lists and bindings (docs/fhir.md). A code list is a
// declaration of its own, usually in a library of codes; a `fhir` block in a
// guideline says from which resources each patient fact is derived.
// ============================================================================

// codes := "codes" id [label] { "source" text | "url" text | system code [display] ["unverified"] }
struct codes_id : identifier {};
struct codes_label : string_lit {};
struct codes_source : string_lit {};
struct codes_source_clause : if_must<kw_source, sep, codes_source> {};
struct codes_url : string_lit {};
struct codes_url_clause : if_must<kw_url, sep, codes_url> {};
struct codes_system : seq<not_at<declaration_keyword>, identifier> {};
struct codes_entry_probe : seq<codes_system, plus<blank>, one<'"'>> {};
struct codes_code : string_lit {};
struct codes_display : string_lit {};
struct codes_unverified : kw_unverified {};
struct codes_entry
    : if_must<at<codes_entry_probe>, codes_system, sep, codes_code, opt<sep, codes_display>, opt<sep, codes_unverified>> {};
struct codes_clause : sor<codes_source_clause, codes_url_clause, codes_entry> {};
struct codes_start : kw_codes {};
struct codes_decl : if_must<codes_start, sep, codes_id, opt<sep, codes_label>, star<sep, codes_clause>> {};

// fhir := "fhir" [label] { complete | unbound | binding }
// complete := "complete" resources { "," resources }   — no match there means false
// unbound := fact ["has" member] "is" "unbound" text   — deliberately not read from FHIR, and why
// binding := fact ["has" member] "from" source { "or" source }
// source := "age" "at" "the" "order"
//         | "time" "since" "onset" "of" ("latest" | "earliest") resource "in" codes [window]
//         | "any" resource "in" codes [window]
//         | "total" "time" "of" resource "in" codes [window]
//         | "answer" text "in" "questionnaire" text [window]
//         | ("latest" | "earliest") "observation" "in" codes [window]
//         | "number" "of" resources "in" codes [window]
// resource := "condition" | "procedure" | "medication";  window := "within" quantity "before" "the" "order"
// resources := "conditions" | "procedures" | "medications" | "observations"
struct fhir_label : string_lit {};
struct complete_conditions : kw_conditions {};
struct complete_procedures : kw_procedures {};
struct complete_medications : kw_medications {};
struct complete_resources : sor<complete_conditions, complete_procedures, complete_medications> {};
struct complete_more : if_must<seq<sep, one<','>>, sep, complete_resources> {};
struct complete_clause : if_must<kw_complete, sep, complete_resources, star<complete_more>> {};
struct resource_condition : kw_condition {};
struct resource_procedure : kw_procedure {};
struct resource_medication : kw_medication {};
struct binding_resource : sor<resource_condition, resource_procedure, resource_medication> {};
struct binding_codes : dotted_name {};
struct binding_in : kw_in {};
struct window_amount : quantity {};
struct window_before : seq<kw_before, sep, kw_the, sep, kw_order> {};
struct binding_window : if_must<kw_within, sep, window_amount, sep, window_before> {};
struct resource_in_codes : seq<binding_resource, sep, binding_in, sep, binding_codes, opt<sep, binding_window>> {};
struct source_age_words : seq<kw_at, sep, kw_the, sep, kw_order> {};
struct source_age : if_must<kw_age, sep, source_age_words> {};
struct choose_latest : kw_latest {};
struct choose_earliest : kw_earliest {};
struct onset_words : seq<kw_since, sep, kw_onset, sep, kw_of> {};
struct onset_choice : sor<choose_latest, choose_earliest> {};
struct source_onset : if_must<kw_time, sep, onset_words, sep, onset_choice, sep, resource_in_codes> {};
struct source_any : if_must<kw_any, sep, resource_in_codes> {};
struct total_words : seq<kw_time, sep, kw_of> {};
struct source_total : if_must<kw_total, sep, total_words, sep, resource_in_codes> {};
struct answer_link : string_lit {};
struct answer_in : seq<kw_in, sep, kw_questionnaire> {};
struct answer_questionnaire : string_lit {};
struct source_answer
    : if_must<kw_answer, sep, answer_link, sep, answer_in, sep, answer_questionnaire, opt<sep, binding_window>> {};
struct observation_choice : seq<onset_choice, sep, kw_observation> {};
struct observation_in_codes : seq<binding_in, sep, binding_codes, opt<sep, binding_window>> {};
struct source_observation : if_must<observation_choice, sep, observation_in_codes> {};
struct count_conditions : kw_conditions {};
struct count_procedures : kw_procedures {};
struct count_medications : kw_medications {};
struct count_observations : kw_observations {};
struct count_resources : sor<count_conditions, count_procedures, count_medications, count_observations> {};
struct count_in_codes : seq<count_resources, sep, binding_in, sep, binding_codes, opt<sep, binding_window>> {};
struct count_words : seq<kw_number, sep, kw_of> {};
struct source_count : if_must<count_words, sep, count_in_codes> {};
struct binding_source
    : sor<source_age, source_onset, source_any, source_total, source_answer, source_observation, source_count> {};
struct binding_or : kw_or {};
struct binding_alternative : if_must<seq<sep, binding_or>, sep, binding_source> {};
struct binding_fact : seq<not_at<declaration_keyword>, not_at<kw_complete>, identifier> {};
struct binding_member : identifier {};
struct binding_has : if_must<kw_has, sep, binding_member> {};
struct binding_from : kw_from {};
struct binding_decl
    : if_must<binding_fact, opt<sep, binding_has>, sep, binding_from, sep, binding_source, star<binding_alternative>> {};
// `pretest_probability is unbound "the clinician's gestalt"`: a fact (or set
// member) no resource can carry, acknowledged with the reason, so the lint
// for facts without a binding (R0611) stays quiet. The probe reads ahead
// with actions off, so `binding_fact` never fires for an unbound line.
struct unbound_probe : seq<not_at<declaration_keyword>, identifier, opt<sep, kw_has, sep, identifier>, sep, kw_is, sep, kw_unbound> {};
struct unbound_fact : identifier {};
struct unbound_member : identifier {};
struct unbound_has : seq<kw_has, sep, unbound_member> {};
struct unbound_words : seq<kw_is, sep, kw_unbound> {};
struct unbound_reason : string_lit {};
struct unbound_decl
    : if_must<at<unbound_probe>, unbound_fact, opt<sep, unbound_has>, sep, unbound_words, sep, unbound_reason> {};
struct fhir_clause : sor<complete_clause, unbound_decl, binding_decl> {};
struct fhir_start : kw_fhir {};
struct fhir_decl : if_must<fhir_start, opt<sep, fhir_label>, star<sep, fhir_clause>> {};

struct declaration
    : sor<import_decl, enum_decl, scale_decl, procedure_decl, patient_decl, let_decl, criterion_decl, score_decl,
          value_decl, variant_decl, otherwise_decl, assume_decl, example_decl, codes_decl, fhir_decl> {};

// ============================================================================
// The file: an optional BOM, the header, then declarations to the end. `rest`
// is where the parser resumes after a syntax error (at a declaration keyword).
// ============================================================================

struct end_of_file : eof {};
struct declarations : star<sep, declaration> {};
struct rest : seq<declarations, sep, must<end_of_file>> {};
struct file : seq<opt<bom>, sep, must<header>, rest> {};

}  // namespace rubric::grammar

// Grammar analysis (tao::pegtl::analyze) sees `depth_limited<R>` as `seq<R>`.
namespace tao::pegtl {
template <typename Name, typename Rule>
struct analyze_traits<Name, rubric::grammar::depth_limited<Rule>> : analyze_traits<Name, typename seq<Rule>::rule_t> {};
}  // namespace tao::pegtl
