// `rubric fmt` for FHIR code lists and bindings: one code per line with the
// systems, codes and displays in columns; one binding per line with the facts
// (and `has MEMBER`) in a column, so `from` (and `is unbound`) lines up.
#include <algorithm>

#include "compiler/tools/format_internal.hpp"

namespace rubric::compiler::formatting {

void formatter::emit_codes(const ast::codes_decl& c) {
  std::string head = "codes " + c.id.text;
  if (c.label) head += " " + quote(c.label->value);
  add(0, head, c.where.begin, c.label ? c.label->where.end : c.id.where.end);
  std::vector<clause> cs;
  if (c.source) cs.push_back({c.source->where.begin, c.source->where.end, 2, "source " + quote(c.source->value)});
  if (c.url) cs.push_back({c.url->where.begin, c.url->where.end, 2, "url " + quote(c.url->value)});
  std::size_t ws = 0, wc = 0;
  for (const auto& e : c.codes) {
    ws = std::max(ws, display_width(e.system.text));
    wc = std::max(wc, display_width(quote(e.code.value)));
  }
  for (const auto& e : c.codes) {
    std::string code = pad(e.system.text, ws) + " " + quote(e.code.value);
    if (e.display || e.unverified) code = pad(code, ws + 1 + wc);
    if (e.display) code += " " + quote(e.display->value);
    if (e.unverified) code += " unverified";
    while (!code.empty() && code.back() == ' ') code.pop_back();
    cs.push_back({e.where.begin, e.where.end, 2, code});
  }
  add_sorted(std::move(cs));
}

// One source as written: `any condition in fever within 4 weeks before the order`.
std::string formatter::source_words(const ast::binding_decl& b) {
  std::string window = b.within ? " within " + b.within->spelling + " before the order" : "";
  std::string resource = b.resource == ast::fhir_resource::condition   ? "condition"
                         : b.resource == ast::fhir_resource::procedure ? "procedure"
                                                                       : "medication";
  std::string in = resource + " in " + b.codes.text + window;
  std::string codes = " in " + b.codes.text + window;
  switch (b.source) {
    case ast::fhir_source::age_at_order: return "age at the order";
    case ast::fhir_source::time_since_onset: return std::string("time since onset of ") + (b.earliest ? "earliest " : "latest ") + in;
    case ast::fhir_source::any: return "any " + in;
    case ast::fhir_source::total_time: return "total time of " + in;
    case ast::fhir_source::observation_value: return std::string(b.earliest ? "earliest" : "latest") + " observation" + codes;
    case ast::fhir_source::count: {
      const char* plural = b.resource == ast::fhir_resource::condition   ? "conditions"
                           : b.resource == ast::fhir_resource::procedure ? "procedures"
                           : b.resource == ast::fhir_resource::medication ? "medications"
                                                                          : "observations";
      return "number of " + std::string(plural) + codes;
    }
    case ast::fhir_source::answer:
      return "answer " + quote(b.question ? b.question->value : "") + " in questionnaire " +
             quote(b.questionnaire ? b.questionnaire->value : "") + window;
  }
  return {};
}

void formatter::emit_fhir(const ast::fhir_decl& f) {
  add(0, f.label ? "fhir " + quote(f.label->value) : std::string("fhir"), f.where.begin,
      f.label ? f.label->where.end : f.where.begin + 4);
  std::vector<clause> cs;
  if (!f.complete.empty()) {
    std::string words;
    for (const auto& w : f.complete) words += (words.empty() ? "" : ", ") + w.text;
    cs.push_back({f.complete.front().where.begin, f.complete.back().where.end, 2, "complete " + words});
  }
  auto subject = [](const auto& b) { return b.fact.text + (b.member ? " has " + b.member->text : ""); };
  std::size_t w = 0;
  for (const auto& b : f.bindings) w = std::max(w, display_width(subject(b)));
  for (const auto& u : f.unbound) w = std::max(w, display_width(subject(u)));
  // `is unbound` lines up with `from`.
  for (const auto& u : f.unbound)
    cs.push_back({u.where.begin, u.where.end, 2, pad(subject(u), w) + " is unbound " + quote(u.reason.value)});
  // An `or` alternative goes on a line of its own, indented once more than
  // the binding (under `from` the lines would run too long).
  const int or_indent = 4;
  for (std::size_t i = 0; i < f.bindings.size(); ++i) {
    const ast::binding_decl& b = f.bindings[i];
    if (b.alternative) {
      cs.push_back({b.where.begin, b.where.end, or_indent, "or " + source_words(b)});
      continue;
    }
    bool more = i + 1 < f.bindings.size() && f.bindings[i + 1].alternative;
    cs.push_back({b.where.begin, more ? f.bindings[i + 1].where.begin : b.where.end, 2, pad(subject(b), w) + " from " + source_words(b)});
  }
  add_sorted(std::move(cs));
}

}  // namespace rubric::compiler::formatting
