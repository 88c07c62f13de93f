// The semantic model shared by the passes after parsing: per-module symbol
// tables (built by resolve), the type and resolution of every expression
// (typecheck), resolved ratings and variants (ratings). Plain data keyed by AST
// node addresses: the modules vector must not change while a program lives.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "compiler/syntax/ast.hpp"
#include "compiler/diagnostics/diagnostic.hpp"
#include "compiler/diagnostics/source.hpp"

namespace rubric::compiler::sema {

enum class symbol_kind : std::uint8_t { fact, let, criterion, enumeration, scale, procedure, score, value };

// A declaration: which module and which entry of that module's vector.
// Facts index module_scope::facts (patient blocks merged).
struct symbol {
  symbol_kind kind = symbol_kind::fact;
  std::uint32_t module = 0;
  std::uint32_t index = 0;
  bool operator==(const symbol&) const = default;
};

enum class type_kind : std::uint8_t { error, boolean, number, duration, text, enumeration, set };

// `enum_module`/`enum_index` name the enum of an enumeration or set type.
// A number may carry a unit (v1): a quantity such as `500 ng/mL`. A duration
// is a quantity of time held in days; `unit` stays empty for it.
struct type {
  type_kind kind = type_kind::error;
  std::int32_t enum_module = -1;
  std::int32_t enum_index = -1;
  std::string unit{};     // a number's UCUM unit as written ("ng/mL"); empty for a plain number
  bool integer = false;   // an `integer` fact
  bool operator==(const type&) const = default;
};

// Where a name is looked up: values are facts, lets, criteria, scores and values.
enum class name_space : std::uint8_t { value, enumeration, scale, procedure };

struct module_scope {
  std::string name;                                 // dotted module name
  std::vector<const ast::fact_decl*> facts;         // patient blocks merged
  std::vector<type> fact_types;                     // parallel to facts
  std::unordered_map<std::string, symbol> values;   // facts, lets, criteria
  std::unordered_map<std::string, symbol> enums;
  std::unordered_map<std::string, symbol> scales;
  std::unordered_map<std::string, symbol> procedures;  // by id
  std::vector<std::uint32_t> imports;               // module indices, as written
  std::optional<symbol> rating_scale;               // header `scale`
  std::optional<symbol> radiation_scale;            // header `radiation`
  // Procedure RRLs resolved to level indices of radiation_scale (-1 none).
  std::vector<std::int32_t> adult_rrl, pediatric_rrl;
};

// A resolved rating of a variant (parallel to variant_decl::ratings).
struct rating_info {
  bool ok = false;
  symbol procedure;
  std::uint32_t level = 0;  // in the guideline's rating scale
};

// A resolved FHIR binding of the root guideline (parallel to its `fhir`
// blocks' bindings, in order): the fact, the set member, the code list.
struct binding_info {
  bool ok = false;
  symbol fact;
  std::int32_t member = -1;
  std::int32_t codes_module = -1, codes_index = -1;
};

// A resolved `FACT [has MEMBER] is unbound "REASON"` of the root guideline
// (parallel to its `fhir` blocks' `unbound` lines, in order).
struct unbound_info {
  bool ok = false;
  symbol fact;
  std::int32_t member = -1;  // -1: the whole fact
};

struct program {
  const source_manager* sources = nullptr;
  std::vector<ast::module>* modules = nullptr;  // modules[0] is the root
  std::vector<module_scope> scopes;             // parallel to modules

  // typecheck: the type of every checked expression, the symbol each value
  // name refers to, the member index of each enum member name.
  std::unordered_map<const ast::expr*, type> types;
  std::unordered_map<const ast::expr*, symbol> names;
  std::unordered_map<const ast::expr*, std::uint32_t> members;
  // Let types and their constant (the literal a let chain ends in), per module.
  std::vector<std::vector<type>> let_types;
  std::vector<std::vector<const ast::expr*>> let_values;

  // Every criterion of every module, each after the criteria it uses.
  std::vector<symbol> criterion_order;

  // bindings: per FHIR binding of the root guideline (check_bindings).
  std::vector<binding_info> bindings;
  std::vector<unbound_info> unbound;

  // ratings: per root variant, per rating.
  std::vector<std::vector<rating_info>> ratings;

  // Names already reported as unknown (module, name): later uses stay silent.
  std::set<std::pair<std::uint32_t, std::string>> reported_unknown;

  const ast::module& module(std::uint32_t i) const { return (*modules)[i]; }
  ast::module& module(std::uint32_t i) { return (*modules)[i]; }
  std::size_t module_count() const { return modules->size(); }
};

// Text of a span (the author's words), for messages.
std::string span_text(const program& p, span s);

}  // namespace rubric::compiler::sema
