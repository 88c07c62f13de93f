// Name resolution, declaration level: symbol tables per module, duplicates,
// header scales, fact types, catalog RRLs. See resolve.hpp.
#include "compiler/sema/resolve.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "runtime/units.hpp"

#include "compiler/diagnostics/suggest.hpp"

namespace rubric::compiler {

using sema::name_space;
using sema::symbol;
using sema::symbol_kind;

std::string sema::span_text(const program& p, span s) { return std::string(p.sources->text(s)); }

std::string kind_name(symbol_kind kind) {
  switch (kind) {
    case symbol_kind::fact: return "patient fact";
    case symbol_kind::let: return "let";
    case symbol_kind::criterion: return "criterion";
    case symbol_kind::enumeration: return "enum";
    case symbol_kind::scale: return "scale";
    case symbol_kind::procedure: return "procedure";
    case symbol_kind::score: return "score";
    case symbol_kind::value: return "value";
  }
  return "name";
}

std::string a_kind_name(symbol_kind kind) {
  return (kind == symbol_kind::enumeration ? "an " : "a ") + kind_name(kind);
}

namespace {

std::string space_name(name_space ns) {
  switch (ns) {
    case name_space::value: return "name";
    case name_space::enumeration: return "enum";
    case name_space::scale: return "scale";
    case name_space::procedure: return "procedure";
  }
  return "name";
}

const std::unordered_map<std::string, symbol>& table(const sema::module_scope& s, name_space ns) {
  switch (ns) {
    case name_space::value: return s.values;
    case name_space::enumeration: return s.enums;
    case name_space::scale: return s.scales;
    case name_space::procedure: return s.procedures;
  }
  return s.values;
}

}  // namespace

const std::string& symbol_id(const sema::program& p, const symbol& s) {
  const ast::module& m = p.module(s.module);
  switch (s.kind) {
    case symbol_kind::fact: return p.scopes[s.module].facts[s.index]->id.text;
    case symbol_kind::let: return m.lets[s.index].id.text;
    case symbol_kind::criterion: return m.criteria[s.index].id.text;
    case symbol_kind::enumeration: return m.enums[s.index].id.text;
    case symbol_kind::scale: return m.scales[s.index].id.text;
    case symbol_kind::procedure: return m.procedures[s.index].id.text;
    case symbol_kind::score: return m.scores[s.index].id.text;
    case symbol_kind::value: return m.values[s.index].id.text;
  }
  return m.head.module.text;
}

std::string qualified_id(const sema::program& p, const symbol& s) {
  return p.module(s.module).head.module.text + "." + symbol_id(p, s);
}

span symbol_span(const sema::program& p, const symbol& s) {
  const ast::module& m = p.module(s.module);
  switch (s.kind) {
    case symbol_kind::fact: return p.scopes[s.module].facts[s.index]->id.where;
    case symbol_kind::let: return m.lets[s.index].id.where;
    case symbol_kind::criterion: return m.criteria[s.index].id.where;
    case symbol_kind::enumeration: return m.enums[s.index].id.where;
    case symbol_kind::scale: return m.scales[s.index].id.where;
    case symbol_kind::procedure: return m.procedures[s.index].id.where;
    case symbol_kind::score: return m.scores[s.index].id.where;
    case symbol_kind::value: return m.values[s.index].id.where;
  }
  return m.head.module.where;
}

std::int32_t find_level_by_spelling(const ast::scale_decl& scale, const std::string& spelling) {
  for (std::size_t i = 0; i < scale.levels.size(); ++i) {
    if (scale.levels[i].label.value == spelling || scale.levels[i].id.text == spelling) return static_cast<std::int32_t>(i);
  }
  return -1;
}

std::optional<symbol> lookup(sema::program& p, std::uint32_t module, const std::string& name, span where,
                             name_space ns, diagnostic_sink& sink, bool report) {
  const sema::module_scope& scope = p.scopes[module];
  auto silence = [&]() { return !report || !p.reported_unknown.insert({module, space_name(ns) + ":" + name}).second; };

  // Any other namespace that knows the name: for "`x` is an enum, not a scale".
  auto wrong_kind = [&](std::uint32_t m, const std::string& id) -> std::optional<symbol> {
    for (auto other : {name_space::value, name_space::enumeration, name_space::scale, name_space::procedure}) {
      if (other == ns) continue;
      const auto& t = table(p.scopes[m], other);
      if (auto it = t.find(id); it != t.end()) return it->second;
    }
    return std::nullopt;
  };

  std::size_t dot = name.rfind('.');
  if (dot != std::string::npos) {
    std::string module_name = name.substr(0, dot);
    std::string id = name.substr(dot + 1);
    std::optional<std::uint32_t> target;
    if (module_name == scope.name) target = module;
    for (auto i : scope.imports) {
      if (p.scopes[i].name == module_name) target = i;
    }
    if (!target) {
      // An import that failed to load was reported already.
      bool declared = std::any_of(p.module(module).imports.begin(), p.module(module).imports.end(),
                                  [&](const ast::import_decl& d) { return d.module.text == module_name; });
      if (declared || silence()) return std::nullopt;
      auto& d = sink.report(diag_code::module_not_imported, where, "`" + module_name + "` is not an imported module");
      d.suggest("add `import " + module_name + "` at the top of the file");
      return std::nullopt;
    }
    const auto& t = table(p.scopes[*target], ns);
    if (auto it = t.find(id); it != t.end()) return it->second;
    if (silence()) return std::nullopt;
    if (auto other = wrong_kind(*target, id)) {
      sink.report(diag_code::wrong_kind_of_name, where,
                  "`" + name + "` is " + a_kind_name(other->kind) + ", not " + (ns == name_space::enumeration ? "an " : "a ") + space_name(ns))
          .also(symbol_span(p, *other), "defined here");
      return std::nullopt;
    }
    auto& d = sink.report(diag_code::unknown_name, where, "module `" + module_name + "` has no " + space_name(ns) + " `" + id + "`");
    std::vector<std::string> names;
    for (const auto& [k, v] : t) names.push_back(k);
    std::sort(names.begin(), names.end());
    if (auto best = closest_match(id, names)) d.suggest("did you mean `" + module_name + "." + *best + "`?");
    return std::nullopt;
  }

  const auto& own = table(scope, ns);
  if (auto it = own.find(name); it != own.end()) return it->second;
  std::vector<symbol> found;
  for (auto i : scope.imports) {
    if (i == module) continue;
    const auto& t = table(p.scopes[i], ns);
    if (auto it = t.find(name); it != t.end()) found.push_back(it->second);
  }
  if (found.size() == 1) return found[0];
  if (found.size() > 1) {
    if (silence()) return std::nullopt;
    auto& d = sink.report(diag_code::ambiguous_name, where,
                          "`" + name + "` is ambiguous: both `" + p.scopes[found[0].module].name + "` and `" +
                              p.scopes[found[1].module].name + "` define it");
    d.also(symbol_span(p, found[0]), "defined here");
    d.also(symbol_span(p, found[1]), "and here");
    d.suggest("write `" + qualified_id(p, found[0]) + "` or `" + qualified_id(p, found[1]) + "`");
    return std::nullopt;
  }
  if (silence()) return std::nullopt;
  // A module whose import failed cannot know what that import would have
  // defined: the missing module is the one root cause, already reported.
  for (const auto& imp : p.module(module).imports) {
    if (std::none_of(p.scopes.begin(), p.scopes.end(), [&](const sema::module_scope& s) { return s.name == imp.module.text; }))
      return std::nullopt;
  }
  std::vector<std::uint32_t> visible{module};
  for (auto i : scope.imports) visible.push_back(i);
  for (auto m : visible) {
    if (auto other = wrong_kind(m, name)) {
      sink.report(diag_code::wrong_kind_of_name, where,
                  "`" + name + "` is " + a_kind_name(other->kind) + ", not a" + (ns == name_space::enumeration ? "n " : " ") +
                      (ns == name_space::value ? "fact, let, criterion, score or value" : space_name(ns)))
          .also(symbol_span(p, *other), "defined here");
      return std::nullopt;
    }
  }
  std::string what = ns == name_space::value ? "fact, let, criterion, score or value" : space_name(ns);
  auto& d = sink.report(diag_code::unknown_name, where, "unknown " + what + " `" + name + "`");
  d.label("not defined in this module or its imports");
  std::vector<std::string> names;
  for (auto m : visible) {
    for (const auto& [k, v] : table(p.scopes[m], ns)) names.push_back(k);
  }
  std::sort(names.begin(), names.end());
  if (auto best = closest_match(name, names)) d.suggest("did you mean `" + *best + "`?");
  return std::nullopt;
}

namespace {

class resolver {
 public:
  resolver(sema::program& p, diagnostic_sink& sink) : p_(p), sink_(sink) {}

