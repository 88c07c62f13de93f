// The plain AST builder behind the parser's actions (see ast_builder.hpp).
#include "compiler/syntax/ast_builder.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace rubric::compiler {

ast_builder::ast_builder(file_id file) : file_(file) { module_.file = file; }

ast::module ast_builder::take() { return std::move(module_); }

void ast_builder::abandon() {
  stack_.clear();
  lists_.clear();
  words_.clear();
  in_header_ = false;
  score_.reset();
  rrl_.reset();
  caveat_.reset();
}

// --- lexical -------------------------------------------------------------------

void ast_builder::comment(std::string_view text, span where) {
  // `sep` is retried when an optional clause does not follow, so the same
  // comment can be matched twice; keep the first.
  if (!module_.comments.empty() && module_.comments.back().where.begin >= where.begin) return;
  text.remove_prefix(1);  // the '#'
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  module_.comments.push_back({std::string(text), where});
}

std::string ast_builder::unescape(std::string_view literal) {
  if (literal.size() >= 2) literal = literal.substr(1, literal.size() - 2);
  std::string out;
  out.reserve(literal.size());
  for (std::size_t i = 0; i < literal.size(); ++i) {
    char c = literal[i];
    if (c == '\\' && i + 1 < literal.size()) {
      char e = literal[++i];
      out.push_back(e == 'n' ? '\n' : e == 't' ? '\t' : e);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

ast::number ast_builder::parse_quantity(std::string_view text, span where) {
  ast::number n;
  n.where = where;
  std::size_t digits_end = 0;
  while (digits_end < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits_end])) ||
                                      text[digits_end] == '-' || text[digits_end] == '.')) {
    ++digits_end;
  }
  std::string_view digits = text.substr(0, digits_end);
  std::from_chars(digits.data(), digits.data() + digits.size(), n.value);
  std::string_view unit = text.substr(digits_end);
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front()))) unit.remove_prefix(1);
  n.spelling = std::string(digits);
  if (!unit.empty()) {
    n.spelling += ' ';
    n.spelling += unit;
    n.unit_text = std::string(unit);
    n.unit_of = time_unit(unit);
  }
  return n;
}

ast::unit ast_builder::time_unit(std::string_view u) {
  // UCUM codes are case-sensitive; the words are the ones the v0 grammar took.
  struct entry {
    std::string_view spelling;
    ast::unit unit;
  };
  static constexpr entry table[] = {
      {"d", ast::unit::day},       {"day", ast::unit::day},         {"days", ast::unit::day},
      {"wk", ast::unit::week},     {"week", ast::unit::week},       {"weeks", ast::unit::week},
      {"mo", ast::unit::month},    {"month", ast::unit::month},     {"months", ast::unit::month},
      {"a", ast::unit::year},      {"year", ast::unit::year},       {"years", ast::unit::year},
      {"s", ast::unit::second},    {"second", ast::unit::second},   {"seconds", ast::unit::second},
      {"min", ast::unit::minute},  {"minute", ast::unit::minute},   {"minutes", ast::unit::minute},
      {"h", ast::unit::hour},      {"hour", ast::unit::hour},       {"hours", ast::unit::hour},
  };
  for (const auto& e : table)
    if (e.spelling == u) return e.unit;
  return ast::unit::none;
}

// --- header ----------------------------------------------------------------------

void ast_builder::begin_header(ast::module_kind kind, span where) {
  in_header_ = true;
  module_.head.kind = kind;
  module_.head.where = where;
}
void ast_builder::module_name(std::string_view text, span where) { module_.head.module = make_name(text, where); }
void ast_builder::module_title(std::string_view text, span where) { module_.head.title = make_text(text, where); }

