// The abstract syntax tree of one `.rubric` module: plain data, no PEGTL.
// Every node has a span. The parser builds it (compiler/parser.hpp); the
// passes read it; `rubric fmt` prints it back with the comments it keeps.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics/source.hpp"

namespace rubric::compiler::ast {

// An identifier or a dotted name (`stdlib.acr.appropriateness`).
struct name {
  std::string text;
  span where;
};

// A string literal, unescaped.
struct text {
  std::string value;
  span where;
};

// The time units a duration may be written in (words or UCUM codes).
enum class unit : std::uint8_t { none, day, week, month, year, second, minute, hour };

// A number, with its unit as written: a duration (`6 weeks`, `30 min`) or any
// other UCUM unit (`500 ng/mL`, `100 /min`).
struct number {
  double value = 0;
  unit unit_of = unit::none;  // set for a time unit, so the quantity is a duration
  std::string unit_text;      // the unit as written ("weeks", "ng/mL"); empty for a plain number
  std::string spelling;       // as written, e.g. "6 weeks" or "12 wk", for messages and fmt
  span where;
  bool has_unit() const { return !unit_text.empty(); }
};

enum class expr_kind : std::uint8_t {
  boolean,       // true / false
  unknown,       // the `unknown` literal (only in `given`)
  number,        // number or duration literal: see `number_value`
  string,        // string literal: `text_value`
  name,          // a fact, let, criterion or enum member: `text_value`
  set,           // `{a, b}`: operands are `name` expressions
  not_,          // operands[0]
  and_,          // operands (two or more, flattened)
  or_,           // operands (two or more, flattened)
  compare,       // operands[0] op operands[1]
  in_set,        // operands[0] in operands[1] (a set)
  has_any,       // operands[0] has any of operands[1]
  has_all,       // operands[0] has all of operands[1]
  is_empty,      // operands[0] is empty
  is_not_empty,  // operands[0] is not empty
  is_known,      // operands[0] is known
  is_unknown,    // operands[0] is unknown
  // v1 arithmetic: numbers and quantities.
  add,           // operands[0] + operands[1]
  subtract,      // operands[0] - operands[1]
  multiply,      // operands[0] * operands[1] (one side constant)
  divide,        // operands[0] / operands[1] (the right side constant)
  convert,       // operands[0] in `text_value` (a unit): a plain number of that unit
  if_value,      // if operands[0] then operands[1] else operands[2]
  min_of,        // min(operands…)
  max_of,        // max(operands…)
  // v1 counts: `number_value` holds K for at_least and at_most.
  at_least,      // at least K of (operands…)
  at_most,       // at most K of (operands…)
  none_of,       // none of (operands…)
  all_of,        // all of (operands…)
};

enum class compare_op : std::uint8_t { lt, le, gt, ge, eq, ne };

// The operator as the author writes it: `<`, `<=`, `>`, `>=`, `=`, `!=`.
inline const char* compare_spelling(compare_op op) {
  switch (op) {
    case compare_op::lt: return "<";
    case compare_op::le: return "<=";
    case compare_op::gt: return ">";
    case compare_op::ge: return ">=";
    case compare_op::eq: return "=";
    case compare_op::ne: return "!=";
  }
  return "=";
}

struct expr {
  expr_kind kind = expr_kind::boolean;
  span where;                  // the whole expression, for quoting the author's text
  bool bool_value = false;
  number number_value;         // for expr_kind::number
  std::string text_value;      // for string and name
  compare_op op = compare_op::eq;
  std::vector<expr> operands;
  // Written in parentheses: `rubric fmt` keeps them (they show the author's
  // grouping even where precedence makes them redundant), and an `and`/`or`
  // chain is never flattened into a parenthesized one.
  bool parenthesized = false;
};

// --- module header -----------------------------------------------------------

enum class module_kind : std::uint8_t { guideline, library };
enum class select_policy : std::uint8_t { first, unique, all };

struct select_clause {
  select_policy policy = select_policy::first;
  std::vector<name> order;  // `in order 4, 7, 6`: variant ids; empty = order written
  span where;
};

struct header {
  module_kind kind = module_kind::guideline;
  name module;                        // dotted module name
  text title;
  std::optional<text> source, citation, doi, url, license;
  std::optional<number> revised;
  std::optional<name> scale;          // rating scale
  std::optional<name> radiation;      // RRL scale
  std::optional<select_clause> select;
  // `pediatric when COND`: who gets the pediatric radiation levels and doses.
  std::optional<expr> pediatric;
  span where;
};

// --- declarations ------------------------------------------------------------

struct import_decl {
  name module;
  span where;
};

struct enum_member {
  name id;
  std::optional<text> label;
  span where;
};

struct enum_decl {
  name id;
  std::optional<text> label;
  std::vector<enum_member> members;
  span where;
};

struct level_decl {
  name id;
  text label;
  std::optional<number> range_min, range_max;  // `range 7 to 9`
  std::optional<text> means;
  std::optional<text> adult, pediatric;          // dose ranges of a radiation level
  span where;
};

struct scale_decl {
  name id;
  text label;
  std::vector<level_decl> levels;  // most favourable first
  span where;
};

// A radiation level as written: `O`, `☢☢☢` or a level id.
struct level_ref {
  std::string spelling;
  span where;
};

struct code_decl {
  name system;  // CPT, LOINC, RadLex, …
  text value;
  span where;
};

struct procedure_decl {
  name id;
  text display;  // ACR wording, verbatim
  std::optional<text> modality, region, contrast;
  std::optional<level_ref> adult_rrl, pediatric_rrl;
  std::vector<code_decl> codes;
  span where;
};

enum class type_kind : std::uint8_t { boolean, number, duration, text, named, set_of, integer };

struct type_ref {
  type_kind kind = type_kind::boolean;
  name named;  // the enum for `named` and `set_of`
  // `number LOW..HIGH UNIT`, `integer LOW..HIGH`: either end may be absent.
  bool has_range = false;
  std::optional<number> low, high;
  std::optional<name> unit;  // the declared unit as written
  span where;
};

struct fact_decl {
  name id;
  type_ref type;
  std::optional<text> label;
  bool fixed = false;  // a what-if question never changes it (age, history)
  span where;
};

struct patient_decl {
  std::vector<fact_decl> facts;
  span where;
};

struct let_decl {
  name id;
  expr value;
  span where;
};

struct criterion_decl {
  name id;
  std::optional<text> label;
  expr body;
  span where;
};

// One line of a score: `POINTS if CONDITION`.
struct score_line {
  number points;
  expr condition;
  span where;
};

// `score NAME "label"` and its lines: the sum of the points whose condition holds.
struct score_decl {
  name id;
  std::optional<text> label;
  std::vector<score_line> lines;
  span where;
};

// `value NAME "label" = EXPR`: a derived quantity.
struct value_decl {
  name id;
  std::optional<text> label;
  expr body;
  span where;
};

// A rating category as written: `usually not appropriate`, `may be appropriate
// (disagreement)` or a level id.
struct category_ref {
  std::vector<std::string> words;  // lower-cased words, parentheses dropped
  std::string spelling;            // as written
  span where;
};

// A procedure as a rating names it: a display name string or an id.
struct procedure_ref {
  bool by_display_name = true;
  std::string text;
  span where;
};

struct rating_decl {
  procedure_ref procedure;
  category_ref category;
  std::optional<number> score;
  std::optional<level_ref> rrl;
  std::optional<text> caveat;  // what the source leaves unknown about this rating
  span where;
};

struct advice_decl {
  text message;
  std::optional<expr> when;
  span where;
};

struct transition_decl {
  name target;  // variant id
  bool urgent = false;
  expr when;
  std::optional<text> label;
  span where;
};

struct variant_decl {
  name id;
  text title;
  std::optional<expr> guard;
  std::vector<rating_decl> ratings;
  std::vector<advice_decl> advice;
  std::vector<transition_decl> next;
  std::optional<text> source, evidence;
  span where;
};

struct otherwise_decl {
  std::optional<text> label;
  std::vector<advice_decl> advice;
  span where;
};

struct assume_decl {
  expr condition;
  std::optional<text> label;
  span where;
};

struct given_decl {
  name fact;
  expr value;  // a literal, a set, or `unknown`
  span where;
};

enum class expect_kind : std::uint8_t { variant, status, rating, missing, candidates };

struct expect_decl {
  expect_kind kind = expect_kind::variant;
  std::vector<name> names;          // variant id / status word / missing facts / candidates
  procedure_ref procedure;          // for rating
  category_ref category;            // for rating
  span where;
};

struct example_decl {
  text title;
  std::vector<given_decl> given;
  std::vector<expect_decl> expect;
  span where;
};

struct comment {
  std::string text;  // without the leading '#'
  span where;
};

// One code of a code list: `ICD10CM "M54.16" "Radiculopathy, lumbar region"`.
// A code ending in `*` matches every code that starts with the rest.
struct code_entry {
  name system;                  // ICD10CM, SNOMED, CPT, LOINC, RXNORM
  text code;
  std::optional<text> display;
  bool unverified = false;      // the author is not certain of the code: shown in provenance
  span where;
};

// `codes NAME "label"`: a code list, with where its codes came from.
struct codes_decl {
  name id;
  std::optional<text> label;
  std::optional<text> source, url;  // provenance; url: the value set's URL or OID
  std::vector<code_entry> codes;
  span where;
};

enum class fhir_resource : std::uint8_t { condition, procedure, questionnaire_response, observation, medication };
enum class fhir_source : std::uint8_t { age_at_order, time_since_onset, any, total_time, answer, observation_value, count };

// `FACT [has MEMBER] from SOURCE`: how one fact (or one member of a set fact)
// is derived from the resources of a FHIR Bundle. `… or SOURCE` is one more
// binding_decl with `alternative` set and the same fact and member.
struct binding_decl {
  name fact;
  std::optional<name> member;
  fhir_source source = fhir_source::age_at_order;
  fhir_resource resource = fhir_resource::condition;
  bool earliest = false;   // `time since onset of earliest …` (else latest)
  name codes;              // the code list (empty for age)
  std::optional<number> within;  // `within 4 weeks before the order`
  std::optional<text> question, questionnaire;  // `answer "LINK" in questionnaire "URL"`
  bool alternative = false;  // joined to the binding before it with `or`
  span where;                // the whole line for the first; `or …` for an alternative
};

// `FACT [has MEMBER] is unbound "REASON"`: a fact (or set member) the
// author deliberately leaves without a binding, and why; it stays unknown
// when the patient comes from FHIR, and the lint for unbound facts is quiet.
struct unbound_decl {
  name fact;
  std::optional<name> member;
  text reason;
  span where;  // the whole line
};

// `fhir "label"`: the guideline's bindings and which records are complete.
struct fhir_decl {
  std::optional<text> label;
  std::vector<name> complete;  // `conditions`, `procedures`
  std::vector<binding_decl> bindings;
  std::vector<unbound_decl> unbound;
  span where;
};

// Where each declaration sits, in the order written (for fmt and dumps).
enum class decl_kind : std::uint8_t {
  import, enumeration, scale, procedure, patient, let, criterion, variant, otherwise, assume, example, score, value,
  codes, fhir
};
struct decl_ref {
  decl_kind kind;
  std::uint32_t index;  // into the matching vector of `module`
};

struct module {
  file_id file = 0;
  header head;
  std::vector<import_decl> imports;
  std::vector<enum_decl> enums;
  std::vector<scale_decl> scales;
  std::vector<procedure_decl> procedures;
  std::vector<patient_decl> patients;  // usually one block; several are merged
  std::vector<let_decl> lets;
  std::vector<criterion_decl> criteria;
  std::vector<score_decl> scores;
  std::vector<value_decl> values;
  std::vector<variant_decl> variants;
  std::vector<otherwise_decl> otherwise;  // at most one is valid
  std::vector<assume_decl> assumes;
  std::vector<example_decl> examples;
  std::vector<codes_decl> code_lists;
  std::vector<fhir_decl> fhir;
  std::vector<decl_ref> order;
  std::vector<comment> comments;
};

}  // namespace rubric::compiler::ast
