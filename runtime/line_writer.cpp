// Fast result lines: per-variant JSON serialised once, then memcpy (see
// line_writer.hpp). The full format is result_formatter's; tests compare the two.
#include "runtime/line_writer.hpp"

#include <fmt/format.h>

#include "runtime/json_writer.hpp"
#include "runtime/program_batch.hpp"

namespace rubric::runtime {

namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

constexpr std::string_view empty_tail = R"(,"missing":[],"candidates":[],"otherwise":null,"warnings":[],"error":null})";
constexpr std::string_view warnings_end = R"(],"error":null})";  // every tail ends so

}  // namespace

truth node_truth::operator()(std::uint32_t node) const {
  return values_ ? values_[node] : batch_->value(node, lane_);
}

namespace {

constexpr std::pair<line_field, std::string_view> field_names[] = {
    {line_field::id, "id"},           {line_field::status, "status"},     {line_field::variant, "variant"},
    {line_field::title, "title"},     {line_field::ratings, "ratings"},   {line_field::advice, "advice"},
    {line_field::next, "next"},       {line_field::missing, "missing"},   {line_field::candidates, "candidates"},
    {line_field::otherwise, "otherwise"}, {line_field::warnings, "warnings"}, {line_field::error, "error"},
    {line_field::procedure, "procedure"}, {line_field::ordered, "ordered"},
};

}  // namespace

std::string_view field_name(line_field f) {
  for (const auto& [field, name] : field_names)
    if (field == f) return name;
  return "?";
}

std::optional<std::vector<line_field>> parse_fields(std::string_view list, std::string& error) {
  std::vector<line_field> out;
  while (true) {
    std::size_t comma = list.find(',');
    std::string_view name = list.substr(0, comma);
    bool found = false;
    for (const auto& [field, n] : field_names) {
      if (n != name) continue;
      for (line_field f : out)
        if (f == field) {
          error = fmt::format("field `{}` is given twice", name);
          return std::nullopt;
        }
      out.push_back(field);
      found = true;
    }
    if (!found) {
      std::string known;
      for (const auto& [field, n] : field_names) known += (known.empty() ? "" : ", ") + std::string(n);
      error = fmt::format("unknown field `{}`; the fields are {}", name, known);
      return std::nullopt;
    }
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  return out;
}

line_writer::line_writer(const graph& g, const std::vector<line_field>& fields, std::int32_t ordered)
    : g_(&g), reference_(g), fields_(fields), ordered_(ordered) {
  for (const advisory& a : g.otherwise.advice) otherwise_advice_.push_back(quoted(a.text));
  const std::size_t procedures = g.procedures.size();
  level_of_.assign(g.variants.size() * procedures, -1);
  for (std::size_t vi = 0; vi < g.variants.size(); ++vi) {
    const variant& v = g.variants[vi];
    advice_.emplace_back();
    bool conditional = false;
    for (const advisory& a : v.advice) {
      advice_.back().push_back(quoted(a.text));
      conditional |= a.when >= 0;
    }
    conditional_.push_back(conditional);
    for (const rating& r : v.ratings) level_of_[vi * procedures + r.procedure] = static_cast<std::int32_t>(r.level);

    variant_id_.push_back(quoted(v.id));
    variant_title_.push_back(quoted(v.title));
    const auto vu = static_cast<std::uint32_t>(vi);
    std::string advice;
    if (!conditional) {
      advice = R"("advice":[)";
      for (std::size_t i = 0; i < advice_.back().size(); ++i) advice += (i ? "," : "") + advice_.back()[i];
      advice += "],";
    }
    for (truth group : {truth::no, truth::yes, truth::unknown})
      matched_head_[static_cast<std::size_t>(group)].push_back(R"(,"status":"matched","variant":)" + reference_.variant_json(vu) +
                                                               R"(,"ratings":)" + reference_.ratings_json(group, vu) + "," + advice);
    matched_tail_.push_back(R"("next":)" + reference_.next_json(vu) + std::string(empty_tail));
  }
  none_head_ = R"(,"status":"no_criteria_apply","variant":null,"ratings":[],)";
  none_tail_ = R"("next":[],"missing":[],"candidates":[],"otherwise":)" +
               (g.otherwise.present ? quoted(g.otherwise.label) : std::string("null")) + R"(,"warnings":[],"error":null})";
  if (g.rating_scale >= 0)
    for (const level& l : g.scales[static_cast<std::size_t>(g.rating_scale)].levels) category_.push_back(quoted(l.id));
  for (std::size_t i = 0; i < procedures; ++i) {
    const procedure& p = g.procedures[i];
    procedure_name_.push_back(quoted(p.name));
    auto idx = static_cast<std::int32_t>(i);
    procedure_index_.emplace(p.name, idx);
    procedure_index_.emplace(p.id, idx);
    for (const code_ref& c : p.codes) procedure_index_.emplace(c.value, idx);
  }
}

std::int32_t line_writer::resolve_procedure(std::string_view text) const {
  if (text.empty()) return -1;
  if (auto it = procedure_index_.find(std::string(text)); it != procedure_index_.end()) return it->second;
  int i = find_procedure(*g_, text);  // case-insensitive names and short ids
  return i >= 0 ? i : -2;
}

std::int32_t line_writer::ordered_for(const patient& p) const {
  if (ordered_ >= 0) return ordered_;
  return p.extra.empty() ? -1 : resolve_procedure(p.extra);
}

void line_writer::append_advice(const std::vector<advisory>& list, const std::vector<std::string>& texts,
                                const node_truth& t, std::string& out) const {
  out += "\"advice\":[";
  bool any = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i].when >= 0 && t(static_cast<std::uint32_t>(list[i].when)) != truth::yes) continue;
    if (any) out.push_back(',');
    out += texts[i];
    any = true;
  }
  out += "],";
}

