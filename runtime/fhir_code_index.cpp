// The precomputed code-list lookup (fhir_code_index.hpp).
#include "runtime/fhir_code_index.hpp"

#include <algorithm>

namespace rubric::runtime::fhir {

code_index::code_index(const graph& g) {
  const auto& lists = g.fhir.code_lists;
  usable_ = lists.size() <= 64;
  for (std::size_t i = 0; usable_ && i < lists.size(); ++i)
    for (const fhir_code& c : lists[i].codes) {
      const coding_system* system = coding_system_of_uri(c.system);
      if (!system) {
        usable_ = false;  // a hand-made graph: leave matching to the list-by-list path
        break;
      }
      auto s = std::find_if(systems_.begin(), systems_.end(), [&](const per_system& p) { return p.system == system; });
      if (s == systems_.end()) s = systems_.insert(systems_.end(), per_system{system, {}, {}});
      const std::uint64_t bit = std::uint64_t(1) << i;
      if (!c.prefix) {
        s->exact[c.code] |= bit;
        continue;
      }
      auto same = std::find_if(s->prefixes.begin(), s->prefixes.end(), [&](const prefix& p) { return p.code == c.code; });
      if (same != s->prefixes.end()) same->lists |= bit;
      else s->prefixes.push_back({c.code, bit});
    }
  for (std::size_t p = 0; p < g.procedures.size(); ++p)
    for (const auto& code : g.procedures[p].codes)
      if (code.system == "CPT") cpt_.emplace(code.value, static_cast<std::int32_t>(p));
}

const code_index::per_system* code_index::find(std::string_view uri) const {
  const coding_system* system = coding_system_of_uri(uri);
  if (!system) return nullptr;
  for (const per_system& s : systems_)
    if (s.system == system) return &s;
  return nullptr;
}

std::uint64_t code_index::lists_of(const resource& r) const {
  std::uint64_t lists = 0;
  for (const coding& c : r.codes) {
    const per_system* s = find(c.system);
    if (!s) continue;
    if (auto it = s->exact.find(c.code); it != s->exact.end()) lists |= it->second;
    // The first character rules out most prefixes without a compare.
    for (const prefix& p : s->prefixes)
      if (p.code.empty() || (!c.code.empty() && c.code[0] == p.code[0] && c.code.starts_with(p.code))) lists |= p.lists;
  }
  return lists;
}

std::int32_t code_index::procedure_of_cpt(std::string_view code) const {
  auto it = cpt_.find(code);
  return it == cpt_.end() ? -1 : it->second;
}

}  // namespace rubric::runtime::fhir
