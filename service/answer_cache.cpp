// The per-guideline decoder pool and decision memo (answer_cache.hpp).
#include "service/answer_cache.hpp"

#include <cstring>

namespace rubric::service {

answer_cache::decoder_handle::~decoder_handle() {
  std::lock_guard lock(owner_.pool_mutex_);
  owner_.pool_.push_back(std::move(decoder_));
}

answer_cache::decoder_handle answer_cache::decoder() {
  {
    std::lock_guard lock(pool_mutex_);
    if (!pool_.empty()) {
      auto d = std::move(pool_.back());
      pool_.pop_back();
      return decoder_handle(*this, std::move(d));
    }
  }
  return decoder_handle(*this, std::make_unique<runtime::fhir_decoder>(graph_));
}

namespace {

template <typename T>
void put(std::string& key, const T& v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));
  key.append(bytes, sizeof(T));
}

// A text with its length first, so no two sequences of texts give one key.
void put_text(std::string& key, const std::string& text) {
  put(key, text.size());
  key += text;
}

}  // namespace

void answer_cache::key_of(std::int32_t procedure, const runtime::patient& p, const runtime::fhir_provenance& where, std::string& key) {
  key.clear();
  put(key, procedure);
  put(key, p.slots.size());
  for (const auto& s : p.slots) {
    put(key, s.number);  // the bits: -0 and 0 differ, so a hit is never a different value
    put(key, s.bits);
    put(key, s.known);
    put(key, s.decided);
  }
  for (const auto& t : p.text) put_text(key, t);
  put_text(key, where.order);
  put(key, where.facts.size());
  for (const auto& f : where.facts) put_text(key, f);
}

std::shared_ptr<const decision> answer_cache::find(const std::string& key) const {
  std::shared_lock lock(decisions_mutex_);
  auto it = decisions_.find(key);
  return it == decisions_.end() ? nullptr : it->second;
}

void answer_cache::remember(std::string key, std::shared_ptr<const decision> d) {
  std::unique_lock lock(decisions_mutex_);
  if (decisions_.size() >= capacity_) decisions_.clear();
  decisions_.emplace(std::move(key), std::move(d));
}

std::size_t answer_cache::size() const {
  std::shared_lock lock(decisions_mutex_);
  return decisions_.size();
}

}  // namespace rubric::service