void ast_builder::source(std::string_view text, span where) {
  if (in_header_) {
    set_once(module_.head.source, "source", header_owner(), make_text(text, where));
  } else if (context_ == ast::decl_kind::variant && !module_.variants.empty()) {
    set_once(module_.variants.back().source, "source", variant_owner(), make_text(text, where));
  }
}
void ast_builder::citation(std::string_view text, span where) {
  set_once(module_.head.citation, "citation", header_owner(), make_text(text, where));
}
void ast_builder::revised(std::string_view text, span where) {
  set_once(module_.head.revised, "revised", header_owner(), parse_quantity(text, where));
}
void ast_builder::doi(std::string_view text, span where) { set_once(module_.head.doi, "doi", header_owner(), make_text(text, where)); }
void ast_builder::url(std::string_view text, span where) { set_once(module_.head.url, "url", header_owner(), make_text(text, where)); }
void ast_builder::license(std::string_view text, span where) {
  set_once(module_.head.license, "license", header_owner(), make_text(text, where));
}
void ast_builder::header_scale(std::string_view text, span where) {
  set_once(module_.head.scale, "scale", header_owner(), make_name(text, where));
}
void ast_builder::radiation(std::string_view text, span where) {
  set_once(module_.head.radiation, "radiation", header_owner(), make_name(text, where));
}

// A second `select` is R0126 like any repeated clause: the first is kept, and
// the second's order list must not leak into it.
void ast_builder::select_policy(ast::select_policy policy, span where) {
  if (module_.head.select) {
    repeated_.push_back({"select", header_owner(), module_.head.select->where, where});
    skipping_select_ = true;
    return;
  }
  module_.head.select = ast::select_clause{policy, {}, where};
}
void ast_builder::order_item(std::string_view text, span where) {
  if (module_.head.select && !skipping_select_) module_.head.select->order.push_back(make_name(text, where));
}
void ast_builder::end_select(span where) {
  if (module_.head.select && !skipping_select_) module_.head.select->where = where;
  skipping_select_ = false;
}
void ast_builder::end_header(span where) {
  module_.head.where = where;
  in_header_ = false;
}

// --- declarations ------------------------------------------------------------------

void ast_builder::begin(ast::decl_kind kind, span where) {
  in_header_ = false;
  context_ = kind;
  std::size_t index = 0;
  switch (kind) {
    case ast::decl_kind::import: index = module_.imports.size(); module_.imports.push_back({{}, where}); break;
    case ast::decl_kind::enumeration: index = module_.enums.size(); module_.enums.push_back({}); break;
    case ast::decl_kind::scale: index = module_.scales.size(); module_.scales.push_back({}); break;
    case ast::decl_kind::procedure: index = module_.procedures.size(); module_.procedures.push_back({}); break;
    case ast::decl_kind::patient: index = module_.patients.size(); module_.patients.push_back({}); break;
    case ast::decl_kind::let: index = module_.lets.size(); module_.lets.push_back({}); break;
    case ast::decl_kind::criterion: index = module_.criteria.size(); module_.criteria.push_back({}); break;
    case ast::decl_kind::variant: index = module_.variants.size(); module_.variants.push_back({}); break;
    case ast::decl_kind::otherwise: index = module_.otherwise.size(); module_.otherwise.push_back({}); break;
    case ast::decl_kind::assume: index = module_.assumes.size(); module_.assumes.push_back({}); break;
    case ast::decl_kind::example: index = module_.examples.size(); module_.examples.push_back({}); break;
    case ast::decl_kind::score: index = module_.scores.size(); module_.scores.push_back({}); break;
    case ast::decl_kind::value: index = module_.values.size(); module_.values.push_back({}); break;
    case ast::decl_kind::codes: index = module_.code_lists.size(); module_.code_lists.push_back({}); break;
    case ast::decl_kind::fhir: index = module_.fhir.size(); module_.fhir.push_back({}); break;
  }
  module_.order.push_back({kind, static_cast<std::uint32_t>(index)});
  end_decl(where);
}

