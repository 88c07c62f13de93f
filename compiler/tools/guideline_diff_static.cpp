// `rubric diff`, the part without the solver: metadata, facts, variants,
// procedures, criteria, thresholds that moved, and advice.
#include <fmt/format.h>

#include <algorithm>

#include "compiler/tools/diff_internal.hpp"
#include "runtime/patient.hpp"

namespace rubric::compiler::diff_detail {

namespace {

using runtime::node_kind;

std::string_view type_word(runtime::value_type t) {
  switch (t) {
    case runtime::value_type::boolean: return "bool";
    case runtime::value_type::number: return "number";
    case runtime::value_type::duration: return "duration";
    case runtime::value_type::enumeration: return "enum";
    case runtime::value_type::set: return "set";
    case runtime::value_type::text: return "text";
  }
  return "?";
}

void metadata(const runtime::graph& a, const runtime::graph& b, guideline_diff& out) {
  auto field = [&](const char* name, const std::string& x, const std::string& y) {
    if (x != y) out.metadata.push_back(fmt::format("{}: \"{}\" → \"{}\"", name, x, y));
  };
  field("title", a.title, b.title);
  field("source", a.source, b.source);
  field("citation", a.citation, b.citation);
  field("doi", a.doi, b.doi);
  field("url", a.url, b.url);
  if (a.revised != b.revised)
    out.metadata.push_back(fmt::format("revised: {} → {}", a.revised ? std::to_string(*a.revised) : "none",
                                       b.revised ? std::to_string(*b.revised) : "none"));
}

void facts(const matching& m, guideline_diff& out) {
  const runtime::graph& a = *m.before;
  const runtime::graph& b = *m.after;
  for (std::size_t i = 0; i < a.facts.size(); ++i) {
    auto same_id = [&](const runtime::fact& f) { return f.id == a.facts[i].id; };
    auto it = std::find_if(b.facts.begin(), b.facts.end(), same_id);
    if (it == b.facts.end()) out.facts_removed.push_back(a.facts[i].id);
    else if (m.facts.old_to_new[i] < 0)
      out.facts_changed.push_back(fmt::format("`{}`: {} {} → {} {} (compared as two different facts)", a.facts[i].id,
                                              type_word(a.facts[i].type), a.facts[i].unit, type_word(it->type), it->unit));
    else if (a.facts[i].min != it->min || a.facts[i].max != it->max)
      out.facts_changed.push_back(fmt::format("`{}`: its declared range changed", a.facts[i].id));
  }
  for (const runtime::fact& f : b.facts) {
    auto same_id = [&](const runtime::fact& x) { return x.id == f.id; };
    if (std::none_of(a.facts.begin(), a.facts.end(), same_id)) out.facts_added.push_back(f.id);
  }
}

std::vector<bool> rated(const runtime::graph& g) {
  std::vector<bool> out(g.procedures.size(), false);
  for (const runtime::variant& v : g.variants)
    for (const runtime::rating& r : v.ratings) out[r.procedure] = true;
  return out;
}

void variants_and_procedures(const matching& m, guideline_diff& out) {
  const runtime::graph& a = *m.before;
  const runtime::graph& b = *m.after;
  std::vector<bool> taken(b.variants.size(), false);
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    int j = m.variant_to_new[i];
    if (j < 0) {
      out.variants_removed.push_back(fmt::format("{} \"{}\"", a.variants[i].id, a.variants[i].title));
      continue;
    }
    const runtime::variant& v = b.variants[static_cast<std::size_t>(j)];
    taken[static_cast<std::size_t>(j)] = true;
    out.variants_matched.push_back(fmt::format("{} → {}{}", a.variants[i].id, v.id,
                                               m.variant_how[i] == "title" ? " (matched by title)" : m.variant_how[i] == "given" ? " (--variant)" : ""));
    if (v.title != a.variants[i].title)
      out.variant_titles_changed.push_back(fmt::format("{}: \"{}\" → \"{}\"", v.id, a.variants[i].title, v.title));
  }
  for (std::size_t j = 0; j < b.variants.size(); ++j)
    if (!taken[j]) out.variants_added.push_back(fmt::format("{} \"{}\"", b.variants[j].id, b.variants[j].title));
  std::vector<bool> ra = rated(a), rb = rated(b);
  for (std::size_t i = 0; i < a.procedures.size(); ++i) {
    int j = m.procedure_to_new[i];
    bool now = j >= 0 && rb[static_cast<std::size_t>(j)];
    if (ra[i] && !now) out.procedures_removed.push_back(a.procedures[i].name);
    if (j >= 0 && ra[i] && now && a.procedures[i].name != b.procedures[static_cast<std::size_t>(j)].name)
      out.procedures_renamed.push_back(fmt::format("\"{}\" → \"{}\" ({})", a.procedures[i].name,
                                                   b.procedures[static_cast<std::size_t>(j)].name,
                                                   m.procedure_how[i].empty() ? "same id" : m.procedure_how[i]));
  }
  for (std::size_t j = 0; j < b.procedures.size(); ++j) {
    int i = m.procedure_to_old[j];
    if (rb[j] && (i < 0 || !ra[static_cast<std::size_t>(i)])) out.procedures_added.push_back(b.procedures[j].name);
  }
}

// The fact comparisons under a condition, in order, not entering named
// criteria (each is compared under its own name).
void comparisons(const runtime::graph& g, std::uint32_t n, bool top, std::vector<std::uint32_t>& out, int depth = 0) {
  if (n >= g.nodes.size() || depth > 256) return;
  const runtime::node& x = g.nodes[n];
  if (x.kind == node_kind::criterion && !top) return;
  if (x.kind == node_kind::compare) {
    out.push_back(n);
    return;
  }
  if (runtime::is_leaf_kind(x.kind)) return;
  for (std::uint32_t k = 0; k < x.count; ++k) comparisons(g, g.children[x.first + k], false, out, depth + 1);
}

std::string value_text(const runtime::fact& f, double v) {
  if (f.type == runtime::value_type::duration) return runtime::format_duration(v);
  std::string num = v == static_cast<double>(static_cast<long long>(v)) ? std::to_string(static_cast<long long>(v))
                                                                         : fmt::format("{}", v);
  return f.unit.empty() ? num : num + " " + f.unit;
}

// The patients between an old and a new threshold of `fact op value`.
std::string between(const runtime::fact& f, runtime::compare_op op, double x, double y) {
  double lo = std::min(x, y), hi = std::max(x, y);
  bool closed_low = op == runtime::compare_op::ge || op == runtime::compare_op::lt;
  return fmt::format("{} {} {} {} {}", value_text(f, lo), closed_low ? "<=" : "<", f.id, closed_low ? "<" : "<=",
                     value_text(f, hi));
}

void thresholds_under(const matching& m, std::uint32_t na, std::uint32_t nb, const std::string& where,
                      guideline_diff& out) {
  const runtime::graph& a = *m.before;
  const runtime::graph& b = *m.after;
  std::vector<std::uint32_t> xs, ys;
  comparisons(a, na, true, xs);
  comparisons(b, nb, true, ys);
  if (xs.size() != ys.size()) return;
  for (std::size_t k = 0; k < xs.size(); ++k) {
    const runtime::node& x = a.nodes[xs[k]];
    const runtime::node& y = b.nodes[ys[k]];
    if (x.slot < 0 || y.slot < 0 || m.facts.new_to_old[static_cast<std::size_t>(y.slot)] != x.slot || x.op != y.op) continue;
    if (x.number == y.number) continue;
    const runtime::fact& f = a.facts[static_cast<std::size_t>(x.slot)];
    out.thresholds.push_back({where, ys[k] < b.info.size() ? b.info[ys[k]].text : "", f.id, value_text(f, x.number),
                              value_text(f, y.number), between(f, x.op, x.number, y.number)});
  }
}

void criteria(const matching& m, guideline_diff& out) {
  const runtime::graph& a = *m.before;
  const runtime::graph& b = *m.after;
  for (const runtime::criterion& c : a.criteria) {
    auto it = std::find_if(b.criteria.begin(), b.criteria.end(), [&](const runtime::criterion& d) { return d.id == c.id; });
    if (it == b.criteria.end()) {
      out.criteria_removed.push_back(fmt::format("`{}`: {}", c.id, c.text));
      continue;
    }
    if (it->text != c.text) out.criteria_changed.push_back(fmt::format("`{}`: {} → {}", c.id, c.text, it->text));
    thresholds_under(m, c.node, it->node, "criterion `" + c.id + "`", out);
  }
  for (const runtime::criterion& d : b.criteria)
    if (std::none_of(a.criteria.begin(), a.criteria.end(), [&](const runtime::criterion& c) { return c.id == d.id; }))
      out.criteria_added.push_back(fmt::format("`{}`: {}", d.id, d.text));
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    int j = m.variant_to_new[i];
    std::int32_t ga = a.variants[i].guard;
    if (j < 0 || ga < 0) continue;
    std::int32_t gb = b.variants[static_cast<std::size_t>(j)].guard;
    if (gb >= 0)
      thresholds_under(m, static_cast<std::uint32_t>(ga), static_cast<std::uint32_t>(gb), "variant `" + a.variants[i].id + "`", out);
  }
}

