// `rubric fmt`: lays a module out in the canonical form. Two phases: every
// declaration becomes output lines that remember the source range they stand
// for (the construct files listed in format_internal.hpp); then the comments are
// placed back by position (a comment after code on a line stays at the end of
// that line, a comment on its own line stays before the line that followed
// it) and blank lines are decided (format_layout.cpp).
#include "compiler/tools/format.hpp"

#include <algorithm>

#include "compiler/syntax/parser.hpp"
#include "compiler/tools/format_internal.hpp"

namespace rubric::compiler {

namespace formatting {

namespace {

// Words of a category or other spelling, with runs of whitespace made one space.
std::string squeeze(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
      space = !out.empty();
      continue;
    }
    if (space && c != ')' && !(out.back() == '(')) out.push_back(' ');
    space = false;
    out.push_back(c);
  }
  return out;
}

}  // namespace

std::string pad(std::string s, std::size_t width) {
  std::size_t w = display_width(s);
  if (w < width) s.append(width - w, ' ');
  return s;
}

std::string rstrip(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  return s;
}

std::string category_text(const ast::category_ref& c) {
  if (!c.spelling.empty()) return squeeze(c.spelling);
  std::string out;
  for (const auto& w : c.words) out += (out.empty() ? "" : " ") + w;
  return out;
}

std::string procedure_text(const ast::procedure_ref& p) { return p.by_display_name ? quote(p.text) : p.text; }

std::string join_names(const std::vector<ast::name>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n.text;
  return out;
}

bool has_blank(std::string_view src, std::uint32_t a, std::uint32_t b) {
  if (a >= b || b > src.size()) return false;
  std::string_view s = src.substr(a, b - a);
  std::size_t first = s.find('\n');
  if (first == std::string_view::npos) return false;
  std::size_t start = first + 1;
  for (std::size_t nl = s.find('\n', start); nl != std::string_view::npos; nl = s.find('\n', start)) {
    if (s.substr(start, nl - start).find_first_not_of(" \t\r") == std::string_view::npos) return true;
    start = nl + 1;
  }
  return false;
}

std::string formatter::run() {
  measure_tables();
  emit_header();
  for (const auto& d : declaration_order()) emit(d);
  place_comments();
  decide_blank_lines();
  align_trailing_comments();
  return render();
}

void formatter::add(int indent, std::string code, std::uint32_t begin, std::uint32_t end) {
  line l;
  l.group = group_;
  l.indent = indent;
  l.code = std::move(code);
  l.begin = begin;
  l.end = std::max(begin, end);
  lines_.push_back(std::move(l));
}

void formatter::add_sorted(std::vector<clause> cs) {
  std::stable_sort(cs.begin(), cs.end(), [](const clause& a, const clause& b) { return a.begin < b.begin; });
  for (auto& c : cs) add(c.indent, std::move(c.code), c.begin, c.end);
}

std::vector<ast::decl_ref> formatter::declaration_order() const {
  if (!m_.order.empty()) return m_.order;
  std::vector<std::pair<std::uint32_t, ast::decl_ref>> all;  // hand-built modules: sort by position
  auto push = [&](ast::decl_kind k, std::size_t n, auto where) {
    for (std::size_t i = 0; i < n; ++i) all.push_back({where(i), {k, static_cast<std::uint32_t>(i)}});
  };
  push(ast::decl_kind::import, m_.imports.size(), [&](std::size_t i) { return m_.imports[i].where.begin; });
  push(ast::decl_kind::enumeration, m_.enums.size(), [&](std::size_t i) { return m_.enums[i].where.begin; });
  push(ast::decl_kind::scale, m_.scales.size(), [&](std::size_t i) { return m_.scales[i].where.begin; });
  push(ast::decl_kind::procedure, m_.procedures.size(), [&](std::size_t i) { return m_.procedures[i].where.begin; });
  push(ast::decl_kind::patient, m_.patients.size(), [&](std::size_t i) { return m_.patients[i].where.begin; });
  push(ast::decl_kind::let, m_.lets.size(), [&](std::size_t i) { return m_.lets[i].where.begin; });
  push(ast::decl_kind::criterion, m_.criteria.size(), [&](std::size_t i) { return m_.criteria[i].where.begin; });
  push(ast::decl_kind::score, m_.scores.size(), [&](std::size_t i) { return m_.scores[i].where.begin; });
  push(ast::decl_kind::value, m_.values.size(), [&](std::size_t i) { return m_.values[i].where.begin; });
  push(ast::decl_kind::variant, m_.variants.size(), [&](std::size_t i) { return m_.variants[i].where.begin; });
  push(ast::decl_kind::otherwise, m_.otherwise.size(), [&](std::size_t i) { return m_.otherwise[i].where.begin; });
  push(ast::decl_kind::assume, m_.assumes.size(), [&](std::size_t i) { return m_.assumes[i].where.begin; });
  push(ast::decl_kind::example, m_.examples.size(), [&](std::size_t i) { return m_.examples[i].where.begin; });
  std::stable_sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<ast::decl_ref> out;
  for (const auto& [pos, ref] : all) out.push_back(ref);
  return out;
}

// One declaration, as a new group of lines.
void formatter::emit(const ast::decl_ref& d) {
  group_kind_.push_back(d.kind);
  group_ = group_kind_.size() - 1;
  switch (d.kind) {
    case ast::decl_kind::import: {
      const auto& x = m_.imports[d.index];
      add(0, "import " + x.module.text, x.where.begin, x.where.end);
      break;
    }
    case ast::decl_kind::enumeration: emit_enum(m_.enums[d.index]); break;
    case ast::decl_kind::scale: emit_scale(m_.scales[d.index]); break;
    case ast::decl_kind::procedure: emit_procedure(m_.procedures[d.index]); break;
    case ast::decl_kind::patient: emit_patient(m_.patients[d.index]); break;
    case ast::decl_kind::let: emit_let(m_.lets[d.index]); break;
    case ast::decl_kind::criterion: emit_criterion(m_.criteria[d.index]); break;
    case ast::decl_kind::score: emit_score(m_.scores[d.index]); break;
    case ast::decl_kind::value: emit_value(m_.values[d.index]); break;
    case ast::decl_kind::variant: emit_variant(m_.variants[d.index]); break;
    case ast::decl_kind::otherwise: emit_otherwise(m_.otherwise[d.index]); break;
    case ast::decl_kind::assume: emit_assume(m_.assumes[d.index]); break;
    case ast::decl_kind::example: emit_example(m_.examples[d.index]); break;
  }
}

}  // namespace formatting

std::string format_module(const ast::module& m, std::string_view source) { return formatting::formatter(m, source).run(); }

std::optional<std::string> format_source(source_manager& sources, const std::string& path, std::string text,
                                         diagnostic_sink& sink) {
  file_id id = sources.add(path, std::move(text));
  auto m = parse_module(sources, id, sink);
  if (!m || sink.has_errors()) return std::nullopt;
  return format_module(*m, sources.text(id));
}

}  // namespace rubric::compiler