void ast_builder::end_decl(span where) {
  switch (context_) {
    case ast::decl_kind::import: module_.imports.back().where = where; break;
    case ast::decl_kind::enumeration: module_.enums.back().where = where; break;
    case ast::decl_kind::scale: module_.scales.back().where = where; break;
    case ast::decl_kind::procedure: module_.procedures.back().where = where; break;
    case ast::decl_kind::patient: module_.patients.back().where = where; break;
    case ast::decl_kind::let: module_.lets.back().where = where; break;
    case ast::decl_kind::criterion: module_.criteria.back().where = where; break;
    case ast::decl_kind::variant: module_.variants.back().where = where; break;
    case ast::decl_kind::otherwise: module_.otherwise.back().where = where; break;
    case ast::decl_kind::assume: module_.assumes.back().where = where; break;
    case ast::decl_kind::example: module_.examples.back().where = where; break;
    case ast::decl_kind::score: module_.scores.back().where = where; break;
    case ast::decl_kind::value: module_.values.back().where = where; break;
    case ast::decl_kind::codes: module_.code_lists.back().where = where; break;
    case ast::decl_kind::fhir: module_.fhir.back().where = where; break;
  }
}

void ast_builder::import_name(std::string_view text, span where) { module_.imports.back().module = make_name(text, where); }

void ast_builder::enum_id(std::string_view text, span where) { module_.enums.back().id = make_name(text, where); }
void ast_builder::enum_label(std::string_view text, span where) { module_.enums.back().label = make_text(text, where); }
void ast_builder::member_id(std::string_view text, span where) {
  module_.enums.back().members.push_back({make_name(text, where), std::nullopt, where});
}
void ast_builder::member_label(std::string_view text, span where) {
  module_.enums.back().members.back().label = make_text(text, where);
}
void ast_builder::end_member(span where) { module_.enums.back().members.back().where = where; }

void ast_builder::scale_id(std::string_view text, span where) { module_.scales.back().id = make_name(text, where); }
void ast_builder::scale_label(std::string_view text, span where) { module_.scales.back().label = make_text(text, where); }
void ast_builder::begin_level(span where) {
  ast::level_decl level;
  level.where = where;
  module_.scales.back().levels.push_back(std::move(level));
}
void ast_builder::level_id(std::string_view text, span where) { module_.scales.back().levels.back().id = make_name(text, where); }
void ast_builder::level_label(std::string_view text, span where) {
  module_.scales.back().levels.back().label = make_text(text, where);
}
void ast_builder::range_min(std::string_view text, span where) {
  module_.scales.back().levels.back().range_min = parse_quantity(text, where);
}
void ast_builder::range_max(std::string_view text, span where) {
  module_.scales.back().levels.back().range_max = parse_quantity(text, where);
}
void ast_builder::means(std::string_view text, span where) { module_.scales.back().levels.back().means = make_text(text, where); }
void ast_builder::adult_dose(std::string_view text, span where) {
  module_.scales.back().levels.back().adult = make_text(text, where);
}
void ast_builder::pediatric_dose(std::string_view text, span where) {
  module_.scales.back().levels.back().pediatric = make_text(text, where);
}
void ast_builder::end_level(span where) { module_.scales.back().levels.back().where = where; }

void ast_builder::procedure_id(std::string_view text, span where) { module_.procedures.back().id = make_name(text, where); }
void ast_builder::procedure_display(std::string_view text, span where) {
  module_.procedures.back().display = make_text(text, where);
}
void ast_builder::modality(std::string_view text, span where) { module_.procedures.back().modality = make_text(text, where); }
void ast_builder::region(std::string_view text, span where) { module_.procedures.back().region = make_text(text, where); }
void ast_builder::contrast(std::string_view text, span where) { module_.procedures.back().contrast = make_text(text, where); }
void ast_builder::adult_rrl(std::string_view text, span where) {
  module_.procedures.back().adult_rrl = ast::level_ref{std::string(text), where};
}
void ast_builder::pediatric_rrl(std::string_view text, span where) {
  module_.procedures.back().pediatric_rrl = ast::level_ref{std::string(text), where};
}
void ast_builder::begin_code(span where) { code_ = ast::code_decl{{}, {}, where}; }
void ast_builder::code_system(std::string_view text, span where) { code_.system = make_name(text, where); }
void ast_builder::code_value(std::string_view text, span where) { code_.value = make_text(text, where); }
void ast_builder::end_code(span where) {
  code_.where = where;
  module_.procedures.back().codes.push_back(std::move(code_));
}

