// The decision graph: the compiled form of a guideline that the runtime
// executes. Plain data — indices, not pointers. The runtime owns this format;
// the compiler produces it; docs/ir.md documents every field of its JSON form.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace rubric::runtime {

inline constexpr const char* graph_format_name = "rubric.decision-graph";
inline constexpr int graph_format_version = 4;
// The oldest version the loader still reads (version 1 has no arithmetic).
inline constexpr int graph_format_oldest_version = 1;

// The deepest a condition may nest once criteria are expanded: the longest
// chain of nodes from a guard (or criterion, advice or transition condition)
// down to a fact test, counting both ends. The compiler refuses deeper
// guidelines (R0125) and the loader deeper graphs, so every walk over a graph
// is bounded (docs/limits.md).
inline constexpr std::uint32_t max_condition_depth = 1024;

// Kleene three-valued truth.
enum class truth : std::uint8_t { no = 0, yes = 1, unknown = 2 };

enum class value_type : std::uint8_t { boolean, number, duration, enumeration, set, text };
enum class select_policy : std::uint8_t { first, unique, all };
enum class compare_op : std::uint8_t { lt, le, gt, ge, eq, ne };

// `a op b` on numbers (durations in days): the one definition every evaluator uses.
inline bool compare_holds(compare_op op, double a, double b) {
  switch (op) {
    case compare_op::lt: return a < b;
    case compare_op::le: return a <= b;
    case compare_op::gt: return a > b;
    case compare_op::ge: return a >= b;
    case compare_op::eq: return a == b;
    case compare_op::ne: return a != b;
  }
  return false;
}

// A place in the author's source, resolved at compile time.
struct location {
  std::uint32_t file = 0;  // index into graph::files
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t end_line = 0;
  std::uint32_t end_column = 0;
  bool operator==(const location&) const = default;
};

struct level {
  std::string id;           // usually_appropriate
  std::string label;        // Usually appropriate
  std::string meaning;
  std::optional<double> min, max;  // numeric rating range (appropriateness)
  std::string adult_dose, pediatric_dose;  // dose ranges (radiation)
  bool operator==(const level&) const = default;
};

// Levels are ordered from most to least favourable.
struct scale {
  std::string id;  // qualified: stdlib.acr.appropriateness
  std::string label;
  std::vector<level> levels;
  bool operator==(const scale&) const = default;
};

struct enum_member {
  std::string id, label;
  bool operator==(const enum_member&) const = default;
};

// At most 64 members (a set is a 64-bit mask).
struct enumeration {
  std::string id, label;
  std::vector<enum_member> members;
  bool operator==(const enumeration&) const = default;
};

// A patient fact is a numbered slot.
struct fact {
  std::string id, label;
  value_type type = value_type::boolean;
  std::int32_t enumeration = -1;  // for enumeration and set
  bool fixed = false;             // what-if never changes it
  location where;
  // The declared UCUM unit of a number fact, as the author wrote it
  // (`ng/mL`, `/min`; empty: a plain number). Values of the fact — patient
  // data and graph thresholds alike — are stored in this unit; the decoder
  // converts other units of its dimension (runtime/units.hpp). Durations
  // have no unit here: they are always in days.
  std::string unit{};
  bool integer = false;                // declared `integer`: a fraction is an error record
  std::optional<double> min{}, max{};  // declared range, inclusive, in `unit` (durations: days); outside is an error record
  bool operator==(const fact&) const = default;
};

struct code_ref {
  std::string system, value;
  bool operator==(const code_ref&) const = default;
};

struct procedure {
  std::string id;    // qualified id
  std::string name;  // display name, ACR wording
  std::string modality, region, contrast;
  std::int32_t adult_rrl = -1;      // level index in graph::radiation_scale, -1 none
  std::int32_t pediatric_rrl = -1;
  std::vector<code_ref> codes;
  bool operator==(const procedure&) const = default;
};

enum class node_kind : std::uint8_t {
  constant,      // value: `constant`
  fact_true,     // bool fact `slot` is true
  compare,       // fact `slot` op `number` (numbers and durations in days)
  compare_facts, // fact `slot` op fact `slot2`
  text_equals,   // text fact `slot` op (eq/ne) strings[`mask`]
  enum_in,       // enum fact `slot` is one of `mask`
  set_any,       // set fact `slot` has any of `mask`
  set_all,       // set fact `slot` has all of `mask`
  set_empty,     // set fact `slot` is empty
  is_known,      // fact `slot` is known (never unknown itself)
  not_,          // children[first]
  and_,          // children[first .. first+count)
  or_,
  criterion,     // a named criterion: passes its one child through; `criterion` indexes graph::criteria
  // v2 — arithmetic. A numeric node's value is an interval [lo, hi] (the
  // values it can still take given the unknown facts); its truth value is
  // `yes` when the interval is one number and `unknown` otherwise.
  num_const,     // the number `number`
  num_fact,      // number or duration fact `slot`; unknown: its declared range (±∞ where open)
  num_sum,       // `number` + the sum of the children
  num_scale,     // `number` × the one child
  num_points,    // `number` if the one child (a condition) holds, 0 if not, both if unknown
  num_if,        // children: condition, then, else (unknown condition: both)
  num_min,       // the least of the children
  num_max,       // the greatest of the children
  compare_num,   // condition: the numeric child `op` `number`
  at_least,      // condition: at least `number` (a whole number) of the children hold
  score,         // a named score or value: passes its numeric child through; `criterion` indexes graph::scores
};