void advice_list(const std::string& where, const std::vector<runtime::advisory>& x,
                 const std::vector<runtime::advisory>& y, guideline_diff& out) {
  auto has = [](const std::vector<runtime::advisory>& v, const std::string& t) {
    return std::any_of(v.begin(), v.end(), [&](const runtime::advisory& a) { return a.text == t; });
  };
  for (const runtime::advisory& a : x)
    if (!has(y, a.text)) out.advice_changed.push_back(fmt::format("{}: − \"{}\"", where, a.text));
  for (const runtime::advisory& a : y)
    if (!has(x, a.text)) out.advice_changed.push_back(fmt::format("{}: + \"{}\"", where, a.text));
}

void advice(const matching& m, guideline_diff& out) {
  const runtime::graph& a = *m.before;
  const runtime::graph& b = *m.after;
  for (std::size_t i = 0; i < a.variants.size(); ++i) {
    int j = m.variant_to_new[i];
    if (j < 0) continue;
    const runtime::variant& v = b.variants[static_cast<std::size_t>(j)];
    advice_list("variant " + v.id, a.variants[i].advice, v.advice, out);
    if (a.variants[i].source != v.source)
      out.advice_changed.push_back(fmt::format("variant {} source: \"{}\" → \"{}\"", v.id, a.variants[i].source, v.source));
  }
  advice_list("otherwise", a.otherwise.advice, b.otherwise.advice, out);
}

}  // namespace

void diff_static(const matching& m, guideline_diff& out) {
  const runtime::graph& a = *m.before;
  const runtime::graph& b = *m.after;
  out.before_name = a.revised ? fmt::format("{} ({})", a.id, *a.revised) : a.id;
  out.after_name = b.revised ? fmt::format("{} ({})", b.id, *b.revised) : b.id;
  metadata(a, b, out);
  facts(m, out);
  variants_and_procedures(m, out);
  criteria(m, out);
  advice(m, out);
}

}  // namespace rubric::compiler::diff_detail