  void run() {
    std::size_t n = p_.module_count();
    p_.scopes.assign(n, {});
    for (std::uint32_t m = 0; m < n; ++m) declare(m);
    for (std::uint32_t m = 0; m < n; ++m) link_imports(m);
    for (std::uint32_t m = 0; m < n; ++m) resolve_module(m);
  }

 private:
  void define(std::unordered_map<std::string, symbol>& t, const ast::name& id, symbol s, const char* what) {
    auto [it, inserted] = t.emplace(id.text, s);
    if (inserted) return;
    sink_.report(diag_code::duplicate_definition, id.where, std::string(what) + " `" + id.text + "` is defined twice")
        .label("second definition")
        .also(symbol_span(p_, it->second), "first defined here")
        .suggest("rename one of them or remove the duplicate");
  }

  void declare(std::uint32_t m) {
    const ast::module& mod = p_.module(m);
    sema::module_scope& s = p_.scopes[m];
    s.name = mod.head.module.text;
    for (std::uint32_t i = 0; i < mod.enums.size(); ++i) {
      define(s.enums, mod.enums[i].id, {symbol_kind::enumeration, m, i}, "enum");
      check_enum(mod.enums[i]);
    }
    for (std::uint32_t i = 0; i < mod.scales.size(); ++i) {
      define(s.scales, mod.scales[i].id, {symbol_kind::scale, m, i}, "scale");
      check_scale(mod.scales[i]);
    }
    std::unordered_map<std::string, span> displays;
    for (std::uint32_t i = 0; i < mod.procedures.size(); ++i) {
      define(s.procedures, mod.procedures[i].id, {symbol_kind::procedure, m, i}, "procedure");
      const auto& display = mod.procedures[i].display;
      auto [it, inserted] = displays.emplace(display.value, display.where);
      if (!inserted) {
        sink_.report(diag_code::duplicate_definition, display.where, "procedure name `" + display.value + "` is used twice")
            .also(it->second, "first used here")
            .suggest("each catalog entry needs its own display name");
      }
    }
    for (const auto& block : mod.patients) {
      for (const auto& f : block.facts) {
        auto index = static_cast<std::uint32_t>(s.facts.size());
        s.facts.push_back(&f);
        define(s.values, f.id, {symbol_kind::fact, m, index}, "name");
      }
    }
    for (std::uint32_t i = 0; i < mod.lets.size(); ++i) define(s.values, mod.lets[i].id, {symbol_kind::let, m, i}, "name");
    for (std::uint32_t i = 0; i < mod.criteria.size(); ++i)
      define(s.values, mod.criteria[i].id, {symbol_kind::criterion, m, i}, "name");
    for (std::uint32_t i = 0; i < mod.scores.size(); ++i) define(s.values, mod.scores[i].id, {symbol_kind::score, m, i}, "name");
    for (std::uint32_t i = 0; i < mod.values.size(); ++i) define(s.values, mod.values[i].id, {symbol_kind::value, m, i}, "name");
  }

