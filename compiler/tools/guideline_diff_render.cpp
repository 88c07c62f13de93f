// `rubric diff` reports: plain text for the terminal, Markdown for review,
// JSON for tools. All three print the same guideline_diff value.
#include <fmt/format.h>

#include <map>

#include "compiler/tools/guideline_diff.hpp"
#include "runtime/json_writer.hpp"

namespace rubric::compiler {

namespace {

std::string region_title(const diff_change& c) {
  if (c.variant_changed) return fmt::format("{} → {}", c.before, c.after);
  if (c.before == c.after) return fmt::format("{} in both versions, ratings change", c.before);
  return fmt::format("{} → {} (the same variant, renumbered), ratings change", c.before, c.after);
}

std::string rating_line(const rating_change& r) {
  auto word = [](const std::string& s) { return s.empty() ? std::string("not rated") : s; };
  return fmt::format("\"{}\": {} → {} ({})", r.procedure, word(r.before), word(r.after), move_name(r.move));
}

// Procedure → the regions (numbered from 1) where its category moves.
std::map<std::string, std::vector<std::pair<std::size_t, const rating_change*>>> by_procedure(const guideline_diff& d) {
  std::map<std::string, std::vector<std::pair<std::size_t, const rating_change*>>> out;
  for (std::size_t i = 0; i < d.changes.size(); ++i)
    if (d.changes[i].confirmed)
      for (const rating_change& r : d.changes[i].ratings) out[r.procedure].emplace_back(i + 1, &r);
  return out;
}

struct section_writer {
  std::string& out;
  bool md;
  void heading(const std::string& title) { out += md ? fmt::format("\n## {}\n\n", title) : fmt::format("\n{}:\n", title); }
  void item(const std::string& text) { out += md ? fmt::format("- {}\n", text) : fmt::format("  {}\n", text); }
  void list(const std::string& title, const std::vector<std::string>& items) {
    if (items.empty()) return;
    heading(title);
    for (const std::string& s : items) item(s);
  }
};

std::string code(bool md, const std::string& s) { return md ? "`" + s + "`" : s; }

void write_regions(const guideline_diff& d, section_writer& w) {
  if (!d.unsupported.empty()) {
    w.heading("Patients whose answer changes");
    w.item("not searched: " + d.unsupported);
    return;
  }
  w.heading("Patients whose answer changes");
  if (d.changes.empty()) w.item("none: every patient gets the same variant and the same ratings");
  for (std::size_t i = 0; i < d.changes.size(); ++i) {
    const diff_change& c = d.changes[i];
    std::string head = fmt::format("{}. {}{}", i + 1, region_title(c), c.confirmed ? "" : " (not confirmed by replay)");
    w.out += w.md ? fmt::format("{}\n", head) : fmt::format("  {}\n", head);
    std::string ind = w.md ? "   - " : "     ";
    std::string when = c.condition.empty() ? std::string("any patient") : fmt::format("{}", fmt::join(c.condition, " and "));
    w.out += fmt::format("{}when: {}\n", ind, code(w.md, when));
    if (c.some_unknown) w.out += fmt::format("{}(among patients with some facts unknown)\n", ind);
    w.out += fmt::format("{}for example: given {}\n", ind,
                         code(w.md, c.given.empty() ? std::string("(no facts known)") : c.given));
    if (!c.confirmed) w.out += fmt::format("{}replay: {}\n", ind, c.replay_note);
    for (const rating_change& r : c.ratings) w.out += fmt::format("{}{}\n", ind, rating_line(r));
  }
  auto procs = by_procedure(d);
  if (procs.empty()) return;
  w.heading("Ratings that change, by procedure");
  for (const auto& [name, hits] : procs) {
    std::vector<std::string> parts;
    for (const auto& [n, r] : hits)
      parts.push_back(fmt::format("{} → {} ({}, region {})", r->before.empty() ? "not rated" : r->before,
                                  r->after.empty() ? "not rated" : r->after, move_name(r->move), n));
    w.item(fmt::format("\"{}\": {}", name, fmt::join(parts, "; ")));
  }
}

void write_static(const guideline_diff& d, section_writer& w) {
  w.list("Guideline", d.metadata);
  w.list("Facts added", d.facts_added);
  w.list("Facts removed", d.facts_removed);
  w.list("Facts changed", d.facts_changed);
  w.list("Variants added", d.variants_added);
  w.list("Variants removed", d.variants_removed);
  w.list("Variant titles changed", d.variant_titles_changed);
  w.list("Procedures renamed", d.procedures_renamed);
  w.list("Procedures rated only in the new version", d.procedures_added);
  w.list("Procedures rated only in the old version", d.procedures_removed);
  std::vector<std::string> moved;
  for (const threshold_move& t : d.thresholds)
    moved.push_back(fmt::format("{}: {}: {} → {} (the patients with {})", t.where, code(w.md, t.text), t.before, t.after,
                                code(w.md, t.between)));
  w.list("Thresholds moved", moved);
  w.list("Criteria added", d.criteria_added);
  w.list("Criteria removed", d.criteria_removed);
  w.list("Criteria changed", d.criteria_changed);
  w.list("Advice and sources changed", d.advice_changed);
  w.list("Incomplete", d.incomplete);
}

std::string render(const guideline_diff& d, bool md) {
  std::string out = md ? fmt::format("# Changes from {} to {}\n", d.before_name, d.after_name)
                       : fmt::format("rubric diff: {} → {}\n", d.before_name, d.after_name);
  std::size_t variant_regions = 0, confirmed = 0;
  for (const diff_change& c : d.changes) {
    variant_regions += c.variant_changed ? 1 : 0;
    confirmed += c.confirmed ? 1 : 0;
  }
  out += fmt::format("{}{} region{} of patients change ({} of them change variant); {} confirmed by replaying a patient "
                     "through both versions\n",
                     md ? "\n" : "", d.changes.size(), d.changes.size() == 1 ? "" : "s", variant_regions, confirmed);
  section_writer w{out, md};
  write_regions(d, w);
  write_static(d, w);
  return out;
}

void json_list(runtime::json_writer& w, const char* key, const std::vector<std::string>& items) {
  w.key(key).begin_array();
  for (const std::string& s : items) w.value(s);
  w.end_array();
}

}  // namespace

std::string render_diff_text(const guideline_diff& d) { return render(d, false); }
std::string render_diff_markdown(const guideline_diff& d) { return render(d, true); }

std::string render_diff_json(const guideline_diff& d) {
  runtime::json_writer w(true);
  w.begin_object();
  w.key("before").value(d.before_name).key("after").value(d.after_name);
  if (!d.unsupported.empty()) w.key("unsupported").value(d.unsupported);
  w.key("changes").begin_array();
  for (const diff_change& c : d.changes) {
    w.begin_object();
    w.key("before").value(c.before).key("after").value(c.after).key("variant_changed").value(c.variant_changed);
    json_list(w, "condition", c.condition);
    w.key("some_unknown").value(c.some_unknown).key("given").value(c.given).key("patient").raw(c.patient_json);
    w.key("confirmed").value(c.confirmed);
    if (!c.confirmed) w.key("replay").value(c.replay_note);
    w.key("ratings").begin_array();
    for (const rating_change& r : c.ratings) {
      w.begin_object().key("procedure").value(r.procedure).key("move").value(std::string(move_name(r.move)));
      w.key("before").value(r.before).key("after").value(r.after).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("thresholds").begin_array();
  for (const threshold_move& t : d.thresholds) {
    w.begin_object().key("where").value(t.where).key("condition").value(t.text).key("fact").value(t.fact);
    w.key("before").value(t.before).key("after").value(t.after).key("between").value(t.between).end_object();
  }
  w.end_array();
  json_list(w, "metadata", d.metadata);
  json_list(w, "facts_added", d.facts_added);
  json_list(w, "facts_removed", d.facts_removed);
  json_list(w, "facts_changed", d.facts_changed);
  json_list(w, "variants_matched", d.variants_matched);
  json_list(w, "variants_added", d.variants_added);
  json_list(w, "variants_removed", d.variants_removed);
  json_list(w, "variant_titles_changed", d.variant_titles_changed);
  json_list(w, "procedures_renamed", d.procedures_renamed);
  json_list(w, "procedures_added", d.procedures_added);
  json_list(w, "procedures_removed", d.procedures_removed);
  json_list(w, "criteria_added", d.criteria_added);
  json_list(w, "criteria_removed", d.criteria_removed);
  json_list(w, "criteria_changed", d.criteria_changed);
  json_list(w, "advice_changed", d.advice_changed);
  json_list(w, "incomplete", d.incomplete);
  w.end_object();
  return w.take() + "\n";
}

}  // namespace rubric::compiler