void ast_builder::fact_id(std::string_view text, span where) {
  ast::fact_decl fact;
  fact.id = make_name(text, where);
  fact.where = where;
  module_.patients.back().facts.push_back(std::move(fact));
}
void ast_builder::fact_type(ast::type_kind kind, std::string_view named, span where) {
  ast::type_ref& t = module_.patients.back().facts.back().type;
  t.kind = kind;
  t.where = where;
  if (!named.empty()) {
    // `set of red_flag`: the element type is the last word.
    std::size_t start = named.find_last_of(" \t\r\n");
    std::string_view last = start == std::string_view::npos ? named : named.substr(start + 1);
    span name_span = where;
    name_span.begin = where.end - static_cast<std::uint32_t>(last.size());
    t.named = make_name(last, name_span);
  }
}
void ast_builder::fact_range(std::string_view text, span where) {
  ast::type_ref& t = module_.patients.back().facts.back().type;
  t.has_range = true;
  std::size_t dots = text.find("..");
  std::string_view low = text.substr(0, dots), high = text.substr(dots + 2);
  auto begin = where.begin;
  if (!low.empty()) t.low = parse_quantity(low, {where.file, begin, begin + static_cast<std::uint32_t>(low.size())});
  if (!high.empty()) t.high = parse_quantity(high, {where.file, where.end - static_cast<std::uint32_t>(high.size()), where.end});
}
void ast_builder::fact_unit(std::string_view text, span where) {
  module_.patients.back().facts.back().type.unit = make_name(text, where);
}
void ast_builder::fact_label(std::string_view text, span where) {
  module_.patients.back().facts.back().label = make_text(text, where);
}
void ast_builder::fact_fixed() { module_.patients.back().facts.back().fixed = true; }
void ast_builder::end_fact(span where) { module_.patients.back().facts.back().where = where; }

void ast_builder::let_id(std::string_view text, span where) { module_.lets.back().id = make_name(text, where); }
void ast_builder::let_value() { module_.lets.back().value = pop(); }

void ast_builder::criterion_id(std::string_view text, span where) { module_.criteria.back().id = make_name(text, where); }
void ast_builder::criterion_label(std::string_view text, span where) {
  module_.criteria.back().label = make_text(text, where);
}
void ast_builder::criterion_body() { module_.criteria.back().body = pop(); }

void ast_builder::score_id(std::string_view text, span where) { module_.scores.back().id = make_name(text, where); }
void ast_builder::score_label(std::string_view text, span where) { module_.scores.back().label = make_text(text, where); }
void ast_builder::score_points(std::string_view text, span where) {
  ast::score_line line;
  line.points = parse_quantity(text, where);
  line.where = where;
  module_.scores.back().lines.push_back(std::move(line));
}
void ast_builder::score_condition(span where) {
  auto& line = module_.scores.back().lines.back();
  line.condition = pop();
  line.where.end = where.end;
}

void ast_builder::value_id(std::string_view text, span where) { module_.values.back().id = make_name(text, where); }
void ast_builder::value_label(std::string_view text, span where) { module_.values.back().label = make_text(text, where); }
void ast_builder::value_body() { module_.values.back().body = pop(); }

void ast_builder::variant_name(std::string_view text, span where) { module_.variants.back().id = make_name(text, where); }
void ast_builder::variant_title(std::string_view text, span where) {
  module_.variants.back().title = make_text(text, where);
}
void ast_builder::variant_guard() {
  set_once(module_.variants.back().guard, "when", variant_owner(), pop());
}

