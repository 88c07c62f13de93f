// Facts from FHIR resources by the graph's bindings (fhir_bundle.hpp): the
// order, age at the order, time since onset, whether any resource matches a
// code list, total time of procedures; each three-valued, each with its
// provenance. Reading the JSON is fhir_records.cpp.
#include "runtime/fhir_bundle.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <utility>

#include "runtime/fhir_code_index.hpp"
#include "runtime/fhir_prefetch.hpp"
#include "runtime/fhir_request.hpp"
#include "runtime/fhir_records.hpp"
#include "runtime/fhir_sources.hpp"
#include "runtime/fhir_systems.hpp"
#include "runtime/json_writer.hpp"
#include "runtime/patient_quantity.hpp"
#include "runtime/units.hpp"

// A coding as explanations write it, "ICD-10-CM M54.16 Radiculopathy, lumbar
// region", formatted in place (no temporary string).
namespace rubric::runtime::fhir {
struct coding_words {
  const coding& c;
};
}  // namespace rubric::runtime::fhir

template <>
struct fmt::formatter<rubric::runtime::fhir::coding_words> {
  constexpr auto parse(fmt::format_parse_context& ctx) { return ctx.begin(); }
  template <class Context>
  auto format(const rubric::runtime::fhir::coding_words& w, Context& ctx) const {
    const rubric::runtime::coding_system* s = rubric::runtime::coding_system_of_uri(w.c.system);
    auto out = fmt::format_to(ctx.out(), FMT_COMPILE("{} {}"), s ? s->display : w.c.system, w.c.code);
    return w.c.display.empty() ? out : fmt::format_to(out, FMT_COMPILE(" {}"), w.c.display);
  }
};

namespace rubric::runtime {

namespace {

// Days since 1970-01-01 of a civil date (H. Hinnant's days_from_civil).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned month_days(std::int64_t y, unsigned m) {
  static constexpr unsigned days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : days[m - 1];
}

bool digits(std::string_view s, std::size_t at, std::size_t n, unsigned& v) {
  if (s.size() < at + n) return false;
  v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    v = v * 10 + static_cast<unsigned>(s[i] - '0');
  }
  return true;
}

}  // namespace

bool fhir_date_days(std::string_view s, std::int64_t& first, std::int64_t& last) {
  unsigned y = 0, m = 0, d = 0;
  if (!digits(s, 0, 4, y) || y == 0) return false;
  if (s.size() == 4) {
    first = days_from_civil(y, 1, 1);
    last = days_from_civil(y, 12, 31);
    return true;
  }
  if (s[4] != '-' || !digits(s, 5, 2, m) || m < 1 || m > 12) return false;
  if (s.size() == 7) {
    first = days_from_civil(y, m, 1);
    last = days_from_civil(y, m, month_days(y, m));
    return true;
  }
  if (s[7] != '-' || !digits(s, 8, 2, d) || d < 1 || d > month_days(y, m)) return false;
  if (s.size() != 10 && s[10] != 'T') return false;  // a dateTime's time (and zone) does not change the day counted
  first = last = days_from_civil(y, m, d);
  return true;
}

double age_days(std::int64_t birth, std::int64_t on) {
  std::int64_t by, oy;
  unsigned bm, bd, om, od;
  civil_from_days(birth, by, bm, bd);
  civil_from_days(on, oy, om, od);
  // A 29 February birthday falls on the 28th in a common year, both for
  // counting the years and for the days since.
  auto birthday = [&](std::int64_t y) { return days_from_civil(y, bm, std::min(bd, month_days(y, bm))); };
  std::int64_t years = oy - by - (birthday(oy) > on ? 1 : 0);
  std::int64_t since = on - birthday(by + years);
  return static_cast<double>(years) * units::days_per_year + static_cast<double>(since);
}

namespace {

using fhir::resource;

using fhir::coding_words;

using fhir::put;

// The first coding of `r` in `list`, with the list's entry; nullptr when none.
const fhir::coding* match(const resource& r, const fhir_code_list& list, const fhir_code** entry) {
  for (const auto& c : r.codes)
    for (const auto& e : list.codes)
      if (c.system == e.system && (e.prefix ? c.code.starts_with(e.code) : c.code == e.code)) {
        *entry = &e;
        return &c;
      }
  return nullptr;
}

// Condition: clinicalStatus active/recurrence/relapse (or not given);
// verificationStatus not refuted or entered-in-error. Procedure: completed
// or in progress. Observation: final, amended or corrected. Medication
// (request or statement): active or completed.
bool counts(const resource& r) {
  switch (r.type) {
    case resource::kind::condition:
      return (r.status.empty() || r.status == "active" || r.status == "recurrence" || r.status == "relapse") &&
             r.verification != "refuted" && r.verification != "entered-in-error";
    case resource::kind::observation: return r.status == "final" || r.status == "amended" || r.status == "corrected";
    case resource::kind::medication: return r.status == "active" || r.status == "completed";
    default: return r.status == "completed" || r.status == "in-progress";
  }
}

// "Condition", "Procedure", "Observation", "MedicationRequest or MedicationStatement".
const char* resource_word(fhir_resource r) {
  switch (r) {
    case fhir_resource::condition: return "Condition";
    case fhir_resource::procedure: return "Procedure";
    case fhir_resource::questionnaire_response: return "QuestionnaireResponse";
    case fhir_resource::observation: return "Observation";
    case fhir_resource::medication: return "MedicationRequest or MedicationStatement";
  }
  return "resource";
}


const char* records_word(fhir_resource r) {
  return r == fhir_resource::condition ? "conditions" : r == fhir_resource::procedure ? "procedures" : "medications";
}

}  // namespace

