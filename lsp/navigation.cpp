// Go to definition and find references, across imports and the stdlib. Within
// one analysis a target is compared by value; across the open documents'
// analyses by its declaration's file and offset (target_key).
#include <set>
#include <unordered_map>

#include "lsp/features.hpp"
#include "lsp/protocol.hpp"

namespace rubric::lsp {

namespace {

// Identifies a target across analyses: its declaration's file (normalised
// path, cached per file) and offset, and its kind.
class key_maker {
 public:
  explicit key_maker(const analysis& a) : a_(a) {}
  std::string operator()(const target& t) {
    compiler::span s = target_span(a_.program(), t);
    auto it = paths_.find(s.file);
    if (it == paths_.end()) it = paths_.emplace(s.file, normal_path(a_.sources().path(s.file))).first;
    return it->second + ":" + std::to_string(s.begin) + ":" + std::to_string(static_cast<int>(t.kind));
  }

 private:
  const analysis& a_;
  std::unordered_map<compiler::file_id, std::string> paths_;
};

}  // namespace

json definition(const analysis& a, const document& doc, position at) {
  if (!a.has_program()) return nullptr;
  const occurrence* o = a.index.at(a.root, doc.offset_of(at));
  if (o == nullptr) return nullptr;
  span_mapper spans(a.sources());
  return spans.location(target_span(a.program(), o->what));
}

json references(const analysis& a, const document& doc, position at, bool include_declaration,
                const std::vector<std::shared_ptr<const analysis>>& analyses) {
  json out = json::array();
  if (!a.has_program()) return out;
  const occurrence* o = a.index.at(a.root, doc.offset_of(at));
  if (o == nullptr) return out;
  std::string key = key_maker(a)(o->what);
  std::set<std::string> seen;  // "uri:line:col": one file may be reached by several analyses
  auto collect = [&](const analysis& x) {
    if (!x.has_program()) return;
    span_mapper spans(x.sources());
    key_maker make_key(x);
    std::string last_key;
    target last{};
    bool have_last = false;
    for (const auto& occ : x.index.items()) {
      if (occ.declaration && !include_declaration) continue;
      // Keys are computed once per distinct target (items of one target repeat).
      if (!have_last || !(occ.what == last)) {
        last = occ.what;
        last_key = make_key(occ.what);
        have_last = true;
      }
      if (last_key != key) continue;
      json loc = spans.location(occ.where);
      std::string id = loc["uri"].get<std::string>() + ":" + loc["range"]["start"].dump();
      if (seen.insert(id).second) out.push_back(std::move(loc));
    }
  };
  collect(a);
  for (const auto& other : analyses)
    if (other.get() != &a) collect(*other);
  return out;
}

}  // namespace rubric::lsp
