// The explanation as JSON (docs/explanations.md documents the fields): the same
// model as the text renderer, with ids and labels side by side.
#include "runtime/explain.hpp"
#include "runtime/json_writer.hpp"

#include <utility>

namespace rubric::runtime {

namespace {

void write_lines(json_writer& w, const graph& g, const std::vector<criterion_line>& lines) {
  w.begin_array();
  for (const auto& l : lines) {
    w.begin_object();
    w.key("criterion");
    if (l.criterion >= 0) w.value(g.criteria[l.criterion].id); else w.null();
    w.key("label").value(l.label).key("text").value(l.text).key("value").value(truth_name(l.value));
    w.key("negated").value(l.negated).key("depth").value(l.depth);
    w.key("facts").begin_array();
    for (const auto& f : l.facts) w.begin_object().key("fact").value(g.facts[f.slot].id).key("value").value(f.value).end_object();
    w.end_array();
    const location& at = l.criterion >= 0 ? g.criteria[l.criterion].where : g.info[l.node].where;
    w.key("at").value(location_text(g, at));
    w.end_object();
  }
  w.end_array();
}

void write_rating(json_writer& w, const graph& g, const rating_line& r) {
  w.begin_object().key("procedure").value(g.procedures[r.procedure].name);
  const level* cat = g.rating_scale >= 0 && r.level >= 0 ? &g.scales[g.rating_scale].levels[r.level] : nullptr;
  w.key("category");
  if (cat) w.value(cat->id); else w.null();
  w.key("label");
  if (cat) w.value(cat->label); else w.null();
  // "rrl"/"dose": what applies to this patient (null when it is unknown
  // whether the patient is a child); then the adult and pediatric ones.
  auto level_of = [&](std::int32_t i) { return g.radiation_scale >= 0 && i >= 0 ? &g.scales[g.radiation_scale].levels[i] : nullptr; };
  const level* adult = level_of(r.rrl);
  const level* child = level_of(r.pediatric_rrl);
  const level* applies = r.child == truth::no ? adult : r.child == truth::yes ? child : nullptr;
  auto text = [&](const level* l, const std::string& s) { if (l) w.value(s); else w.null(); };
  w.key("rrl");
  text(applies, applies ? applies->label : "");
  w.key("dose");
  text(applies, applies ? (r.child == truth::yes ? applies->pediatric_dose : applies->adult_dose) : "");
  w.key("patient_group").value(r.child == truth::no ? "adult" : r.child == truth::yes ? "pediatric" : "unknown");
  w.key("adult_rrl");
  text(adult, adult ? adult->label : "");
  w.key("adult_dose");
  text(adult, adult ? adult->adult_dose : "");
  w.key("pediatric_rrl");
  text(child, child ? child->label : "");
  w.key("pediatric_dose");
  text(child, child ? child->pediatric_dose : "");
  w.key("score");
  if (r.score) w.value(*r.score); else w.null();
  if (!r.caveat.empty()) w.key("caveat").value(r.caveat);
  w.end_object();
}

void write_variant_ref(json_writer& w, const graph& g, std::int32_t v) {
  if (v < 0) { w.null(); return; }
  w.begin_object().key("id").value(g.variants[v].id).key("title").value(g.variants[v].title);
  w.key("at").value(location_text(g, g.variants[v].where)).end_object();
}

void write_next(json_writer& w, const graph& g, std::uint32_t from, const std::vector<next_line>& next) {
  w.begin_array();
  for (const auto& n : next) {
    const transition& t = g.variants[from].next[n.transition];
    w.begin_object().key("variant").value(g.variants[n.target].id).key("title").value(g.variants[n.target].title);
    w.key("label").value(t.label).key("urgent").value(t.urgent).key("condition").value(truth_name(n.condition));
    w.key("better").begin_array();
    for (const auto& r : n.better) write_rating(w, g, r);
    w.end_array().end_object();
  }
  w.end_array();
}

void write_strings(json_writer& w, const std::vector<std::string>& list) {
  w.begin_array();
  for (const auto& s : list) w.value(s);
  w.end_array();
}

// Under `select all`: every matched variant with its own path, ratings, advice and next steps.
void write_matched(json_writer& w, const graph& g, const std::vector<variant_outcome>& matched) {
  w.begin_array();
  for (const variant_outcome& o : matched) {
    w.begin_object().key("variant");
    write_variant_ref(w, g, static_cast<std::int32_t>(o.variant));
    w.key("path");
    write_lines(w, g, o.path);
    w.key("ratings").begin_array();
    for (const auto& r : o.ratings) write_rating(w, g, r);
    w.end_array();
    w.key("advice");
    write_strings(w, o.advice);
    w.key("conditional_advice");
    write_strings(w, o.conditional_advice);
    w.key("next");
    write_next(w, g, o.variant, o.next);
    w.end_object();
  }
  w.end_array();
}

// Missing set facts that are partly known name their undecided members:
// "missing_members": {"red_flags": ["nocturnal_pain"]}. Only when there is one.
void write_missing_members(json_writer& w, const graph& g, const patient& p, const std::vector<std::uint32_t>& missing) {
  bool any = false;
  for (auto s : missing) {
    if (g.facts[s].type != value_type::set || !partly_known(p.slots[s])) continue;
    if (!std::exchange(any, true)) w.key("missing_members").begin_object();
    w.key(g.facts[s].id).begin_array();
    const std::uint64_t open = member_universe(g, s) & ~p.slots[s].decided;
    const auto& members = g.enumerations[static_cast<std::size_t>(g.facts[s].enumeration)].members;
    for (std::size_t m = 0; m < members.size() && m < 64; ++m)
      if (open >> m & 1) w.value(members[m].id);
    w.end_array();
  }
  if (any) w.end_object();
}

}  // namespace

std::string render_explanation_json(const graph& g, const patient& p, const explanation& x, bool pretty) {
  json_writer w(pretty);
  w.begin_object();
  w.key("guideline").begin_object().key("id").value(g.id).key("title").value(g.title).key("source").value(g.source);
  w.key("citation").value(g.citation).key("doi").value(g.doi).end_object();
  w.key("patient").begin_object().key("id");
  if (p.id.empty()) w.null(); else w.raw(p.id);
  w.key("facts").begin_object();
  for (const auto& f : x.facts) {
    w.key(g.facts[f.slot].id);
    if (f.value == "unknown") w.null(); else w.value(f.value);
  }
  w.end_object().end_object();
  w.key("status").value(status_name(x.result));
  w.key("variant");
  write_variant_ref(w, g, x.variant);
  w.key("also").begin_array();
  for (auto v : x.also) write_variant_ref(w, g, static_cast<std::int32_t>(v));
  w.end_array();
  w.key("path");
  write_lines(w, g, x.path);
  w.key("not_selected").begin_array();
  for (const auto& o : x.others) {
    w.begin_object().key("variant").value(g.variants[o.variant].id).key("title").value(g.variants[o.variant].title);
    w.key("guard").value(truth_name(o.guard)).key("reasons");
    write_lines(w, g, o.reasons);
    w.end_object();
  }
  w.end_array();
  w.key("candidates").begin_array();
  for (auto v : x.candidates) w.value(g.variants[v].id);
  w.end_array();
  w.key("missing").begin_array();
  for (auto s : x.missing) w.value(g.facts[s].id);
  w.end_array();
  write_missing_members(w, g, p, x.missing);
  if (!x.scores.empty()) {
    w.key("scores").begin_array();
    for (const score_view& s : x.scores) {
      const score& sc = g.scores[s.score];
      w.begin_object().key("id").value(sc.id).key("label").value(sc.label).key("unit").value(sc.unit);
      // An open end (an unknown fact with no bound) is null.
      w.key("low");
      if (s.value.lo == -unbounded) w.null(); else w.value(s.value.lo);
      w.key("high");
      if (s.value.hi == unbounded) w.null(); else w.value(s.value.hi);
      w.key("known").value(s.value.exact()).key("value").value(s.value_text);
      w.key("parts").begin_array();
      for (const auto& part : s.parts) w.value(part);
      w.end_array().key("open").begin_array();
      for (const auto& part : s.open) w.value(part);
      w.end_array().key("text").value(s.summary).end_object();
    }
    w.end_array();
  }
  w.key("ratings").begin_array();
  for (const auto& r : x.ratings) write_rating(w, g, r);
  w.end_array();
  w.key("advice");
  write_strings(w, x.advice);
  w.key("conditional_advice");
  write_strings(w, x.conditional_advice);
  w.key("otherwise");
  if (x.result == status::no_criteria_apply && g.otherwise.present)
    w.begin_object().key("label").value(g.otherwise.label).key("at").value(location_text(g, g.otherwise.where)).end_object();
  else
    w.null();
  w.key("next");
  if (x.variant >= 0) write_next(w, g, static_cast<std::uint32_t>(x.variant), x.next);
  else w.begin_array().end_array();
  if (g.policy == select_policy::all) {
    w.key("matched");
    write_matched(w, g, x.matched);
  }
  w.key("warnings").begin_array();
  for (const auto& s : x.warnings) w.value(s);
  w.end_array();
  w.end_object();
  std::string out = w.take();
  if (pretty) out.push_back('\n');
  return out;
}

}  // namespace rubric::runtime