// Where a set fact's members are bound, computed once per graph.
struct set_layout {
  std::uint32_t slot;
  std::vector<int> binding_of;  // per member of the enumeration: its binding, or -1
};

struct fhir_decoder::impl {
  const graph& g;
  fhir::code_index index;            // which code lists each resource is in, by hashing
  std::vector<std::string> none_words;  // per `any` binding: the words when nothing matches
  std::vector<truth> none_truth;        // and its value then
  std::vector<set_layout> sets;
  // Per Bundle, reused so steady-state decoding does not allocate:
  std::vector<resource> resources;
  std::vector<std::uint64_t> lists;   // per resource: index.lists_of()
  std::vector<std::uint8_t> counted;  // per resource: counts() (its status lets it count)
  std::string bundle_id;
  fhir::prefetch_seen sent;  // a CDS Hooks request: the prefetch keys it sent
  // Per binding: what it found, for the set facts assembled afterwards.
  std::vector<truth> member_truth;
  std::vector<std::string> member_words;
  std::string scratch;  // words being assembled before they are chosen
  std::string group_all, group_one, group_yes;  // bind_group's words of `or` alternatives
  // Per Bundle, so that bindings with nothing to find skip the scan:
  std::uint64_t present_lists = 0;   // the code lists some counted resource is in (index.usable())
  std::uint32_t codeless_kinds = 0;  // bit per resource::kind: a counted one whose code is absent
  bool has_responses = false;        // some QuestionnaireResponse
  std::vector<std::string> no_response;  // per answer binding: its words when there is none
  bool might_match(const fhir_binding& b) const;

  explicit impl(const graph& gr);
  bool in_list(std::size_t ri, std::int32_t list) const;

  bool decode(std::string_view json, patient& out, fhir_provenance& where, std::string& error, bool padded);
  bool decode(const fhir_request_parts& parts, patient& out, fhir_provenance& where, std::string& error);
  void reset(patient& out, fhir_provenance& where);
  bool bind(patient& out, fhir_provenance& where);
  const resource* find_order(fhir_provenance& where, patient& out);
  void bind_age(const fhir_binding& b, const resource* order, patient& out, std::string& words);
  void bind_onset(const fhir_binding& b, const resource* order, patient& out, std::string& words);
  truth bind_any(std::size_t i, const resource* order, std::string& words);
  void bind_total(const fhir_binding& b, const resource* order, patient& out, std::string& words);
  void set_range(std::uint32_t slot, double lo, double hi, bool age, patient& out, std::string& words);
  bool in_window(const fhir_binding& b, const resource& r, const resource* order, bool& unplaced) const;
  void assemble_sets(patient& out, fhir_provenance& where);
  void bind_observation(const fhir_binding& b, const resource* order, patient& out, std::string& words);
  void bind_count(const fhir_binding& b, const resource* order, patient& out, std::string& words);
  void bind_one(const fhir_binding& b, const resource* order, patient& out, std::string& words);
  truth yes_no(std::size_t i, const resource* order, std::string& words, std::vector<std::string>& warnings);
  void bind_group(std::size_t first, std::size_t end, const resource* order, patient& out, fhir_provenance& where);
  std::string_view unsent_key(std::string_view resource_type) const;
  bool unsent(fhir_resource r);
  void note_unsent_answers(std::string& words);
  std::string unsent_words;  // the keys unsent() names, reusing its capacity
};

// What an `any` binding says when no resource matches, which depends only on
// the graph: a list with no codes matches nothing any record could hold, so
// even a complete record cannot show the finding absent (unknown, never
// false); a complete record otherwise shows it absent; else unknown.
fhir_decoder::impl::impl(const graph& gr) : g(gr), index(gr) {
  const std::size_t n = g.fhir.bindings.size();
  none_words.resize(n);
  none_truth.assign(n, truth::unknown);
  no_response.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const fhir_binding& b = g.fhir.bindings[i];
    if (b.source == fhir_source::answer) fhir::no_response_words(b, false, no_response[i]);
    if (b.source != fhir_source::any) continue;
    const fhir_code_list& list = g.fhir.code_lists[static_cast<std::size_t>(b.codes)];
    const char* kind = resource_word(b.resource);
    if (list.codes.empty()) {
      none_words[i] = fmt::format(FMT_COMPILE("unknown: `{}` has no codes, so no {} can show it either way"), list.id, kind);
    } else if (fhir::record_complete(g, b.resource)) {
      none_words[i] = fmt::format(FMT_COMPILE("no {} in `{}`, and {} are declared complete"), kind, list.id, records_word(b.resource));
      none_truth[i] = truth::no;
    } else {
      none_words[i] = fmt::format(FMT_COMPILE("unknown: no {} in `{}`, and the record of {} is not declared complete"), kind, list.id,
                                  b.resource == fhir_resource::medication ? std::string("medications") : std::string(kind) + "s");
    }
  }
  for (std::uint32_t slot = 0; slot < g.facts.size(); ++slot) {
    const fact& f = g.facts[slot];
    if (f.type != value_type::set || f.enumeration < 0) continue;
    set_layout layout{slot, std::vector<int>(g.enumerations[static_cast<std::size_t>(f.enumeration)].members.size(), -1)};
    for (std::size_t i = 0; i < n; ++i)
      if (g.fhir.bindings[i].slot == slot && g.fhir.bindings[i].member >= 0 && !g.fhir.bindings[i].or_previous)
        layout.binding_of[static_cast<std::size_t>(g.fhir.bindings[i].member)] = static_cast<int>(i);
    if (std::any_of(layout.binding_of.begin(), layout.binding_of.end(), [](int b) { return b >= 0; })) sets.push_back(std::move(layout));
  }
}

