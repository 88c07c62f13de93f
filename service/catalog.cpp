// The service's catalog of guidelines (catalog.hpp).
#include "service/catalog.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>

#include "runtime/fhir_systems.hpp"
#include "runtime/graph_io.hpp"

namespace rubric::service {

std::string sha256_hex(std::string_view bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest.data(), &size, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out = "sha256:";
  for (unsigned int i = 0; i < size; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

catalog::catalog(std::vector<source> graphs) {
  guidelines_.reserve(graphs.size());
  for (auto& s : graphs) {
    std::string hash = sha256_hex(runtime::write_graph_json(s.graph, false));
    guidelines_.push_back(guideline_entry{std::move(s.graph), std::move(s.origin), std::move(hash), nullptr, {}});
  }
  for (auto& g : guidelines_) {
    g.cache = std::make_unique<answer_cache>(g.graph);  // the graphs no longer move
    g.prefetch_keys = runtime::prefetch_keys_of(g.graph);
  }
  for (const auto& g : guidelines_)
    for (const auto* k : g.prefetch_keys)
      if (std::find(prefetch_.begin(), prefetch_.end(), k) == prefetch_.end()) prefetch_.push_back(k);
  std::sort(prefetch_.begin(), prefetch_.end());  // pointers into the runtime's one table: its order
}

bool catalog::reads(const guideline_entry& g, std::string_view key) {
  for (const auto* k : g.prefetch_keys)
    if (k->key == key) return true;
  return false;
}

namespace {

// The catalog procedure with one of `codes` as its CPT code, or -1.
std::int32_t procedure_by_cpt(const runtime::graph& g, const std::vector<coding_ref>& codes) {
  for (const auto& c : codes) {
    const runtime::coding_system* s = runtime::coding_system_of_uri(c.system);
    if (!s || s->name != "CPT") continue;
    for (std::size_t p = 0; p < g.procedures.size(); ++p)
      for (const auto& code : g.procedures[p].codes)
        if (code.system == "CPT" && code.value == c.code) return static_cast<std::int32_t>(p);
  }
  return -1;
}

// Whether a code list of the guideline's bindings holds one of `codes`.
bool indication_matches(const runtime::graph& g, const std::vector<coding_ref>& codes) {
  for (const auto& list : g.fhir.code_lists)
    for (const auto& e : list.codes)
      for (const auto& c : codes)
        if (c.system == e.system && (e.prefix ? c.code.starts_with(e.code) : c.code == e.code)) return true;
  return false;
}

}  // namespace

order_match catalog::find(const std::vector<coding_ref>& order_codes, const std::vector<coding_ref>& reason_codes) const {
  order_match first;
  for (const auto& g : guidelines_) {
    if (g.graph.fhir.empty() || g.graph.rating_scale < 0) continue;  // cannot read a request, or has no categories to give
    std::int32_t p = procedure_by_cpt(g.graph, order_codes);
    if (p < 0) continue;
    if (!first) first = order_match{&g, p};
    if (!reason_codes.empty() && indication_matches(g.graph, reason_codes)) return order_match{&g, p};
  }
  return first;
}

}  // namespace rubric::service
