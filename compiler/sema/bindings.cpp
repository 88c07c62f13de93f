// FHIR code lists and bindings (bindings.hpp): system and code form checks,
// then the root guideline's bindings resolved against its facts and the code
// lists it can see.
#include "compiler/sema/bindings.hpp"

#include <cctype>
#include <set>

#include "compiler/sema/resolve.hpp"
#include "runtime/fhir_systems.hpp"

namespace rubric::compiler {

namespace {

bool all_of_chars(std::string_view s, int (*pred)(int)) {
  for (char c : s)
    if (!pred(static_cast<unsigned char>(c))) return false;
  return true;
}

bool icd10cm_form(std::string_view c, bool prefix) {
  // A letter, two characters, then optionally `.` and 1-4 characters (M54.16, Z79.52, W19.XXXA).
  if (c.empty() || !std::isupper(static_cast<unsigned char>(c[0]))) return false;
  auto alnum_upper = [](char ch) { return std::isdigit(static_cast<unsigned char>(ch)) || std::isupper(static_cast<unsigned char>(ch)); };
  std::size_t dot = c.find('.');
  std::string_view head = c.substr(0, dot);
  if (head.size() > 3 || (!prefix && head.size() != 3)) return false;
  for (std::size_t i = 1; i < head.size(); ++i)
    if (!alnum_upper(head[i])) return false;
  if (head.size() >= 2 && !std::isdigit(static_cast<unsigned char>(head[1]))) return false;
  if (dot == std::string_view::npos) return true;
  if (head.size() != 3) return false;
  std::string_view tail = c.substr(dot + 1);
  if (tail.size() > 4 || (tail.empty() && !prefix)) return false;
  for (char ch : tail)
    if (!alnum_upper(ch)) return false;
  return true;
}

}  // namespace

bool code_has_system_form(std::string_view system, std::string_view code, bool prefix) {
  if (system == "ICD10CM") return icd10cm_form(code, prefix);
  if (prefix) return false;  // only ICD-10-CM codes nest by their characters
  if (system == "SNOMED") return code.size() >= 6 && code.size() <= 18 && all_of_chars(code, ::isdigit);
  if (system == "RXNORM") return !code.empty() && code.size() <= 10 && all_of_chars(code, ::isdigit);
  if (system == "CPT")
    return code.size() == 5 && all_of_chars(code.substr(0, 4), ::isdigit) &&
           (std::isdigit(static_cast<unsigned char>(code[4])) || code[4] == 'F' || code[4] == 'T');
  if (system == "LOINC") {
    std::size_t dash = code.find('-');
    return dash != std::string_view::npos && dash >= 1 && dash <= 7 && dash + 2 == code.size() &&
           all_of_chars(code.substr(0, dash), ::isdigit) && std::isdigit(static_cast<unsigned char>(code.back()));
  }
  return false;
}

namespace {

// "an ICD-10-CM", "a SNOMED": the article goes by the first letter as spoken.
std::string a_system(std::string_view display) {
  bool vowel_sound = !display.empty() && std::string_view("AEIOUR").find(display[0]) != std::string_view::npos;
  return (vowel_sound ? "an " : "a ") + std::string(display);
}

class binding_checker {
 public:
  binding_checker(sema::program& p, diagnostic_sink& sink) : p_(p), sink_(sink) {}

  void run() {
    for (std::uint32_t m = 0; m < p_.module_count(); ++m)
      for (const auto& list : p_.module(m).code_lists) check_codes(list);
    const ast::module& root = p_.module(0);
    if (root.fhir.empty()) return;
    if (root.head.kind != ast::module_kind::guideline) {
      sink_.report(diag_code::misplaced_fhir, root.fhir[0].where, "a library cannot declare a `fhir` block")
          .suggest("move the bindings into the guideline whose facts they derive");
      return;  // its bindings name facts of no guideline: one error, not one per line
    }
    for (std::size_t i = 1; i < root.fhir.size(); ++i)
      sink_.report(diag_code::misplaced_fhir, root.fhir[i].where, "a guideline can have only one `fhir` block")
          .suggest("merge the bindings into the first `fhir` block");
    for (const auto& block : root.fhir)
      for (const auto& b : block.bindings) p_.bindings.push_back(check_binding(b));
    for (const auto& block : root.fhir)
      for (const auto& u : block.unbound) p_.unbound.push_back(check_unbound(u));
  }

 private:
  void check_codes(const ast::codes_decl& list) {
    for (const auto& e : list.codes) {
      const auto* system = runtime::coding_system_named(e.system.text);
      if (!system) {
        sink_.report(diag_code::unknown_code_system, e.system.where, "`" + e.system.text + "` is not a coding system Rubric knows")
            .suggest("write one of " + std::string(runtime::coding_system_names()));
        continue;
      }
      std::string_view code = e.code.value;
      bool prefix = !code.empty() && code.back() == '*';
      if (prefix) code.remove_suffix(1);
      if (!code_has_system_form(e.system.text, code, prefix)) {
        auto& d = sink_.report(diag_code::code_wrong_system, e.code.where,
                               "`" + e.code.value + "` is not " + (prefix ? "a prefix of " : "") +
                                   a_system(system->display) + " code");
        for (const char* other : {"ICD10CM", "SNOMED", "CPT", "LOINC", "RXNORM"})
          if (other != e.system.text && code_has_system_form(other, code, prefix))
            d.suggest("it has the form of " + a_system(runtime::coding_system_named(other)->display) +
                      " code: write `" + other + "` before it");
        if (prefix && e.system.text != "ICD10CM") d.note("only ICD-10-CM codes may end in `*` (a prefix)");
      }
    }
  }

