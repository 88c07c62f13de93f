// The guidelines a running service answers from: compiled decision graphs
// (the CLI compiles `.rubric` files at the edge and passes graphs in), each
// with its content hash, and the lookups a CDS Hooks request needs: which
// guideline rates a draft order (its CPT code in a procedure catalog, then its
// reasonCode against the guideline's code lists) and which prefetch keys the
// loaded bindings read. Immutable once built: a reload builds a new catalog
// and swaps it in (server.cpp), so requests in flight keep the old one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fhir_prefetch.hpp"
#include "runtime/graph.hpp"
#include "service/answer_cache.hpp"

namespace rubric::service {

// A FHIR Coding as a request carries it.
struct coding_ref {
  std::string system, code;
};

struct guideline_entry {
  runtime::graph graph;
  std::string origin;  // the file it was loaded from, for logs
  std::string hash;    // "sha256:<hex>" of the graph's compact JSON: the same graph gives the same hash
  // Decoders and decisions for this graph (answer_cache.hpp); mutable state
  // inside an immutable catalog, so it lives and dies with this snapshot.
  std::unique_ptr<answer_cache> cache;
  // The prefetch keys its bindings read (runtime::prefetch_keys_of), found
  // once: every call asks for each key.
  std::vector<const runtime::prefetch_key*> prefetch_keys;
};

// The guideline and catalog procedure a draft order names.
struct order_match {
  const guideline_entry* guideline = nullptr;
  std::int32_t procedure = -1;  // index into guideline->graph.procedures
  explicit operator bool() const { return guideline != nullptr; }
};

class catalog {
 public:
  struct source {
    runtime::graph graph;
    std::string origin;
  };
  explicit catalog(std::vector<source> graphs);
  // Each guideline's cache refers to its graph in place: not copied, not moved.
  catalog(const catalog&) = delete;
  catalog& operator=(const catalog&) = delete;

  const std::vector<guideline_entry>& guidelines() const { return guidelines_; }

  // The guideline whose catalog holds a CPT code of `order_codes`. When
  // several do, the first whose FHIR code lists hold a code of
  // `reason_codes` wins, else the first loaded. Guidelines without a `fhir`
  // block or a rating scale are never matched: they cannot read a request
  // or give a category.
  order_match find(const std::vector<coding_ref>& order_codes, const std::vector<coding_ref>& reason_codes) const;

  // The prefetch keys of every guideline, in the runtime's order.
  const std::vector<const runtime::prefetch_key*>& prefetch() const { return prefetch_; }
  // Whether a guideline reads `key`'s resources.
  static bool reads(const guideline_entry& g, std::string_view key);

 private:
  std::vector<guideline_entry> guidelines_;
  std::vector<const runtime::prefetch_key*> prefetch_;
};

// "sha256:" and the lower-case hex SHA-256 digest of `bytes` (OpenSSL EVP).
std::string sha256_hex(std::string_view bytes);

}  // namespace rubric::service