std::string ast_builder::variant_owner() const { return "variant `" + module_.variants.back().id.text + "`"; }
std::string ast_builder::header_owner() const {
  return module_.head.kind == ast::module_kind::guideline ? "the guideline header" : "the library header";
}

void ast_builder::rated_procedure(std::string_view text, span where) {
  procedure_.by_display_name = !text.empty() && text.front() == '"';
  procedure_.text = procedure_.by_display_name ? unescape(text) : std::string(text);
  procedure_.where = where;
  words_.clear();
}
void ast_builder::category_word(std::string_view text) {
  std::string word(text);
  std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return std::tolower(c); });
  words_.push_back(std::move(word));
}
void ast_builder::category(std::string_view text, span where) {
  if (!text.empty() && text.front() == '"') {
    // A quoted label: its words, as the run of words would give them.
    words_.clear();
    std::string label = unescape(text), word;
    for (char c : label + " ") {
      if (c == ' ' || c == '(' || c == ')') {
        if (!word.empty()) category_word(word);
        word.clear();
      } else {
        word.push_back(c);
      }
    }
  }
  category_.words = std::move(words_);
  words_.clear();
  category_.spelling = std::string(text);
  category_.where = where;
}
void ast_builder::score(std::string_view text, span where) { score_ = parse_quantity(text, where); }
void ast_builder::rating_rrl(std::string_view text, span where) { rrl_ = ast::level_ref{std::string(text), where}; }
void ast_builder::rating_caveat(std::string_view text, span where) { caveat_ = make_text(text, where); }
void ast_builder::end_rating(span where) {
  ast::rating_decl r{procedure_, category_, score_, rrl_, caveat_, where};
  module_.variants.back().ratings.push_back(std::move(r));
  score_.reset();
  rrl_.reset();
  caveat_.reset();
}

void ast_builder::begin_advice(span where) { advice_ = ast::advice_decl{{}, std::nullopt, where}; }
void ast_builder::advice_text(std::string_view text, span where) { advice_.message = make_text(text, where); }
void ast_builder::advice_condition() { advice_.when = pop(); }
void ast_builder::end_advice(span where) {
  advice_.where = where;
  if (context_ == ast::decl_kind::otherwise) {
    module_.otherwise.back().advice.push_back(std::move(advice_));
  } else {
    module_.variants.back().advice.push_back(std::move(advice_));
  }
}

void ast_builder::begin_next(span where) { next_ = ast::transition_decl{{}, false, {}, std::nullopt, where}; }
void ast_builder::next_target(std::string_view text, span where) { next_.target = make_name(text, where); }
void ast_builder::next_urgent() { next_.urgent = true; }
void ast_builder::next_condition() { next_.when = pop(); }
void ast_builder::next_label(std::string_view text, span where) { next_.label = make_text(text, where); }
void ast_builder::end_next(span where) {
  next_.where = where;
  module_.variants.back().next.push_back(std::move(next_));
}
void ast_builder::evidence(std::string_view text, span where) {
  set_once(module_.variants.back().evidence, "evidence", variant_owner(), make_text(text, where));
}

void ast_builder::otherwise_label(std::string_view text, span where) {
  module_.otherwise.back().label = make_text(text, where);
}

void ast_builder::assume_condition() { module_.assumes.back().condition = pop(); }
void ast_builder::pediatric_condition() { set_once(module_.head.pediatric, "pediatric when", header_owner(), pop()); }
void ast_builder::assume_label(std::string_view text, span where) { module_.assumes.back().label = make_text(text, where); }

