// What one guideline of one catalog snapshot keeps between CDS Hooks calls,
// so a call does not redo work whose inputs it has seen (hook.cpp,
// answer.cpp):
//   - FHIR decoders (each holds a simdjson parser and the bindings' code
//     index, costly to build): a pool, one taken per call;
//   - the decisions: everything an answer says that follows from the decoded
//     record and the ordered procedure — status, category, PAMA code, the
//     card's summary and Markdown detail (with the why-not search of an
//     undetermined card), and which suggestions to make. The key is that
//     whole input, byte for byte (every fact's value, every provenance text,
//     the order's text, the procedure), so a hit is exactly the answer a
//     fresh evaluation gives. The same record comes back when a clinician
//     changes a selection (order-select again) and when the order is signed
//     (order-sign). Per call stay fresh: uuids, the consult id and the copies
//     of the client's ServiceRequest.
// The cache belongs to the catalog (catalog.hpp): a reload builds a new one,
// so a reloaded guideline never answers from the old graph's decisions.
// Bounded: when `capacity` decisions are held, the next miss starts afresh.
// Thread-safe.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "runtime/fhir_bundle.hpp"
#include "runtime/patient.hpp"

namespace rubric::service {

// A better-rated procedure the card offers instead of the ordered one.
struct switch_suggestion {
  std::uint32_t procedure = 0;  // index into graph::procedures
  std::string cpt;              // the code to order it by
  std::string level_label;      // its category in the variant
  bool recommended = false;     // the best of them
};

// What follows from (graph, procedure, decoded record): see above.
struct decision {
  std::string status;    // "matched", "undetermined", "no_criteria_apply"
  std::int32_t level = -1;
  std::string rating;    // PAMA code; "" when undetermined
  std::string category;  // the level's label; "" when none
  std::string variant;   // the matched variant's id; "" when none
  // The card's summary and Markdown detail as JSON string literals (quoted
  // and escaped): the detail of an undetermined card is ~10 KB, and escaping
  // it on every call was 7 % of a call's instructions.
  std::string summary_json, detail_json;
  std::vector<switch_suggestion> switches;
  std::optional<std::string> cancel_because;  // the advice that makes cancelling the order the suggestion
};

class answer_cache {
 public:
  explicit answer_cache(const runtime::graph& g, std::size_t capacity = 4096) : graph_(g), capacity_(capacity) {}

  // A decoder for this guideline, back to the pool when the handle goes.
  class decoder_handle {
   public:
    decoder_handle(answer_cache& owner, std::unique_ptr<runtime::fhir_decoder> d) : owner_(owner), decoder_(std::move(d)) {}
    ~decoder_handle();
    decoder_handle(const decoder_handle&) = delete;
    decoder_handle& operator=(const decoder_handle&) = delete;
    runtime::fhir_decoder& operator*() { return *decoder_; }

   private:
    answer_cache& owner_;
    std::unique_ptr<runtime::fhir_decoder> decoder_;
  };
  decoder_handle decoder();

  // The key of a decoded record for `procedure` (see above).
  static void key_of(std::int32_t procedure, const runtime::patient& p, const runtime::fhir_provenance& where, std::string& key);
  std::shared_ptr<const decision> find(const std::string& key) const;
  void remember(std::string key, std::shared_ptr<const decision> d);
  std::size_t size() const;

 private:
  const runtime::graph& graph_;
  std::size_t capacity_;
  std::mutex pool_mutex_;
  std::vector<std::unique_ptr<runtime::fhir_decoder>> pool_;
  mutable std::shared_mutex decisions_mutex_;
  std::unordered_map<std::string, std::shared_ptr<const decision>> decisions_;
};

}  // namespace rubric::service