truth line_writer::group(const node_truth& truth_of) const {
  return g_->pediatric.node >= 0 ? truth_of(static_cast<std::uint32_t>(g_->pediatric.node)) : truth::no;
}

void line_writer::write_settled(const patient& p, status s, std::int32_t v, const node_truth& truth_of,
                                std::string& out) const {
  if (compact()) {
    write_compact(p, {s, v, nullptr, &truth_of}, out);
    return;
  }
  out += "{\"id\":";
  out += p.id.empty() ? std::string_view("null") : std::string_view(p.id);
  if (s == status::matched) {
    auto vi = static_cast<std::size_t>(v);
    out += matched_head_[static_cast<std::size_t>(group(truth_of))][vi];
    if (conditional_[vi]) append_advice(g_->variants[vi].advice, advice_[vi], truth_of, out);
    append_tail(matched_tail_[vi], truth_of, out);
    return;
  }
  out += none_head_;
  if (g_->otherwise.present) append_advice(g_->otherwise.advice, otherwise_advice_, truth_of, out);
  else out += "\"advice\":[],";
  append_tail(none_tail_, truth_of, out);
}

// A settled line's tail, with the warnings of violated assumptions (its only
// warnings) inside its "warnings":[…].
void line_writer::append_tail(const std::string& tail, const node_truth& truth_of, std::string& out) const {
  bool any = false;
  for (std::uint32_t a = 0; a < g_->assumptions.size(); ++a) {
    if (truth_of(g_->assumptions[a].node) != truth::no) continue;
    if (any) out.push_back(',');
    else out.append(tail, 0, tail.size() - warnings_end.size());
    out += reference_.violated_json(a);
    any = true;
  }
  out += any ? warnings_end : std::string_view(tail);
}

void line_writer::append_violated(const node_truth& truth_of, std::string& out) const {
  out.push_back('[');
  bool any = false;
  for (std::uint32_t a = 0; a < g_->assumptions.size(); ++a) {
    if (truth_of(g_->assumptions[a].node) != truth::no) continue;
    if (any) out.push_back(',');
    out += reference_.violated_json(a);
    any = true;
  }
  out.push_back(']');
}

void line_writer::write(const patient& p, const evaluation& e, std::string& out) const {
  if (!compact()) {
    reference_.write(p, e, out);
    return;
  }
  node_truth t(e.values);
  std::int32_t v = e.result == status::matched ? static_cast<std::int32_t>(e.selected.front()) : -1;
  write_compact(p, {e.result, v, &e, &t}, out);
}

