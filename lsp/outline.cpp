// The outline (document symbols: header, facts, lets, criteria, scores and
// their lines, values, variants, examples, enums, scales, procedures), folding ranges (declarations and
// comment blocks) and semantic tokens (every indexed name, by what it names).
#include <algorithm>

#include "compiler/tools/format.hpp"
#include "lsp/features.hpp"
#include "lsp/protocol.hpp"

namespace rubric::lsp {

namespace ast = compiler::ast;

namespace {

// LSP SymbolKind values used here.
enum symbol_kind_value { sk_module = 2, sk_class = 5, sk_field = 8, sk_enum = 10, sk_function = 12, sk_constant = 14, sk_number = 16,
                         sk_object = 19, sk_enum_member = 22, sk_struct = 23, sk_event = 24 };

json symbol(span_mapper& spans, const std::string& name, const std::string& detail, int kind, compiler::span whole,
            compiler::span name_span) {
  // The selection range must lie inside the range.
  if (name_span.begin < whole.begin || name_span.end > whole.end) name_span = whole;
  json s = {{"name", name.empty() ? "(unnamed)" : name}, {"kind", kind}, {"range", spans.range_json(whole)},
            {"selectionRange", spans.range_json(name_span)}};
  if (!detail.empty()) s["detail"] = detail;
  return s;
}

std::string label_of(const std::optional<ast::text>& t) { return t ? t->value : ""; }

}  // namespace

json document_symbols(const analysis& a, const document&) {
  json out = json::array();
  if (a.result->modules.empty()) return out;
  const ast::module& m = a.result->modules[0];
  span_mapper spans(a.sources());
  out.push_back(symbol(spans, m.head.module.text, m.head.title.value, sk_module, m.head.where, m.head.module.where));
  for (const auto& e : m.enums) {
    json s = symbol(spans, e.id.text, label_of(e.label), sk_enum, e.where, e.id.where);
    s["children"] = json::array();
    for (const auto& member : e.members)
      s["children"].push_back(symbol(spans, member.id.text, label_of(member.label), sk_enum_member, member.where, member.id.where));
    out.push_back(s);
  }
  for (const auto& sc : m.scales) {
    json s = symbol(spans, sc.id.text, sc.label.value, sk_enum, sc.where, sc.id.where);
    s["children"] = json::array();
    for (const auto& l : sc.levels)
      s["children"].push_back(symbol(spans, l.id.text, l.label.value, sk_enum_member, l.where, l.id.where));
    out.push_back(s);
  }
  for (const auto& p : m.procedures) out.push_back(symbol(spans, p.id.text, p.display.value, sk_object, p.where, p.id.where));
  for (const auto& block : m.patients) {
    json s = symbol(spans, "patient", "", sk_struct, block.where, block.where);
    s["children"] = json::array();
    for (const auto& f : block.facts)
      s["children"].push_back(symbol(spans, f.id.text, label_of(f.label), sk_field, f.where, f.id.where));
    out.push_back(s);
  }
  for (const auto& l : m.lets) out.push_back(symbol(spans, l.id.text, "let", sk_constant, l.where, l.id.where));
  for (const auto& c : m.criteria) out.push_back(symbol(spans, c.id.text, label_of(c.label), sk_function, c.where, c.id.where));
  for (const auto& sc : m.scores) {
    json s = symbol(spans, sc.id.text, label_of(sc.label), sk_number, sc.where, sc.id.where);
    s["children"] = json::array();
    for (const auto& line : sc.lines)
      s["children"].push_back(symbol(spans, compiler::format_number(line.points) + " if " + compiler::format_expr(line.condition),
                                     "", sk_field, line.where, line.condition.where));
    out.push_back(s);
  }
  for (const auto& v : m.values) out.push_back(symbol(spans, v.id.text, label_of(v.label), sk_number, v.where, v.id.where));
  for (const auto& v : m.variants)
    out.push_back(symbol(spans, "variant " + v.id.text, v.title.value, sk_class, v.where, v.id.where));
  for (const auto& o : m.otherwise) out.push_back(symbol(spans, "otherwise", label_of(o.label), sk_class, o.where, o.where));
  for (const auto& e : m.examples) out.push_back(symbol(spans, "example", e.title.value, sk_event, e.where, e.title.where));
  return out;
}

json folding_ranges(const analysis& a, const document& doc) {
  json out = json::array();
  if (a.result->modules.empty()) return out;
  const ast::module& m = a.result->modules[0];
  auto fold = [&](compiler::span s) {
    position b = doc.position_of(s.begin), e = doc.position_of(s.end);
    if (e.line > b.line) out.push_back({{"startLine", b.line}, {"endLine", e.line}});
  };
  fold(m.head.where);
  for (const auto& x : m.enums) fold(x.where);
  for (const auto& x : m.scales) fold(x.where);
  for (const auto& x : m.procedures) fold(x.where);
  for (const auto& x : m.patients) fold(x.where);
  for (const auto& x : m.criteria) fold(x.where);
  for (const auto& x : m.scores) fold(x.where);
  for (const auto& x : m.values) fold(x.where);
  for (const auto& x : m.variants) fold(x.where);
  for (const auto& x : m.otherwise) fold(x.where);
  for (const auto& x : m.examples) fold(x.where);
  // Runs of two or more comment lines.
  std::uint32_t start = 0, last = 0;
  bool open = false;
  for (const auto& c : m.comments) {
    std::uint32_t line = doc.position_of(c.where.begin).line;
    if (open && line == last + 1) {
      last = line;
      continue;
    }
    if (open && last > start) out.push_back({{"startLine", start}, {"endLine", last}, {"kind", "comment"}});
    start = last = line;
    open = true;
  }
  if (open && last > start) out.push_back({{"startLine", start}, {"endLine", last}, {"kind", "comment"}});
  return out;
}

namespace {

const std::vector<std::string>& token_types() {
  static const std::vector<std::string> types = {"variable", "function", "enum", "enumMember", "type", "class", "struct", "namespace"};
  return types;
}

int token_type(target_kind k) {
  switch (k) {
    case target_kind::fact: case target_kind::let: case target_kind::value: return 0;
    case target_kind::criterion: case target_kind::score: return 1;
    case target_kind::enumeration: return 2;
    case target_kind::member: case target_kind::level: return 3;
    case target_kind::scale: case target_kind::code_list: return 4;
    case target_kind::procedure: return 5;
    case target_kind::variant: return 6;
    case target_kind::module: return 7;
  }
  return 0;
}

}  // namespace

json semantic_tokens_legend() {
  return {{"tokenTypes", token_types()}, {"tokenModifiers", {"declaration", "readonly", "defaultLibrary"}}};
}

json semantic_tokens(const analysis& a, const document& doc) {
  std::vector<std::uint32_t> data;
  if (a.has_program()) {
    std::uint32_t prev_line = 0, prev_char = 0, prev_end = 0;
    for (const auto& o : a.index.items()) {
      if (o.where.file != a.root || o.where.begin < prev_end) continue;
      position b = doc.position_of(o.where.begin), e = doc.position_of(o.where.end);
      if (e.line != b.line || e.character <= b.character) continue;  // tokens are single-line
      std::uint32_t modifiers = o.declaration ? 1u : 0u;
      if (o.what.kind == target_kind::let) modifiers |= 2u;
      const std::string& path = a.sources().path(a.program().module(o.what.module).file);
      if (path.find("stdlib/") != std::string::npos) modifiers |= 4u;
      data.push_back(b.line - prev_line);
      data.push_back(b.line == prev_line ? b.character - prev_char : b.character);
      data.push_back(e.character - b.character);
      data.push_back(static_cast<std::uint32_t>(token_type(o.what.kind)));
      data.push_back(modifiers);
      prev_line = b.line;
      prev_char = b.character;
      prev_end = o.where.end;
    }
  }
  return {{"data", data}};
}

}  // namespace rubric::lsp
