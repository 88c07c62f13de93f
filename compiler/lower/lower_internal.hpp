// Internal to compiler/lower/: the lowerer's state and the functions of each
// construct, split over one file per construct:
//   lower.cpp          — the entry point, the pass order, the final compaction;
//   lower_nodes.cpp    — node building: hash-consing, constants, `not`, `and`/`or` folding;
//   lower_catalog.cpp  — declarations: header, scales, enums, procedures, fact slots;
//   lower_expr.cpp     — expressions and criteria (add a new expression form here);
//   lower_arith.cpp    — v1: arithmetic, quantities, counts, scores and values;
//   lower_outcomes.cpp — variants, ratings, advice, transitions, otherwise, assumptions.
// Nothing outside compiler/lower/ includes this header; use lower.hpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "compiler/lower/lower.hpp"
#include "runtime/units.hpp"

namespace rubric::compiler::lowering {

namespace rt = rubric::runtime;

// A constant operand of a comparison after lets are followed.
struct constant {
  enum class kind { none, number, boolean, text, member } k = kind::none;
  double number = 0;
  bool boolean = false;
  std::string text;
  std::uint32_t member = 0;
};

// A term of a linear form: node × mul ÷ div. The coefficient is kept as two
// exact numbers (a unit factor such as days → years is × 4 ÷ 1461) so the
// runtime computes it in two exactly rounded steps.
struct linear_term {
  std::uint32_t node = 0;
  double mul = 1;
  double div = 1;
};

// A numeric expression as a linear form: constant + Σ terms.
struct linear {
  double constant = 0;
  std::vector<linear_term> terms;
  void add(const linear& o, double k);  // this += k × o
  void divide(double r);                // this ÷= r
};

class lowerer {
 public:
  explicit lowerer(const sema::program& p) : p_(p), root_(p.module(0)) {}

  rt::graph run();

 private:
  // lower.cpp
  void compact();

  // lower_catalog.cpp
  void header();
  void catalog();
  void catalog_scales_and_enums();
  void catalog_procedures();
  std::int32_t scale_index(const sema::symbol& s);
  std::int32_t rrl(std::uint32_t m, std::int32_t level);
  std::int32_t slot_of(const sema::symbol& fact);

  // lower_nodes.cpp
  rt::location loc(span s) const;
  std::string text_of(span s) const;
  std::uint32_t make(const rt::node& n, const std::vector<std::uint32_t>& kids, const std::string& text, span where);
  std::uint32_t make_constant(rt::truth t, span where);
  bool is_constant(std::uint32_t i, rt::truth& t) const;
  std::uint32_t make_not(std::uint32_t child, const std::string& text, span where);
  std::uint32_t make_junction(rt::node_kind kind, const std::vector<std::uint32_t>& raw, const std::string& text, span where);
  std::uint32_t fact_node(rt::node_kind kind, const sema::symbol& fact, std::uint64_t mask, const std::string& text,
                          span where);
  std::uint64_t intern(const std::string& s);
  // The author's text of an expression's first operand (`red_flags` in `red_flags is empty`).
  std::string operand_text(const ast::expr& e) const;

  // lower_expr.cpp
  std::uint32_t criterion_node(const sema::symbol& c);
  constant constant_of(const ast::expr& e) const;
  std::optional<sema::symbol> fact_of(const ast::expr& e) const;
  std::uint64_t mask_of(const ast::expr& set) const;
  std::uint32_t lower(std::uint32_t m, const ast::expr& e);
  std::uint32_t lower_in_set(const ast::expr& e, const std::string& text);
  std::uint32_t compare(std::uint32_t m, const ast::expr& e, const std::string& text);
  std::uint32_t compare_booleans(std::uint32_t m, const ast::expr& e, rt::compare_op op, const std::string& text);
  std::uint32_t compare_values(const ast::expr& e, rt::compare_op op, const sema::type& t, const std::string& text);

  // lower_arith.cpp (v1: arithmetic, quantities, counts, scores and values)
  std::uint32_t compare_numbers(std::uint32_t m, const ast::expr& e, rt::compare_op op, const std::string& text);
  std::optional<runtime::units::unit> unit_of_expr(const ast::expr& e) const;
  linear_term factor(std::uint32_t node, const std::optional<runtime::units::unit>& from,
                     const std::optional<runtime::units::unit>& to) const;
  linear term(std::uint32_t node, double k) const;
  linear lin(std::uint32_t m, const ast::expr& e, const std::optional<runtime::units::unit>& target);
  std::uint32_t materialize(const linear& f, span where);
  static std::string format_number(double v);
  bool has_range(std::uint32_t node) const;
  std::uint32_t count(std::uint32_t m, const ast::expr& e, const std::string& text);
  std::uint32_t score_node(const sema::symbol& s);

  // lower_outcomes.cpp
  rt::advisory advice(const ast::advice_decl& a);
  void pediatric();
  void slots_under(std::uint32_t root, std::set<std::uint32_t>& out) const;
  void variants();
  rt::variant variant(std::uint32_t v, const std::map<std::string, std::uint32_t>& ids);
  void otherwise();
  void assumptions();

  const sema::program& p_;
  const ast::module& root_;
  rt::graph g_;
  // Graph indices of the catalog entries and facts, by (module, declaration index).
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::int32_t> scales_, enums_, slots_;
  std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint32_t> procedures_, criteria_;
  // Score and value nodes, by (kind, module, declaration index).
  std::map<std::tuple<sema::symbol_kind, std::uint32_t, std::uint32_t>, std::uint32_t> scores_;
  // Hash-consing: a node's key (fields and children) → its index.
  std::unordered_map<std::string, std::uint32_t> cache_;
  // The last position computed: nodes come mostly left to right, so the next
  // column is counted on from here rather than from the line's start (one
  // `when` over 20,000 facts is a line of 200 KB, and every node has a location).
  struct position_memo {
    file_id file = 0;
    std::uint32_t offset = 0;
    line_col at{0, 0};
  };
  line_col position(file_id file, std::uint32_t offset) const;
  mutable position_memo memo_;
};

}  // namespace rubric::compiler::lowering
