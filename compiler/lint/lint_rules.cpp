// Style lints over the AST of the linted module: unused facts, lets,
// criteria, scores and values; variants without a source; duplicate titles; a rating table that
// rates a different procedure set than its siblings; criteria without a label.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "compiler/lint/lint.hpp"

namespace rubric::compiler {

namespace {

std::string last_part(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

// Every name an expression refers to (iteratively: parsed nesting may be deep).
void collect_names(const ast::expr& root, std::set<std::string>& out) {
  std::vector<const ast::expr*> pending{&root};
  while (!pending.empty()) {
    const ast::expr* e = pending.back();
    pending.pop_back();
    if (e->kind == ast::expr_kind::name) {
      out.insert(e->text_value);
      out.insert(last_part(e->text_value));
    }
    for (const ast::expr& o : e->operands) pending.push_back(&o);
  }
}

// Names used by the guideline's logic. Each declaration's own body is kept
// apart so a criterion that only mentions itself still counts as unused.
struct uses {
  std::set<std::string> logic;                           // guards, advice, transitions, assumptions
  std::vector<std::set<std::string>> in_criteria, in_lets;  // per declaration
  std::vector<std::set<std::string>> in_scores, in_values;  // per declaration (v1)
  bool used_outside(const std::string& id, std::size_t self_criterion, std::size_t self_let,
                    std::size_t self_score = static_cast<std::size_t>(-1),
                    std::size_t self_value = static_cast<std::size_t>(-1)) const {
    if (logic.count(id)) return true;
    auto in = [&](const std::vector<std::set<std::string>>& bodies, std::size_t self) {
      for (std::size_t i = 0; i < bodies.size(); ++i)
        if (i != self && bodies[i].count(id)) return true;
      return false;
    };
    return in(in_criteria, self_criterion) || in(in_lets, self_let) || in(in_scores, self_score) || in(in_values, self_value);
  }
};

uses gather(const ast::module& m) {
  uses u;
  for (const ast::criterion_decl& c : m.criteria) collect_names(c.body, u.in_criteria.emplace_back());
  for (const ast::let_decl& l : m.lets) collect_names(l.value, u.in_lets.emplace_back());
  for (const ast::score_decl& sc : m.scores) {
    auto& names = u.in_scores.emplace_back();
    for (const auto& line : sc.lines) collect_names(line.condition, names);
  }
  for (const ast::value_decl& v : m.values) collect_names(v.body, u.in_values.emplace_back());
  for (const ast::variant_decl& v : m.variants) {
    if (v.guard) collect_names(*v.guard, u.logic);
    for (const ast::advice_decl& a : v.advice)
      if (a.when) collect_names(*a.when, u.logic);
    for (const ast::transition_decl& t : v.next) collect_names(t.when, u.logic);
  }
  for (const ast::otherwise_decl& o : m.otherwise)
    for (const ast::advice_decl& a : o.advice)
      if (a.when) collect_names(*a.when, u.logic);
  for (const ast::assume_decl& a : m.assumes) collect_names(a.condition, u.logic);
  if (m.head.pediatric) collect_names(*m.head.pediatric, u.logic);
  return u;
}

constexpr std::size_t none = static_cast<std::size_t>(-1);

void unused(const ast::module& m, diagnostic_sink& sink) {
  uses u = gather(m);
  for (const ast::patient_decl& p : m.patients) {
    for (const ast::fact_decl& f : p.facts) {
      if (u.used_outside(f.id.text, none, none)) continue;
      sink.report(diag_code::unused_fact, f.id.where, fmt::format("the fact `{}` is never used", f.id.text))
          .note("no criterion, guard, advice, transition or assumption mentions it")
          .suggest("remove it, or use it in the criterion it was meant for");
    }
  }
  for (std::size_t i = 0; i < m.lets.size(); ++i) {
    const ast::let_decl& l = m.lets[i];
    if (u.used_outside(l.id.text, none, i)) continue;
    sink.report(diag_code::unused_let, l.id.where, fmt::format("the constant `{}` is never used", l.id.text))
        .suggest("remove it, or use it in place of the number it names");
  }
  for (std::size_t i = 0; i < m.criteria.size(); ++i) {
    const ast::criterion_decl& c = m.criteria[i];
    if (u.used_outside(c.id.text, i, none)) continue;
    sink.report(diag_code::unused_criterion, c.id.where, fmt::format("the criterion `{}` is never used", c.id.text))
        .note("no guard, criterion, advice, transition or assumption mentions it")
        .suggest("remove it, or use it in the guard it was written for");
  }
  for (std::size_t i = 0; i < m.scores.size(); ++i) {
    const ast::score_decl& sc = m.scores[i];
    if (u.used_outside(sc.id.text, none, none, i)) continue;
    sink.report(diag_code::unused_score, sc.id.where, fmt::format("the score `{}` is never used", sc.id.text))
        .note("no criterion, value, guard, advice, transition or assumption mentions it")
        .suggest(fmt::format("compare it in a criterion, as in `{} > 4`, or remove it", sc.id.text));
  }
  for (std::size_t i = 0; i < m.values.size(); ++i) {
    const ast::value_decl& v = m.values[i];
    if (u.used_outside(v.id.text, none, none, none, i)) continue;
    sink.report(diag_code::unused_score, v.id.where, fmt::format("the value `{}` is never used", v.id.text))
        .note("no criterion, score, value, guard, advice, transition or assumption mentions it")
        .suggest("compare it in a criterion, or remove it");
  }
}

void sources_and_labels(const ast::module& m, diagnostic_sink& sink) {
  for (const ast::variant_decl& v : m.variants) {
    if (v.source) continue;
    sink.report(diag_code::variant_without_source, v.id.where,
                fmt::format("variant `{}` has no `source` line", v.id.text))
        .suggest("add `source \"…\"` naming the publication and variant it encodes");
  }
  for (const ast::criterion_decl& c : m.criteria) {
    if (c.label && !c.label->value.empty()) continue;
    sink.report(diag_code::criterion_without_label, c.id.where,
                fmt::format("the criterion `{}` has no label", c.id.text))
        .note("explanations show the label to clinicians in place of the expression")
        .suggest(fmt::format("write a label after the name: `criterion {} \"…\":`", c.id.text));
  }
}

std::string normalised(const std::string& s) {
  std::string out;
  bool space = false;
  for (char ch : s) {
    if (std::isspace(static_cast<unsigned char>(ch))) { space = !out.empty(); continue; }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(ch))));
  }
  return out;
}