// Whether resource `ri` has a coding in code list `list`.
bool fhir_decoder::impl::in_list(std::size_t ri, std::int32_t list) const {
  if (index.usable()) return (lists[ri] >> list) & 1;
  const fhir_code* entry = nullptr;
  return match(resources[ri], g.fhir.code_lists[static_cast<std::size_t>(list)], &entry) != nullptr;
}

// The order: the ServiceRequest whose CPT code names a catalog procedure.
// Two such requests for different procedures are a data-quality warning.
const resource* fhir_decoder::impl::find_order(fhir_provenance& where, patient& out) {
  const resource* order = nullptr;
  const resource* any_request = nullptr;
  for (const auto& r : resources) {
    if (r.type != resource::kind::service_request) continue;
    if (!any_request) any_request = &r;
    for (const auto& c : r.codes) {
      const coding_system* s = coding_system_of_uri(c.system);
      if (!s || s->name != "CPT") continue;
      const std::int32_t p = index.procedure_of_cpt(c.code);
      if (p < 0) continue;
      if (!order) {
        order = &r;
        where.ordered_procedure = p;
        fmt::format_to(std::back_inserter(where.order), FMT_COMPILE("{} ({}), authored {}"), r.id, coding_words{c}, r.when.present ? r.when.text : "(no authoredOn)");
      } else if (order != &r) {
        out.warnings.push_back(fmt::format(FMT_COMPILE("data quality: two orders for catalog procedures, {} and {}; the first is the order"), order->id, r.id));
      }
    }
  }
  if (!order && any_request) {
    where.order = fmt::format(FMT_COMPILE("{} (no CPT code of the guideline's catalog)"), any_request->id);
    return any_request;
  }
  return order;
}

// A numeric fact from an interval of days. A point is the value. A wider
// interval is the value only when every threshold the graph compares the
// fact with gives the same answer at both ends (and no arithmetic reads it);
// then the low end stands for it and the words say so. Otherwise unknown.
void fhir_decoder::impl::set_range(std::uint32_t slot, double lo, double hi, bool age, patient& out, std::string& words) {
  if (lo == hi) {
    out.set_number(slot, lo);
    return;
  }
  const char* undecided = nullptr;  // why the range is not the value
  for (const node& n : g.nodes) {
    if (n.slot != static_cast<std::int32_t>(slot) && n.slot2 != static_cast<std::int32_t>(slot)) continue;
    if (n.kind == node_kind::is_known) continue;
    if (n.kind != node_kind::compare) {
      undecided = "which the guideline compares with another fact or computes with";
      break;
    }
    if (compare_holds(n.op, lo, n.number) != compare_holds(n.op, hi, n.number) ||
        ((n.op == compare_op::eq || n.op == compare_op::ne) && n.number >= lo && n.number <= hi)) {
      undecided = "which straddles a threshold";
      break;
    }
  }
  if (age)
    fmt::format_to(std::back_inserter(words), FMT_COMPILE("; between {} and {} years (complete years)"), std::floor(lo / units::days_per_year), std::floor(hi / units::days_per_year));
  else
    fmt::format_to(std::back_inserter(words), FMT_COMPILE("; between {} and {}"), format_duration(lo), format_duration(hi));
  if (!undecided) {
    out.set_number(slot, lo);
    words += ", and every threshold on it gives the same answer across that range, so the low end stands for it";
  } else {
    words += fmt::format(FMT_COMPILE(", {}: unknown"), undecided);
  }
}

void fhir_decoder::impl::bind_age(const fhir_binding& b, const resource* order, patient& out, std::string& words) {
  const resource* person = nullptr;
  for (const auto& r : resources) {
    if (r.type != resource::kind::patient) continue;
    if (person && person->when.text != r.when.text) {
      out.warnings.push_back(fmt::format(FMT_COMPILE("data quality: {} has birthDate {} but {} has birthDate {}; age is unknown"),
                                         person->id, person->when.present ? person->when.text : "(none)", r.id,
                                         r.when.present ? r.when.text : "(none)"));
      put(words, FMT_COMPILE("unknown: {} and {} give different birth dates"), person->id, r.id);
      return;
    }
    if (!person) person = &r;
  }
  if (!person) {
    std::string_view key = unsent_key("Patient");
    words = key.empty() ? "unknown: the Bundle has no Patient" : fmt::format(FMT_COMPILE("unknown: the request has no prefetch `{}` (not sent)"), key);
    return;
  }
  if (!person->when.present) {
    put(words, FMT_COMPILE("unknown: {} has no birthDate{}"), person->id, person->date_absent ? " (data absent reason)" : "");
    return;
  }
  if (!order || !order->when.present) { put(words, FMT_COMPILE("unknown: {} birthDate {}, but no order date (ServiceRequest.authoredOn)"), person->id, person->when.text); return; }
  put(words, FMT_COMPILE("{} birthDate {}, at the order {} authoredOn {}"), person->id, person->when.text, order->id, order->when.text);
  double lo = age_days(person->when.last, order->when.first), hi = age_days(person->when.first, order->when.last);
  if (hi < 0) { words = "unknown: " + words + " (born after the order)"; return; }
  set_range(b.slot, std::max(0.0, lo), hi, true, out, words);
}