  void check_enum(const ast::enum_decl& e) {
    std::unordered_map<std::string, span> seen;
    for (const auto& member : e.members) {
      auto [it, inserted] = seen.emplace(member.id.text, member.id.where);
      if (!inserted) {
        sink_.report(diag_code::duplicate_definition, member.id.where,
                     "member `" + member.id.text + "` of enum `" + e.id.text + "` is defined twice")
            .also(it->second, "first defined here");
      }
    }
    if (e.members.size() > 64) {
      sink_.report(diag_code::too_many_members, e.id.where,
                   fmt::format("enum `{}` has {} members, more than the 64 a set can hold", e.id.text, e.members.size()))
          .suggest("split it into two enums");
    }
  }

  void check_scale(const ast::scale_decl& sc) {
    std::unordered_map<std::string, span> seen;
    for (const auto& level : sc.levels) {
      auto [it, inserted] = seen.emplace(level.id.text, level.id.where);
      if (!inserted) {
        sink_.report(diag_code::duplicate_definition, level.id.where,
                     "level `" + level.id.text + "` of scale `" + sc.id.text + "` is defined twice")
            .also(it->second, "first defined here");
      }
      if (level.range_min && level.range_max && level.range_min->value > level.range_max->value) {
        sink_.report(diag_code::invalid_range, level.range_min->where,
                     "the range of level `" + level.id.text + "` starts at " + level.range_min->spelling +
                         ", above its end " + level.range_max->spelling)
            .suggest("write the smaller bound first: `range " + level.range_max->spelling + " to " +
                     level.range_min->spelling + "`");
      }
    }
  }

  void link_imports(std::uint32_t m) {
    for (const auto& imp : p_.module(m).imports) {
      for (std::uint32_t i = 0; i < p_.module_count(); ++i) {
        if (p_.scopes[i].name == imp.module.text && i != m) {
          if (std::find(p_.scopes[m].imports.begin(), p_.scopes[m].imports.end(), i) == p_.scopes[m].imports.end())
            p_.scopes[m].imports.push_back(i);
          break;
        }
      }
    }
  }