void ast_builder::example_title(std::string_view text, span where) { module_.examples.back().title = make_text(text, where); }
void ast_builder::given_fact(std::string_view text, span where) { given_fact_ = make_name(text, where); }
void ast_builder::end_given(span where) {
  module_.examples.back().given.push_back({given_fact_, pop(), where});
}
void ast_builder::begin_expect(span where) {
  expect_ = ast::expect_decl{};
  expect_.where = where;
}
void ast_builder::expect_variant(std::string_view text, span where) {
  expect_.kind = ast::expect_kind::variant;
  expect_.names.push_back(make_name(text, where));
}
void ast_builder::expect_status(std::string_view text, span where) {
  expect_.kind = ast::expect_kind::status;
  expect_.names.push_back(make_name(text, where));
}
void ast_builder::expect_missing(std::string_view text, span where) {
  expect_.kind = ast::expect_kind::missing;
  expect_.names.push_back(make_name(text, where));
}
void ast_builder::expect_candidate(std::string_view text, span where) {
  expect_.kind = ast::expect_kind::candidates;
  expect_.names.push_back(make_name(text, where));
}
void ast_builder::expect_rating() {
  expect_.kind = ast::expect_kind::rating;
  expect_.procedure = procedure_;
  expect_.category = category_;
}
void ast_builder::end_expect(span where) {
  expect_.where = where;
  module_.examples.back().expect.push_back(std::move(expect_));
}

// --- expressions -----------------------------------------------------------------

ast::expr ast_builder::pop() {
  // The grammar pushes an operand before every operator; an empty stack here
  // would be a bug in the actions, not in the author's text.
  if (stack_.empty()) return {};
  ast::expr e = std::move(stack_.back());
  stack_.pop_back();
  return e;
}

void ast_builder::push_bool(bool value, span where) {
  ast::expr e;
  e.kind = ast::expr_kind::boolean;
  e.bool_value = value;
  e.where = where;
  stack_.push_back(std::move(e));
}
void ast_builder::push_unknown(span where) {
  ast::expr e;
  e.kind = ast::expr_kind::unknown;
  e.where = where;
  stack_.push_back(std::move(e));
}
void ast_builder::push_number(std::string_view text, span where) {
  ast::expr e;
  e.kind = ast::expr_kind::number;
  e.number_value = parse_quantity(text, where);
  e.where = where;
  stack_.push_back(std::move(e));
}
void ast_builder::push_string(std::string_view text, span where) {
  ast::expr e;
  e.kind = ast::expr_kind::string;
  e.text_value = unescape(text);
  e.where = where;
  stack_.push_back(std::move(e));
}
void ast_builder::push_name(std::string_view text, span where) {
  ast::expr e;
  e.kind = ast::expr_kind::name;
  e.text_value = std::string(text);
  e.where = where;
  stack_.push_back(std::move(e));
}
void ast_builder::set_open(span where) {
  ast::expr e;
  e.kind = ast::expr_kind::set;
  e.where = where;
  stack_.push_back(std::move(e));
}
void ast_builder::set_member(std::string_view text, span where) {
  ast::expr member;
  member.kind = ast::expr_kind::name;
  member.text_value = std::string(text);
  member.where = where;
  if (!stack_.empty()) stack_.back().operands.push_back(std::move(member));
}
void ast_builder::set_close(span where) {
  if (!stack_.empty()) stack_.back().where.end = where.end;
}

// Replaces the top two entries (left, right) with `left OP right`.
void ast_builder::binary(ast::expr_kind kind, span tail) {
  ast::expr right = pop();
  ast::expr left = pop();
  ast::expr e;
  e.kind = kind;
  e.where = {file_, left.where.begin, tail.end};
  e.op = pending_op_;
  e.operands.push_back(std::move(left));
  e.operands.push_back(std::move(right));
  stack_.push_back(std::move(e));
}

void ast_builder::compare(span tail, std::string_view text) {
  // The operator is read from the tail's text: an `if` inside the right-hand
  // side has its own comparisons, so a pending operator would be overwritten.
  if (text.starts_with("<=")) pending_op_ = ast::compare_op::le;
  else if (text.starts_with(">=")) pending_op_ = ast::compare_op::ge;
  else if (text.starts_with("!=")) pending_op_ = ast::compare_op::ne;
  else if (text.starts_with("=")) pending_op_ = ast::compare_op::eq;
  else if (text.starts_with("<")) pending_op_ = ast::compare_op::lt;
  else pending_op_ = ast::compare_op::gt;
  binary(ast::expr_kind::compare, tail);
}

