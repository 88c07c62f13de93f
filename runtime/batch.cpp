// The reference NDJSON result line (result_formatter). The batch engine is in
// batch_engine.cpp; line_writer.cpp writes these same bytes fast.
#include "runtime/batch.hpp"

#include <fmt/format.h>


#include "runtime/json_writer.hpp"

namespace rubric::runtime {

namespace {

std::string quoted(std::string_view s) {
  std::string out;
  append_json_string(out, s);
  return out;
}

}  // namespace

result_formatter::result_formatter(const graph& g) : g_(&g) {
  for (const fact& f : g.facts) fact_json_.push_back(quoted(f.id));
  for (const advisory& a : g.otherwise.advice) otherwise_json_.push_back(quoted(a.text));
  for (const assumption& as : g.assumptions)
    violated_json_.push_back(
        quoted(fmt::format("data quality: {} (`{}` does not hold)", as.label.empty() ? "assumption violated" : as.label, as.text)));
  for (const variant& v : g.variants)
    conflict_json_.push_back(quoted(fmt::format("variant {} also applies although the guideline selects a unique variant", v.id)));
  for (const variant& v : g.variants) {
    variant_id_json_.push_back(quoted(v.id));
    advice_json_.emplace_back();
    for (const advisory& a : v.advice) advice_json_.back().push_back(quoted(a.text));
    std::string s = "{\"id\":";
    append_json_string(s, v.id);
    s += ",\"title\":";
    append_json_string(s, v.title);
    s += "}";
    variant_json_.push_back(std::move(s));

    // One ratings array per patient group (adult, pediatric, unknown): "rrl" is
    // the level for the patient; when it is unknown whether the patient is a
    // child, null, with "adult_rrl" and "pediatric_rrl" beside it.
    auto rrl_label = [&](std::int32_t i, json_writer& r) {
      if (g.radiation_scale >= 0 && i >= 0) r.value(g.scales[g.radiation_scale].levels[i].label);
      else r.null();
    };
    for (truth group : {truth::no, truth::yes, truth::unknown}) {
      json_writer r;
      r.begin_array();
      for (const rating& ra : v.ratings) {
        const procedure& p = g.procedures[ra.procedure];
        const level& l = g.scales[g.rating_scale].levels[ra.level];
        r.begin_object().key("procedure").value(p.name).key("category").value(l.id).key("label").value(l.label).key("rrl");
        if (group == truth::unknown) {
          r.null().key("adult_rrl");
          rrl_label(p.adult_rrl, r);
          r.key("pediatric_rrl");
          rrl_label(p.pediatric_rrl, r);
        } else {
          rrl_label(group == truth::yes ? p.pediatric_rrl : p.adult_rrl, r);
        }
        r.end_object();
      }
      r.end_array();
      ratings_json_[static_cast<std::size_t>(group)].push_back(r.take());
    }

    json_writer n;
    n.begin_array();
    for (const transition& t : v.next)
      n.begin_object().key("variant").value(g.variants[t.target].id).key("label").value(t.label).key("urgent").value(t.urgent).end_object();
    n.end_array();
    next_json_.push_back(n.take());
  }
}

namespace {

// The advice whose condition holds; `texts` are the same advice, pre-escaped.
void append_advice(const std::vector<advisory>& list, const std::vector<std::string>& texts, const evaluation& e,
                   std::string& out) {
  out += "\"advice\":[";
  bool any = false;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const advisory& a = list[i];
    if (a.when >= 0 && e.values[static_cast<std::size_t>(a.when)] != truth::yes) continue;
    if (any) out.push_back(',');
    out += texts[i];
    any = true;
  }
  out += "],";
}

}  // namespace

void result_formatter::write(const patient& p, const evaluation& e, std::string& out) const {
  const graph& g = *g_;
  const auto group = static_cast<std::size_t>(g.pediatric.node >= 0 ? e.values[static_cast<std::size_t>(g.pediatric.node)] : truth::no);
  out += "{\"id\":";
  out += p.id.empty() ? std::string_view("null") : std::string_view(p.id);
  out += ",\"status\":\"";
  out += status_name(e.result);
  out += "\",";
  if (g.policy == select_policy::all) {
    // Under `select all` every matched variant, each with its own ratings,
    // advice and next steps, replaces "variant", "ratings", "advice", "next".
    out += "\"variants\":[";
    for (std::size_t i = 0; e.result == status::matched && i < e.selected.size(); ++i) {
      std::uint32_t v = e.selected[i];
      out += i ? ",{\"variant\":" : "{\"variant\":";
      out += variant_json_[v];
      out += ",\"ratings\":";
      out += ratings_json_[group][v];
      out.push_back(',');
      append_advice(g.variants[v].advice, advice_json_[v], e, out);
      out += "\"next\":";
      out += next_json_[v];
      out.push_back('}');
    }
    out += "],";
    if (e.result == status::no_criteria_apply && g.otherwise.present) append_advice(g.otherwise.advice, otherwise_json_, e, out);
    else out += "\"advice\":[],";
  } else if (e.result == status::matched) {
    std::uint32_t v = e.selected.front();
    out += "\"variant\":";
    out += variant_json_[v];
    out += ",\"ratings\":";
    out += ratings_json_[group][v];
    out.push_back(',');
    append_advice(g.variants[v].advice, advice_json_[v], e, out);
    out += "\"next\":";
    out += next_json_[v];
    out.push_back(',');
  } else {
    out += "\"variant\":null,\"ratings\":[],";
    if (e.result == status::no_criteria_apply && g.otherwise.present) append_advice(g.otherwise.advice, otherwise_json_, e, out);
    else out += "\"advice\":[],";
    out += "\"next\":[],";
  }
  out += "\"missing\":[";
  for (std::size_t i = 0; i < e.missing.size(); ++i) {
    if (i) out.push_back(',');
    out += fact_json_[e.missing[i]];
  }
  out += "],\"candidates\":[";
  for (std::size_t i = 0; i < e.candidates.size(); ++i) {
    if (i) out.push_back(',');
    out += variant_id_json_[e.candidates[i]];
  }
  out += "],\"otherwise\":";
  if (e.result == status::no_criteria_apply && g.otherwise.present) append_json_string(out, g.otherwise.label);
  else out += "null";
  out += ",\"warnings\":[";
  bool any = false;
  for (const auto& w : p.warnings) {
    if (any) out.push_back(',');
    append_json_string(out, w);
    any = true;
  }
  for (auto a : e.violated) {
    if (any) out.push_back(',');
    out += violated_json_[a];
    any = true;
  }
  for (auto c : e.conflicts) {
    if (any) out.push_back(',');
    out += conflict_json_[c];
    any = true;
  }
  out += "],\"error\":null}";
}

void result_formatter::write_error(std::string_view id, std::string_view message, std::string& out) const {
  out += "{\"id\":";
  out += id.empty() ? std::string_view("null") : id;
  out += g_->policy == select_policy::all ? std::string_view(",\"status\":\"error\",\"variants\":[],\"advice\":[],")
                                          : std::string_view(",\"status\":\"error\",\"variant\":null,\"ratings\":[],\"advice\":[],\"next\":[],");
  out += "\"missing\":[],\"candidates\":[],\"otherwise\":null,\"warnings\":[],\"error\":";
  append_json_string(out, message);
  out.push_back('}');
}

}  // namespace rubric::runtime
