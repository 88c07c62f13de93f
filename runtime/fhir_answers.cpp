// The questionnaire-answer source (fhir_sources.hpp): a red-flag screen or a
// history form filled in by the clinician, read from QuestionnaireResponse
// items by linkId. The latest completed response wins; an unanswered item,
// or an answer of another type than the fact's, stays unknown.
#include <fmt/compile.h>
#include <fmt/format.h>

#include "runtime/fhir_sources.hpp"
#include "runtime/patient_quantity.hpp"

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

std::string authored(const resource& r) { return r.when.present ? fmt::format(FMT_COMPILE("authored {}"), r.when.text) : "no authored date"; }

// Two answers that mean the same: both yes/no and equal, both the same number, or both of another type.
bool same_answer(const answer& x, const answer& y) {
  if (x.type != y.type) return false;
  if (x.type == answer::kind::yes_no) return x.yes == y.yes;
  if (x.type == answer::kind::quantity) return x.words == y.words && x.system == y.system;
  return x.type == answer::kind::other || x.number == y.number;
}

// A response that counts: to this questionnaire, completed or amended, in the window.
bool counts(const resource& r, const fhir_binding& b, const resource* order, bool& unplaced) {
  unplaced = false;
  if (r.type != resource::kind::questionnaire_response || r.questionnaire != b.questionnaire) return false;
  if (r.status != "completed" && r.status != "amended") return false;
  return in_window(b, r, order, unplaced);
}

}  // namespace

void no_response_words(const fhir_binding& b, bool unplaced_any, std::string& words) {
  put(words, FMT_COMPILE("unknown: no completed QuestionnaireResponse to `{}`{}"), b.questionnaire,
      unplaced_any ? " that can be placed in the window" : (b.within_days ? " in the window" : ""));
}

answer_result answer_of(const std::vector<resource>& resources, const fhir_binding& b, const resource* order,
                        bool want_number, std::string& words, std::vector<std::string>& warnings) {
  // The latest response by `authored` (an undated one only when none is dated).
  const resource* r = nullptr;
  bool unplaced_any = false;
  for (const auto& x : resources) {
    bool unplaced = false;
    if (!counts(x, b, order, unplaced)) {
      unplaced_any = unplaced_any || unplaced;
      continue;
    }
    if (!r || (x.when.present && (!r->when.present || x.when.first > r->when.first))) r = &x;
  }
  if (!r) {
    no_response_words(b, unplaced_any, words);
    return {};
  }
  // The item's answer in that response or another of the same day: those
  // that answer it must agree.
  const answer* a = nullptr;
  const resource* from = r;
  for (const auto& x : resources) {
    bool unplaced = false;
    bool same_day = &x == r || (x.when.present && r->when.present && x.when.first == r->when.first);
    if (!same_day || !counts(x, b, order, unplaced)) continue;
    const answer* ax = item_of(x, b.question);
    if (!ax) continue;
    if (!a) {
      a = ax;
      from = &x;
    } else if (!same_answer(*a, *ax)) {
      warnings.push_back(fmt::format(FMT_COMPILE("data quality: {} and {} ({}) answer item {} differently ({} and {}); it is unknown"), from->id,
                                     x.id, authored(x), b.question, a->words, ax->words));
      put(words, FMT_COMPILE("unknown: {} and {} disagree on item {}"), from->id, x.id, b.question);
      return {};
    }
  }
  if (!a) {
    put(words, FMT_COMPILE("unknown: {} ({}) leaves item {} unanswered"), r->id, authored(*r), b.question);
    return {};
  }
  bool fits = want_number ? a->type == answer::kind::number || a->type == answer::kind::quantity : a->type == answer::kind::yes_no;
  if (!fits) {
    put(words, FMT_COMPILE("unknown: {} item {} answered {}, not {} ({})"), from->id, b.question, a->words,
                        want_number ? "a number" : "yes or no", authored(*from));
    return {};
  }
  put(words, FMT_COMPILE("{} item {} answered {}, {}"), from->id, b.question, a->words, authored(*from));
  if (want_number) return {truth::yes, a->number, a, from};
  return {a->yes ? truth::yes : truth::no, 0, nullptr, nullptr};
}

bool answer_in_unit(const fact& f, const answer_result& a, const fhir_binding& b, double& value, std::string& words,
                    std::vector<std::string>& warnings) {
  const answer& given = *a.given;
  std::string error;
  bool ok = false;
  if (given.type == answer::kind::quantity) {
    detail::quantity_fields q{given.quantity_number, given.unit, given.code, given.system};
    ok = !given.quantity_number.empty() && detail::fields_quantity(f, detail::declared_unit(f), q, value, error);
    if (!ok && error.empty()) error = "the quantity has no value";
  } else if (f.type == value_type::duration) {
    error = "a number without a unit is not a duration";
  } else if (detail::within_declared(f, given.number)) {
    value = given.number;
    ok = true;
  } else {
    error = fmt::format(FMT_COMPILE("not a value `{}` can take (its declared range, or a whole number)"), f.id);
  }
  if (ok) return true;
  warnings.push_back(fmt::format(FMT_COMPILE("data quality: {} item {} has value {}: {}"), a.from->id, b.question, given.words, error));
  put(words, FMT_COMPILE("unknown: {} item {} answered {}, which does not convert to `{}` ({})"), a.from->id, b.question, given.words,
                      f.id, authored(*a.from));
  return false;
}

}  // namespace rubric::runtime::fhir