// Whether a resource's date lies in the binding's window before the order.
// `unplaced`: it has no date, there is no order date, or a partial date (of
// the resource or of the order) leaves it in the window for some days of its
// range and out for others, so it cannot be placed.
bool fhir_decoder::impl::in_window(const fhir_binding& b, const resource& r, const resource* order, bool& unplaced) const {
  return fhir::in_window(b, r, order, unplaced);  // shared with the answer source (fhir_answers.cpp)
}

// The kind of resource a binding reads, and whether the record of that kind is complete.
static resource::kind kind_of(const fhir_binding& b) {
  switch (b.resource) {
    case fhir_resource::condition: return resource::kind::condition;
    case fhir_resource::procedure: return resource::kind::procedure;
    case fhir_resource::questionnaire_response: return resource::kind::questionnaire_response;
    case fhir_resource::observation: return resource::kind::observation;
    case fhir_resource::medication: return resource::kind::medication;
  }
  return resource::kind::other;
}

// The latest (earliest) onset of the matching Conditions. With partial
// dates it lies between the latest (earliest) first days and last days of
// their ranges; the provenance names the one whose range starts latest
// (earliest).
void fhir_decoder::impl::bind_onset(const fhir_binding& b, const resource* order, patient& out, std::string& words) {
  const fhir_code_list& list = g.fhir.code_lists[static_cast<std::size_t>(b.codes)];
  const resource* chosen = nullptr;
  std::int64_t bound_last = 0;  // the latest (earliest) last day of the candidates' ranges
  std::string& chosen_words = scratch;
  for (std::size_t ri = 0; ri < resources.size(); ++ri) {
    const resource& r = resources[ri];
    const fhir_code* entry = nullptr;
    bool unplaced = false;
    if (r.type != kind_of(b) || !counted[ri] || !r.when.present || !in_list(ri, b.codes)) continue;
    const fhir::coding* c = match(r, list, &entry);
    if (!in_window(b, r, order, unplaced)) continue;
    bool better = !chosen || (b.earliest ? r.when.first < chosen->when.first : r.when.first > chosen->when.first);
    bound_last = !chosen ? r.when.last : b.earliest ? std::min(bound_last, r.when.last) : std::max(bound_last, r.when.last);
    if (better) {
      chosen = &r;
      put(chosen_words, FMT_COMPILE("{} ({}{}), onset {}"), r.id, coding_words{*c}, entry->unverified ? ", an unverified code" : "", r.when.text);
    }
  }
  if (!chosen) {
    put(words, FMT_COMPILE("unknown: no {} in `{}` with an onset date"), b.resource == fhir_resource::condition ? "Condition" : "Procedure", list.id);
    return;
  }
  if (!order || !order->when.present) {
    put(words, FMT_COMPILE("unknown: {}, but no order date (ServiceRequest.authoredOn)"), chosen_words);
    return;
  }
  put(words, FMT_COMPILE("{}, {} days before the order {} authoredOn {}"), chosen_words, order->when.first - chosen->when.first, order->id, order->when.text);
  double lo = static_cast<double>(order->when.first - bound_last), hi = static_cast<double>(order->when.last - chosen->when.first);
  if (hi < 0) { put(words, FMT_COMPILE("unknown: {} is after the order"), chosen_words); return; }
  set_range(b.slot, std::max(0.0, lo), hi, false, out, words);
}

// Whether any resource of the binding's kind matches its code list: true with
// the resource named; false only where the record is declared complete and no
// resource could match (one whose code is absent, or whose date cannot be
// placed in the window, might); unknown otherwise.
// The prefetch key for `resource_type` when the input is a CDS Hooks request
// that did not send it ("" otherwise): that record is unknown, never empty.
std::string_view fhir_decoder::impl::unsent_key(std::string_view resource_type) const {
  if (!sent.is_request) return {};
  const prefetch_key* k = prefetch_key_for_type(resource_type);
  if (!k || std::find(sent.keys.begin(), sent.keys.end(), k->key) != sent.keys.end()) return {};
  return k->key;
}

