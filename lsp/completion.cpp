// Completion from the line's context, tried in this order: a procedure's
// display name inside `rate "` (or `expect "`); the scale's categories after
// the procedure; enum members inside `{ … }` for the fact being tested; after
// a number, `if` in a score line, else units from the runtime's unit table
// (those of the compared fact's dimension); keywords where a declaration or
// clause may start; otherwise the facts, criteria, lets, scores and values
// visible from the file (its own and imported).
// While the text does not parse, names come from the last analysis that did.
#include <fmt/format.h>

#include <regex>
#include <set>

#include "lsp/features.hpp"
#include "lsp/protocol.hpp"
#include "runtime/units.hpp"

namespace rubric::lsp {

namespace ast = compiler::ast;
namespace sema = compiler::sema;

namespace {

// LSP CompletionItemKind values used here.
enum item_kind { ik_function = 3, ik_field = 5, ik_variable = 6, ik_unit = 11, ik_value = 12, ik_enum_member = 20, ik_constant = 21,
                 ik_keyword = 14, ik_reference = 18 };

// Longer lines (generated text, pasted data) get no completion.
constexpr std::size_t max_line = 2000;

struct context {
  const analysis* a;
  const document& doc;
  position at;
  std::string before;  // the line up to the cursor
  std::string after;   // the rest of the line
  std::uint32_t line_start = 0;
  std::string trigger;
};

// Whether the cursor is inside a string literal on its line.
bool in_string(const std::string& before) {
  bool inside = false;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (inside && before[i] == '\\') ++i;
    else if (before[i] == '"') inside = !inside;
    else if (!inside && before[i] == '#') return true;  // a comment: nothing to offer either
  }
  return inside;
}

json item(const std::string& label, int kind, const std::string& detail = "") {
  json i = {{"label", label}, {"kind", kind}};
  if (!detail.empty()) i["detail"] = detail;
  return i;
}

// An item that replaces the text from byte `from` of the line to the cursor.
json replacing(const context& c, json i, std::size_t from, const std::string& text) {
  position start = c.doc.position_of(c.line_start + static_cast<std::uint32_t>(from));
  i["textEdit"] = {{"range", to_json(range{start, c.at})}, {"newText", text}};
  i["filterText"] = text;
  return i;
}

json keywords(const std::vector<std::string>& words) {
  json items = json::array();
  for (const auto& w : words) items.push_back(item(w, ik_keyword));
  return items;
}

std::vector<std::uint32_t> visible_modules(const sema::program& p) {
  std::vector<std::uint32_t> v{0};
  for (auto i : p.scopes[0].imports) v.push_back(i);
  return v;
}

json procedure_names(const context& c, std::size_t quote) {
  json items = json::array();
  if (!c.a) return items;
  const sema::program& p = c.a->program();
  bool closed = c.after.find('"') != std::string::npos;
  for (auto m : visible_modules(p))
    for (const auto& proc : p.module(m).procedures) {
      std::string text = proc.display.value + (closed ? "" : "\"");
      items.push_back(replacing(c, item(proc.display.value, ik_value, proc.modality ? proc.modality->value : ""), quote + 1, text));
    }
  return items;
}

json categories(const context& c, std::size_t from) {
  json items = json::array();
  if (!c.a) return items;
  const sema::program& p = c.a->program();
  const auto& scale = p.scopes[0].rating_scale;
  if (!scale) return items;
  for (const auto& l : p.module(scale->module).scales[scale->index].levels)
    items.push_back(replacing(c, item(l.label.value, ik_enum_member, l.means ? l.means->value : ""), from, l.label.value));
  return items;
}

std::optional<sema::type> fact_type(const analysis& a, const std::string& name) {
  const sema::program& p = a.program();
  for (auto m : visible_modules(p)) {
    auto it = p.scopes[m].values.find(name);
    if (it != p.scopes[m].values.end() && it->second.kind == sema::symbol_kind::fact)
      return p.scopes[it->second.module].fact_types[it->second.index];
  }
  return std::nullopt;
}

json members(const context& c, const std::string& fact, const std::string& listed) {
  json items = json::array();
  if (!c.a) return items;
  auto t = fact_type(*c.a, fact);
  if (!t || t->enum_index < 0) return items;
  const auto& e = c.a->program().module(static_cast<std::uint32_t>(t->enum_module)).enums[static_cast<std::size_t>(t->enum_index)];
  std::regex word("[A-Za-z_][A-Za-z0-9_]*");
  std::set<std::string> already;
  for (std::sregex_iterator it(listed.begin(), listed.end(), word), end; it != end; ++it) already.insert(it->str());
  for (const auto& m : e.members)
    if (!already.count(m.id.text) || listed.ends_with(m.id.text))
      items.push_back(item(m.id.text, ik_enum_member, m.label ? m.label->value : ""));
  return items;
}

// The type of a fact, value or score visible from the file, for the unit
// after a number compared with it.
std::optional<sema::type> value_type(const analysis& a, const std::string& name) {
  const sema::program& p = a.program();
  for (auto m : visible_modules(p)) {
    auto it = p.scopes[m].values.find(name);
    if (it == p.scopes[m].values.end()) continue;
    const sema::symbol& s = it->second;
    if (s.kind == sema::symbol_kind::fact) return p.scopes[s.module].fact_types[s.index];
    if (s.kind == sema::symbol_kind::value) {
      auto t = p.types.find(&p.module(s.module).values[s.index].body);
      if (t != p.types.end()) return t->second;
    }
    if (s.kind == sema::symbol_kind::score) return sema::type{sema::type_kind::number};
    return std::nullopt;
  }
  return std::nullopt;
}

// Units from the runtime's unit table, replacing the part already typed (from
// byte `from` of the line). Compared with a fact or value of known unit, only
// units of its dimension, its own first (a plain number takes none: the words
// that may follow it instead); otherwise the common units, the duration words
// and every atom of the table.
json units(const context& c, std::size_t from, const std::string& compared) {
  namespace units = runtime::units;
  json items = json::array();
  std::set<std::string> seen;
  std::optional<units::unit> want;
  std::string own;
  if (c.a && !compared.empty()) {
    if (auto t = value_type(*c.a, compared)) {
      if (t->kind == sema::type_kind::duration) want = units::day();
      else if (t->kind == sema::type_kind::number && !t->unit.empty()) {
        want = units::find_unit(t->unit);
        own = t->unit;
      } else if (t->kind == sema::type_kind::number) {
        return keywords({"and", "or", "then", "else"});  // a plain number (a score, `gcs`) takes no unit
      }
    }
  }
  auto add = [&](const std::string& code, std::string detail, bool first) {
    auto u = units::find_unit(code);
    if (!u || (want && u->dim != want->dim) || !seen.insert(code).second) return;
    if (detail.empty()) detail = units::dimension_name(u->dim);
    json i = replacing(c, item(code, ik_unit, detail), from, code);
    i["sortText"] = fmt::format("{}{:03}", first ? 0 : 1, seen.size());
    if (first) i["preselect"] = true;
    items.push_back(std::move(i));
  };
  if (!own.empty()) add(own, "the unit of `" + compared + "`", true);
  for (const char* word : {"days", "weeks", "months", "years", "hours", "minutes", "seconds"}) add(word, "duration", false);
  for (std::string_view code : units::common_units()) add(std::string(code), "", false);
  if (!want)
    for (const auto& atom : units::atoms()) add(std::string(atom.code), std::string(atom.name), false);
  return items;
}

const std::vector<std::string> declaration_keywords = {"guideline", "library", "import", "enum", "scale", "procedure",
                                                       "patient", "let", "criterion", "score", "value", "variant",
                                                       "otherwise", "assume", "example", "codes", "fhir"};

// How a fact comes from FHIR (docs/fhir.md), as whole phrases to complete.
const std::vector<std::string> binding_sources = {
    "from age at the order",          "from time since onset of latest condition in", "from any condition in",
    "from any procedure in",          "from any medication in",                       "from total time of procedure in",
    "from latest observation in",     "from answer",                                  "from number of conditions in",
    "is unbound"};

// The first word of the declaration the cursor is inside: that of the
// nearest line above that is not indented.
std::string enclosing_declaration(const context& c) {
  const line_table& t = c.doc.lines();
  std::string_view text = c.doc.text();
  for (std::uint32_t line = c.at.line; line-- > 0;) {
    std::string_view l = text.substr(t.line_start(line));
    l = l.substr(0, l.find('\n'));
    if (l.empty() || l[0] == ' ' || l[0] == '\t' || l[0] == '#') continue;
    return std::string(l.substr(0, l.find_first_of(" \t")));
  }
  return "";
}

// Clause keywords of the declaration the cursor is inside.
std::vector<std::string> clause_keywords(const context& c) {
  std::string first = enclosing_declaration(c);
  if (first == "guideline" || first == "library")
    return {"source", "citation", "revised", "doi", "url", "license", "scale", "radiation", "select", "pediatric when"};
  if (first == "variant") return {"when", "rate", "advise", "next", "source", "evidence"};
  if (first == "otherwise") return {"advise"};
  if (first == "example") return {"given", "expect"};
  if (first == "procedure") return {"modality", "region", "contrast", "adult rrl", "pediatric rrl", "code"};
  if (first == "scale") return {"level"};
  if (first == "codes") return {"source", "url", "ICD10CM", "SNOMED", "CPT", "LOINC", "RXNORM"};
  if (first == "fhir") return {"complete conditions, procedures"};
  return {};
}

json names(const context& c) {
  json items = json::array();
  if (!c.a) return items;
  const sema::program& p = c.a->program();
  for (auto m : visible_modules(p)) {
    for (const auto& [name, s] : p.scopes[m].values) {
      const ast::module& mod = p.module(s.module);
      switch (s.kind) {
        case sema::symbol_kind::fact: {
          const auto& f = *p.scopes[s.module].facts[s.index];
          items.push_back(item(name, ik_field, f.label ? f.label->value : "fact"));
          break;
        }
        case sema::symbol_kind::criterion: {
          const auto& cr = mod.criteria[s.index];
          items.push_back(item(name, ik_function, cr.label ? cr.label->value : "criterion"));
          break;
        }
        case sema::symbol_kind::let: items.push_back(item(name, ik_constant, "let")); break;
        case sema::symbol_kind::score: {
          const auto& sc = mod.scores[s.index];
          items.push_back(item(name, ik_variable, sc.label ? sc.label->value : "score"));
          break;
        }
        case sema::symbol_kind::value: {
          const auto& v = mod.values[s.index];
          items.push_back(item(name, ik_variable, v.label ? v.label->value : "value"));
          break;
        }
        default: break;
      }
    }
  }
  for (const char* op : {"and", "or", "not", "has any of", "has all of", "is empty", "is not empty", "is known", "is unknown", "in",
                         "at least", "at most", "none of", "all of", "if", "then", "else", "min", "max"})
    items.push_back(item(op, ik_keyword));
  return items;
}

// After a number: `if` when it is the points of a score line, else a unit;
// after `QUANTITY in`, a unit of its dimension.
// The unit being typed may hold `/`, `[`, `*`, `%`… (`ng/mL`, `mm[Hg]`).
json after_number(const context& c) {
  std::smatch m;
  static const std::regex points(R"(^\s+[-+]?[0-9]+(\.[0-9]+)?\s+[a-z]*$)");
  if (std::regex_search(c.before, m, points) && enclosing_declaration(c) == "score") return keywords({"if"});
  // [1] the fact or value compared, if any; [2] the unit typed so far. A
  // range's ends count as numbers (`number 0..100 %`, `number 0.. ng/mL`).
  static const std::regex number(
      R"((?:^|[^A-Za-z0-9_.]|\.\.)(?:([A-Za-z_][A-Za-z0-9_.]*)\s*(?:<=|>=|!=|<|>|=)\s*)?-?[0-9]+(?:\.[0-9]+)?(?:\.\.)?\s+([A-Za-z0-9_/.\[\]{}%*'-]*)$)");
  if (std::regex_search(c.before, m, number)) return units(c, static_cast<std::size_t>(m.position(2)), m[1].str());
  // `age in years`: a quantity as a plain number of a unit.
  static const std::regex conversion(R"(([A-Za-z_][A-Za-z0-9_.]*)\s+in\s+([A-Za-z0-9_/.\[\]%*'-]*)$)");
  if (c.a && std::regex_search(c.before, m, conversion)) {
    auto t = value_type(*c.a, m[1].str());
    bool quantity = t && (t->kind == sema::type_kind::duration || (t->kind == sema::type_kind::number && !t->unit.empty()));
    if (quantity) return units(c, static_cast<std::size_t>(m.position(2)), m[1].str());
  }
  return json::array();
}

json complete(const context& c) {
  // std::regex recurses per character: a pathological line must not overflow the stack.
  if (c.before.size() > max_line) return json::array();
  std::smatch m;
  // Inside the procedure string of a rating or an expectation.
  static const std::regex open_procedure(R"(^\s*(rate|expect)\s+"([^"]*)$)");
  if (std::regex_search(c.before, m, open_procedure)) return procedure_names(c, static_cast<std::size_t>(m.position(2)) - 1);
  // After the procedure string: its category.
  static const std::regex after_procedure(R"(^\s*(rate|expect)\s+"[^"]*"\s+([A-Za-z ()]*)$)");
  if (std::regex_search(c.before, m, after_procedure)) return categories(c, static_cast<std::size_t>(m.position(2)));
  // Inside `{ … }`: members of the enum of the fact tested before the brace.
  static const std::regex open_set(R"(([A-Za-z_][A-Za-z0-9_.]*)\s*(has\s+any\s+of|has\s+all\s+of|in|=|!=)\s*\{([^}]*)$)");
  if (std::regex_search(c.before, m, open_set)) return members(c, m[1].str(), m[3].str());
  // Prose in strings and comments: nothing.
  if (in_string(c.before)) return json::array();
  // After a number: a unit.
  if (auto items = after_number(c); !items.empty()) return items;
  // A space typed anywhere else: nothing (it must not pop up names).
  if (c.trigger == " ") return json::array();
  // After the fact (and member) of a line in a `fhir` block: where it comes from.
  static const std::regex binding_head(R"(^\s+[A-Za-z_][A-Za-z0-9_]*(\s+has\s+[A-Za-z_][A-Za-z0-9_]*)?\s+[a-z]*$)");
  static const std::regex typing_member(R"(\bhas\s+[A-Za-z_]*$)");
  if (std::regex_search(c.before, m, binding_head) && enclosing_declaration(c) == "fhir" && !std::regex_search(c.before, typing_member))
    return keywords(binding_sources);
  // A word at the start of a line: a declaration or one of its clauses.
  static const std::regex line_start(R"(^(\s*)[A-Za-z]*$)");
  if (std::regex_search(c.before, m, line_start)) {
    if (m[1].length() == 0) return keywords(declaration_keywords);
    auto clauses = clause_keywords(c);
    json items = keywords(clauses);
    // A criterion's or assumption's condition may continue on the next line.
    for (auto& n : names(c)) items.push_back(n);
    return items;
  }
  return names(c);
}

}  // namespace

json completion(const analysis* a, const document& doc, position at, const std::string& trigger) {
  std::uint32_t offset = doc.offset_of(at);
  std::uint32_t start = doc.lines().line_start(std::min<std::size_t>(at.line, doc.lines().line_count() - 1));
  std::string_view text = doc.text();
  std::size_t end = text.find('\n', offset);
  if (end == std::string_view::npos) end = text.size();
  context c{a && a->has_program() ? a : nullptr, doc, doc.position_of(offset), std::string(text.substr(start, offset - start)),
            std::string(text.substr(offset, end - offset)), start, trigger};
  return {{"isIncomplete", false}, {"items", complete(c)}};
}

}  // namespace rubric::lsp
