// Which code lists a FHIR resource's codings are in, and which catalog
// procedure a CPT code orders, precomputed from the graph once per decoder:
// a hash of the code per coding system for exact codes and a short list of
// prefixes per system, so a Bundle's resources are matched once each, not
// once per binding and list entry. Runtime-internal (fhir_bundle.cpp).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "runtime/fhir_records.hpp"
#include "runtime/fhir_systems.hpp"
#include "runtime/graph.hpp"

namespace rubric::runtime::fhir {

class code_index {
 public:
  explicit code_index(const graph& g);

  // Whether lists_of() stands for every code list (at most 64 lists, every
  // system one of fhir_systems.hpp's); otherwise callers match list by list.
  bool usable() const { return usable_; }
  // Bit i: some coding of `r` is in code list i (graph::fhir.code_lists).
  std::uint64_t lists_of(const resource& r) const;
  // The catalog procedure a CPT code orders (the first, if several), or -1.
  std::int32_t procedure_of_cpt(std::string_view code) const;

 private:
  struct prefix {
    std::string code;
    std::uint64_t lists;
  };
  // Looks strings up by string_view, without making a std::string.
  struct text_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  template <class T>
  using text_map = std::unordered_map<std::string, T, text_hash, std::equal_to<>>;
  struct per_system {
    const coding_system* system;
    text_map<std::uint64_t> exact;
    std::vector<prefix> prefixes;
  };
  const per_system* find(std::string_view uri) const;

  std::vector<per_system> systems_;
  text_map<std::int32_t> cpt_;
  bool usable_ = true;
};

}  // namespace rubric::runtime::fhir
