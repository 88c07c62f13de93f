// Lowering the declarations: the guideline header, the catalog (every scale,
// enum and procedure of the loaded modules, with qualified ids) and the fact
// slots. See lower_internal.hpp.
#include "compiler/lower/lower_internal.hpp"
#include "compiler/sema/quantity.hpp"
#include "compiler/sema/resolve.hpp"

namespace rubric::compiler::lowering {

using sema::symbol;
using sema::type_kind;

void lowerer::header() {
  const auto& h = root_.head;
  g_.id = h.module.text;
  g_.title = h.title.value;
  auto text_or = [](const std::optional<ast::text>& t) { return t ? t->value : std::string(); };
  g_.source = text_or(h.source);
  g_.citation = text_or(h.citation);
  g_.doi = text_or(h.doi);
  g_.url = text_or(h.url);
  g_.license = text_or(h.license);
  if (h.revised) g_.revised = static_cast<int>(h.revised->value);
  if (h.select) {
    switch (h.select->policy) {
      case ast::select_policy::first: g_.policy = rt::select_policy::first; break;
      case ast::select_policy::unique: g_.policy = rt::select_policy::unique; break;
      case ast::select_policy::all: g_.policy = rt::select_policy::all; break;
    }
  }
}

void lowerer::catalog() {
  catalog_scales_and_enums();
  const auto& root_scope = p_.scopes[0];
  if (root_scope.rating_scale) g_.rating_scale = scale_index(*root_scope.rating_scale);
  if (root_scope.radiation_scale) g_.radiation_scale = scale_index(*root_scope.radiation_scale);
  for (std::uint32_t m = 0; m < p_.module_count() && g_.radiation_scale < 0; ++m) {
    if (!p_.module(m).procedures.empty() && p_.scopes[m].radiation_scale)
      g_.radiation_scale = scale_index(*p_.scopes[m].radiation_scale);
  }
  catalog_procedures();
}

void lowerer::catalog_scales_and_enums() {
  for (std::uint32_t m = 0; m < p_.module_count(); ++m) {
    const auto& mod = p_.module(m);
    const std::string& prefix = mod.head.module.text;
    for (std::uint32_t i = 0; i < mod.scales.size(); ++i) {
      const auto& s = mod.scales[i];
      rt::scale out{prefix + "." + s.id.text, s.label.value, {}};
      for (const auto& l : s.levels) {
        rt::level level;
        level.id = l.id.text;
        level.label = l.label.value;
        level.meaning = l.means ? l.means->value : "";
        if (l.range_min) level.min = l.range_min->value;
        if (l.range_max) level.max = l.range_max->value;
        level.adult_dose = l.adult ? l.adult->value : "";
        level.pediatric_dose = l.pediatric ? l.pediatric->value : "";
        out.levels.push_back(std::move(level));
      }
      scales_[{m, i}] = static_cast<std::int32_t>(g_.scales.size());
      g_.scales.push_back(std::move(out));
    }
    for (std::uint32_t i = 0; i < mod.enums.size(); ++i) {
      const auto& e = mod.enums[i];
      rt::enumeration out{prefix + "." + e.id.text, e.label ? e.label->value : "", {}};
      for (const auto& member : e.members) out.members.push_back({member.id.text, member.label ? member.label->value : ""});
      enums_[{m, i}] = static_cast<std::int32_t>(g_.enumerations.size());
      g_.enumerations.push_back(std::move(out));
    }
  }
}

// After the scales, so each procedure's reference levels map onto the graph's
// radiation scale.
void lowerer::catalog_procedures() {
  for (std::uint32_t m = 0; m < p_.module_count(); ++m) {
    const auto& mod = p_.module(m);
    for (std::uint32_t i = 0; i < mod.procedures.size(); ++i) {
      const auto& d = mod.procedures[i];
      rt::procedure out;
      out.id = mod.head.module.text + "." + d.id.text;
      out.name = d.display.value;
      out.modality = d.modality ? d.modality->value : "";
      out.region = d.region ? d.region->value : "";
      out.contrast = d.contrast ? d.contrast->value : "";
      out.adult_rrl = rrl(m, p_.scopes[m].adult_rrl[i]);
      out.pediatric_rrl = rrl(m, p_.scopes[m].pediatric_rrl[i]);
      for (const auto& c : d.codes) out.codes.push_back({c.system.text, c.value.value});
      procedures_[{m, i}] = static_cast<std::uint32_t>(g_.procedures.size());
      g_.procedures.push_back(std::move(out));
    }
  }
}

std::int32_t lowerer::scale_index(const symbol& s) { return scales_.at({s.module, s.index}); }

// A catalog RRL is a level of its module's radiation scale; the graph has one
// radiation scale, so a level of another scale is matched by id.
std::int32_t lowerer::rrl(std::uint32_t m, std::int32_t level) {
  if (level < 0 || !p_.scopes[m].radiation_scale || g_.radiation_scale < 0) return -1;
  std::int32_t own = scale_index(*p_.scopes[m].radiation_scale);
  if (own == g_.radiation_scale) return level;
  const auto& id = g_.scales[static_cast<std::size_t>(own)].levels[static_cast<std::size_t>(level)].id;
  const auto& target = g_.scales[static_cast<std::size_t>(g_.radiation_scale)].levels;
  for (std::size_t i = 0; i < target.size(); ++i)
    if (target[i].id == id) return static_cast<std::int32_t>(i);
  return -1;
}

// A fact's slot, numbered on first use (the root module's facts first, in the
// order declared; an imported fact when a condition first reads it).
std::int32_t lowerer::slot_of(const symbol& fact) {
  auto key = std::make_pair(fact.module, fact.index);
  if (auto it = slots_.find(key); it != slots_.end()) return it->second;
  const auto* d = p_.scopes[fact.module].facts[fact.index];
  const auto& t = p_.scopes[fact.module].fact_types[fact.index];
  rt::fact f;
  f.id = fact.module == 0 ? d->id.text : qualified_id(p_, fact);
  f.label = d->label ? d->label->value : "";
  switch (t.kind) {
    case type_kind::boolean: f.type = rt::value_type::boolean; break;
    case type_kind::number: f.type = rt::value_type::number; break;
    case type_kind::duration: f.type = rt::value_type::duration; break;
    case type_kind::text: f.type = rt::value_type::text; break;
    case type_kind::enumeration: f.type = rt::value_type::enumeration; break;
    case type_kind::set: f.type = rt::value_type::set; break;
    case type_kind::error: break;
  }
  if (t.enum_module >= 0) f.enumeration = enums_.at({static_cast<std::uint32_t>(t.enum_module), static_cast<std::uint32_t>(t.enum_index)});
  f.fixed = d->fixed;
  f.where = loc(d->where);
  if (t.kind == sema::type_kind::number) {
    f.unit = t.unit;
    f.integer = t.integer;
    auto unit = type_unit(t);
    if (d->type.low) f.min = literal_in(*d->type.low, unit);
    if (d->type.high) f.max = literal_in(*d->type.high, unit);
  }
  auto slot = static_cast<std::int32_t>(g_.facts.size());
  g_.facts.push_back(std::move(f));
  slots_[key] = slot;
  return slot;
}

}  // namespace rubric::compiler::lowering
