// `rubric examples --generate`: see example_generate.hpp.
#include "compiler/tools/example_generate.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "compiler/tools/example_runner.hpp"
#include "compiler/tools/format.hpp"
#include "compiler/verify/generate_patients.hpp"
#include "runtime/json_writer.hpp"

namespace rubric::compiler {

namespace {

using verify_detail::cx_patient;

std::string ids(const runtime::graph& g, const std::vector<std::uint32_t>& variants) {
  std::vector<std::string> out;
  for (std::uint32_t v : variants) out.push_back(g.variants[v].id);
  return fmt::format("{}", fmt::join(out, ", "));
}

// The `expect` lines of a patient, as the runtime evaluates it.
std::string expect_lines(const runtime::graph& g, const runtime::evaluation& e) {
  switch (e.result) {
    case runtime::status::matched: return fmt::format("  expect variant {}\n", ids(g, e.selected));
    case runtime::status::no_criteria_apply: return "  expect status no_criteria_apply\n";
    case runtime::status::undetermined: {
      std::vector<std::string> missing;
      for (std::uint32_t s : e.missing) missing.push_back(g.facts[s].id);
      std::string out = "  expect status undetermined\n";
      if (!missing.empty()) out += fmt::format("  expect missing {}\n", fmt::join(missing, ", "));
      if (!e.candidates.empty()) out += fmt::format("  expect candidates {}\n", ids(g, e.candidates));
      return out;
    }
  }
  return "";
}

bool evaluate(const runtime::graph& g, const cx_patient& p, runtime::evaluation& ev) {
  runtime::patient_decoder decoder(g);
  runtime::patient patient;
  std::string error;
  if (!decoder.decode(verify_detail::patient_json(g, p), patient, error)) return false;
  runtime::evaluate(g, patient, ev);
  return ev.violated.empty();
}

// What the module's own examples already cover.
struct covered {
  example_run run;
  bool has(const runtime::graph& g, const generated_patient& p) const {
    const example_coverage& c = run.coverage;
    if (p.criterion >= 0) {
      for (const mcdc_condition& m : c.mcdc)
        if (m.criterion == static_cast<std::uint32_t>(p.criterion) && m.node == static_cast<std::uint32_t>(p.condition))
          return m.covered;
      return false;
    }
    if (p.variant >= 0) return c.variant_hits[static_cast<std::size_t>(p.variant)] > 0;
    if (p.fact >= 0) {
      auto slot = static_cast<std::uint32_t>(p.fact);
      for (const example_outcome& o : run.outcomes) {
        if (o.evaluation.values.empty()) continue;
        const auto& miss = o.evaluation.missing;
        bool boundary = p.patient[slot].known;
        if (!boundary && std::find(miss.begin(), miss.end(), slot) != miss.end()) return true;
        if (boundary && o.patient.known(slot) && o.patient.slots[slot].number == p.patient[slot].number) return true;
      }
      return false;
    }
    (void)g;
    return c.no_criteria_apply > 0 && p.title == "No variant applies (generated)";
  }
};

generate_result patients_for(const runtime::graph& g, const std::string& strategy) {
  generate_result all;
  auto add = [&](generate_result r) {
    all.patients.insert(all.patients.end(), r.patients.begin(), r.patients.end());
    all.not_found.insert(all.not_found.end(), r.not_found.begin(), r.not_found.end());
  };
  if (strategy == "regions" || strategy == "all") add(region_patients(g));
  if (strategy == "boundary" || strategy == "all") add(boundary_patients(g));
  if (strategy == "mcdc" || strategy == "all") add(mcdc_patients(g));
  return all;
}

}  // namespace

generated_examples generate_examples(const ast::module& root, std::string_view source, const runtime::graph& g,
                                     const std::string& strategy, bool only_uncovered) {
  generated_examples out;
  covered existing{run_examples(root, g)};
  generate_result found = patients_for(g, strategy);
  out.notes = found.not_found;
  std::vector<std::string> givens, titles;
  for (const ast::example_decl& e : root.examples) titles.push_back(e.title.value);
  std::string blocks;
  for (const generated_patient& p : found.patients) {
    std::string given = verify_detail::given_syntax(g, p.patient);
    runtime::evaluation ev;
    bool dup = std::find(givens.begin(), givens.end(), given) != givens.end() ||
               std::find(titles.begin(), titles.end(), p.title) != titles.end();
    if (given.empty() || dup || (only_uncovered && existing.has(g, p)) || !evaluate(g, p.patient, ev)) {
      ++out.skipped;
      continue;
    }
    givens.push_back(given);
    titles.push_back(p.title);
    blocks += fmt::format("\nexample {}\n  given {}\n{}", quote(p.title), given, expect_lines(g, ev));
    ++out.count;
  }
  // Formatted in the module's context: the tail that follows the module's own formatted text.
  source_manager sources;
  diagnostic_sink sink;
  std::string base(source);
  auto plain = format_source(sources, "generated.rubric", base, sink);
  auto with = format_source(sources, "generated.rubric", base + blocks, sink);
  if (plain && with && with->compare(0, plain->size(), *plain) == 0) out.text = with->substr(plain->size());
  else out.text = blocks;
  if (!out.text.empty() && out.text.front() != '\n') out.text = "\n" + out.text;
  return out;
}

}  // namespace rubric::compiler
