// A hand-built decision graph with the shape of the ACR Low Back Pain guideline
// (7 variants, 11 procedures, selection first in order 4, 7, 6, 5, 3, 2, 1), so
// runtime tests and benchmarks run without the compiler. The real guideline is
// guidelines/acr/low_back_pain.rubric; tests/unit/runtime_*.cpp compile it.
#pragma once

#include <initializer_list>
#include <string>

#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::testing {

using namespace rubric::runtime;

// Slots of the fixture's facts.
enum lbp_slot : std::uint32_t {
  age, symptom_duration, radiculopathy, red_flags, conservative_therapy, improved_with_therapy,
  intervention_candidate, prior_lumbar_surgery, new_or_progressing_symptoms
};

struct graph_builder {
  graph g;
  // Every location points at file 0, so the graph lists one (the loader checks).
  graph_builder() { g.files = {"fixture/test.rubric"}; }
  std::uint32_t add(node n, std::string text, std::initializer_list<std::uint32_t> kids = {}) {
    n.first = static_cast<std::uint32_t>(g.children.size());
    n.count = static_cast<std::uint32_t>(kids.size());
    for (auto k : kids) g.children.push_back(k);
    g.nodes.push_back(n);
    g.info.push_back({std::move(text), {0, 1, 1, 1, 1}});
    return static_cast<std::uint32_t>(g.nodes.size() - 1);
  }
  std::uint32_t leaf(node_kind k, std::int32_t slot, std::string text, compare_op op = compare_op::eq, double number = 0,
                     std::uint64_t mask = 0) {
    node n;
    n.kind = k;
    n.slot = slot;
    n.op = op;
    n.number = number;
    n.mask = mask;
    return add(n, std::move(text));
  }
  std::uint32_t op(node_kind k, std::string text, std::initializer_list<std::uint32_t> kids) {
    node n;
    n.kind = k;
    return add(n, std::move(text), kids);
  }
  std::uint32_t crit(std::string id, std::string label, std::uint32_t child, std::uint32_t line) {
    node n;
    n.kind = node_kind::criterion;
    n.criterion = static_cast<std::int32_t>(g.criteria.size());
    std::string text = g.info[child].text;
    std::uint32_t idx = add(n, id, {child});
    g.criteria.push_back({std::move(id), std::move(label), std::move(text), idx, {0, line, 1, line, 1}});
    return idx;
  }
};

inline std::uint64_t members(const enumeration& e, std::initializer_list<const char*> ids) {
  std::uint64_t m = 0;
  for (const char* id : ids)
    for (std::size_t i = 0; i < e.members.size(); ++i)
      if (e.members[i].id == id) m |= std::uint64_t(1) << i;
  return m;
}

