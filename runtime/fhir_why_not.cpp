// Resource words for why-not changes (fhir_why_not.hpp). Each source of a
// binding says what would make it give the value the change asks for; `or`
// alternatives combine as the decoder combines them: for yes, any one
// source; for no, every source; for a number, the first source with a value.
#include "runtime/fhir_why_not.hpp"

#include <fmt/format.h>

#include <vector>

#include "runtime/fhir_sources.hpp"
#include "runtime/fhir_systems.hpp"

namespace rubric::runtime {

namespace {

// "`stdlib.codes.red_flags.fever` (SNOMED 386661006 Fever, ICD-10-CM R50.9 Fever, unspecified)"; at most 3 codes shown.
std::string codes_words(const graph& g, const fhir_binding& b) {
  if (b.codes < 0) return {};
  const fhir_code_list& list = g.fhir.code_lists[static_cast<std::size_t>(b.codes)];
  std::string shown;
  for (std::size_t i = 0; i < list.codes.size() && i < 3; ++i) {
    const fhir_code& c = list.codes[i];
    const coding_system* s = coding_system_of_uri(c.system);
    shown += fmt::format("{}{} {}{}{}", i ? ", " : "", s ? s->display : std::string_view(c.system), c.code, c.prefix ? "*" : "",
                         c.display.empty() ? "" : " " + c.display);
  }
  if (list.codes.size() > 3) shown += fmt::format(" and {} more", list.codes.size() - 3);
  return fmt::format("coded in `{}` ({})", list.id, shown);
}

const char* dated_word(fhir_resource r) {
  switch (r) {
    case fhir_resource::condition: return "with its onset (else its recorded date)";
    case fhir_resource::procedure: return "performed";
    case fhir_resource::observation: return "taken";
    case fhir_resource::medication: return "dated";
    case fhir_resource::questionnaire_response: return "authored";
  }
  return "dated";
}

std::string window_words(const fhir_binding& b) {
  if (!b.within_days) return {};
  return fmt::format(" {} within {} before the order", dated_word(b.resource), format_duration(*b.within_days));
}

const char* counted_resource(fhir_resource r) {
  switch (r) {
    case fhir_resource::condition: return "active Condition";
    case fhir_resource::procedure: return "completed or in-progress Procedure";
    case fhir_resource::observation: return "final Observation";
    case fhir_resource::medication: return "active or completed MedicationRequest or MedicationStatement";
    case fhir_resource::questionnaire_response: return "completed QuestionnaireResponse";
  }
  return "resource";
}

std::string answer_words(const fhir_binding& b, std::string_view answered) {
  return fmt::format("the latest completed QuestionnaireResponse to {}{} answering \"{}\" with {}", b.questionnaire,
                     window_words(b), b.question, answered);
}

// What makes one source say yes (a yes/no fact or a set member).
std::string yes_words(const graph& g, const fhir_binding& b) {
  if (b.source == fhir_source::answer) return answer_words(b, "yes");
  const char* what = counted_resource(b.resource);
  bool vowel = what[0] == 'a' || what[0] == 'o';  // "an active …", "an active or completed …"
  return fmt::format("{} {} {}{}", vowel ? "an" : "a", what, codes_words(g, b), window_words(b));
}

// What makes one source say no, or "" when it never can (an incomplete record).
std::string no_words(const graph& g, const fhir_binding& b) {
  if (b.source == fhir_source::answer) return answer_words(b, "no");
  if (!fhir::record_complete(g, b.resource)) return {};
  return fmt::format("no {} {}{}", counted_resource(b.resource), codes_words(g, b), window_words(b));
}

// "≥ 6 weeks" → "at least 6 weeks" (the why-not's condition, in words).
std::string bound_words(std::string cond) {
  const std::pair<const char*, const char*> swaps[] = {{"≥ ", "at least "}, {"≤ ", "at most "}, {"> ", "more than "},
                                                       {"< ", "less than "}, {"= ", "exactly "}};
  for (const auto& [sym, words] : swaps)
    for (std::size_t at = cond.find(sym); at != std::string::npos; at = cond.find(sym)) cond.replace(at, std::string_view(sym).size(), words);
  return cond;
}

// What makes one source give a number or duration in `range` ("at least 6 weeks").
std::string value_words(const graph& g, fhir_binding b, const std::string& range) {
  // `latest observation in …` reads Observations whatever its `resource` field says.
  if (b.source == fhir_source::observation_value) b.resource = fhir_resource::observation;
  const char* pick = b.earliest ? "earliest" : "latest";
  switch (b.source) {
    case fhir_source::age_at_order: return fmt::format("a Patient birthDate that makes the age at the order {}", range);
    case fhir_source::time_since_onset:
      return fmt::format("the {} {} {}{} with its onset {} before the order", pick, counted_resource(b.resource), codes_words(g, b),
                         window_words(b), range);
    case fhir_source::total_time:
      return fmt::format("{}s {}{} whose performed periods add up to {}", counted_resource(b.resource), codes_words(g, b), window_words(b), range);
    case fhir_source::observation_value:
      return fmt::format("the {} {} {}{} with a value of {}", pick, counted_resource(b.resource), codes_words(g, b), window_words(b), range);
    case fhir_source::count:
      return fmt::format("{} {}s {}{}, the record of them declared complete", range, counted_resource(b.resource), codes_words(g, b), window_words(b));
    case fhir_source::answer: return answer_words(b, "a number " + range);
    case fhir_source::any: break;
  }
  return {};
}

// The sources of one fact (member -1) or one set member, in order.
std::vector<const fhir_binding*> sources_of(const graph& g, std::uint32_t slot, std::int32_t member) {
  std::vector<const fhir_binding*> out;
  for (const auto& b : g.fhir.bindings)
    if (b.slot == slot && b.member == member) out.push_back(&b);
  return out;
}

const fhir_unbound* unbound_of(const graph& g, std::uint32_t slot, std::int32_t member) {
  for (const auto& u : g.fhir.unbound)
    if (u.slot == slot && (u.member == member || u.member < 0)) return &u;
  return nullptr;
}

// "`red_flags has nocturnal_pain`"
std::string subject(const graph& g, std::uint32_t slot, std::int32_t member) {
  const fact& f = g.facts[slot];
  if (member < 0) return "`" + f.id + "`";
  return fmt::format("`{} has {}`", f.id, g.enumerations[static_cast<std::size_t>(f.enumeration)].members[static_cast<std::size_t>(member)].id);
}

// Why no Bundle can set it: declared unbound (with the reason), or not bound at all.
std::string unreachable(const graph& g, std::uint32_t slot, std::int32_t member) {
  if (const fhir_unbound* u = unbound_of(g, slot, member))
    return fmt::format("no resource can say so: {} is unbound ({})", subject(g, slot, member), u->reason);
  return fmt::format("no resource can say so: no binding reads {}", subject(g, slot, member));
}

// A yes/no fact or set member made yes (`yes`) or no.
std::string truth_words(const graph& g, std::uint32_t slot, std::int32_t member, bool yes) {
  auto sources = sources_of(g, slot, member);
  if (sources.empty()) return unreachable(g, slot, member);
  std::string out;
  for (const fhir_binding* b : sources) {
    std::string w = yes ? yes_words(g, *b) : no_words(g, *b);
    if (w.empty())
      return fmt::format("no Bundle can show {} absent: {}s are not declared complete, so no match is unknown", subject(g, slot, member),
                         counted_resource(b->resource));
    out += (out.empty() ? "" : yes ? ", or " : ", and ") + w;
  }
  return out;
}

std::string member_list_words(const graph& g, std::uint32_t slot, std::uint64_t members, bool yes) {
  const enumeration& e = g.enumerations[static_cast<std::size_t>(g.facts[slot].enumeration)];
  std::vector<std::string> parts;
  for (std::size_t m = 0; m < e.members.size(); ++m)
    if (members >> m & 1) parts.push_back(fmt::format("{}: {}", e.members[m].id, truth_words(g, slot, static_cast<std::int32_t>(m), yes)));
  if (parts.size() == 1) return parts.front();
  std::string out = yes ? "for any one of them: " : "for each of them: ";
  for (std::size_t i = 0; i < parts.size(); ++i) out += (i ? "; " : "") + parts[i];
  return out;
}

}  // namespace

std::string fhir_change_words(const graph& g, const patient& now, const fact_change& c) {
  if (g.fhir.empty() || c.slot >= g.facts.size()) return {};
  const fact& f = g.facts[c.slot];
  switch (f.type) {
    case value_type::boolean: return truth_words(g, c.slot, -1, c.value.bits != 0);
    case value_type::set: {
      const std::uint64_t universe = member_universe(g, c.slot);
      if (c.members == 0) {  // "= {} (none)": every member absent
        const slot_value& cur = now.slots[c.slot];
        std::uint64_t decided_absent = partly_known(cur) ? cur.decided & ~cur.bits & universe : cur.known ? universe & ~cur.bits : 0;
        std::uint64_t to_decide = universe & ~decided_absent;  // the present and the undecided
        if (to_decide == 0) return {};
        return member_list_words(g, c.slot, to_decide, false);
      }
      bool include = c.value.bits & c.members;
      return member_list_words(g, c.slot, c.members, include);
    }
    case value_type::number:
    case value_type::duration: {
      auto sources = sources_of(g, c.slot, -1);
      if (sources.empty()) return unreachable(g, c.slot, -1);
      std::string range = bound_words(c.condition.substr(f.id.size() + 1));
      if (f.type == value_type::number && !f.unit.empty()) range += " (in " + f.unit + ")";
      std::string out = value_words(g, *sources.front(), range);
      for (std::size_t i = 1; i < sources.size(); ++i) out += "; failing any value there, " + value_words(g, *sources[i], range);
      return out;
    }
    case value_type::enumeration:
    case value_type::text: break;
  }
  return unreachable(g, c.slot, -1);
}

change_words fhir_change_words_for(const graph& g, const patient& now) {
  return [&g, &now](const fact_change& c) { return fhir_change_words(g, now, c); };
}

}  // namespace rubric::runtime