// Whether a node kind yields a number (an interval) rather than a truth value.
constexpr bool is_numeric(node_kind k) {
  return k == node_kind::num_const || k == node_kind::num_fact || k == node_kind::num_sum ||
         k == node_kind::num_scale || k == node_kind::num_points || k == node_kind::num_if ||
         k == node_kind::num_min || k == node_kind::num_max || k == node_kind::score;
}
// Whether a node kind reads a fact or is a constant: it has no children.
constexpr bool is_leaf_kind(node_kind k) {
  return k == node_kind::constant || k == node_kind::fact_true || k == node_kind::compare ||
         k == node_kind::compare_facts || k == node_kind::text_equals || k == node_kind::enum_in ||
         k == node_kind::set_any || k == node_kind::set_all || k == node_kind::set_empty ||
         k == node_kind::is_known || k == node_kind::num_const || k == node_kind::num_fact;
}
// Whether a node kind is new in format version 2.
constexpr bool is_v2_kind(node_kind k) { return static_cast<int>(k) >= static_cast<int>(node_kind::num_const); }

// Hot data of a node: small and flat. Children precede parents in graph::nodes.
struct node {
  node_kind kind = node_kind::constant;
  compare_op op = compare_op::eq;
  truth constant = truth::unknown;
  std::int32_t slot = -1;
  std::int32_t slot2 = -1;
  double number = 0;
  std::uint64_t mask = 0;
  std::uint32_t first = 0;  // into graph::children
  std::uint32_t count = 0;
  std::int32_t criterion = -1;
  bool operator==(const node&) const = default;
};

// Cold data of a node, parallel to graph::nodes: for explanations.
struct node_info {
  std::string text;  // the author's text of this expression
  location where;
  bool operator==(const node_info&) const = default;
};

struct criterion {
  std::string id, label;
  std::string text;       // the author's expression
  std::uint32_t node = 0; // the criterion node
  location where;
  bool operator==(const criterion&) const = default;
};

// One line of a score: `points if condition`.
struct score_line {
  double points = 0;
  std::string points_text;  // as written: "1.5"
  std::uint32_t node = 0;   // the num_points node of the line
  std::uint32_t condition = 0;
  std::string text;         // the condition as written
  location where;
  bool operator==(const score_line&) const = default;
};

// A named score (`score wells "…"`) or derived value (`value cutoff "…" = …`).
struct score {
  std::string id, label;
  bool is_value = false;    // a `value` rather than a `score`
  std::string unit;         // a value's unit as the author wrote it ("ng/mL"), "" if plain
  std::string text;         // a value's expression as written
  std::uint32_t node = 0;   // the `score` node
  std::vector<score_line> lines{};  // a score's lines
  location where{};
  bool operator==(const score&) const = default;
};

struct rating {
  std::uint32_t procedure = 0;  // index into graph::procedures
  std::uint32_t level = 0;      // index into the rating scale's levels
  std::optional<double> score;
  location where;
  std::string caveat;  // what the source leaves unknown about this rating; "" when nothing
  bool operator==(const rating&) const = default;
};

struct advisory {
  std::string text;
  std::int32_t when = -1;  // condition node, -1 = always
  location where;
  bool operator==(const advisory&) const = default;
};

struct transition {
  std::uint32_t target = 0;  // index into graph::variants
  std::uint32_t when = 0;    // condition node
  std::string label;
  bool urgent = false;
  location where;
  bool operator==(const transition&) const = default;
};

struct variant {
  std::string id;  // "2"
  std::string title;
  std::int32_t guard = -1;  // node; -1 = always holds
  std::vector<rating> ratings;
  std::vector<advisory> advice;
  std::vector<transition> next;
  std::string source, evidence;
  std::vector<std::uint32_t> requires_facts;  // slots whose unknown can block selection (verifier)
  location where;
  bool operator==(const variant&) const = default;
};

struct otherwise_outcome {
  bool present = false;
  std::string label;
  std::vector<advisory> advice;
  location where;
  bool operator==(const otherwise_outcome&) const = default;
};

