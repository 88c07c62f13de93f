// Examples against assumptions: an `example` whose `given` values break an
// `assume` (R0508), i.e. make it false. An `assume` that is unknown because the
// example leaves its facts unknown is not broken — as in the runtime.
#include <fmt/format.h>

#include "compiler/verify/verify.hpp"
#include "compiler/verify/verify_session.hpp"
#include "compiler/sema/quantity.hpp"
#include "runtime/patient.hpp"

namespace rubric::compiler::verify_detail {

namespace {

using runtime::value_type;

std::string last_part(const std::string& name) {
  auto dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(dot + 1);
}

int member_index(const runtime::graph& g, const runtime::fact& f, const std::string& name) {
  if (f.enumeration < 0 || static_cast<std::size_t>(f.enumeration) >= g.enumerations.size()) return -1;
  const auto& members = g.enumerations[static_cast<std::size_t>(f.enumeration)].members;
  for (std::size_t k = 0; k < members.size() && k < 64; ++k)
    if (members[k].id == last_part(name)) return static_cast<int>(k);
  return -1;
}

// One `given` value into a patient slot; false when it does not fit the fact's
// type (the type checker reports that, so the example is skipped here).
bool convert(const runtime::graph& g, const runtime::fact& f, const ast::expr& e, cx_value& out) {
  out = cx_value{};
  if (e.kind == ast::expr_kind::unknown) return true;
  switch (f.type) {
    case value_type::boolean:
      if (e.kind != ast::expr_kind::boolean) return false;
      out.boolean = e.bool_value;
      break;
    case value_type::number:
    case value_type::duration:
      if (e.kind != ast::expr_kind::number) return false;
      if (auto v = literal_in(e.number_value, fact_unit(f))) out.number = *v;
      else return false;
      break;
    case value_type::enumeration: {
      if (e.kind != ast::expr_kind::name) return false;
      int k = member_index(g, f, e.text_value);
      if (k < 0) return false;
      out.index = k;
      break;
    }
    case value_type::set:
      if (e.kind != ast::expr_kind::set) return false;
      for (const ast::expr& m : e.operands) {
        int k = member_index(g, f, m.text_value);
        if (k < 0) return false;
        out.mask |= std::uint64_t{1} << k;
      }
      break;
    case value_type::text: {
      if (e.kind != ast::expr_kind::string) return false;
      out.index = static_cast<std::int64_t>(g.strings.size());
      for (std::size_t i = 0; i < g.strings.size(); ++i)
        if (g.strings[i] == e.text_value) out.index = static_cast<std::int64_t>(i);
      break;
    }
  }
  out.known = true;
  return true;
}

int fact_slot(const runtime::graph& g, const std::string& name) {
  for (std::size_t i = 0; i < g.facts.size(); ++i)
    if (g.facts[i].id == name || last_part(g.facts[i].id) == last_part(name)) return static_cast<int>(i);
  return -1;
}

}  // namespace

void check_examples(session& s, const source_manager& sources, diagnostic_sink& sink, const verify_options& options) {
  const runtime::graph& g = s.g;
  if (options.modules == nullptr || options.modules->empty() || g.assumptions.empty()) return;
  for (const ast::example_decl& ex : options.modules->front().examples) {
    if (ex.given.empty()) continue;
    cx_patient p(g.facts.size());
    bool usable = true;
    for (const ast::given_decl& gv : ex.given) {
      int slot = fact_slot(g, gv.fact.text);
      if (slot < 0 || !convert(g, g.facts[static_cast<std::size_t>(slot)], gv.value, p[static_cast<std::size_t>(slot)]))
        usable = false;
    }
    if (!usable) continue;
    z3::expr pinned = s.enc.pinned_known(p);
    std::vector<std::size_t> broken;
    // An `assume` is broken only when it is false for the example as given
    // (facts left unknown stay free, and unknown is no violation): exactly
    // when the runtime would flag the patient. The assumptions are consistent
    // (R0509 runs first), so the example as given never breaks them only jointly.
    for (std::size_t i = 0; i < g.assumptions.size(); ++i)
      if (s.check(pinned && s.enc.assumption_holds(i)) == answer::unsat) broken.push_back(i);
    if (broken.empty()) continue;
    span where{ex.given.front().where.file, ex.given.front().where.begin, ex.given.back().where.end};
    std::vector<std::string> texts;
    for (std::size_t i : broken) texts.push_back("`assume " + g.assumptions[i].text + "`");
    diagnostic& d = sink.report(diag_code::example_violates_assume, where,
                                fmt::format("the `given` values of example \"{}\" break {}", ex.title.value,
                                            fmt::join(texts, ", ")));
    for (std::size_t i : broken) {
      bool ok = false;
      span at = span_of(g, sources, g.assumptions[i].where, ok);
      if (ok) d.also(at, g.assumptions[i].label.empty() ? "the assumption" : g.assumptions[i].label);
    }
    d.suggest("correct the example's values, or the `assume` if real patients can look like this");
  }
}

}  // namespace rubric::compiler::verify_detail