void line_writer::write_error(std::string_view id, std::string_view message, std::string& out) const {
  if (!compact()) {
    reference_.write_error(id, message, out);
    return;
  }
  out.push_back('{');
  bool first = true;
  for (line_field f : fields_) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out += field_name(f);
    out += "\":";
    switch (f) {
      case line_field::id: out += id.empty() ? std::string_view("null") : id; break;
      case line_field::status: out += "\"error\""; break;
      case line_field::ratings:
      case line_field::advice:
      case line_field::next:
      case line_field::missing:
      case line_field::candidates:
      case line_field::warnings: out += "[]"; break;
      case line_field::error: append_json_string(out, message); break;
      default: out += "null"; break;
    }
  }
  out.push_back('}');
}

void line_writer::write_compact(const patient& p, const view& v, std::string& out) const {
  const graph& g = *g_;
  const bool matched = v.result == status::matched;
  const auto vi = static_cast<std::size_t>(v.variant);
  out.push_back('{');
  bool first = true;
  std::string full;  // a field of the full line (rare: warnings, missing, candidates of detailed lines)
  for (line_field f : fields_) {
    if (!first) out.push_back(',');
    first = false;
    out.push_back('"');
    out += field_name(f);
    out += "\":";
    switch (f) {
      case line_field::id: out += p.id.empty() ? std::string_view("null") : std::string_view(p.id); break;
      case line_field::status:
        out.push_back('"');
        out += status_name(v.result);
        out.push_back('"');
        break;
      case line_field::variant: out += matched ? std::string_view(variant_id_[vi]) : "null"; break;
      case line_field::title: out += matched ? std::string_view(variant_title_[vi]) : "null"; break;
      case line_field::ratings:
        out += matched ? std::string_view(reference_.ratings_json(group(*v.truth_of), static_cast<std::uint32_t>(vi))) : "[]";
        break;
      case line_field::next: out += matched ? std::string_view(reference_.next_json(static_cast<std::uint32_t>(vi))) : "[]"; break;
      case line_field::advice: {
        std::size_t at = out.size();
        if (matched) append_advice(g.variants[vi].advice, advice_[vi], *v.truth_of, out);
        else if (v.result == status::no_criteria_apply && g.otherwise.present)
          append_advice(g.otherwise.advice, otherwise_advice_, *v.truth_of, out);
        else out += "\"advice\":[],";
        // append_advice writes `"advice":[…],`; keep only the array.
        out.erase(at, 9);
        out.pop_back();
        break;
      }
      case line_field::otherwise:
        if (v.result == status::no_criteria_apply && g.otherwise.present) append_json_string(out, g.otherwise.label);
        else out += "null";
        break;
      case line_field::error: out += "null"; break;
      case line_field::missing:
      case line_field::candidates:
      case line_field::warnings: {
        if (!v.detail) {  // settled: nothing missing, no candidates, warnings from the assumptions
          if (f == line_field::warnings) append_violated(*v.truth_of, out);
          else out += "[]";
          break;
        }
        // The same array as in the full line: cut it out of the reference line.
        full.clear();
        reference_.write(p, *v.detail, full);
        std::string key = fmt::format("\"{}\":[", field_name(f));
        std::size_t b = full.find(key) + key.size() - 1;
        std::size_t e = full.find("],\"", b);
        out.append(full, b, e + 1 - b);
        break;
      }
      case line_field::procedure:
      case line_field::ordered: {
        std::int32_t pr = ordered_for(p);
        if (pr < 0) {
          out += "null";
        } else if (f == line_field::procedure) {
          out += procedure_name_[static_cast<std::size_t>(pr)];
        } else {
          // With the reference evaluation, rating_level (under `select all`: the
          // most favourable level any matched variant gives); else the table.
          std::int32_t level = !matched ? -1
                               : v.detail ? rating_level(g, *v.detail, static_cast<std::uint32_t>(pr))
                                          : level_of_[vi * g.procedures.size() + static_cast<std::size_t>(pr)];
          out += level < 0 ? std::string_view("null") : std::string_view(category_[static_cast<std::size_t>(level)]);
        }
        break;
      }
    }
  }
  out.push_back('}');
}

}  // namespace rubric::runtime