// Whether the input is a CDS Hooks request that did not send every prefetch
// key holding resources of kind `r`; `unsent_words` then names the missing
// keys ("`procedures`"; medications come in two keys, and an absence is
// known only when both were sent: "`medicationRequests` or `medicationStatements`").
bool fhir_decoder::impl::unsent(fhir_resource r) {
  std::string_view first, second;
  switch (r) {
    case fhir_resource::condition: first = unsent_key("Condition"); break;
    case fhir_resource::procedure: first = unsent_key("Procedure"); break;
    case fhir_resource::questionnaire_response: first = unsent_key("QuestionnaireResponse"); break;
    case fhir_resource::observation: first = unsent_key("Observation"); break;
    case fhir_resource::medication:
      first = unsent_key("MedicationRequest");
      second = unsent_key("MedicationStatement");
      if (first.empty()) std::swap(first, second);
      break;
  }
  if (first.empty()) return false;
  if (second.empty()) put(unsent_words, FMT_COMPILE("`{}`"), first);
  else put(unsent_words, FMT_COMPILE("`{}` or `{}`"), first, second);
  return true;
}

// An answer source that found no QuestionnaireResponse says so when the
// request did not send the key that carries them.
void fhir_decoder::impl::note_unsent_answers(std::string& words) {
  if (words.starts_with("unknown: no completed QuestionnaireResponse") && unsent(fhir_resource::questionnaire_response))
    fmt::format_to(std::back_inserter(words), FMT_COMPILE(", and the request has no prefetch {} (not sent)"), unsent_words);
}

truth fhir_decoder::impl::bind_any(std::size_t i, const resource* order, std::string& words) {
  const fhir_binding& b = g.fhir.bindings[i];
  const fhir_code_list& list = g.fhir.code_lists[static_cast<std::size_t>(b.codes)];
  const resource* doubt = nullptr;  // the first resource that might match
  const fhir::coding* doubt_code = nullptr;
  for (std::size_t ri = 0, n = might_match(b) ? resources.size() : 0; ri < n; ++ri) {
    const resource& r = resources[ri];
    if (r.type != kind_of(b) || !counted[ri]) continue;
    if (!in_list(ri, b.codes)) {
      if (r.code_absent && !doubt) doubt = &r;
      continue;
    }
    const fhir_code* entry = nullptr;
    const fhir::coding* c = match(r, list, &entry);
    bool unplaced = false;
    if (in_window(b, r, order, unplaced)) {
      const fhir::date_range& d = r.when.present ? r.when : r.recorded;
      put(words, FMT_COMPILE("{} ({}{})"), r.id, coding_words{*c}, entry->unverified ? ", an unverified code" : "");
      if (d.present)
        fmt::format_to(std::back_inserter(words), FMT_COMPILE(", {} {}"),
                       !r.when.present ? "recorded" : r.type == resource::kind::condition ? "onset" : r.type == resource::kind::procedure ? "performed" : "dated",
                       d.text);
      return truth::yes;
    }
    if (unplaced && !doubt) {
      doubt = &r;
      doubt_code = c;
    }
  }
  if (doubt) {
    words = doubt_code ? fmt::format(FMT_COMPILE("unknown: {} ({}) cannot be placed in the window"), doubt->id, coding_words{*doubt_code})
                       : fmt::format(FMT_COMPILE("unknown: {} has no code (data absent reason)"), doubt->id);
    return truth::unknown;
  }
  if (!list.codes.empty() && unsent(b.resource)) {
    put(words, FMT_COMPILE("unknown: no {} in `{}`, and the request has no prefetch {} (not sent)"), resource_word(b.resource), list.id, unsent_words);
    return truth::unknown;
  }
  words = none_words[i];
  return none_truth[i];
}

// The sum of the matching Procedures' periods, both days counted; an
// in-progress one runs to the order. Partial dates make the sum a range
// (each period at least one day). A Procedure whose code is absent might be
// one of them, so the sum is unknown.
void fhir_decoder::impl::bind_total(const fhir_binding& b, const resource* order, patient& out, std::string& words) {
  const fhir_code_list& list = g.fhir.code_lists[static_cast<std::size_t>(b.codes)];
  double lo = 0, hi = 0;
  std::string& parts = scratch;
  parts.clear();
  for (std::size_t ri = 0; ri < resources.size(); ++ri) {
    const resource& r = resources[ri];
    bool unplaced = false;
    if (r.type != kind_of(b) || !counted[ri]) continue;
    if (!in_list(ri, b.codes)) {
      if (r.code_absent) { put(words, FMT_COMPILE("unknown: {} has no code (data absent reason) and might be one of them"), r.id); return; }
      continue;
    }
    if (!in_window(b, r, order, unplaced) && !unplaced) continue;
    const fhir::date_range* end = r.until.present ? &r.until : (r.status == "in-progress" && order && order->when.present ? &order->when : nullptr);
    if (unplaced || !r.when.present || !end || end->last < r.when.first) {
      put(words, FMT_COMPILE("unknown: {} has no period to measure"), r.id);
      return;
    }
    lo += static_cast<double>(std::max<std::int64_t>(1, end->first - r.when.last + 1));
    hi += static_cast<double>(end->last - r.when.first + 1);
    fmt::format_to(std::back_inserter(parts), FMT_COMPILE("{}{} {} to {}"), parts.empty() ? "" : ", ", r.id, r.when.text, r.until.present ? r.until.text : "the order");
  }
  bool complete = b.resource == fhir_resource::condition ? g.fhir.conditions_complete : g.fhir.procedures_complete;
  if (parts.empty() && unsent(b.resource)) {
    put(words, FMT_COMPILE("unknown: no {} in `{}`, and the request has no prefetch {} (not sent)"), resource_word(b.resource), list.id, unsent_words);
    return;
  }
  if (parts.empty() && !complete) {
    put(words, FMT_COMPILE("unknown: no {} in `{}`, and the record is not declared complete"), b.resource == fhir_resource::condition ? "Condition" : "Procedure", list.id);
    return;
  }
  if (parts.empty()) put(words, FMT_COMPILE("no Procedure in `{}`, and procedures are declared complete: none"), list.id);
  else words.assign(parts);
  set_range(b.slot, lo, hi, false, out, words);
}

