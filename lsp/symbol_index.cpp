// The name index of an analysis: every declaration and every use of a fact,
// let, criterion, score, value, enum and member, scale and level, procedure,
// variant and module, in the root file and its imports, with the target it
// resolves to.
// Built from the semantic model the passes kept (no second parser).
#include <algorithm>
#include <cctype>
#include <unordered_map>

#include "lsp/analysis.hpp"
#include "compiler/sema/resolve.hpp"

namespace rubric::lsp {

namespace ast = compiler::ast;
namespace sema = compiler::sema;
using compiler::span;

namespace {

target from_symbol(const sema::symbol& s) {
  switch (s.kind) {
    case sema::symbol_kind::fact: return {target_kind::fact, s.module, s.index};
    case sema::symbol_kind::let: return {target_kind::let, s.module, s.index};
    case sema::symbol_kind::criterion: return {target_kind::criterion, s.module, s.index};
    case sema::symbol_kind::enumeration: return {target_kind::enumeration, s.module, s.index};
    case sema::symbol_kind::scale: return {target_kind::scale, s.module, s.index};
    case sema::symbol_kind::procedure: return {target_kind::procedure, s.module, s.index};
    case sema::symbol_kind::score: return {target_kind::score, s.module, s.index};
    case sema::symbol_kind::value: return {target_kind::value, s.module, s.index};
  }
  return {};
}

// A category's words as a rating spells them: lower case, no parentheses.
std::vector<std::string> label_words(const std::string& label) {
  std::vector<std::string> words;
  std::string word;
  for (char c : label) {
    if (c == '(' || c == ')') continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

class indexer {
 public:
  indexer(sema::program& p, symbol_index& out) : p_(p), out_(out) {}

  void run() {
    for (std::uint32_t m = 0; m < p_.module_count(); ++m) {
      if (m >= p_.scopes.size()) break;  // resolve did not run (cannot happen with a kept program)
      module(m);
    }
  }

 private:
  void module(std::uint32_t m) {
    m_ = m;
    const ast::module& mod = p_.module(m);
    const sema::module_scope& scope = p_.scopes[m];
    out_.add(mod.head.module.where, {target_kind::module, m, 0}, true);
    if (mod.head.scale && scope.rating_scale) out_.add(mod.head.scale->where, from_symbol(*scope.rating_scale), false);
    if (mod.head.radiation && scope.radiation_scale)
      out_.add(mod.head.radiation->where, from_symbol(*scope.radiation_scale), false);
    for (const auto& imp : mod.imports) {
      for (std::uint32_t i = 0; i < p_.scopes.size(); ++i)
        if (i != m && p_.scopes[i].name == imp.module.text) out_.add(imp.module.where, {target_kind::module, i, 0}, false);
    }
    declarations(mod);
    std::uint32_t fact = 0;
    for (const auto& block : mod.patients)
      for (const auto& f : block.facts) fact_decl(f, fact++);
    for (std::uint32_t i = 0; i < mod.lets.size(); ++i) {
      out_.add(mod.lets[i].id.where, {target_kind::let, m, i}, true);
      walk(mod.lets[i].value, {});
    }
    for (std::uint32_t i = 0; i < mod.criteria.size(); ++i) {
      out_.add(mod.criteria[i].id.where, {target_kind::criterion, m, i}, true);
      walk(mod.criteria[i].body, {});
    }
    for (std::uint32_t i = 0; i < mod.scores.size(); ++i) {
      out_.add(mod.scores[i].id.where, {target_kind::score, m, i}, true);
      for (const auto& line : mod.scores[i].lines) walk(line.condition, {});
    }
    for (std::uint32_t i = 0; i < mod.values.size(); ++i) {
      out_.add(mod.values[i].id.where, {target_kind::value, m, i}, true);
      walk(mod.values[i].body, {});
    }
    if (mod.head.select)
      for (const auto& n : mod.head.select->order) variant_use(n);
    for (std::uint32_t v = 0; v < mod.variants.size(); ++v) variant(v);
    for (const auto& o : mod.otherwise)
      for (const auto& a : o.advice)
        if (a.when) walk(*a.when, {});
    for (const auto& a : mod.assumes) walk(a.condition, {});
    for (const auto& e : mod.examples) example(e);
    fhir_blocks(mod);
  }

  // The FHIR blocks: the facts, members and code lists of their bindings
  // and `is unbound` lines, as sema resolved them (program::bindings and
  // ::unbound run parallel to the root guideline's lines; a line it could
  // not resolve is left out, its diagnostic says why).
  void fhir_blocks(const ast::module& mod) {
    if (m_ != 0) return;
    std::size_t k = 0, u = 0;
    for (const auto& block : mod.fhir) {
      for (const auto& b : block.bindings) {
        if (k >= p_.bindings.size()) return;
        const sema::binding_info& info = p_.bindings[k++];
        if (!info.ok) continue;
        bound_fact(b.fact, b.member, info.fact, info.member);
        if (info.codes_module >= 0)
          out_.add(b.codes.where, {target_kind::code_list, static_cast<std::uint32_t>(info.codes_module), static_cast<std::uint32_t>(info.codes_index)}, false);
      }
      for (const auto& x : block.unbound) {
        if (u >= p_.unbound.size()) return;
        const sema::unbound_info& info = p_.unbound[u++];
        if (info.ok) bound_fact(x.fact, x.member, info.fact, info.member);
      }
    }
  }

  void bound_fact(const ast::name& fact, const std::optional<ast::name>& member, const sema::symbol& s, std::int32_t index) {
    out_.add(fact.where, from_symbol(s), false);
    const sema::type& t = p_.scopes[s.module].fact_types[s.index];
    if (member && index >= 0 && t.enum_index >= 0)
      out_.add(member->where, {target_kind::member, static_cast<std::uint32_t>(t.enum_module), static_cast<std::uint32_t>(t.enum_index), index}, false);
  }

  void declarations(const ast::module& mod) {
    for (std::uint32_t i = 0; i < mod.enums.size(); ++i) {
      out_.add(mod.enums[i].id.where, {target_kind::enumeration, m_, i}, true);
      for (std::uint32_t k = 0; k < mod.enums[i].members.size(); ++k)
        out_.add(mod.enums[i].members[k].id.where, {target_kind::member, m_, i, static_cast<std::int32_t>(k)}, true);
    }
    for (std::uint32_t i = 0; i < mod.scales.size(); ++i) {
      out_.add(mod.scales[i].id.where, {target_kind::scale, m_, i}, true);
      for (std::uint32_t k = 0; k < mod.scales[i].levels.size(); ++k)
        out_.add(mod.scales[i].levels[k].id.where, {target_kind::level, m_, i, static_cast<std::int32_t>(k)}, true);
    }
    for (std::uint32_t i = 0; i < mod.procedures.size(); ++i) {
      const auto& proc = mod.procedures[i];
      out_.add(proc.id.where, {target_kind::procedure, m_, i}, true);
      out_.add(proc.display.where, {target_kind::procedure, m_, i}, false);
      if (proc.adult_rrl) radiation_level(*proc.adult_rrl);
      if (proc.pediatric_rrl) radiation_level(*proc.pediatric_rrl);
    }
    for (std::uint32_t i = 0; i < mod.code_lists.size(); ++i) out_.add(mod.code_lists[i].id.where, {target_kind::code_list, m_, i}, true);
  }

  void fact_decl(const ast::fact_decl& f, std::uint32_t index) {
    out_.add(f.id.where, {target_kind::fact, m_, index}, true);
    if (f.type.kind != ast::type_kind::named && f.type.kind != ast::type_kind::set_of) return;
    const auto& types = p_.scopes[m_].fact_types;
    if (index < types.size() && types[index].enum_index >= 0)
      out_.add(f.type.named.where,
               {target_kind::enumeration, static_cast<std::uint32_t>(types[index].enum_module),
                static_cast<std::uint32_t>(types[index].enum_index)},
               false);
  }

  void radiation_level(const ast::level_ref& ref) {
    const auto& scale = p_.scopes[m_].radiation_scale;
    if (!scale) return;
    std::int32_t level = compiler::find_level_by_spelling(p_.module(scale->module).scales[scale->index], ref.spelling);
    if (level >= 0) out_.add(ref.where, {target_kind::level, scale->module, scale->index, level}, false);
  }

  void rating_category(const ast::category_ref& ref) {
    const auto& scale = p_.scopes[m_].rating_scale;
    if (!scale) return;
    const auto& levels = p_.module(scale->module).scales[scale->index].levels;
    for (std::uint32_t k = 0; k < levels.size(); ++k) {
      if (label_words(levels[k].label.value) == ref.words || (ref.words.size() == 1 && ref.words[0] == levels[k].id.text)) {
        out_.add(ref.where, {target_kind::level, scale->module, scale->index, static_cast<std::int32_t>(k)}, false);
        return;
      }
    }
  }

  std::optional<sema::symbol> find(const std::string& name, span where, sema::name_space ns) {
    compiler::diagnostic_sink quiet;
    return compiler::lookup(p_, m_, name, where, ns, quiet, false);
  }

  void procedure_use(const ast::procedure_ref& ref) {
    if (!ref.by_display_name) {
      if (auto s = find(ref.text, ref.where, sema::name_space::procedure)) out_.add(ref.where, from_symbol(*s), false);
      return;
    }
    std::vector<std::uint32_t> visible{m_};
    for (auto i : p_.scopes[m_].imports) visible.push_back(i);
    for (auto i : visible) {
      const auto& procs = p_.module(i).procedures;
      for (std::uint32_t k = 0; k < procs.size(); ++k) {
        if (procs[k].display.value == ref.text) {
          out_.add(ref.where, {target_kind::procedure, i, k}, false);
          return;
        }
      }
    }
  }

  void variant_use(const ast::name& n) {
    const auto& variants = p_.module(m_).variants;
    for (std::uint32_t v = 0; v < variants.size(); ++v)
      if (variants[v].id.text == n.text) {
        out_.add(n.where, {target_kind::variant, m_, v}, false);
        return;
      }
  }

  void variant(std::uint32_t v) {
    const ast::variant_decl& var = p_.module(m_).variants[v];
    out_.add(var.id.where, {target_kind::variant, m_, v}, true);
    if (var.guard) walk(*var.guard, {});
    for (std::size_t r = 0; r < var.ratings.size(); ++r) {
      const auto& rating = var.ratings[r];
      const sema::rating_info* info = nullptr;
      if (m_ == 0 && v < p_.ratings.size() && r < p_.ratings[v].size() && p_.ratings[v][r].ok) info = &p_.ratings[v][r];
      if (info) out_.add(rating.procedure.where, from_symbol(info->procedure), false);
      else procedure_use(rating.procedure);
      rating_category(rating.category);
      if (rating.rrl) radiation_level(*rating.rrl);
    }
    for (const auto& a : var.advice)
      if (a.when) walk(*a.when, {});
    for (const auto& t : var.next) {
      variant_use(t.target);
      walk(t.when, {});
    }
  }

  void example(const ast::example_decl& e) {
    for (const auto& g : e.given) {
      auto s = find(g.fact.text, g.fact.where, sema::name_space::value);
      if (!s || s->kind != sema::symbol_kind::fact) continue;
      out_.add(g.fact.where, from_symbol(*s), false);
      const sema::type& t = p_.scopes[s->module].fact_types[s->index];
      if (t.enum_index < 0) continue;
      if (g.value.kind == ast::expr_kind::set) {
        for (const auto& member : g.value.operands) enum_member(member.text_value, member.where, t);
      } else if (g.value.kind == ast::expr_kind::name) {
        enum_member(g.value.text_value, g.value.where, t);
      }
    }
    for (const auto& x : e.expect) {
      if (x.kind == ast::expect_kind::variant || x.kind == ast::expect_kind::candidates) {
        for (const auto& n : x.names) variant_use(n);
      } else if (x.kind == ast::expect_kind::missing) {
        for (const auto& n : x.names)
          if (auto s = find(n.text, n.where, sema::name_space::value)) out_.add(n.where, from_symbol(*s), false);
      } else if (x.kind == ast::expect_kind::rating) {
        procedure_use(x.procedure);
        rating_category(x.category);
      }
    }
  }

  void enum_member(const std::string& id, span where, const sema::type& t) {
    const auto& members = p_.module(static_cast<std::uint32_t>(t.enum_module)).enums[static_cast<std::size_t>(t.enum_index)].members;
    for (std::uint32_t k = 0; k < members.size(); ++k)
      if (members[k].id.text == id)
        out_.add(where, {target_kind::member, static_cast<std::uint32_t>(t.enum_module), static_cast<std::uint32_t>(t.enum_index),
                         static_cast<std::int32_t>(k)}, false);
  }

  // `enum_type`: the enum a member name beside this expression belongs to.
  void walk(const ast::expr& e, sema::type enum_type) {
    if (e.kind == ast::expr_kind::name) {
      if (auto it = p_.names.find(&e); it != p_.names.end()) {
        out_.add(e.where, from_symbol(it->second), false);
      } else if (auto mt = p_.members.find(&e); mt != p_.members.end() && enum_type.enum_index >= 0) {
        out_.add(e.where, {target_kind::member, static_cast<std::uint32_t>(enum_type.enum_module),
                           static_cast<std::uint32_t>(enum_type.enum_index), static_cast<std::int32_t>(mt->second)},
                 false);
      }
      return;
    }
    sema::type beside = enum_type;
    for (const auto& o : e.operands) {
      auto it = p_.types.find(&o);
      if (it != p_.types.end() && it->second.enum_index >= 0) beside = it->second;
    }
    for (const auto& o : e.operands) walk(o, beside);
  }

  sema::program& p_;
  symbol_index& out_;
  std::uint32_t m_ = 0;
};

}  // namespace

void symbol_index::finish() {
  std::sort(items_.begin(), items_.end(), [](const occurrence& a, const occurrence& b) {
    if (a.where.file != b.where.file) return a.where.file < b.where.file;
    if (a.where.begin != b.where.begin) return a.where.begin < b.where.begin;
    return a.declaration > b.declaration;
  });
}

const occurrence* symbol_index::at(compiler::file_id file, std::uint32_t offset) const {
  auto it = std::upper_bound(items_.begin(), items_.end(), std::make_pair(file, offset),
                             [](const std::pair<compiler::file_id, std::uint32_t>& key, const occurrence& o) {
                               return key.first != o.where.file ? key.first < o.where.file : key.second < o.where.begin;
                             });
  // The last occurrence starting at or before the offset; an enclosing
  // occurrence (a procedure's display string) may start earlier than a nested one.
  while (it != items_.begin()) {
    --it;
    if (it->where.file != file) return nullptr;
    if (it->where.begin <= offset && offset <= it->where.end) return &*it;
    if (offset - it->where.begin > 4096) return nullptr;
  }
  return nullptr;
}

const occurrence* symbol_index::declaration_of(const target& t) const {
  for (const auto& o : items_)
    if (o.declaration && o.what == t) return &o;
  return nullptr;
}

symbol_index build_index(const sema::program& p) {
  symbol_index out;
  // The lookups below never report (quiet sinks), so the program is only read.
  indexer(const_cast<sema::program&>(p), out).run();
  out.finish();
  return out;
}

}  // namespace rubric::lsp