inline graph lbp_graph() {
  graph_builder b;
  graph& g = b.g;
  g.id = "acr.low_back_pain";
  g.title = "Low Back Pain";
  g.source = "ACR Appropriateness Criteria";
  g.citation = "Hutchins TA, Peckham M, Shah LM, et al. ACR Appropriateness Criteria Low Back Pain: 2021 Update. J Am Coll Radiol 2021;18(11S):S361-S379";
  g.doi = "10.1016/j.jacr.2021.08.002";
  g.revised = 2021;
  g.files = {"fixture/low_back_pain.rubric"};
  g.scales = {
      {"appropriateness", "ACR Appropriateness Category",
       {{"usually_appropriate", "Usually appropriate", "", 7, 9, "", ""},
        {"may_be_appropriate", "May be appropriate", "", 4, 6, "", ""},
        {"may_be_appropriate_disagreement", "May be appropriate (Disagreement)", "", 4, 6, "", ""},
        {"usually_not_appropriate", "Usually not appropriate", "", 1, 3, "", ""}}},
      {"relative_radiation_level", "Relative radiation level",
       {{"none", "O", "", {}, {}, "0 mSv", "0 mSv"},
        {"rrl1", "☢", "", {}, {}, "<0.1 mSv", "<0.03 mSv"},
        {"rrl2", "☢☢", "", {}, {}, "0.1-1 mSv", "0.03-0.3 mSv"},
        {"rrl3", "☢☢☢", "", {}, {}, "1-10 mSv", "0.3-3 mSv"},
        {"rrl4", "☢☢☢☢", "", {}, {}, "10-30 mSv", "3-10 mSv"},
        {"rrl5", "☢☢☢☢☢", "", {}, {}, "30-100 mSv", "10-30 mSv"}}}};
  g.rating_scale = 0;
  g.radiation_scale = 1;
  enumeration rf{"red_flag", "Red flag", {}};
  for (const char* m : {"saddle_anesthesia", "bowel_or_bladder_dysfunction", "progressive_motor_weakness", "history_of_cancer",
                        "unexplained_weight_loss", "fever", "immunosuppression", "iv_drug_use", "nocturnal_pain",
                        "low_velocity_trauma", "osteoporosis", "chronic_steroid_use", "significant_trauma"}) {
    std::string label = m;
    for (char& c : label) if (c == '_') c = ' ';
    label[0] = static_cast<char>(label[0] - 'a' + 'A');
    rf.members.push_back({m, label});
  }
  g.enumerations.push_back(rf);
  auto fact_of = [&](std::string id, std::string label, value_type t, bool fixed = false) {
    g.facts.push_back({std::move(id), std::move(label), t, t == value_type::set ? 0 : -1, fixed, {0, 10 + static_cast<std::uint32_t>(g.facts.size()), 3, 0, 0}});
  };
  fact_of("age", "Age", value_type::duration, true);
  fact_of("symptom_duration", "How long this episode has lasted", value_type::duration);
  fact_of("radiculopathy", "Pain radiating in a dermatomal pattern", value_type::boolean);
  fact_of("red_flags", "Red flags found", value_type::set);
  fact_of("conservative_therapy", "Structured conservative management completed", value_type::duration);
  fact_of("improved_with_therapy", "Pain and function improved with that therapy", value_type::boolean);
  fact_of("intervention_candidate", "Candidate for surgery or intervention", value_type::boolean);
  fact_of("prior_lumbar_surgery", "History of lumbar surgery", value_type::boolean, true);
  fact_of("new_or_progressing_symptoms", "New or progressing symptoms or findings", value_type::boolean);

  const char* names[11] = {"Radiography lumbar spine", "MRI lumbar spine with IV contrast",
                           "MRI lumbar spine without and with IV contrast", "MRI lumbar spine without IV contrast",
                           "Bone scan whole body with SPECT or SPECT/CT complete spine", "CT lumbar spine with IV contrast",
                           "CT lumbar spine without IV contrast", "Discography and post-discography CT lumbar spine",
                           "CT lumbar spine without and with IV contrast", "CT myelography lumbar spine", "FDG-PET/CT whole body"};
  int rrl[11] = {3, 0, 0, 0, 3, 3, 3, 3, 4, 4, 4};
  for (int i = 0; i < 11; ++i) g.procedures.push_back({"p" + std::to_string(i), names[i], "", "", "", rrl[i], -1, {}});

  const double wk6 = 42, y70 = 70 * 365.25;
  std::uint32_t n;
  n = b.leaf(node_kind::set_any, red_flags, "red_flags has any of {saddle_anesthesia, bowel_or_bladder_dysfunction, progressive_motor_weakness}", compare_op::eq, 0,
             members(rf, {"saddle_anesthesia", "bowel_or_bladder_dysfunction", "progressive_motor_weakness"}));
  std::uint32_t cauda = b.crit("cauda_equina_signs", "Signs of cauda equina syndrome", n, 30);
  n = b.leaf(node_kind::set_any, red_flags, "red_flags has any of {history_of_cancer, …}", compare_op::eq, 0,
             members(rf, {"history_of_cancer", "unexplained_weight_loss", "fever", "immunosuppression", "iv_drug_use", "nocturnal_pain"}));
  std::uint32_t cancer = b.crit("cancer_or_infection", "Suspected cancer, infection or immunosuppression", n, 33);
  std::uint32_t frac = b.leaf(node_kind::set_any, red_flags, "red_flags has any of {low_velocity_trauma, osteoporosis, chronic_steroid_use}", compare_op::eq, 0,
                              members(rf, {"low_velocity_trauma", "osteoporosis", "chronic_steroid_use"}));
  n = b.leaf(node_kind::compare, age, "age > elderly_age", compare_op::gt, y70);
  std::uint32_t elderly = b.crit("elderly", "Elderly (over 70 years)", n, 36);
  n = b.op(node_kind::or_, "fracture flags or elderly", {frac, elderly});
  std::uint32_t fracture = b.crit("fracture_risk", "Risk of fracture", n, 38);
  std::uint32_t prior = b.leaf(node_kind::fact_true, prior_lumbar_surgery, "prior_lumbar_surgery");
  std::uint32_t newsym = b.leaf(node_kind::fact_true, new_or_progressing_symptoms, "new_or_progressing_symptoms");
  n = b.op(node_kind::and_, "prior_lumbar_surgery and new_or_progressing_symptoms", {prior, newsym});
  std::uint32_t postop = b.crit("new_symptoms_after_surgery", "New or progressing symptoms after lumbar surgery", n, 41);
  n = b.leaf(node_kind::compare, symptom_duration, "symptom_duration >= subacute", compare_op::ge, wk6);
  std::uint32_t persistent = b.crit("persistent_pain", "Pain has lasted six weeks or longer", n, 44);
  n = b.leaf(node_kind::compare, conservative_therapy, "conservative_therapy >= subacute", compare_op::ge, wk6);
  std::uint32_t therapy = b.crit("completed_therapy", "Six weeks of conservative therapy completed", n, 47);
  std::uint32_t improved = b.leaf(node_kind::fact_true, improved_with_therapy, "improved_with_therapy");
  std::uint32_t not_improved = b.op(node_kind::not_, "not improved_with_therapy", {improved});
  std::uint32_t candidate = b.leaf(node_kind::fact_true, intervention_candidate, "intervention_candidate");
  n = b.op(node_kind::and_, "persistent_pain and completed_therapy and not improved_with_therapy and intervention_candidate",
           {persistent, therapy, not_improved, candidate});
  std::uint32_t failed = b.crit("failed_therapy_in_candidate", "Therapy failed in a surgery or intervention candidate", n, 50);
  n = b.leaf(node_kind::set_empty, red_flags, "red_flags is empty");
  std::uint32_t no_flags = b.crit("no_red_flags", "No red flags", n, 53);
  std::uint32_t no_therapy = b.op(node_kind::not_, "not completed_therapy", {therapy});
  std::uint32_t g2 = b.op(node_kind::and_, "persistent_pain and no_red_flags and not completed_therapy", {persistent, no_flags, no_therapy});
  std::uint32_t acute = b.op(node_kind::not_, "not persistent_pain", {persistent});
  std::uint32_t g1 = b.op(node_kind::and_, "not persistent_pain and no_red_flags and not completed_therapy", {acute, no_flags, no_therapy});
  node cf;
  cf.kind = node_kind::compare_facts;
  cf.slot = conservative_therapy;
  cf.slot2 = symptom_duration;
  cf.op = compare_op::le;
  std::uint32_t assume_node = b.add(cf, "conservative_therapy <= symptom_duration");
  g.assumptions.push_back({assume_node, "Therapy cannot outlast the episode", "conservative_therapy <= symptom_duration", {0, 200, 1, 200, 1}});

  // Ratings per variant, as in the facts file: 0 UA, 1 MBA, 2 MBA-D, 3 UNA.
  const int table[7][11] = {
      {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3},  // 1
      {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3},  // 2
      {1, 3, 1, 0, 1, 3, 1, 3, 3, 1, 3},  // 3
      {3, 3, 0, 0, 3, 3, 1, 3, 3, 1, 3},  // 4
      {0, 3, 0, 0, 3, 3, 1, 3, 3, 1, 3},  // 5
      {0, 3, 1, 0, 3, 3, 0, 3, 3, 1, 3},  // 6
      {2, 3, 0, 0, 3, 1, 1, 3, 3, 1, 3},  // 7
  };
  const char* titles[7] = {
      "Acute low back pain with or without radiculopathy. No red flags. No prior management. Initial imaging.",
      "Subacute or chronic low back pain with or without radiculopathy. No red flags. No prior management. Initial imaging.",
      "Subacute or chronic low back pain with or without radiculopathy. Surgery or intervention candidate with persistent or progressive symptoms during or following 6 weeks of optimal medical management. Initial imaging.",
      "Low back pain with suspected cauda equina syndrome. Initial imaging.",
      "Low back pain with history of prior lumbar surgery and with or without radiculopathy. New or progressing symptoms or clinical findings. Initial imaging.",
      "Low back pain with or without radiculopathy. One or more of the following: low-velocity trauma, osteoporosis, elderly individual, or chronic steroid use. Initial imaging.",
      "Low back pain with or without radiculopathy. One or more of the following: suspicion of cancer, infection, or immunosuppression. Initial imaging."};
  std::uint32_t guards[7] = {g1, g2, failed, cauda, postop, fracture, cancer};
  for (int v = 0; v < 7; ++v) {
    variant var;
    var.id = std::to_string(v + 1);
    var.title = titles[v];
    var.guard = static_cast<std::int32_t>(guards[v]);
    for (std::uint32_t p = 0; p < 11; ++p)
      var.ratings.push_back({p, static_cast<std::uint32_t>(table[v][p]), {}, {0, 100u + 20u * v + p, 3, 0, 0}, {}});
    var.where = {0, 100u + 20u * static_cast<std::uint32_t>(v), 1, 0, 0};
    g.variants.push_back(std::move(var));
  }
  g.variants[1].advice = {{"Begin conservative management for 4 to 6 weeks: physical therapy, NSAIDs if not contraindicated, activity modification and education.", -1, {}},
                          {"No imaging is needed if symptoms improve.", static_cast<std::int32_t>(improved), {}}};
  g.variants[1].next = {{2, failed, "Symptoms persist or worsen after 6 weeks of therapy in a candidate", false, {}},
                        {3, cauda, "Signs of cauda equina syndrome appear", true, {}}};
  g.order = {3, 6, 5, 4, 2, 1, 0};
  g.otherwise.present = true;
  g.otherwise.label = "No ACR variant applies";
  g.otherwise.advice = {{"Improved after conservative therapy: no imaging is needed.", static_cast<std::int32_t>(improved), {}},
                        {"Reassess the clinical picture.", -1, {}}};
  g.otherwise.where = {0, 180, 1, 180, 1};
  return g;
}

// The seed patient: 55 years, 12 weeks, radiculopathy, no red flags, no therapy.
inline patient seed_patient(const graph& g) {
  patient p;
  p.reset(g);
  p.id = "\"seed\"";
  p.set_number(age, 55 * units::days_per_year);
  p.set_number(symptom_duration, 12 * units::days_per_week);
  p.set_bool(radiculopathy, true);
  p.set_members(red_flags, 0);
  p.set_number(conservative_therapy, 0);
  p.set_bool(prior_lumbar_surgery, false);
  return p;
}

}  // namespace rubric::testing
