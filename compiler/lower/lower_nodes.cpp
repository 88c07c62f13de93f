// Building graph nodes: hash-consing (identical subexpressions share one
// node), constants, and the Kleene-correct folding of `not`, `and` and `or`.
// See lower_internal.hpp.
#include <algorithm>
#include <functional>

#include "compiler/lower/lower_internal.hpp"

namespace rubric::compiler::lowering {

namespace {

rt::truth negate(rt::truth t) {
  return t == rt::truth::unknown ? t : (t == rt::truth::yes ? rt::truth::no : rt::truth::yes);
}

}  // namespace

line_col lowerer::position(file_id file, std::uint32_t offset) const {
  std::string_view text = p_.sources->text(file);
  // (From offset 3 on: position() does not count a byte-order mark.)
  if (memo_.at.line != 0 && memo_.file == file && memo_.offset >= 3 && memo_.offset <= offset && offset <= text.size()) {
    std::uint32_t column = memo_.at.column;
    bool same_line = true;
    for (std::uint32_t i = memo_.offset; i < offset && same_line; ++i) {
      if (text[i] == '\n') same_line = false;
      else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;  // code points, as position() counts
    }
    if (same_line) {
      memo_ = {file, offset, {memo_.at.line, column}};
      return memo_.at;
    }
  }
  memo_ = {file, offset, p_.sources->position(file, offset)};
  return memo_.at;
}

rt::location lowerer::loc(span s) const {
  line_col b = position(s.file, s.begin);
  line_col e = position(s.file, s.end);
  return {s.file, b.line, b.column, e.line, e.column};
}

std::string lowerer::text_of(span s) const { return std::string(p_.sources->text(s)); }

std::string lowerer::operand_text(const ast::expr& e) const {
  return e.operands.empty() ? std::string("?") : text_of(e.operands[0].where);
}

// Hash-consing: a node's identity is its fields and its children.
std::uint32_t lowerer::make(const rt::node& n, const std::vector<std::uint32_t>& kids, const std::string& text, span where) {
  std::string key(reinterpret_cast<const char*>(&n.kind), 1);
  auto add = [&key](const void* data, std::size_t size) { key.append(static_cast<const char*>(data), size); };
  add(&n.op, sizeof n.op);
  add(&n.constant, sizeof n.constant);
  add(&n.slot, sizeof n.slot);
  add(&n.slot2, sizeof n.slot2);
  add(&n.number, sizeof n.number);
  add(&n.mask, sizeof n.mask);
  add(&n.criterion, sizeof n.criterion);
  for (auto k : kids) add(&k, sizeof k);
  if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  rt::node out = n;
  out.first = static_cast<std::uint32_t>(g_.children.size());
  out.count = static_cast<std::uint32_t>(kids.size());
  g_.children.insert(g_.children.end(), kids.begin(), kids.end());
  auto index = static_cast<std::uint32_t>(g_.nodes.size());
  g_.nodes.push_back(out);
  g_.info.push_back({text, loc(where)});
  cache_.emplace(std::move(key), index);
  return index;
}

std::uint32_t lowerer::make_constant(rt::truth t, span where) {
  rt::node n;
  n.kind = rt::node_kind::constant;
  n.constant = t;
  return make(n, {}, t == rt::truth::yes ? "true" : t == rt::truth::no ? "false" : "unknown", where);
}

bool lowerer::is_constant(std::uint32_t i, rt::truth& t) const {
  if (g_.nodes[i].kind != rt::node_kind::constant) return false;
  t = g_.nodes[i].constant;
  return true;
}

std::uint32_t lowerer::make_not(std::uint32_t child, const std::string& text, span where) {
  rt::truth t;
  if (is_constant(child, t)) return make_constant(negate(t), where);
  // not (not x) = x holds in Kleene logic too.
  if (g_.nodes[child].kind == rt::node_kind::not_) return g_.children[g_.nodes[child].first];
  rt::node n;
  n.kind = rt::node_kind::not_;
  return make(n, {child}, text, where);
}

// `and`/`or` over already lowered children: flatten, drop neutral constants,
// short-circuit on the absorbing one, drop repeats.
std::uint32_t lowerer::make_junction(rt::node_kind kind, const std::vector<std::uint32_t>& raw, const std::string& text,
                                     span where) {
  rt::truth absorbing = kind == rt::node_kind::and_ ? rt::truth::no : rt::truth::yes;
  rt::truth neutral = kind == rt::node_kind::and_ ? rt::truth::yes : rt::truth::no;
  std::vector<std::uint32_t> kids;
  std::function<void(std::uint32_t)> take = [&](std::uint32_t c) {
    if (g_.nodes[c].kind == kind) {
      for (std::uint32_t k = 0; k < g_.nodes[c].count; ++k) take(g_.children[g_.nodes[c].first + k]);
      return;
    }
    if (std::find(kids.begin(), kids.end(), c) == kids.end()) kids.push_back(c);
  };
  for (auto c : raw) {
    rt::truth t;
    if (is_constant(c, t)) {
      if (t == absorbing) return make_constant(absorbing, where);
      if (t == neutral) continue;
    }
    take(c);
  }
  if (kids.empty()) return make_constant(neutral, where);
  if (kids.size() == 1) return kids[0];
  rt::node n;
  n.kind = kind;
  return make(n, kids, text, where);
}

// A leaf that reads one fact: `flag`, `x in {…}`, `s has any of {…}`, `x is known`.
std::uint32_t lowerer::fact_node(rt::node_kind kind, const sema::symbol& fact, std::uint64_t mask, const std::string& text,
                                 span where) {
  rt::node n;
  n.kind = kind;
  n.slot = slot_of(fact);
  n.mask = mask;
  return make(n, {}, text, where);
}

// A text constant's index in the graph's string table (each text once).
std::uint64_t lowerer::intern(const std::string& s) {
  auto it = std::find(g_.strings.begin(), g_.strings.end(), s);
  if (it != g_.strings.end()) return static_cast<std::uint64_t>(it - g_.strings.begin());
  g_.strings.push_back(s);
  return g_.strings.size() - 1;
}

}  // namespace rubric::compiler::lowering