// `latest observation in CODES` (or earliest): the value of the latest
// (earliest) final, amended or corrected Observation with a matching code in
// the window, converted to the fact's unit by the unit table. A
// dataAbsentReason, no value, or a value of another type is unknown; a unit
// of another dimension (or outside the fact's range) is unknown with a
// data-quality warning naming the resource and the value.
void fhir_decoder::impl::bind_observation(const fhir_binding& b, const resource* order, patient& out, std::string& words) {
  const fhir_code_list& list = g.fhir.code_lists[static_cast<std::size_t>(b.codes)];
  const resource* chosen = nullptr;
  const resource* doubt = nullptr;
  bool doubt_undated = false;
  for (std::size_t ri = 0; ri < resources.size(); ++ri) {
    const resource& r = resources[ri];
    bool unplaced = false;
    if (r.type != resource::kind::observation || !counted[ri] || !in_list(ri, b.codes)) continue;
    if (!in_window(b, r, order, unplaced)) {
      if (unplaced && !doubt) doubt = &r;
      continue;
    }
    if (!r.when.present) {
      if (!doubt) { doubt = &r; doubt_undated = true; }
      continue;
    }
    if (!chosen || (b.earliest ? r.when.first < chosen->when.first : r.when.first > chosen->when.first)) chosen = &r;
  }
  if (!chosen) {
    if (doubt) put(words, FMT_COMPILE("unknown: {} {}"), doubt->id, doubt_undated ? "has no date to order it by" : "cannot be placed in the window");
    else if (unsent(fhir_resource::observation)) put(words, FMT_COMPILE("unknown: no final Observation in `{}`, and the request has no prefetch {} (not sent)"), list.id, unsent_words);
    else put(words, FMT_COMPILE("unknown: no final Observation in `{}`{}"), list.id, b.within_days ? " in the window" : "");
    return;
  }
  const resource& r = *chosen;
  const fhir_code* entry = nullptr;
  const fhir::coding* c = match(r, list, &entry);
  std::string what = fmt::format(FMT_COMPILE("{} ({}{})"), r.id, coding_words{*c}, entry->unverified ? ", an unverified code" : "");
  if (r.value_absent || r.value != resource::value_kind::quantity) {
    put(words, FMT_COMPILE("unknown: {} has {}, effective {}"), what,
        r.value_absent ? "no value (dataAbsentReason)" : r.value == resource::value_kind::none ? "no value" : "a value that is not a quantity",
        r.when.text);
    return;
  }
  const fact& f = g.facts[b.slot];
  const std::string_view unit = r.value_code.empty() ? r.value_unit : r.value_code;
  std::string shown = r.value_number;
  if (!unit.empty()) shown.append(" ").append(unit);
  double value = 0;
  std::string error;
  detail::quantity_fields q{r.value_number, r.value_unit, r.value_code, r.value_system};
  if (r.value_number.empty() || !detail::fields_quantity(f, detail::declared_unit(f), q, value, error)) {
    out.warnings.push_back(fmt::format(FMT_COMPILE("data quality: {} has value {}: {}"), r.id, r.value_number.empty() ? "(no number)" : shown,
                                       error.empty() ? "the quantity has no value" : error));
    put(words, FMT_COMPILE("unknown: {} has value {}, which does not convert to `{}`"), what, shown, f.id);
    return;
  }
  out.set_number(b.slot, value);
  put(words, FMT_COMPILE("{} = {}, effective {}"), what, shown, r.when.text);
}

// `number of conditions in CODES` (procedures, medications, observations):
// how many counted resources match in the window. Known only where the
// record of that kind is declared complete; elsewhere a count found is "at
// least", so unknown.
void fhir_decoder::impl::bind_count(const fhir_binding& b, const resource* order, patient& out, std::string& words) {
  const fhir_code_list& list = g.fhir.code_lists[static_cast<std::size_t>(b.codes)];
  std::size_t n = 0;
  std::string ids;
  const resource* doubt = nullptr;
  for (std::size_t ri = 0; ri < resources.size(); ++ri) {
    const resource& r = resources[ri];
    bool unplaced = false;
    if (r.type != kind_of(b) || !counted[ri]) continue;
    if (!in_list(ri, b.codes)) {
      if (r.code_absent && !doubt) doubt = &r;
      continue;
    }
    if (!in_window(b, r, order, unplaced)) {
      if (unplaced && !doubt) doubt = &r;
      continue;
    }
    ++n;
    ids += (ids.empty() ? "" : ", ") + r.id;
  }
  std::string found = n == 0 ? fmt::format(FMT_COMPILE("no {} in `{}`"), resource_word(b.resource), list.id) : fmt::format(FMT_COMPILE("{} ({})"), n, ids);
  if (doubt) {
    put(words, FMT_COMPILE("unknown: {}; {} might be one more"), found, doubt->id);
    return;
  }
  if (!fhir::record_complete(g, b.resource)) {
    put(words, FMT_COMPILE("unknown: {}, and the record is not declared complete{}"), found, n ? ", so at least that many" : "");
    return;
  }
  if (unsent(b.resource)) {
    put(words, FMT_COMPILE("unknown: {}, and the request has no prefetch {} (not sent){}"), found, unsent_words, n ? ", so at least that many" : "");
    return;
  }
  out.set_number(b.slot, static_cast<double>(n));
  words = found;
}