void ast_builder::arithmetic(span tail, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  char op = i < text.size() ? text[i] : '+';
  binary(op == '+'   ? ast::expr_kind::add
         : op == '-' ? ast::expr_kind::subtract
         : op == '*' ? ast::expr_kind::multiply
                     : ast::expr_kind::divide,
         tail);
}

void ast_builder::convert(span tail, std::string_view unit) {
  ast::expr operand = pop();
  ast::expr e;
  e.kind = ast::expr_kind::convert;
  e.where = {file_, operand.where.begin, tail.end};
  e.text_value = std::string(unit);
  e.operands.push_back(std::move(operand));
  stack_.push_back(std::move(e));
}

void ast_builder::count_number(std::string_view text, span where) { push_number(text, where); }
void ast_builder::list_open() { lists_.push_back(stack_.size()); }
void ast_builder::list_close(ast::expr_kind kind, span where) {
  std::size_t mark = lists_.empty() ? stack_.size() : lists_.back();
  if (!lists_.empty()) lists_.pop_back();
  ast::expr e;
  e.kind = kind;
  e.where = where;
  for (std::size_t i = mark; i < stack_.size(); ++i) e.operands.push_back(std::move(stack_[i]));
  stack_.resize(std::min(mark, stack_.size()));
  if (kind == ast::expr_kind::at_least || kind == ast::expr_kind::at_most) {
    ast::expr k = pop();  // pushed by count_number, before the list
    e.number_value = k.number_value;
  }
  stack_.push_back(std::move(e));
}

void ast_builder::if_value(span where) {
  ast::expr otherwise = pop();
  ast::expr then = pop();
  ast::expr condition = pop();
  ast::expr e;
  e.kind = ast::expr_kind::if_value;
  e.where = where;
  e.operands.push_back(std::move(condition));
  e.operands.push_back(std::move(then));
  e.operands.push_back(std::move(otherwise));
  stack_.push_back(std::move(e));
}
void ast_builder::in_set(span tail) { binary(ast::expr_kind::in_set, tail); }
void ast_builder::has(span tail) { binary(pending_has_all_ ? ast::expr_kind::has_all : ast::expr_kind::has_any, tail); }

void ast_builder::is(span tail) {
  ast::expr operand = pop();
  ast::expr e;
  e.kind = pending_is_;
  e.where = {file_, operand.where.begin, tail.end};
  e.operands.push_back(std::move(operand));
  stack_.push_back(std::move(e));
}

void ast_builder::parenthesized(span where) {
  if (stack_.empty()) return;
  stack_.back().where = where;
  stack_.back().parenthesized = true;
}

void ast_builder::negate(span where) {
  ast::expr operand = pop();
  ast::expr e;
  e.kind = ast::expr_kind::not_;
  e.where = where;
  e.operands.push_back(std::move(operand));
  stack_.push_back(std::move(e));
}

void ast_builder::and_(span tail) {
  ast::expr right = pop();
  if (!stack_.empty() && stack_.back().kind == ast::expr_kind::and_ && stack_.back().where.end <= tail.begin &&
      !stack_.back().operands.empty() && !stack_.back().parenthesized) {
    // `a and b and c` is one node with three operands (flattened as it is read).
    stack_.back().operands.push_back(std::move(right));
    stack_.back().where.end = tail.end;
    return;
  }
  stack_.push_back(std::move(right));
  binary(ast::expr_kind::and_, tail);
}

void ast_builder::or_(span tail) {
  ast::expr right = pop();
  if (!stack_.empty() && stack_.back().kind == ast::expr_kind::or_ && !stack_.back().operands.empty() &&
      !stack_.back().parenthesized) {
    stack_.back().operands.push_back(std::move(right));
    stack_.back().where.end = tail.end;
    return;
  }
  stack_.push_back(std::move(right));
  binary(ast::expr_kind::or_, tail);
}

}  // namespace rubric::compiler