  // The code list a binding names: `name` in the guideline or an import, or `module.name`.
  std::optional<std::pair<std::uint32_t, std::uint32_t>> find_codes(const ast::name& n) {
    std::string module, id = n.text;
    if (auto dot = n.text.rfind('.'); dot != std::string::npos) {
      module = n.text.substr(0, dot);
      id = n.text.substr(dot + 1);
    }
    std::vector<std::uint32_t> candidates{0};
    for (auto m : p_.scopes[0].imports) candidates.push_back(m);
    for (auto m : candidates) {
      if (!module.empty() && p_.scopes[m].name != module) continue;
      const auto& lists = p_.module(m).code_lists;
      for (std::uint32_t i = 0; i < lists.size(); ++i)
        if (lists[i].id.text == id) return std::make_pair(m, i);
    }
    auto& d = sink_.report(diag_code::unknown_code_list, n.where, "no code list `" + n.text + "` is declared or imported");
    if (!module.empty()) d.suggest("import `" + module + "`, the library that declares it");
    else d.suggest("declare it with `codes " + id + " \"…\"`, or import the library of codes that declares it");
    return std::nullopt;
  }

  // The guideline's own patient fact `fact` names, or R0454 with `help`.
  std::optional<sema::symbol> guideline_fact(const ast::name& fact, const char* help) {
    auto sym = lookup(p_, 0, fact.text, fact.where, sema::name_space::value, sink_, false);
    if (sym && sym->kind == sema::symbol_kind::fact && sym->module == 0) return sym;
    sink_.report(diag_code::unknown_binding_fact, fact.where, "`" + fact.text + "` is not a patient fact of this guideline").suggest(help);
    return std::nullopt;
  }

  sema::binding_info check_binding(const ast::binding_decl& b) {
    sema::binding_info info;
    // An `or` alternative names the fact of the binding before it: that one reported any problem with it.
    if (b.alternative && !head_ok_) return info;
    if (!b.alternative) head_ok_ = false;
    auto sym = guideline_fact(b.fact, "bind a fact declared in the guideline's `patient` block");
    if (!sym) return info;
    info.fact = *sym;
    const sema::type& t = p_.scopes[0].fact_types[sym->index];
    if (b.member && !check_member(b, t, info)) return info;
    if (!b.alternative) head_ok_ = true;
    if (!check_type(b, t)) return info;
    std::string key = b.fact.text + (b.member ? " has " + b.member->text : "");
    if (!b.alternative && !bound_.insert(key).second) {
      sink_.report(diag_code::duplicate_binding, b.where, "`" + key + "` is bound twice")
          .suggest("keep one binding; join other sources to it with `or`");
      return info;
    }
    if (b.within && b.within->unit_of == ast::unit::none) {
      sink_.report(diag_code::binding_type_mismatch, b.within->where, "`within` takes a duration, not `" + b.within->spelling + "`")
          .suggest("write a time, as in `within 4 weeks before the order`");
      return info;
    }
    if (b.within && b.within->value < 0) {
      // The window runs from the order's day back: a negative length leaves no day in it.
      sink_.report(diag_code::empty_window, b.within->where,
                   "the window `within " + b.within->spelling + " before the order` is empty: no resource can be in it")
          .note("a window runs from that long before the order's day to the order's day, both included")
          .suggest("write how far back to look as a positive time, as in `within 4 weeks before the order`; "
                   "`within 0 days` keeps the order's day only");
      return info;
    }
    if (b.source != ast::fhir_source::age_at_order && b.source != ast::fhir_source::answer) {
      auto codes = find_codes(b.codes);
      if (!codes) return info;
      info.codes_module = static_cast<std::int32_t>(codes->first);
      info.codes_index = static_cast<std::int32_t>(codes->second);
    }
    info.ok = true;
    return info;
  }