// Whether some resource of the Bundle could match `b`'s code list: one in
// the list, or one of its kind whose code is absent. Most Bundles have no
// resource in most lists, and those bindings need no scan.
bool fhir_decoder::impl::might_match(const fhir_binding& b) const {
  return !index.usable() || ((present_lists >> b.codes) & 1) || (codeless_kinds >> static_cast<unsigned>(kind_of(b)) & 1);
}

// One yes/no source: whether any resource matches, or a yes/no answer.
truth fhir_decoder::impl::yes_no(std::size_t i, const resource* order, std::string& words, std::vector<std::string>& warnings) {
  const fhir_binding& b = g.fhir.bindings[i];
  if (b.source != fhir_source::answer) return bind_any(i, order, words);
  truth t = truth::unknown;
  if (has_responses) t = fhir::answer_of(resources, b, order, false, words, warnings).value;
  else words.assign(no_response[i]);  // what answer_of says when there is no response at all
  note_unsent_answers(words);
  return t;
}

// One source of a number or duration, written into the fact's slot when it gives a value.
void fhir_decoder::impl::bind_one(const fhir_binding& b, const resource* order, patient& out, std::string& words) {
  switch (b.source) {
    case fhir_source::age_at_order: bind_age(b, order, out, words); break;
    case fhir_source::time_since_onset: bind_onset(b, order, out, words); break;
    case fhir_source::total_time: bind_total(b, order, out, words); break;
    case fhir_source::observation_value: bind_observation(b, order, out, words); break;
    case fhir_source::count: bind_count(b, order, out, words); break;
    case fhir_source::answer: {
      fhir::answer_result a;
      if (has_responses) a = fhir::answer_of(resources, b, order, true, words, out.warnings);
      else words.assign(no_response[static_cast<std::size_t>(&b - g.fhir.bindings.data())]);
      double value = 0;
      if (a.value == truth::yes && fhir::answer_in_unit(g.facts[b.slot], a, b, value, words, out.warnings)) out.set_number(b.slot, value);
      note_unsent_answers(words);
      break;
    }
    case fhir_source::any: break;  // yes/no: bind_group
  }
}

static std::string_view without_unknown(std::string_view words) {
  return words.starts_with("unknown: ") ? words.substr(9) : words;
}

// A binding and its `or` alternatives [first, end). Yes/no: Kleene OR — any
// yes is yes (its words), all no is no, else unknown. A number or duration:
// the first alternative that gives a value. A set member's result goes to
// member_truth[first] and member_words[first] for assemble_sets; a fact's
// words straight to its provenance. A binding alone (the usual case) writes
// its words in place.
void fhir_decoder::impl::bind_group(std::size_t first, std::size_t end, const resource* order, patient& out, fhir_provenance& where) {
  const fhir_binding& head = g.fhir.bindings[first];
  std::string& words = head.member >= 0 ? member_words[first] : where.facts[head.slot];
  words.clear();
  const bool yes_no_fact = head.member >= 0 || g.facts[head.slot].type == value_type::boolean;
  if (end - first == 1) {
    if (!yes_no_fact) {
      bind_one(head, order, out, words);
      return;
    }
    truth t = yes_no(first, order, words, out.warnings);
    if (head.member >= 0) member_truth[first] = t;
    else if (t != truth::unknown) out.set_bool(head.slot, t == truth::yes);
    return;
  }
  // The alternatives' words, in buffers kept from Bundle to Bundle.
  std::string& all = group_all;
  std::string& w = group_one;
  all.clear();
  if (yes_no_fact) {
    truth acc = truth::no;
    std::string& yes_words = group_yes;
    for (std::size_t k = first; k < end; ++k) {
      w.clear();
      truth t = yes_no(k, order, w, out.warnings);
      if (t == truth::yes && acc != truth::yes) yes_words = w;
      if (t == truth::yes || (t == truth::unknown && acc == truth::no)) acc = t;
      all.append(all.empty() ? "" : "; ").append(without_unknown(w));
    }
    if (acc == truth::yes) words.assign(yes_words);
    else words.assign(acc == truth::unknown ? "unknown: " : "").append(all);
    if (head.member >= 0) member_truth[first] = acc;
    else if (acc != truth::unknown) out.set_bool(head.slot, acc == truth::yes);
    return;
  }
  for (std::size_t k = first; k < end; ++k) {
    w.clear();
    bind_one(g.fhir.bindings[k], order, out, w);
    if (out.known(head.slot)) {
      words.assign(w);
      return;
    }
    all.append(all.empty() ? "" : "; ").append(without_unknown(w));
  }
  words.assign("unknown: ").append(all);
}

