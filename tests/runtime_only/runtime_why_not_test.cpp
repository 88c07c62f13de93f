// Why-not: minimal change sets, fixed facts untouched, selection order and
// assumptions respected, conditions described from the graph's thresholds.
#include <catch2/catch.hpp>

#include "runtime/evaluate.hpp"
#include "runtime/why_not.hpp"
#include "tests/runtime_only/lbp_fixture.hpp"

using namespace rubric::runtime;
namespace t = rubric::testing;

namespace {

std::vector<std::string> described(const graph& g, const why_not_result& r) {
  std::vector<std::string> out;
  for (const auto& o : r.options) out.push_back(describe_option(g, o));
  return out;
}

}  // namespace

TEST_CASE("why not MRI for the seed patient: red flags, or failed therapy in a candidate (variant 3)") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  why_not_result r = why_not(g, p, "MRI lumbar spine without IV contrast");
  REQUIRE(r.error.empty());
  CHECK(r.current_level == 3);
  CHECK(g.variants[r.current_variant].id == "2");
  CHECK(described(g, r) == std::vector<std::string>{
      "red_flags include any of {saddle_anesthesia, bowel_or_bladder_dysfunction, progressive_motor_weakness} → variant 4, Usually appropriate",
      "red_flags include any of {history_of_cancer, unexplained_weight_loss, fever, immunosuppression, iv_drug_use, nocturnal_pain} → variant 7, Usually appropriate",
      "red_flags include any of {low_velocity_trauma, osteoporosis, chronic_steroid_use} → variant 6, Usually appropriate",
      "conservative_therapy ≥ 6 weeks, improved_with_therapy = false, intervention_candidate = true → variant 3, Usually appropriate",
  });
}

TEST_CASE("fixed facts never change") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  why_not_result r = why_not(g, p, "Radiography lumbar spine");
  for (const auto& o : r.options)
    for (const auto& c : o.changes) {
      CHECK(c.slot != t::age);
      CHECK(c.slot != t::prior_lumbar_surgery);
    }
  // Unfixing age makes "age > 70 years" a one-change way to variant 6.
  g.facts[t::age].fixed = false;
  r = why_not(g, p, "Radiography lumbar spine");
  auto d = described(g, r);
  CHECK(std::find(d.begin(), d.end(), "age > 70 years → variant 6, Usually appropriate") != d.end());
}

TEST_CASE("only minimal sets are reported") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  why_not_result r = why_not(g, p, "MRI lumbar spine without IV contrast", {3, 100});
  for (std::size_t i = 0; i < r.options.size(); ++i)
    for (std::size_t j = 0; j < r.options.size(); ++j) {
      if (i == j) continue;
      // No option's changes are a proper subset of another's.
      const auto& a = r.options[i].changes;
      const auto& b = r.options[j].changes;
      bool subset = a.size() < b.size() && std::all_of(a.begin(), a.end(), [&](const fact_change& c) {
                      return std::any_of(b.begin(), b.end(), [&](const fact_change& d) { return d.condition == c.condition; });
                    });
      CHECK_FALSE(subset);
    }
}

TEST_CASE("a change that lands in an earlier variant counts as that variant") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  // Radiography is usually appropriate in variants 5 and 6 but only "may be" in 7:
  // adding a cancer flag lands in variant 7, which is better than 2, but not UA.
  why_not_result r = why_not(g, p, "Radiography lumbar spine");
  for (const auto& o : r.options)
    if (g.variants[o.variant].id == "7") CHECK(g.scales[0].levels[o.level].id == "may_be_appropriate_disagreement");
}

TEST_CASE("a result that violates an assumption is not proposed") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  p.set_number(t::symptom_duration, 35);  // 5 weeks: therapy ≥ 6 weeks would outlast the episode
  why_not_result r = why_not(g, p, "MRI lumbar spine without IV contrast");
  for (const auto& o : r.options) CHECK(g.variants[o.variant].id != "3");
}

TEST_CASE("why-not errors and trivial cases") {
  graph g = t::lbp_graph();
  patient p = t::seed_patient(g);
  CHECK(why_not(g, p, "MRI of the knee").error == "`MRI of the knee` is not a procedure of this guideline");
  p.set_members(t::red_flags, 1);  // variant 4: MRI already usually appropriate
  why_not_result r = why_not(g, p, "MRI lumbar spine without IV contrast");
  CHECK(r.current_level == 0);
  CHECK(r.options.empty());
  CHECK(render_why_not_text(g, r).find("it is already in the most favourable category") != std::string::npos);
}