struct assumption {
  std::uint32_t node = 0;
  std::string label, text;
  location where;
  bool operator==(const assumption&) const = default;
};

// Who is a child: pediatric radiation levels and doses apply when `node`
// holds, adult ones when it is false, both when it is unknown. node -1: the
// guideline says nothing, and every patient gets the adult ones.
struct pediatric_rule {
  std::int32_t node = -1;
  std::string text;  // the author's condition, `age < 18 years`
  location where;
  bool operator==(const pediatric_rule&) const = default;
};

// v3 — FHIR R4 bindings (docs/fhir.md): how each fact is derived from the
// resources of a Bundle. The runtime decodes Bundles with these alone.
enum class fhir_source : std::uint8_t { age_at_order, time_since_onset, any, total_time, answer, observation_value, count /* the last three v4 */ };
enum class fhir_resource : std::uint8_t { condition, procedure, questionnaire_response, observation, medication /* the last three v4 */ };

struct fhir_code {
  std::string system;   // the FHIR system URI, http://hl7.org/fhir/sid/icd-10-cm
  std::string code;     // without the trailing `*` of a prefix
  std::string display;
  bool prefix = false;      // written `M54.1*`: every code starting with `code`
  bool unverified = false;  // the author is not certain of it; provenance says so
  bool operator==(const fhir_code&) const = default;
};

struct fhir_code_list {
  std::string id, label;  // qualified id: stdlib.codes.low_back_pain.lumbar_radiculopathy
  std::string source, url;  // where the codes came from; the value set's URL or OID
  std::vector<fhir_code> codes;
  bool operator==(const fhir_code_list&) const = default;
};

struct fhir_binding {
  std::uint32_t slot = 0;     // the fact
  std::int32_t member = -1;   // for a set fact: the member this binding decides
  fhir_source source = fhir_source::age_at_order;
  fhir_resource resource = fhir_resource::condition;
  bool earliest = false;      // time since onset, observation value: earliest rather than latest
  std::int32_t codes = -1;    // index into fhir_bindings::code_lists; -1 for age
  std::optional<double> within_days{};  // only resources within this many days before the order
  std::string text;           // the binding as written
  location where{};
  // v4: joins the binding before it (the same fact and member) with `or`:
  // Kleene OR for yes/no, else the first alternative that gives a value.
  bool or_previous = false;
  std::string question;       // v4, answer: the item's linkId
  std::string questionnaire;  // v4, answer: the Questionnaire's canonical URL
  bool operator==(const fhir_binding&) const = default;
};

// A fact (or set member) the author declared `is unbound`, with the reason:
// no resource carries it, so from a Bundle it stays unknown. Explanations
// and why-not say so instead of naming a resource.
struct fhir_unbound {
  std::uint32_t slot = 0;
  std::int32_t member = -1;  // -1: the whole fact
  std::string reason;
  location where{};
  bool operator==(const fhir_unbound&) const = default;
};

struct fhir_bindings {
  std::string label;
  bool conditions_complete = false;  // no matching Condition means false (else unknown)
  bool procedures_complete = false;
  bool medications_complete = false;  // v4: MedicationRequests and MedicationStatements are the full medication list
  std::vector<fhir_code_list> code_lists;
  std::vector<fhir_binding> bindings;
  std::vector<fhir_unbound> unbound;  // `is unbound` lines (absent in the JSON when none)
  bool empty() const { return bindings.empty(); }
  bool operator==(const fhir_bindings&) const = default;
};

struct graph {
  // guideline metadata
  std::string id;  // module name: acr.low_back_pain
  std::string title, source, citation, doi, url, license;
  std::optional<int> revised;
  select_policy policy = select_policy::first;
  std::vector<std::string> files;  // paths for locations

  std::vector<scale> scales;
  std::int32_t rating_scale = -1;     // index into scales
  std::int32_t radiation_scale = -1;  // index into scales
  std::vector<enumeration> enumerations;
  std::vector<fact> facts;            // slot i = facts[i]
  std::vector<procedure> procedures;
  std::vector<std::string> strings;   // text constants

  std::vector<node> nodes;            // topological: children first
  std::vector<node_info> info;        // parallel to nodes
  std::vector<std::uint32_t> children;
  std::vector<criterion> criteria;
  std::vector<score> scores;          // v2: scores and values

  std::vector<variant> variants;      // as written
  std::vector<std::uint32_t> order;   // selection order: indices into variants
  otherwise_outcome otherwise;
  std::vector<assumption> assumptions;
  pediatric_rule pediatric;
  fhir_bindings fhir;                 // v3: empty when the guideline has no `fhir` block

  bool operator==(const graph&) const = default;
};

}  // namespace rubric::runtime