// A set fact is known member by member: each bound member found is present,
// each shown absent is absent, and the rest (unbound, or undecided by the
// record) stay unknown. With every member decided the set is known; with only
// some, it is a partial set (slot_value) that still decides the tests its
// decided members settle. The words say which members were found, which were
// excluded and which could not be decided.
void fhir_decoder::impl::assemble_sets(patient& out, fhir_provenance& where) {
  for (const set_layout& set : sets) {
    const auto& members = g.enumerations[static_cast<std::size_t>(g.facts[set.slot].enumeration)].members;
    auto truth_of = [&](std::size_t m) { return set.binding_of[m] < 0 ? truth::unknown : member_truth[static_cast<std::size_t>(set.binding_of[m])]; };
    auto words_of = [&](std::size_t m) -> const std::string& { return member_words[static_cast<std::size_t>(set.binding_of[m])]; };
    std::uint64_t mask = 0, decided = 0;
    for (std::size_t m = 0; m < members.size(); ++m)
      if (truth_of(m) != truth::unknown) decided |= std::uint64_t(1) << m;
    const bool known = decided == member_universe(g, set.slot);
    std::string& words = where.facts[set.slot];
    words.clear();
    if (known) {
      words += "from the bound members";
    } else {
      words += decided ? "partly known: undecided " : "unknown: undecided ";
      bool first = true;
      for (std::size_t m = 0; m < members.size(); ++m) {
        if (truth_of(m) != truth::unknown) continue;
        words.append(first ? "" : ", ").append(members[m].id);
        if (set.binding_of[m] < 0) words.append(" (not bound)");
        else words.append(" (").append(words_of(m)).append(")");
        first = false;
      }
    }
    // Plain appends, not formatting: a dozen lines per Bundle.
    for (std::size_t m = 0; m < members.size(); ++m)
      if (truth_of(m) == truth::yes) {
        mask |= std::uint64_t(1) << m;
        words.append("\n    includes ").append(members[m].id).append(": ").append(words_of(m));
      }
    for (std::size_t m = 0; m < members.size(); ++m)
      if (truth_of(m) == truth::no) words.append("\n    excludes ").append(members[m].id).append(": ").append(words_of(m));
    if (known) out.set_members(set.slot, mask);
    else out.set_partial(set.slot, mask, decided, member_universe(g, set.slot));
  }
}

bool fhir_decoder::impl::decode(std::string_view json, patient& out, fhir_provenance& where, std::string& error, bool padded) {
  reset(out, where);
  return fhir::read_resources(json, resources, error, bundle_id, &sent, padded) && bind(out, where);
}

bool fhir_decoder::impl::decode(const fhir_request_parts& parts, patient& out, fhir_provenance& where, std::string& error) {
  reset(out, where);
  return fhir::read_request_parts(parts, resources, error, bundle_id, &sent) && bind(out, where);
}

void fhir_decoder::impl::reset(patient& out, fhir_provenance& where) {
  out.reset(g);
  // Cleared, not freed: the strings keep their capacity from Bundle to Bundle.
  where.ordered_procedure = -1;
  where.order.clear();
  where.facts.resize(g.facts.size());
  for (std::string& f : where.facts) f.clear();
}

// The facts of the resources just read.
bool fhir_decoder::impl::bind(patient& out, fhir_provenance& where) {
  lists.resize(resources.size());
  counted.resize(resources.size());
  present_lists = 0;
  codeless_kinds = 0;
  has_responses = false;
  for (std::size_t ri = 0; ri < resources.size(); ++ri) {
    const resource& r = resources[ri];
    lists[ri] = index.usable() ? index.lists_of(r) : 0;
    counted[ri] = counts(r);
    if (counted[ri]) present_lists |= lists[ri];
    if (counted[ri] && r.code_absent) codeless_kinds |= 1u << static_cast<unsigned>(r.type);
    has_responses = has_responses || r.type == resource::kind::questionnaire_response;
  }
  for (const auto& r : resources)
    if (r.type == resource::kind::patient && out.id.empty()) append_json_string(out.id, std::string_view(r.id).substr(8));
  if (!bundle_id.empty()) {
    out.id.clear();
    append_json_string(out.id, bundle_id);
  }
  const resource* order = find_order(where, out);
  member_truth.assign(g.fhir.bindings.size(), truth::unknown);
  member_words.resize(g.fhir.bindings.size());
  for (std::size_t i = 0; i < g.fhir.bindings.size();) {
    std::size_t end = i + 1;
    while (end < g.fhir.bindings.size() && g.fhir.bindings[end].or_previous) ++end;
    bind_group(i, end, order, out, where);
    i = end;
  }
  assemble_sets(out, where);
  where.members.assign(member_truth.begin(), member_truth.end());
  return true;
}

fhir_decoder::fhir_decoder(const graph& g) : impl_(std::make_unique<impl>(g)) {}
fhir_decoder::~fhir_decoder() = default;
bool fhir_decoder::decode(std::string_view json, patient& out, fhir_provenance& where, std::string& error) {
  return impl_->decode(json, out, where, error, false);
}
bool fhir_decoder::decode_padded(std::string_view json, patient& out, fhir_provenance& where, std::string& error) {
  return impl_->decode(json, out, where, error, true);
}
bool fhir_decoder::decode_request(const fhir_request_parts& parts, patient& out, fhir_provenance& where, std::string& error) {
  return impl_->decode(parts, out, where, error);
}

}  // namespace rubric::runtime