  // `FACT [has MEMBER] is unbound "REASON"`: a fact (member) of the guideline,
  // not also bound, with a reason; a whole set declared unbound leaves none
  // of its members to bind.
  sema::unbound_info check_unbound(const ast::unbound_decl& u) {
    sema::unbound_info info;
    auto sym = guideline_fact(u.fact, "name a fact declared in the guideline's `patient` block");
    if (!sym) return info;
    info.fact = *sym;
    const sema::type& t = p_.scopes[0].fact_types[sym->index];
    if (u.member) {
      ast::binding_decl as_binding;
      as_binding.fact = u.fact;
      as_binding.member = u.member;
      sema::binding_info member;
      if (!check_member(as_binding, t, member)) return info;
      info.member = member.member;
    }
    std::string key = u.fact.text + (u.member ? " has " + u.member->text : "");
    bool conflict = bound_.count(key) > 0;
    if (!u.member)  // the whole fact: no member of it may be bound either
      for (const auto& k : bound_) conflict = conflict || k.starts_with(u.fact.text + " has ");
    else conflict = conflict || bound_.count(u.fact.text) > 0;
    if (conflict) {
      sink_.report(diag_code::duplicate_binding, u.where, "`" + key + "` is bound and also declared unbound")
          .suggest("keep the binding and drop `is unbound`, or drop the binding");
      return info;
    }
    if (!bound_.insert(key).second) {
      sink_.report(diag_code::duplicate_binding, u.where, "`" + key + "` is declared unbound twice").suggest("keep one line");
      return info;
    }
    info.ok = true;
    return info;
  }

  bool check_member(const ast::binding_decl& b, const sema::type& t, sema::binding_info& info) {
    if (t.kind != sema::type_kind::set) {
      sink_.report(diag_code::binding_type_mismatch, b.member->where, "`" + b.fact.text + "` is not a set, so it has no members to bind")
          .suggest("drop `has " + b.member->text + "`");
      return false;
    }
    const auto& members = p_.module(static_cast<std::uint32_t>(t.enum_module)).enums[static_cast<std::size_t>(t.enum_index)].members;
    for (std::size_t i = 0; i < members.size(); ++i)
      if (members[i].id.text == b.member->text) {
        info.member = static_cast<std::int32_t>(i);
        return true;
      }
    sink_.report(diag_code::unknown_binding_fact, b.member->where, "`" + b.member->text + "` is not a member of `" + b.fact.text + "`")
        .suggest("bind one member of its enumeration per line");
    return false;
  }

  bool check_type(const ast::binding_decl& b, const sema::type& t) {
    const char* gives = nullptr;
    bool ok = false;
    switch (b.source) {
      case ast::fhir_source::age_at_order: gives = "a duration (age at the order)"; ok = t.kind == sema::type_kind::duration && !b.member; break;
      case ast::fhir_source::time_since_onset: gives = "a duration (time since onset)"; ok = t.kind == sema::type_kind::duration && !b.member; break;
      case ast::fhir_source::total_time: gives = "a duration (total time)"; ok = t.kind == sema::type_kind::duration && !b.member; break;
      case ast::fhir_source::any: gives = "true or false (whether any resource matches)"; ok = b.member || t.kind == sema::type_kind::boolean; break;
      case ast::fhir_source::observation_value:
        gives = "a number or a duration (an observation's value)";
        ok = !b.member && (t.kind == sema::type_kind::number || t.kind == sema::type_kind::duration);
        break;
      case ast::fhir_source::count: gives = "a number (a count)"; ok = !b.member && t.kind == sema::type_kind::number; break;
      case ast::fhir_source::answer:
        gives = "yes/no, a number or a duration (a questionnaire answer)";
        ok = b.member || t.kind == sema::type_kind::boolean || t.kind == sema::type_kind::number || t.kind == sema::type_kind::duration;
        break;
    }
    if (ok) return true;
    auto& d = sink_.report(diag_code::binding_type_mismatch, b.where,
                           "this binding gives " + std::string(gives) + ", but `" + b.fact.text + "` is " + type_words(t));
    if (t.kind == sema::type_kind::set) d.suggest("bind each member: `" + b.fact.text + " has MEMBER from any condition in CODES`");
    else if (t.kind == sema::type_kind::boolean) d.suggest("a yes/no fact comes `from any condition in CODES`, `from any procedure in CODES` or `from answer \"LINK\" in questionnaire \"URL\"`");
    else if (t.kind == sema::type_kind::number) d.suggest("a number comes from `latest observation in CODES`, `number of conditions in CODES` or `answer \"LINK\" in questionnaire \"URL\"`");
    else if (t.kind == sema::type_kind::duration) d.suggest("a duration comes from `age at the order`, `time since onset of latest condition in CODES`, `total time of procedure in CODES` or `answer \"LINK\" in questionnaire \"URL\"`");
    return false;
  }

  static std::string type_words(const sema::type& t) {
    switch (t.kind) {
      case sema::type_kind::boolean: return "a yes/no fact";
      case sema::type_kind::number: return "a number";
      case sema::type_kind::duration: return "a duration";
      case sema::type_kind::text: return "text";
      case sema::type_kind::enumeration: return "an enumeration";
      case sema::type_kind::set: return "a set";
      case sema::type_kind::error: break;
    }
    return "of unknown type";
  }

  sema::program& p_;
  diagnostic_sink& sink_;
  std::set<std::string> bound_;
  bool head_ok_ = false;  // the last binding that is not an `or` alternative named a fact (and member) of the guideline
};

}  // namespace

void check_bindings(sema::program& p, diagnostic_sink& sink) { binding_checker(p, sink).run(); }

}  // namespace rubric::compiler
