// Runs `example` blocks against a compiled decision graph and checks their
// expectations; gathers coverage (see example_runner.hpp). The patient goes
// through the runtime's own evaluate(), so an example tests exactly what a
// hospital deployment would compute.
#include "compiler/tools/example_runner.hpp"

#include "compiler/verify/generate_patients.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/sema/quantity.hpp"
#include "compiler/verify/generate_patients.hpp"

namespace rubric::compiler {
namespace {

using runtime::graph;

std::string last_component(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

// A fact by id; a qualified id from another module also matches by its last part.
int find_fact(const graph& g, const std::string& name) {
  for (std::size_t i = 0; i < g.facts.size(); ++i)
    if (g.facts[i].id == name) return int(i);
  auto last = last_component(name);
  for (std::size_t i = 0; i < g.facts.size(); ++i)
    if (last_component(g.facts[i].id) == last) return int(i);
  return -1;
}

int find_member(const runtime::enumeration& e, const std::string& name) {
  auto last = last_component(name);
  for (std::size_t i = 0; i < e.members.size(); ++i)
    if (e.members[i].id == last) return int(i);
  return -1;
}

int find_variant(const graph& g, const std::string& id) {
  for (std::size_t i = 0; i < g.variants.size(); ++i)
    if (g.variants[i].id == id) return int(i);
  return -1;
}

std::vector<std::string> label_words(const std::string& label) {
  std::vector<std::string> words;
  std::string word;
  for (char c : label) {
    if (c == '(' || c == ')') continue;
    if (std::isspace(static_cast<unsigned char>(c))) {
      if (!word.empty()) words.push_back(word);
      word.clear();
    } else {
      word += char(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  if (!word.empty()) words.push_back(word);
  return words;
}

// A category as written (`usually not appropriate` or a level id) → level index.
int find_level(const graph& g, const ast::category_ref& c) {
  if (g.rating_scale < 0) return -1;
  const auto& levels = g.scales[std::size_t(g.rating_scale)].levels;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    if (label_words(levels[i].label) == c.words) return int(i);
    if (c.words.size() == 1 && c.words[0] == levels[i].id) return int(i);
  }
  return -1;
}

std::string level_label(const graph& g, int level) {
  if (g.rating_scale < 0 || level < 0) return "?";
  return g.scales[std::size_t(g.rating_scale)].levels[std::size_t(level)].label;
}

std::string type_words(runtime::value_type t) {
  switch (t) {
    case runtime::value_type::boolean: return "true or false";
    case runtime::value_type::number: return "a number";
    case runtime::value_type::duration: return "a duration such as `6 weeks`";
    case runtime::value_type::enumeration: return "one member of its enum";
    case runtime::value_type::set: return "a set such as `{}` or `{a, b}`";
    case runtime::value_type::text: return "a text in quotes";
  }
  return "a value";
}

// Applies one `given` to the patient; on failure describes why.
bool apply_given(const ast::given_decl& gd, const graph& g, runtime::patient& p, std::string& why) {
  int slot = find_fact(g, gd.fact.text);
  if (slot < 0) {
    why = fmt::format("`{}` is not a patient fact of this guideline", gd.fact.text);
    return false;
  }
  const auto& f = g.facts[std::size_t(slot)];
  const auto& v = gd.value;
  auto s = std::uint32_t(slot);
  auto wrong = [&] {
    why = fmt::format("`{}` needs {}", f.id, type_words(f.type));
    return false;
  };
  if (v.kind == ast::expr_kind::unknown) {
    p.set_unknown(s);
    return true;
  }
  switch (f.type) {
    case runtime::value_type::boolean:
      if (v.kind != ast::expr_kind::boolean) return wrong();
      p.set_bool(s, v.bool_value);
      return true;
    case runtime::value_type::number: {
      if (v.kind != ast::expr_kind::number) return wrong();
      auto value = literal_in(v.number_value, fact_unit(f));
      if (!value || (v.number_value.has_unit() && f.unit.empty())) {
        why = fmt::format("`{}` is in `{}`, but the example gives it `{}`", f.id, f.unit.empty() ? "no unit" : f.unit,
                          v.number_value.spelling);
        return false;
      }
      p.set_number(s, *value);
      return true;
    }
    case runtime::value_type::duration:
      if (v.kind != ast::expr_kind::number || v.number_value.unit_of == ast::unit::none) return wrong();
      if (v.number_value.value < 0) {
        why = fmt::format("`{}` cannot be negative", f.id);
        return false;
      }
      p.set_number(s, literal_in(v.number_value, fact_unit(f)).value_or(0));
      return true;
    case runtime::value_type::text:
      if (v.kind != ast::expr_kind::string) return wrong();
      p.set_text(s, v.text_value);
      return true;
    case runtime::value_type::enumeration:
    case runtime::value_type::set: {
      if (f.enumeration < 0 || std::size_t(f.enumeration) >= g.enumerations.size()) return wrong();
      const auto& e = g.enumerations[std::size_t(f.enumeration)];
      if (f.type == runtime::value_type::enumeration) {
        if (v.kind != ast::expr_kind::name) return wrong();
        int m = find_member(e, v.text_value);
        if (m < 0) {
          why = fmt::format("`{}` is not a member of `{}`", v.text_value, last_component(e.id));
          return false;
        }
        p.set_member(s, unsigned(m));
        return true;
      }
      if (v.kind != ast::expr_kind::set) return wrong();
      std::uint64_t mask = 0;
      for (const auto& member : v.operands) {
        int m = find_member(e, member.text_value);
        if (m < 0) {
          why = fmt::format("`{}` is not a member of `{}`", member.text_value, last_component(e.id));
          return false;
        }
        mask |= std::uint64_t(1) << unsigned(m);
      }
      p.set_members(s, mask);
      return true;
    }
  }
  return wrong();
}

// Characters shown: UTF-8 code points (every continuation byte is skipped).
std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (unsigned char ch : s) w += (ch & 0xC0) != 0x80;
  return w;
}

std::string pad_to(std::string_view s, std::size_t width) {
  std::string out(s);
  for (std::size_t w = display_width(s); w < width; ++w) out.push_back(' ');
  return out;
}

std::string join_names(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::vector<std::string> slot_names(const graph& g, const std::vector<std::uint32_t>& slots) {
  std::vector<std::string> out;
  for (auto s : slots) out.push_back(g.facts[s].id);
  return out;
}

std::vector<std::string> variant_ids(const graph& g, const std::vector<std::uint32_t>& variants) {
  std::vector<std::string> out;
  for (auto v : variants) out.push_back(g.variants[v].id);
  return out;
}

std::vector<std::string> written_names(const ast::expect_decl& x) {
  std::vector<std::string> out;
  for (const auto& n : x.names) out.push_back(n.text);
  return out;
}

bool same_set(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// Checks one `expect`; appends a failure when it does not hold. Rating
// expectations that hold are counted for coverage.
void check_expect(const ast::expect_decl& x, const graph& g, const runtime::evaluation& e,
                  std::vector<expectation_failure>& failures, example_coverage& cover) {
  auto fail = [&](std::string expected, std::string actual) {
    failures.push_back({x.where, std::move(expected), std::move(actual)});
  };
  switch (x.kind) {
    case ast::expect_kind::variant: {
      std::string id = x.names.empty() ? "" : x.names[0].text;
      if (find_variant(g, id) < 0) return fail("variant " + id, fmt::format("`{}` is not a variant of this guideline", id));
      bool ok = e.result == runtime::status::matched &&
                std::any_of(e.selected.begin(), e.selected.end(), [&](auto v) { return g.variants[v].id == id; });
      if (!ok) fail("variant " + id, describe_outcome(g, e));
      return;
    }
    case ast::expect_kind::status: {
      std::string want = x.names.empty() ? "" : x.names[0].text;
      if (want != runtime::status_name(e.result))
        fail("status " + want, std::string("status ") + std::string(runtime::status_name(e.result)) + ": " +
                                   describe_outcome(g, e));
      return;
    }
    case ast::expect_kind::rating: {
      int level = find_level(g, x.category);
      std::string expected = fmt::format("\"{}\" {}", x.procedure.text, x.category.spelling);
      int proc = runtime::find_procedure(g, x.procedure.text);
      if (proc < 0) return fail(expected, fmt::format("`{}` is not in the procedure catalog", x.procedure.text));
      if (level < 0)
        return fail(expected, fmt::format("`{}` is not a level of the rating scale", x.category.spelling));
      if (e.result != runtime::status::matched || e.selected.empty())
        return fail(expected, "nothing is rated: " + describe_outcome(g, e));
      // Every matched variant is checked (several under `select all`): the
      // expectation holds when one of them gives the procedure this category.
      std::vector<std::string> seen;
      bool ok = false;
      for (std::uint32_t v : e.selected) {
        const auto& var = g.variants[v];
        bool rated = false;
        for (std::size_t r = 0; r < var.ratings.size(); ++r) {
          if (var.ratings[r].procedure != std::uint32_t(proc)) continue;
          rated = true;
          if (static_cast<int>(var.ratings[r].level) == level) {
            ++cover.rating_asserts[v][r];
            ok = true;
          } else {
            seen.push_back(fmt::format("{} in variant {}", level_label(g, static_cast<int>(var.ratings[r].level)), var.id));
          }
        }
        if (!rated) seen.push_back(fmt::format("variant {} does not rate it", var.id));
      }
      if (!ok) fail(expected, fmt::format("{}", fmt::join(seen, "; ")));
      return;
    }
    case ast::expect_kind::missing: {
      auto want = written_names(x);
      auto got = slot_names(g, e.missing);
      if (!same_set(want, got))
        fail("missing " + join_names(want), got.empty() ? "nothing missing: " + describe_outcome(g, e)
                                                        : "missing " + join_names(got));
      return;
    }
    case ast::expect_kind::candidates: {
      auto want = written_names(x);
      auto got = variant_ids(g, e.candidates);
      if (!same_set(want, got))
        fail("candidates " + join_names(want),
             got.empty() ? "no candidates: " + describe_outcome(g, e) : "candidates " + join_names(got));
      return;
    }
  }
}

}  // namespace

bool patient_from_example(const ast::example_decl& example, const graph& g, runtime::patient& out,
                          std::vector<expectation_failure>& failures) {
  out.reset(g);
  bool ok = true;
  std::set<int> seen;
  for (const auto& gd : example.given) {
    std::string why;
    int slot = find_fact(g, gd.fact.text);
    if (slot >= 0 && !seen.insert(slot).second) {
      failures.push_back({gd.where, "each fact given once", fmt::format("`{}` is given twice", gd.fact.text)});
      ok = false;
      continue;
    }
    if (!apply_given(gd, g, out, why)) {
      failures.push_back({gd.where, "a value the guideline accepts", why});
      ok = false;
    }
  }
  return ok;
}

std::string describe_outcome(const graph& g, const runtime::evaluation& e) {
  switch (e.result) {
    case runtime::status::matched: {
      if (e.selected.empty()) return "matched";
      std::string out;
      for (auto v : e.selected)
        out += fmt::format("{}variant {} \"{}\"", out.empty() ? "" : ", ", g.variants[v].id, g.variants[v].title);
      return out;
    }
    case runtime::status::undetermined:
      return fmt::format("undetermined (candidates {}; missing {})", join_names(variant_ids(g, e.candidates)),
                         join_names(slot_names(g, e.missing)));
    case runtime::status::no_criteria_apply: return "no criteria apply";
  }
  return "?";
}

example_run run_examples(const ast::module& root, const graph& g) {
  example_run run;
  auto& c = run.coverage;
  c.variant_hits.assign(g.variants.size(), 0);
  for (const auto& v : g.variants) c.rating_asserts.emplace_back(v.ratings.size(), 0);
  c.criterion_true.assign(g.criteria.size(), 0);
  c.criterion_false.assign(g.criteria.size(), 0);
  c.criterion_unknown.assign(g.criteria.size(), 0);

  for (const auto& ex : root.examples) {
    example_outcome o;
    o.example = &ex;
    ++c.examples;
    if (!patient_from_example(ex, g, o.patient, o.failures)) {
      run.outcomes.push_back(std::move(o));  // a bad `given` is a failure; nothing is evaluated
      continue;
    }
    runtime::evaluate(g, o.patient, o.evaluation);
    const auto& e = o.evaluation;
    switch (e.result) {
      case runtime::status::matched:
        ++c.matched;
        for (auto v : e.selected) ++c.variant_hits[v];
        break;
      case runtime::status::undetermined: ++c.undetermined; break;
      case runtime::status::no_criteria_apply: ++c.no_criteria_apply; break;
    }
    for (std::size_t i = 0; i < g.criteria.size(); ++i) {
      switch (e.values[g.criteria[i].node]) {
        case runtime::truth::yes: ++c.criterion_true[i]; break;
        case runtime::truth::no: ++c.criterion_false[i]; break;
        case runtime::truth::unknown: ++c.criterion_unknown[i]; break;
      }
    }
    for (const auto& x : ex.expect) check_expect(x, g, e, o.failures, c);
    for (auto a : e.violated) {
      const auto& as = g.assumptions[a];
      o.failures.push_back({ex.where, "a patient that satisfies every `assume`",
                            fmt::format("violates `{}`{}", as.text, as.label.empty() ? "" : " (" + as.label + ")")});
    }
    o.passed = o.failures.empty();
    run.outcomes.push_back(std::move(o));
  }
  std::vector<const std::vector<runtime::truth>*> runs;
  for (const example_outcome& o : run.outcomes)
    if (!o.evaluation.values.empty()) runs.push_back(&o.evaluation.values);
  c.mcdc = measure_mcdc(g, runs);
  return run;
}

bool coverage_complete(const graph& g, const example_coverage& c) {
  for (std::size_t v = 0; v < g.variants.size(); ++v)
    if (c.variant_hits[v] == 0) return false;
  for (std::size_t i = 0; i < g.criteria.size(); ++i)
    if (c.criterion_true[i] == 0 || c.criterion_false[i] == 0) return false;
  return true;
}

std::string render_coverage(const graph& g, const example_coverage& c, const std::string& file) {
  std::size_t ratings = 0, reached = 0, asserted = 0, variants = 0, criteria = 0;
  for (std::size_t v = 0; v < g.variants.size(); ++v) {
    if (c.variant_hits[v] > 0) ++variants;
    for (std::size_t r = 0; r < g.variants[v].ratings.size(); ++r) {
      ++ratings;
      if (c.variant_hits[v] > 0) ++reached;
      if (c.rating_asserts[v][r] > 0) ++asserted;
    }
  }
  for (std::size_t i = 0; i < g.criteria.size(); ++i)
    if (c.criterion_true[i] > 0 && c.criterion_false[i] > 0) ++criteria;

  // Columns as wide as their longest entry, counted in characters shown (not bytes).
  std::size_t vw = 4, cw = 40;
  for (const auto& v : g.variants) vw = std::max(vw, display_width(v.id));
  for (const auto& k : g.criteria) cw = std::max(cw, display_width(k.id));
  std::string out = fmt::format("coverage of {} ({} example{})\n", file, c.examples, c.examples == 1 ? "" : "s");
  out += fmt::format("  variants   {}/{} selected by an example\n", variants, g.variants.size());
  for (auto v : g.order)
    out += fmt::format("    variant {} {:>3} example{}\n", pad_to(g.variants[v].id, vw), c.variant_hits[v],
                       c.variant_hits[v] == 1 ? "" : "s");
  out += fmt::format("  ratings    {}/{} reached ({} checked by an `expect`)\n", reached, ratings, asserted);
  out += fmt::format("  criteria   {}/{} seen both true and false\n", criteria, g.criteria.size());
  for (std::size_t i = 0; i < g.criteria.size(); ++i)
    out += fmt::format("    {} true {:>3}  false {:>3}  unknown {:>3}\n", pad_to(g.criteria[i].id, cw), c.criterion_true[i],
                       c.criterion_false[i], c.criterion_unknown[i]);
  // Conditions the solver proves can never decide their criterion alone are not counted.
  auto impossible = mcdc_infeasible(g);
  auto is_impossible = [&](const mcdc_condition& m) {
    return std::find(impossible.begin(), impossible.end(), std::make_pair(m.criterion, m.node)) != impossible.end();
  };
  std::size_t mcdc_covered = 0, mcdc_counted = 0;
  std::string never;
  for (const mcdc_condition& m : c.mcdc) {
    bool skip = !m.covered && is_impossible(m);
    mcdc_counted += skip ? 0 : 1;
    mcdc_covered += m.covered ? 1 : 0;
    if (skip)
      never += fmt::format("    `{}` of `{}` cannot decide it alone for any patient keeping every `assume` (proved)\n",
                           m.node < g.info.size() ? g.info[m.node].text : "?", g.criteria[m.criterion].id);
  }
  out += fmt::format("  MC/DC      {}/{} conditions of criteria shown to decide their criterion alone\n", mcdc_covered,
                     mcdc_counted);
  out += never;
  out += fmt::format("  outcomes   matched {}, undetermined {}, no criteria apply {}\n", c.matched, c.undetermined,
                     c.no_criteria_apply);

  std::string gaps;
  for (auto v : g.order) {
    if (c.variant_hits[v] > 0) continue;
    gaps += fmt::format("  variant {} \"{}\" is never selected ({} ratings unreached)\n", g.variants[v].id,
                        g.variants[v].title, g.variants[v].ratings.size());
  }
  for (std::size_t i = 0; i < g.criteria.size(); ++i) {
    const auto& k = g.criteria[i];
    if (c.criterion_true[i] == 0) gaps += fmt::format("  criterion `{}` is never true\n", k.id);
    if (c.criterion_false[i] == 0) gaps += fmt::format("  criterion `{}` is never false\n", k.id);
  }
  if (g.otherwise.present && c.no_criteria_apply == 0)
    gaps += fmt::format("  the `otherwise` outcome \"{}\" is never reached\n", g.otherwise.label);
  out += gaps.empty() ? "not reached by any example: nothing\n" : "not reached by any example:\n" + gaps;
  std::string unshown;
  for (const mcdc_condition& m : c.mcdc)
    if (!m.covered && !is_impossible(m))
      unshown += fmt::format("  `{}` of criterion `{}`\n", m.node < g.info.size() ? g.info[m.node].text : "?",
                             g.criteria[m.criterion].id);
  if (!unshown.empty())
    out += "conditions no pair of examples shows deciding their criterion alone (MC/DC; `rubric examples --generate "
           "FILE --strategy mcdc --into FILE` writes them):\n" + unshown;
  return out;
}

}  // namespace rubric::compiler
