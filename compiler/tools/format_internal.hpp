// Internal to `rubric fmt`: the formatter's state and the functions of each
// construct, split over one file per construct:
//   format.cpp          — the entry points and the two phases (lines, then layout);
//   format_decls.cpp    — the header and the declarations (import, enum, scale,
//                         procedure, patient, let, criterion, assume);
//   format_outcomes.cpp — variants (ratings, advice, transitions) and `otherwise`;
//   format_examples.cpp — examples (`given` lines kept as grouped, `expect` columns);
//   format_layout.cpp   — comments placed back, blank lines, trailing-comment columns;
//   format_expr.cpp     — expressions and literals (add a new expression form there).
// Nothing outside compiler/tools/format*.cpp includes this header; use format.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/tools/format.hpp"

namespace rubric::compiler::formatting {

// One output line: code from the AST, or a comment placed back.
struct line {
  std::size_t group = 0;     // the declaration it belongs to (0 = module header)
  int indent = 0;
  std::string code;          // without indentation; for a comment, "#…"
  std::uint32_t begin = 0;   // the source range it stands for
  std::uint32_t end = 0;
  std::string trailing;      // a comment kept at the end of the line
  std::uint32_t trailing_end = 0;
  bool comment = false;
  bool blank_before = false;
};

// Text helpers shared by the construct files (format.cpp).
std::string pad(std::string s, std::size_t width);
std::string rstrip(std::string s);
std::string category_text(const ast::category_ref& c);
std::string procedure_text(const ast::procedure_ref& p);
std::string join_names(const std::vector<ast::name>& names);
// Whether the source between two offsets holds an empty line.
bool has_blank(std::string_view src, std::uint32_t a, std::uint32_t b);

class formatter {
 public:
  formatter(const ast::module& m, std::string_view src) : m_(m), src_(src) {}

  std::string run();

 private:
  // A clause line inside a declaration, to be sorted into source order.
  struct clause {
    std::uint32_t begin, end;
    int indent;
    std::string code;
  };

  // format.cpp
  void add(int indent, std::string code, std::uint32_t begin, std::uint32_t end);
  void add_sorted(std::vector<clause> cs);
  std::vector<ast::decl_ref> declaration_order() const;
  void emit(const ast::decl_ref& d);

  // format_decls.cpp
  void emit_header();
  void emit_enum(const ast::enum_decl& e);
  void emit_scale(const ast::scale_decl& s);
  void emit_procedure(const ast::procedure_decl& p);
  void emit_patient(const ast::patient_decl& p);
  void emit_let(const ast::let_decl& x);
  void emit_criterion(const ast::criterion_decl& x);
  void emit_score(const ast::score_decl& x);
  void emit_value(const ast::value_decl& x);
  void emit_assume(const ast::assume_decl& x);

  // format_fhir.cpp
  void emit_codes(const ast::codes_decl& c);
  void emit_fhir(const ast::fhir_decl& f);
  static std::string source_words(const ast::binding_decl& b);

  // format_outcomes.cpp
  void measure_tables();
  clause advice_clause(const ast::advice_decl& a);
  void emit_variant(const ast::variant_decl& v);
  void emit_otherwise(const ast::otherwise_decl& x);

  // format_examples.cpp
  std::string code_between(std::uint32_t a, std::uint32_t b) const;
  void emit_example(const ast::example_decl& e);

  // format_layout.cpp
  void place_comments();
  void decide_blank_lines();
  void align_trailing_comments();
  std::string render() const;

  const ast::module& m_;
  std::string_view src_;
  std::vector<line> lines_;
  std::vector<ast::decl_kind> group_kind_{ast::decl_kind::import};  // [0] = header (unused)
  std::size_t group_ = 0;
  // Rating-table columns, measured over the whole file (measure_tables).
  std::size_t rate_proc_w_ = 0, rate_cat_w_ = 0, rate_score_w_ = 0;
  bool rate_has_tail_ = false;
};

}  // namespace rubric::compiler::formatting
