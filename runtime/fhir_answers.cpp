// The questionnaire-answer source (fhir_sources.hpp): a red-flag screen or a
// history form filled in by the clinician, read from QuestionnaireResponse
// items by linkId. The latest completed response wins; an unanswered item,
// or an answer of another type than the fact's, stays unknown.
#include <fmt/format.h>

#include "runtime/fhir_sources.hpp"

namespace rubric::runtime::fhir {

// `unplaced`: it has no date, there is no order date, or a partial date (of
// the resource or of the order) leaves it in the window for some days of its
// range and out for others, so it cannot be placed.
bool in_window(const fhir_binding& b, const resource& r, const resource* order, bool& unplaced) {
  unplaced = false;
  if (!b.within_days) return true;
  const date_range& d = r.when.present ? r.when : r.recorded;
  if (!d.present || !order || !order->when.present) {
    unplaced = true;
    return false;
  }
  const double first = static_cast<double>(d.first), last = static_cast<double>(d.last);
  const double order_first = static_cast<double>(order->when.first), order_last = static_cast<double>(order->when.last);
  if (first >= order_last - *b.within_days && last <= order_first) return true;  // in, whichever day the order was
  if (last < order_first - *b.within_days || first > order_last) return false;  // out, whichever day
  unplaced = true;
  return false;
}

namespace {

const answer* item_of(const resource& r, const std::string& link_id) {
  for (const auto& a : r.answers)
    if (a.link_id == link_id) return &a;
  return nullptr;
}

std::string authored(const resource& r) { return r.when.present ? fmt::format("authored {}", r.when.text) : "no authored date"; }

// The responses that count: to this questionnaire, completed or amended, in the window.
const resource* latest_response(const std::vector<resource>& resources, const fhir_binding& b, const resource* order,
                                bool& unplaced_any, const resource*& same_day) {
  const resource* chosen = nullptr;
  same_day = nullptr;
  unplaced_any = false;
  for (const auto& r : resources) {
    if (r.type != resource::kind::questionnaire_response || r.questionnaire != b.questionnaire) continue;
    if (r.status != "completed" && r.status != "amended") continue;
    bool unplaced = false;
    if (!in_window(b, r, order, unplaced)) {
      unplaced_any = unplaced_any || unplaced;
      continue;
    }
    if (!chosen || (r.when.present && (!chosen->when.present || r.when.first > chosen->when.first))) {
      chosen = &r;
      same_day = nullptr;
    } else if (r.when.present && chosen->when.present && r.when.first == chosen->when.first) {
      same_day = &r;
    }
  }
  return chosen;
}

}  // namespace

answer_result answer_of(const std::vector<resource>& resources, const fhir_binding& b, const resource* order,
                        bool want_number, std::string& words, std::vector<std::string>& warnings) {
  bool unplaced_any = false;
  const resource* same_day = nullptr;
  const resource* r = latest_response(resources, b, order, unplaced_any, same_day);
  if (!r) {
    words = fmt::format("unknown: no completed QuestionnaireResponse to `{}`{}", b.questionnaire,
                        unplaced_any ? " that can be placed in the window" : (b.within_days ? " in the window" : ""));
    return {};
  }
  const answer* a = item_of(*r, b.question);
  if (same_day) {
    const answer* other = item_of(*same_day, b.question);
    if (other && (!a || other->words != a->words)) {
      warnings.push_back(fmt::format("data quality: {} and {} ({}) answer item {} differently ({} and {}); it is unknown", r->id,
                                     same_day->id, authored(*r), b.question, a ? a->words : "unanswered", other->words));
      words = fmt::format("unknown: {} and {} disagree on item {}", r->id, same_day->id, b.question);
      return {};
    }
  }
  if (!a) {
    words = fmt::format("unknown: {} ({}) leaves item {} unanswered", r->id, authored(*r), b.question);
    return {};
  }
  bool fits = want_number ? a->type == answer::kind::number : a->type == answer::kind::yes_no;
  if (!fits) {
    words = fmt::format("unknown: {} item {} answered {}, not {} ({})", r->id, b.question, a->words,
                        want_number ? "a number" : "yes or no", authored(*r));
    return {};
  }
  words = fmt::format("{} item {} answered {}, {}", r->id, b.question, a->words, authored(*r));
  if (want_number) return {truth::yes, a->number};
  return {a->yes ? truth::yes : truth::no, 0};
}

}  // namespace rubric::runtime::fhir