  void resolve_module(std::uint32_t m) {
    const ast::module& mod = p_.module(m);
    sema::module_scope& s = p_.scopes[m];
    if (mod.head.scale) s.rating_scale = lookup(p_, m, mod.head.scale->text, mod.head.scale->where, name_space::scale, sink_);
    if (mod.head.radiation)
      s.radiation_scale = lookup(p_, m, mod.head.radiation->text, mod.head.radiation->where, name_space::scale, sink_);
    for (const auto* f : s.facts) s.fact_types.push_back(fact_type(m, f->type));
    for (const auto& proc : mod.procedures) {
      s.adult_rrl.push_back(catalog_rrl(m, proc.adult_rrl));
      s.pediatric_rrl.push_back(catalog_rrl(m, proc.pediatric_rrl));
    }
  }

  sema::type fact_type(std::uint32_t m, const ast::type_ref& t) {
    using sema::type_kind;
    switch (t.kind) {
      case ast::type_kind::boolean: return {type_kind::boolean};
      case ast::type_kind::number:
      case ast::type_kind::integer: return number_type(t);
      case ast::type_kind::duration: return {type_kind::duration};
      case ast::type_kind::text: return {type_kind::text};
      case ast::type_kind::named:
      case ast::type_kind::set_of: {
        auto e = lookup(p_, m, t.named.text, t.named.where, name_space::enumeration, sink_);
        if (!e) return {type_kind::error};
        return {t.kind == ast::type_kind::named ? type_kind::enumeration : type_kind::set, static_cast<std::int32_t>(e->module),
                static_cast<std::int32_t>(e->index)};
      }
    }
    return {};
  }

  // `number LOW..HIGH UNIT` and `integer LOW..HIGH`: the unit must be in the
  // unit table, the range in order (and whole for an integer).
  sema::type number_type(const ast::type_ref& t) {
    sema::type out{sema::type_kind::number};
    out.integer = t.kind == ast::type_kind::integer;
    if (t.unit) {
      std::string why;
      if (runtime::units::find_unit(t.unit->text, &why)) {
        out.unit = t.unit->text;
      } else {
        report_unknown_unit(sink_, t.unit->text, t.unit->where, why);
      }
    }
    if (t.low && t.high && t.low->value > t.high->value) {
      sink_.report(diag_code::invalid_range, t.low->where,
                   "the range starts at " + t.low->spelling + ", above its end " + t.high->spelling)
          .suggest("write the smaller bound first: `" + t.high->spelling + ".." + t.low->spelling + "`");
    }
    for (const auto& bound : {t.low, t.high}) {
      if (bound && out.integer && bound->value != std::floor(bound->value)) {
        sink_.report(diag_code::invalid_range, bound->where, "the range of an `integer` fact ends at " + bound->spelling + ", which is not a whole number")
            .suggest("write whole numbers, as in `integer 3..15`, or declare a `number`");
      }
    }
    return out;
  }

  std::int32_t catalog_rrl(std::uint32_t m, const std::optional<ast::level_ref>& ref) {
    if (!ref) return -1;
    const auto& s = p_.scopes[m];
    if (!s.radiation_scale) {
      // Reported once per module: every procedure would repeat it.
      if (p_.module(m).head.radiation || !rrl_reported_.insert(m).second) return -1;
      sink_.report(diag_code::missing_radiation_scale, ref->where,
                   "radiation level `" + ref->spelling + "` needs a radiation scale, but module `" + s.name + "` names none")
          .suggest("add `radiation relative_radiation_level` (or its qualified name) to the module header");
      return -1;
    }
    const auto& scale = p_.module(s.radiation_scale->module).scales[s.radiation_scale->index];
    std::int32_t level = find_level_by_spelling(scale, ref->spelling);
    if (level < 0) {
      auto& d = sink_.report(diag_code::unknown_radiation_level, ref->where,
                             "`" + ref->spelling + "` is not a level of radiation scale `" + scale.id.text + "`");
      std::string levels;
      for (const auto& l : scale.levels) levels += (levels.empty() ? "`" : ", `") + l.label.value + "`";
      d.note("its levels are " + levels);
    }
    return level;
  }

  sema::program& p_;
  diagnostic_sink& sink_;
  std::set<std::uint32_t> rrl_reported_;
};

}  // namespace

void resolve(sema::program& p, diagnostic_sink& sink) { resolver(p, sink).run(); }

void report_unknown_unit(diagnostic_sink& sink, const std::string& unit, span where, const std::string& why) {
  auto& d = sink.report(diag_code::unknown_unit, where, "`" + unit + "` is not a unit Rubric knows");
  if (!why.empty()) d.note(why);
  if (auto better = runtime::units::suggest_unit(unit)) d.suggest("write the UCUM code `" + std::string(*better) + "`");
  else d.suggest("write a UCUM unit such as `mg/dL`, `mm[Hg]`, `/min` or `h` (docs/language.md, \"Units\")");
}

}  // namespace rubric::compiler