void duplicate_titles(const ast::module& m, diagnostic_sink& sink) {
  auto check = [&](std::string_view what, const std::vector<std::pair<const ast::text*, std::string>>& items) {
    std::map<std::string, const ast::text*> seen;
    for (const auto& [title, name] : items) {
      if (title == nullptr || title->value.empty()) continue;
      auto [it, fresh] = seen.emplace(normalised(title->value), title);
      if (fresh) continue;
      sink.report(diag_code::duplicate_title, title->where,
                  fmt::format("{} {} has the same title as an earlier one: \"{}\"", what, name, title->value))
          .also(it->second->where, "the first use of this title")
          .suggest("give each a title that tells them apart");
    }
  };
  std::vector<std::pair<const ast::text*, std::string>> variants, criteria, examples;
  for (const ast::variant_decl& v : m.variants) variants.push_back({&v.title, "`" + v.id.text + "`"});
  for (const ast::criterion_decl& c : m.criteria)
    criteria.push_back({c.label ? &*c.label : nullptr, "`" + c.id.text + "`"});
  for (const ast::example_decl& e : m.examples) examples.push_back({&e.title, ""});
  check("variant", variants);
  check("criterion", criteria);
  check("example", examples);
}

// The procedures each variant rates, by graph index when there is a graph
// (names and ids resolved), else by the procedure as written.
void rating_sets(const ast::module& m, const runtime::graph* g, diagnostic_sink& sink) {
  if (m.variants.size() < 2) return;
  std::vector<std::set<std::string>> sets;
  for (std::size_t v = 0; v < m.variants.size(); ++v) {
    std::set<std::string> s;
    const runtime::variant* gv = nullptr;
    if (g != nullptr)
      for (const runtime::variant& x : g->variants)
        if (x.id == m.variants[v].id.text) gv = &x;
    if (gv != nullptr && g != nullptr) {
      for (const runtime::rating& r : gv->ratings)
        if (r.procedure < g->procedures.size()) s.insert(g->procedures[r.procedure].name);
    } else {
      for (const ast::rating_decl& r : m.variants[v].ratings) s.insert(r.procedure.text);
    }
    sets.push_back(std::move(s));
  }
  // The siblings' set: the one most variants rate (the first written on a tie).
  std::map<std::set<std::string>, std::size_t> counts;
  for (const auto& s : sets) ++counts[s];
  const std::set<std::string>* common = &sets.front();
  for (const auto& s : sets)
    if (counts[s] > counts[*common]) common = &s;
  if (counts[*common] < 2) return;  // no two variants agree: nothing to compare with
  for (std::size_t v = 0; v < sets.size(); ++v) {
    if (sets[v] == *common) continue;
    std::vector<std::string> missing, extra;
    for (const std::string& p : *common)
      if (!sets[v].count(p)) missing.push_back("\"" + p + "\"");
    for (const std::string& p : sets[v])
      if (!common->count(p)) extra.push_back("\"" + p + "\"");
    diagnostic& d = sink.report(diag_code::rating_set_differs, m.variants[v].id.where,
                                fmt::format("variant `{}` rates a different set of procedures than its siblings",
                                            m.variants[v].id.text));
    if (!missing.empty()) d.note(fmt::format("it does not rate {}", fmt::join(missing, ", ")));
    if (!extra.empty()) d.note(fmt::format("it also rates {}", fmt::join(extra, ", ")));
    d.note(fmt::format("{} of {} variants rate the same {} procedures", counts[*common], sets.size(), common->size()));
    d.suggest("rate every procedure of the table in every variant, as the published table does");
  }
}

}  // namespace

void style_lints(const std::vector<ast::module>& modules, const runtime::graph* graph, const source_manager& /*sources*/,
                 diagnostic_sink& sink) {
  if (modules.empty()) return;
  const ast::module& m = modules.front();
  // A library's declarations are exports for other modules: "unused" means nothing there.
  if (m.head.kind == ast::module_kind::guideline) unused(m, sink);
  sources_and_labels(m, sink);
  duplicate_titles(m, sink);
  rating_sets(m, graph, sink);
  fhir_lints(m, graph, sink);
}

}  // namespace rubric::compiler
