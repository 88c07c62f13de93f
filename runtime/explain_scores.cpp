// Scores and values in an explanation: each with its value (an interval when
// unknown facts leave it open) and its parts, in the author's words and
// units: "Wells score 4.5: dvt signs +3, heart rate 110 /min > 100 /min +1.5",
// "3 to 4 (hemoptysis unknown: +0 or +1)". See explain.hpp.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "runtime/explain.hpp"

namespace rubric::runtime {

namespace {

std::string number_words(double v) { return fmt::format("{}", v); }

std::string id_words(std::string_view id) {
  std::string out(id.substr(id.rfind('.') == std::string_view::npos ? 0 : id.rfind('.') + 1));
  std::replace(out.begin(), out.end(), '_', ' ');
  return out;
}

bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.'; }

// Replaces whole-word `id` in `text` with `by`.
std::string replace_word(const std::string& text, const std::string& id, const std::string& by) {
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t at = text.find(id, i);
    if (at == std::string::npos) break;
    bool starts = at == 0 || !ident_char(text[at - 1]);
    bool ends = at + id.size() >= text.size() || !ident_char(text[at + id.size()]);
    out += text.substr(i, at - i);
    out += starts && ends ? by : id;
    i = at + id.size();
  }
  return out + text.substr(std::min(i, text.size()));
}

// The facts read under `root` (children precede parents).
std::vector<std::uint32_t> facts_read(const graph& g, std::uint32_t root) {
  std::vector<std::uint8_t> mark(root + 1, 0);
  std::vector<std::uint32_t> slots;
  mark[root] = 1;
  for (std::size_t i = root + 1; i-- > 0;) {
    if (!mark[i]) continue;
    const node& nd = g.nodes[i];
    for (std::uint32_t k = 0; k < nd.count; ++k) mark[g.children[nd.first + k]] = 1;
    // Only the kinds that read a fact have slots the loader checked.
    bool reads_fact = is_leaf_kind(nd.kind) && nd.kind != node_kind::constant && nd.kind != node_kind::num_const;
    if (reads_fact && nd.slot >= 0) slots.push_back(static_cast<std::uint32_t>(nd.slot));
    if (nd.kind == node_kind::compare_facts && nd.slot2 >= 0) slots.push_back(static_cast<std::uint32_t>(nd.slot2));
  }
  std::sort(slots.begin(), slots.end());
  slots.erase(std::unique(slots.begin(), slots.end()), slots.end());
  return slots;
}

// A score line's condition for a reader: a bool fact by its name in words; a
// comparison with each fact's value after its name ("heart rate 110 /min > 100 /min").
std::string condition_words(const graph& g, const patient& p, const score_line& line) {
  std::uint32_t n = line.condition;
  while (g.nodes[n].kind == node_kind::criterion) n = g.children[g.nodes[n].first];
  if (g.nodes[n].kind == node_kind::fact_true) return id_words(g.facts[static_cast<std::size_t>(g.nodes[n].slot)].id);
  std::string out = line.text;
  for (std::uint32_t s : facts_read(g, line.condition)) {
    const fact& f = g.facts[s];
    if (f.type == value_type::boolean) continue;
    out = replace_word(out, f.id, id_words(f.id) + " " + fact_value_text(g, p, s));
  }
  return out;
}

std::string interval_words(interval v, const std::string& unit) {
  std::string u = unit.empty() ? "" : " " + unit;
  if (v.exact()) return number_words(v.lo) + u;
  if (v.lo == -unbounded && v.hi == unbounded) return "unknown";
  if (v.lo == -unbounded) return "at most " + number_words(v.hi) + u;
  if (v.hi == unbounded) return "at least " + number_words(v.lo) + u;
  return number_words(v.lo) + " to " + number_words(v.hi) + u;
}

}  // namespace

std::string fact_value_text(const graph& g, const patient& p, std::uint32_t slot) {
  std::string v = format_value(g, p, slot);
  const fact& f = g.facts[slot];
  if (f.type == value_type::number && !f.unit.empty() && v != "unknown" && v.find(' ') == std::string::npos) v += " " + f.unit;
  return v;
}

std::vector<score_view> explain_scores(const graph& g, const patient& p, const evaluation& e) {
  std::vector<score_view> out;
  if (e.numbers.size() < g.nodes.size()) return out;
  for (std::uint32_t i = 0; i < g.scores.size(); ++i) {
    const score& s = g.scores[i];
    score_view v;
    v.score = i;
    v.value = e.numbers[s.node];
    std::string unit = s.unit == "d" ? "days" : s.unit;
    v.value_text = interval_words(v.value, unit);
    std::vector<std::string> open;
    for (const score_line& line : s.lines) {
      truth t = e.values[line.condition];
      std::string words = condition_words(g, p, line);
      std::string sign = line.points < 0 ? "" : "+";
      if (t == truth::yes) v.parts.push_back(fmt::format("{} {}{}", words, sign, line.points_text));
      if (t == truth::unknown) open.push_back(fmt::format("{} unknown: +0 or {}{}", words, sign, line.points_text));
    }
    if (s.is_value) {
      std::string shown = s.text;
      for (std::uint32_t slot : facts_read(g, s.node))
        if (g.facts[slot].type != value_type::boolean)
          shown = replace_word(shown, g.facts[slot].id, g.facts[slot].id + " (" + fact_value_text(g, p, slot) + ")");
      v.parts.push_back(shown);
    }
    std::string head = (s.label.empty() ? s.id : s.label) + " " + v.value_text;
    if (!open.empty()) {
      head += " (";
      for (std::size_t k = 0; k < open.size(); ++k) head += (k ? "; " : "") + open[k];
      head += ")";
    }
    v.summary = head + ": ";
    if (v.parts.empty()) v.summary += s.is_value ? s.text : "no line holds";
    for (std::size_t k = 0; k < v.parts.size(); ++k) v.summary += (k ? ", " : "") + v.parts[k];
    v.open = std::move(open);
    out.push_back(std::move(v));
  }
  return out;
}

}  // namespace rubric::runtime
