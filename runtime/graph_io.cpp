// The decision graph's JSON form: writer (json_writer) and loader (simdjson
// DOM). The loader checks "format" and "version" first, reads every field
// strictly, then validate_graph() checks every index, so corrupt input is an
// error message. docs/ir.md documents the format.
#include "runtime/graph_io.hpp"

#include <simdjson.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <sstream>

#include "runtime/json_writer.hpp"

namespace rubric::runtime {

namespace {

constexpr std::array<const char*, 25> kind_names = {
    "constant",  "fact_true", "compare", "compare_facts", "text_equals", "enum_in",    "set_any",
    "set_all",   "set_empty", "is_known", "not", "and", "or", "criterion",
    // version 2
    "num_const", "num_fact",  "num_sum", "num_scale", "num_points", "num_if", "num_min", "num_max",
    "compare_num", "at_least", "score"};
constexpr std::array<const char*, 6> op_names = {"lt", "le", "gt", "ge", "eq", "ne"};
constexpr std::array<const char*, 6> type_names = {"bool", "number", "duration", "enum", "set", "text"};
constexpr std::array<const char*, 3> policy_names = {"first", "unique", "all"};
// version 3: FHIR bindings
constexpr std::array<const char*, 7> fhir_source_names = {"age_at_order", "time_since_onset", "any", "total_time",
                                                         /* v4 */ "answer", "observation_value", "count"};
constexpr std::array<const char*, 5> fhir_resource_names = {"condition", "procedure",
                                                           /* v4 */ "questionnaire_response", "observation", "medication"};
constexpr std::array<const char*, 3> truth_names = {"false", "true", "unknown"};

// ---- writing ---------------------------------------------------------------

void write_location(json_writer& w, const location& l) {
  w.key("at").begin_array().value(l.file).value(l.line).value(l.column).value(l.end_line).value(l.end_column).end_array();
}

void write_optional(json_writer& w, std::string_view key, const std::optional<double>& v) {
  w.key(key);
  if (v) w.value(*v); else w.null();
}

void write_advice(json_writer& w, const std::vector<advisory>& advice) {
  w.key("advice").begin_array();
  for (const advisory& a : advice) {
    w.begin_object().key("text").value(a.text).key("when").value(a.when);
    write_location(w, a.where);
    w.end_object();
  }
  w.end_array();
}

// "assumptions" and "pediatric": the conditions about patients rather than variants.
void write_assumptions(json_writer& w, const graph& g) {
  w.key("assumptions").begin_array();
  for (const assumption& a : g.assumptions) {
    w.begin_object().key("node").value(a.node).key("label").value(a.label).key("text").value(a.text);
    write_location(w, a.where);
    w.end_object();
  }
  w.end_array();
  w.key("pediatric");
  if (g.pediatric.node >= 0) {
    w.begin_object().key("node").value(g.pediatric.node).key("text").value(g.pediatric.text);
    write_location(w, g.pediatric.where);
    w.end_object();
  } else {
    w.null();
  }
}

// "fhir" (version 3): the FHIR bindings, or null when the guideline has none.
void write_fhir(json_writer& w, const graph& g) {
  w.key("fhir");
  if (g.fhir.empty()) {
    w.null();
    return;
  }
  const fhir_bindings& f = g.fhir;
  w.begin_object().key("label").value(f.label);
  w.key("conditions_complete").value(f.conditions_complete).key("procedures_complete").value(f.procedures_complete);
  w.key("medications_complete").value(f.medications_complete);
  w.key("code_lists").begin_array();
  for (const fhir_code_list& l : f.code_lists) {
    w.begin_object().key("id").value(l.id).key("label").value(l.label).key("source").value(l.source).key("url").value(l.url);
    w.key("codes").begin_array();
    for (const fhir_code& c : l.codes)
      w.begin_object().key("system").value(c.system).key("code").value(c.code).key("display").value(c.display)
          .key("prefix").value(c.prefix).key("unverified").value(c.unverified).end_object();
    w.end_array().end_object();
  }
  w.end_array().key("bindings").begin_array();
  for (const fhir_binding& b : f.bindings) {
    w.begin_object().key("slot").value(b.slot).key("member").value(b.member);
    w.key("source").value(fhir_source_names[static_cast<std::size_t>(b.source)]);
    w.key("resource").value(fhir_resource_names[static_cast<std::size_t>(b.resource)]);
    w.key("earliest").value(b.earliest).key("codes").value(b.codes);
    write_optional(w, "within_days", b.within_days);
    w.key("text").value(b.text);
    write_location(w, b.where);
    w.key("or_previous").value(b.or_previous).key("question").value(b.question).key("questionnaire").value(b.questionnaire);
    w.end_object();
  }
  w.end_array();
  if (!f.unbound.empty()) {
    w.key("unbound").begin_array();
    for (const fhir_unbound& u : f.unbound) {
      w.begin_object().key("slot").value(u.slot).key("member").value(u.member).key("reason").value(u.reason);
      write_location(w, u.where);
      w.end_object();
    }
    w.end_array();
  }
  w.end_object();
}

}  // namespace

std::string write_graph_json(const graph& g, bool pretty) {
  json_writer w(pretty);
  w.begin_object();
  w.key("format").value(graph_format_name).key("version").value(graph_format_version);
  w.key("guideline").begin_object();
  w.key("id").value(g.id).key("title").value(g.title).key("source").value(g.source);
  w.key("citation").value(g.citation).key("doi").value(g.doi).key("url").value(g.url).key("license").value(g.license);
  w.key("revised");
  if (g.revised) w.value(*g.revised); else w.null();
  w.key("select").value(policy_names[static_cast<std::size_t>(g.policy)]);
  w.end_object();

  w.key("files").begin_array();
  for (const auto& f : g.files) w.value(f);
  w.end_array();

  w.key("scales").begin_array();
  for (const scale& s : g.scales) {
    w.begin_object().key("id").value(s.id).key("label").value(s.label).key("levels").begin_array();
    for (const level& l : s.levels) {
      w.begin_object().key("id").value(l.id).key("label").value(l.label).key("meaning").value(l.meaning);
      write_optional(w, "min", l.min);
      write_optional(w, "max", l.max);
      w.key("adult_dose").value(l.adult_dose).key("pediatric_dose").value(l.pediatric_dose).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array();
  w.key("rating_scale").value(g.rating_scale).key("radiation_scale").value(g.radiation_scale);

  w.key("enumerations").begin_array();
  for (const enumeration& e : g.enumerations) {
    w.begin_object().key("id").value(e.id).key("label").value(e.label).key("members").begin_array();
    for (const enum_member& m : e.members) w.begin_object().key("id").value(m.id).key("label").value(m.label).end_object();
    w.end_array().end_object();
  }
  w.end_array();

  w.key("facts").begin_array();
  for (const fact& f : g.facts) {
    w.begin_object().key("id").value(f.id).key("label").value(f.label);
    w.key("type").value(type_names[static_cast<std::size_t>(f.type)]).key("enumeration").value(f.enumeration);
    w.key("fixed").value(f.fixed);
    // Written only when declared, so graphs without units read as before.
    if (!f.unit.empty()) w.key("unit").value(f.unit);
    if (f.integer) w.key("integer").value(true);
    if (f.min) w.key("min").value(*f.min);
    if (f.max) w.key("max").value(*f.max);
    write_location(w, f.where);
    w.end_object();
  }
  w.end_array();

  w.key("procedures").begin_array();
  for (const procedure& p : g.procedures) {
    w.begin_object().key("id").value(p.id).key("name").value(p.name).key("modality").value(p.modality);
    w.key("region").value(p.region).key("contrast").value(p.contrast);
    w.key("adult_rrl").value(p.adult_rrl).key("pediatric_rrl").value(p.pediatric_rrl);
    w.key("codes").begin_array();
    for (const code_ref& c : p.codes) w.begin_object().key("system").value(c.system).key("value").value(c.value).end_object();
    w.end_array().end_object();
  }
  w.end_array();

  w.key("strings").begin_array();
  for (const auto& s : g.strings) w.value(s);
  w.end_array();

  w.key("nodes").begin_array();
  for (std::size_t i = 0; i < g.nodes.size(); ++i) {
    const node& n = g.nodes[i];
    w.begin_object().key("kind").value(kind_names[static_cast<std::size_t>(n.kind)]);
    w.key("op").value(op_names[static_cast<std::size_t>(n.op)]);
    w.key("constant").value(truth_names[static_cast<std::size_t>(n.constant)]);
    w.key("slot").value(n.slot).key("slot2").value(n.slot2).key("number").value(n.number);
    w.key("mask").value(n.mask).key("first").value(n.first).key("count").value(n.count);
    w.key("criterion").value(n.criterion);
    if (i < g.info.size()) {
      w.key("text").value(g.info[i].text);
      write_location(w, g.info[i].where);
    }
    w.end_object();
  }
  w.end_array();

  w.key("children").begin_array();
  for (auto c : g.children) w.value(c);
  w.end_array();

  w.key("criteria").begin_array();
  for (const criterion& c : g.criteria) {
    w.begin_object().key("id").value(c.id).key("label").value(c.label).key("text").value(c.text).key("node").value(c.node);
    write_location(w, c.where);
    w.end_object();
  }
  w.end_array();

  w.key("scores").begin_array();
  for (const score& s : g.scores) {
    w.begin_object().key("id").value(s.id).key("label").value(s.label).key("value").value(s.is_value);
    w.key("unit").value(s.unit).key("text").value(s.text).key("node").value(s.node);
    w.key("lines").begin_array();
    for (const score_line& l : s.lines) {
      w.begin_object().key("points").value(l.points).key("points_text").value(l.points_text);
      w.key("node").value(l.node).key("condition").value(l.condition).key("text").value(l.text);
      write_location(w, l.where);
      w.end_object();
    }
    w.end_array();
    write_location(w, s.where);
    w.end_object();
  }
  w.end_array();

  w.key("variants").begin_array();
  for (const variant& v : g.variants) {
    w.begin_object().key("id").value(v.id).key("title").value(v.title).key("guard").value(v.guard);
    w.key("ratings").begin_array();
    for (const rating& r : v.ratings) {
      w.begin_object().key("procedure").value(r.procedure).key("level").value(r.level);
      write_optional(w, "score", r.score);
      if (!r.caveat.empty()) w.key("caveat").value(r.caveat);  // optional: most ratings have none
      write_location(w, r.where);
      w.end_object();
    }
    w.end_array();
    write_advice(w, v.advice);
    w.key("next").begin_array();
    for (const transition& t : v.next) {
      w.begin_object().key("target").value(t.target).key("when").value(t.when).key("label").value(t.label);
      w.key("urgent").value(t.urgent);
      write_location(w, t.where);
      w.end_object();
    }
    w.end_array();
    w.key("source").value(v.source).key("evidence").value(v.evidence);
    w.key("requires_facts").begin_array();
    for (auto s : v.requires_facts) w.value(s);
    w.end_array();
    write_location(w, v.where);
    w.end_object();
  }
  w.end_array();

  w.key("order").begin_array();
  for (auto o : g.order) w.value(o);
  w.end_array();

  w.key("otherwise");
  if (g.otherwise.present) {
    w.begin_object().key("label").value(g.otherwise.label);
    write_advice(w, g.otherwise.advice);
    write_location(w, g.otherwise.where);
    w.end_object();
  } else {
    w.null();
  }

  write_assumptions(w, g);
  write_fhir(w, g);
  w.end_object();
  std::string out = w.take();
  if (pretty) out.push_back('\n');
  return out;
}

// ---- reading ---------------------------------------------------------------

namespace {

namespace dom = simdjson::dom;

// Thrown inside the loader only, caught in load_graph_json.
struct load_failure {
  std::string message;
};

// "facts[2].id"; a top-level field is just its name.
std::string join(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

[[noreturn]] void fail(const std::string& path, const std::string& what) {
  throw load_failure{path.empty() ? what : path + ": " + what};
}

// The DOM answers o[key] with the first of two equal keys; the compiler never
// writes two, so a graph that has them is corrupt. Walks every object with an
// explicit stack (JSON nests at most simdjson's depth limit); paths are built
// only on a second walk, once a duplicate is known to exist.
std::string find_duplicate_key(dom::element root, bool with_paths = false) {
  struct item {
    dom::element e;
    std::string path;
  };
  std::vector<item> todo{{root, ""}};
  std::vector<std::string_view> keys;
  while (!todo.empty()) {
    item it = std::move(todo.back());
    todo.pop_back();
    if (dom::object o; !it.e.get_object().get(o)) {
      keys.clear();
      for (dom::key_value_pair kv : o) {
        keys.push_back(kv.key);
        todo.push_back({kv.value, with_paths ? join(it.path, kv.key) : std::string()});
      }
      std::sort(keys.begin(), keys.end());
      for (std::size_t i = 1; i < keys.size(); ++i) {
        if (keys[i] != keys[i - 1]) continue;
        if (!with_paths) return find_duplicate_key(root, true);
        return fmt::format("{}field \"{}\" appears twice", it.path.empty() ? "" : it.path + ": ", keys[i]);
      }
    } else if (dom::array a; !it.e.get_array().get(a)) {
      std::size_t i = 0;
      for (dom::element e : a) todo.push_back({e, with_paths ? fmt::format("{}[{}]", it.path, i++) : std::string()});
    }
  }
  return {};
}

dom::element field(dom::object o, std::string_view key, const std::string& path) {
  dom::element e;
  if (o[key].get(e)) fail(path, fmt::format("missing field \"{}\"", key));
  return e;
}

// Optional fields (added after format 1) may be absent.
bool has(dom::object o, std::string_view key) {
  dom::element e;
  return !o[key].get(e);
}

dom::object as_object(dom::element e, const std::string& path) {
  dom::object o;
  if (e.get_object().get(o)) fail(path, "expected an object");
  return o;
}

dom::array as_array(dom::element e, const std::string& path) {
  dom::array a;
  if (e.get_array().get(a)) fail(path, "expected an array");
  return a;
}

std::string get_string(dom::object o, std::string_view key, const std::string& path) {
  std::string_view s;
  if (field(o, key, path).get_string().get(s)) fail(join(path, key), "expected a string");
  return std::string(s);
}

// A string field that may be left out ("" then).
std::string get_opt_string(dom::object o, std::string_view key, const std::string& path) {
  dom::element e;
  if (o[key].get(e)) return {};
  std::string_view s;
  if (e.get_string().get(s)) fail(join(path, key), "expected a string");
  return std::string(s);
}

std::int64_t get_int(dom::element e, const std::string& path, std::int64_t lo, std::int64_t hi) {
  std::int64_t v;
  if (e.get_int64().get(v)) fail(path, "expected an integer");
  if (v < lo || v > hi) fail(path, fmt::format("{} is out of range", v));
  return v;
}

std::int64_t get_int(dom::object o, std::string_view key, const std::string& path, std::int64_t lo, std::int64_t hi) {
  return get_int(field(o, key, path), join(path, key), lo, hi);
}

std::uint32_t get_index(dom::object o, std::string_view key, const std::string& path) {
  return static_cast<std::uint32_t>(get_int(o, key, path, 0, 0xFFFFFFFFll));
}

std::int32_t get_opt_index(dom::object o, std::string_view key, const std::string& path) {
  return static_cast<std::int32_t>(get_int(o, key, path, -1, 0x7FFFFFFFll));
}

bool get_bool(dom::object o, std::string_view key, const std::string& path) {
  bool b;
  if (field(o, key, path).get_bool().get(b)) fail(join(path, key), "expected true or false");
  return b;
}

double get_double(dom::object o, std::string_view key, const std::string& path) {
  double d;
  if (field(o, key, path).get_double().get(d)) fail(join(path, key), "expected a number");
  return d;
}

std::optional<double> get_opt_double(dom::object o, std::string_view key, const std::string& path) {
  dom::element e = field(o, key, path);
  if (e.is_null()) return std::nullopt;
  double d;
  if (e.get_double().get(d)) fail(join(path, key), "expected a number or null");
  return d;
}

template <std::size_t N>
std::size_t get_name(dom::object o, std::string_view key, const std::string& path, const std::array<const char*, N>& names) {
  std::string s = get_string(o, key, path);
  for (std::size_t i = 0; i < N; ++i)
    if (s == names[i]) return i;
  fail(join(path, key), fmt::format("unknown value \"{}\"", s));
}

location get_location(dom::object o, const std::string& path) {
  dom::array a = as_array(field(o, "at", path), path + ".at");
  if (a.size() != 5) fail(path + ".at", "expected [file, line, column, end_line, end_column]");
  std::array<std::uint32_t, 5> v{};
  std::size_t i = 0;
  for (dom::element e : a) v[i] = static_cast<std::uint32_t>(get_int(e, fmt::format("{}.at[{}]", path, i), 0, 0xFFFFFFFFll)), ++i;
  return {v[0], v[1], v[2], v[3], v[4]};
}

template <class F>
void each(dom::object o, std::string_view key, const std::string& path, F&& f) {
  std::string p = join(path, key);
  std::size_t i = 0;
  for (dom::element e : as_array(field(o, key, path), p)) f(e, fmt::format("{}[{}]", p, i++));
}

std::vector<advisory> get_advice(dom::object o, const std::string& path) {
  std::vector<advisory> out;
  each(o, "advice", path, [&](dom::element e, const std::string& p) {
    dom::object a = as_object(e, p);
    out.push_back({get_string(a, "text", p), get_opt_index(a, "when", p), get_location(a, p)});
  });
  return out;
}

// "fhir": absent or null before version 3 and in guidelines without bindings;
// "or_previous", "question" and "questionnaire" from version 4.
void read_fhir(dom::object root, graph& g, std::int64_t version) {
  dom::element fe;
  if (root["fhir"].get(fe) || fe.is_null()) return;
  dom::object o = as_object(fe, "fhir");
  fhir_bindings& f = g.fhir;
  f.label = get_string(o, "label", "fhir");
  f.conditions_complete = get_bool(o, "conditions_complete", "fhir");
  f.procedures_complete = get_bool(o, "procedures_complete", "fhir");
  dom::element medications;  // absent in the first version 4 graphs
  if (version >= 4 && !o["medications_complete"].get(medications)) f.medications_complete = get_bool(o, "medications_complete", "fhir");
  each(o, "code_lists", "fhir", [&](dom::element e, const std::string& p) {
    dom::object l = as_object(e, p);
    fhir_code_list list{get_string(l, "id", p), get_string(l, "label", p), get_string(l, "source", p), get_string(l, "url", p), {}};
    each(l, "codes", p, [&](dom::element ce, const std::string& cp) {
      dom::object c = as_object(ce, cp);
      list.codes.push_back({get_string(c, "system", cp), get_string(c, "code", cp), get_string(c, "display", cp),
                            get_bool(c, "prefix", cp), get_bool(c, "unverified", cp)});
    });
    f.code_lists.push_back(std::move(list));
  });
  each(o, "bindings", "fhir", [&](dom::element e, const std::string& p) {
    dom::object b = as_object(e, p);
    fhir_binding x;
    x.slot = get_index(b, "slot", p);
    x.member = get_opt_index(b, "member", p);
    x.source = static_cast<fhir_source>(get_name(b, "source", p, fhir_source_names));
    x.resource = static_cast<fhir_resource>(get_name(b, "resource", p, fhir_resource_names));
    x.earliest = get_bool(b, "earliest", p);
    x.codes = get_opt_index(b, "codes", p);
    x.within_days = get_opt_double(b, "within_days", p);
    x.text = get_string(b, "text", p);
    x.where = get_location(b, p);
    if (version >= 4) {
      x.or_previous = get_bool(b, "or_previous", p);
      x.question = get_string(b, "question", p);
      x.questionnaire = get_string(b, "questionnaire", p);
    }
    f.bindings.push_back(std::move(x));
  });
  dom::element unbound;  // version 4, only when there are `is unbound` lines
  if (!o["unbound"].get(unbound))
    each(o, "unbound", "fhir", [&](dom::element e, const std::string& p) {
      dom::object u = as_object(e, p);
      f.unbound.push_back({get_index(u, "slot", p), get_opt_index(u, "member", p), get_string(u, "reason", p), get_location(u, p)});
    });
}

graph read_graph(dom::object root, std::int64_t version) {
  graph g;
  dom::object h = as_object(field(root, "guideline", ""), "guideline");
  g.id = get_string(h, "id", "guideline");
  g.title = get_string(h, "title", "guideline");
  g.source = get_string(h, "source", "guideline");
  g.citation = get_string(h, "citation", "guideline");
  g.doi = get_string(h, "doi", "guideline");
  g.url = get_string(h, "url", "guideline");
  g.license = get_string(h, "license", "guideline");
  if (dom::element r = field(h, "revised", "guideline"); !r.is_null())
    g.revised = static_cast<int>(get_int(r, "guideline.revised", -100000, 100000));
  g.policy = static_cast<select_policy>(get_name(h, "select", "guideline", policy_names));

  each(root, "files", "", [&](dom::element e, const std::string& p) {
    std::string_view s;
    if (e.get_string().get(s)) fail(p, "expected a string");
    g.files.emplace_back(s);
  });
  each(root, "scales", "", [&](dom::element e, const std::string& p) {
    dom::object o = as_object(e, p);
    scale s{get_string(o, "id", p), get_string(o, "label", p), {}};
    each(o, "levels", p, [&](dom::element le, const std::string& lp) {
      dom::object l = as_object(le, lp);
      s.levels.push_back({get_string(l, "id", lp), get_string(l, "label", lp), get_string(l, "meaning", lp),
                          get_opt_double(l, "min", lp), get_opt_double(l, "max", lp),
                          get_string(l, "adult_dose", lp), get_string(l, "pediatric_dose", lp)});
    });
    g.scales.push_back(std::move(s));
  });
  g.rating_scale = get_opt_index(root, "rating_scale", "");
  g.radiation_scale = get_opt_index(root, "radiation_scale", "");
  each(root, "enumerations", "", [&](dom::element e, const std::string& p) {
    dom::object o = as_object(e, p);
    enumeration en{get_string(o, "id", p), get_string(o, "label", p), {}};
    each(o, "members", p, [&](dom::element me, const std::string& mp) {
      dom::object m = as_object(me, mp);
      en.members.push_back({get_string(m, "id", mp), get_string(m, "label", mp)});
    });
    g.enumerations.push_back(std::move(en));
  });
  each(root, "facts", "", [&](dom::element e, const std::string& p) {
    dom::object o = as_object(e, p);
    fact f;
    f.id = get_string(o, "id", p);
    f.label = get_string(o, "label", p);
    f.type = static_cast<value_type>(get_name(o, "type", p, type_names));
    f.enumeration = get_opt_index(o, "enumeration", p);
    f.fixed = get_bool(o, "fixed", p);
    if (has(o, "unit")) f.unit = get_string(o, "unit", p);
    if (has(o, "integer")) f.integer = get_bool(o, "integer", p);
    if (has(o, "min")) f.min = get_opt_double(o, "min", p);
    if (has(o, "max")) f.max = get_opt_double(o, "max", p);
    f.where = get_location(o, p);
    g.facts.push_back(std::move(f));
  });
  each(root, "procedures", "", [&](dom::element e, const std::string& p) {
    dom::object o = as_object(e, p);
    procedure pr;
    pr.id = get_string(o, "id", p);
    pr.name = get_string(o, "name", p);
    pr.modality = get_string(o, "modality", p);
    pr.region = get_string(o, "region", p);
    pr.contrast = get_string(o, "contrast", p);
    pr.adult_rrl = get_opt_index(o, "adult_rrl", p);
    pr.pediatric_rrl = get_opt_index(o, "pediatric_rrl", p);
    each(o, "codes", p, [&](dom::element ce, const std::string& cp) {
      dom::object c = as_object(ce, cp);
      pr.codes.push_back({get_string(c, "system", cp), get_string(c, "value", cp)});
    });
    g.procedures.push_back(std::move(pr));
  });
  each(root, "strings", "", [&](dom::element e, const std::string& p) {
    std::string_view s;
    if (e.get_string().get(s)) fail(p, "expected a string");
    g.strings.emplace_back(s);
  });
  each(root, "nodes", "", [&](dom::element e, const std::string& p) {
    dom::object o = as_object(e, p);
    node n;
    n.kind = static_cast<node_kind>(get_name(o, "kind", p, kind_names));
    if (version < 2 && is_v2_kind(n.kind)) fail(p + ".kind", fmt::format("\"{}\" is a version 2 node kind", kind_names[static_cast<std::size_t>(n.kind)]));
    n.op = static_cast<compare_op>(get_name(o, "op", p, op_names));
    n.constant = static_cast<truth>(get_name(o, "constant", p, truth_names));
    n.slot = get_opt_index(o, "slot", p);
    n.slot2 = get_opt_index(o, "slot2", p);
    n.number = get_double(o, "number", p);
    if (field(o, "mask", p).get_uint64().get(n.mask)) fail(p + ".mask", "expected an unsigned 64-bit integer");
    n.first = get_index(o, "first", p);
    n.count = get_index(o, "count", p);
    n.criterion = get_opt_index(o, "criterion", p);
    g.nodes.push_back(n);
    g.info.push_back({get_string(o, "text", p), get_location(o, p)});
  });
  each(root, "children", "", [&](dom::element e, const std::string& p) {
    g.children.push_back(static_cast<std::uint32_t>(get_int(e, p, 0, 0xFFFFFFFFll)));
  });
  each(root, "criteria", "", [&](dom::element e, const std::string& p) {
    dom::object o = as_object(e, p);
    g.criteria.push_back({get_string(o, "id", p), get_string(o, "label", p), get_string(o, "text", p),
                          get_index(o, "node", p), get_location(o, p)});
  });
  if (version >= 2) {
    each(root, "scores", "", [&](dom::element e, const std::string& p) {
      dom::object o = as_object(e, p);
      score s;
      s.id = get_string(o, "id", p);
      s.label = get_string(o, "label", p);
      s.is_value = get_bool(o, "value", p);
      s.unit = get_string(o, "unit", p);
      s.text = get_string(o, "text", p);
      s.node = get_index(o, "node", p);
      each(o, "lines", p, [&](dom::element le, const std::string& lp) {
        dom::object l = as_object(le, lp);
        s.lines.push_back({get_double(l, "points", lp), get_string(l, "points_text", lp), get_index(l, "node", lp),
                           get_index(l, "condition", lp), get_string(l, "text", lp), get_location(l, lp)});
      });
      s.where = get_location(o, p);
      g.scores.push_back(std::move(s));
    });
  }
  each(root, "variants", "", [&](dom::element e, const std::string& p) {
    dom::object o = as_object(e, p);
    variant v;
    v.id = get_string(o, "id", p);
    v.title = get_string(o, "title", p);
    v.guard = get_opt_index(o, "guard", p);
    each(o, "ratings", p, [&](dom::element re, const std::string& rp) {
      dom::object r = as_object(re, rp);
      v.ratings.push_back({get_index(r, "procedure", rp), get_index(r, "level", rp), get_opt_double(r, "score", rp),
                           get_location(r, rp), get_opt_string(r, "caveat", rp)});
    });
    v.advice = get_advice(o, p);
    each(o, "next", p, [&](dom::element te, const std::string& tp) {
      dom::object t = as_object(te, tp);
      v.next.push_back({get_index(t, "target", tp), get_index(t, "when", tp), get_string(t, "label", tp),
                        get_bool(t, "urgent", tp), get_location(t, tp)});
    });
    v.source = get_string(o, "source", p);
    v.evidence = get_string(o, "evidence", p);
    each(o, "requires_facts", p, [&](dom::element se, const std::string& sp) {
      v.requires_facts.push_back(static_cast<std::uint32_t>(get_int(se, sp, 0, 0xFFFFFFFFll)));
    });
    v.where = get_location(o, p);
    g.variants.push_back(std::move(v));
  });
  each(root, "order", "", [&](dom::element e, const std::string& p) {
    g.order.push_back(static_cast<std::uint32_t>(get_int(e, p, 0, 0xFFFFFFFFll)));
  });
  if (dom::element o = field(root, "otherwise", ""); !o.is_null()) {
    dom::object ob = as_object(o, "otherwise");
    g.otherwise.present = true;
    g.otherwise.label = get_string(ob, "label", "otherwise");
    g.otherwise.advice = get_advice(ob, "otherwise");
    g.otherwise.where = get_location(ob, "otherwise");
  }
  each(root, "assumptions", "", [&](dom::element e, const std::string& p) {
    dom::object o = as_object(e, p);
    g.assumptions.push_back({get_index(o, "node", p), get_string(o, "label", p), get_string(o, "text", p), get_location(o, p)});
  });
  // Absent in graphs written before the field existed: no rule, adult levels.
  if (dom::element pe; !root["pediatric"].get(pe) && !pe.is_null()) {
    dom::object o = as_object(pe, "pediatric");
    g.pediatric = {static_cast<std::int32_t>(get_index(o, "node", "pediatric")), get_string(o, "text", "pediatric"),
                   get_location(o, "pediatric")};
  }
  read_fhir(root, g, version);
  return g;
}

}  // namespace

graph_load_result load_graph_json(std::string_view text) {
  graph_load_result result;
  simdjson::dom::parser parser;
  simdjson::padded_string padded(text);
  simdjson::dom::element root;
  if (auto err = parser.parse(padded).get(root)) {
    bool looks_like_graph = text.find(graph_format_name) != std::string_view::npos;
    result.error = looks_like_graph
                       ? fmt::format("the decision graph is not valid JSON (truncated or corrupt?): {}", simdjson::error_message(err))
                       : fmt::format("not a Rubric decision graph: the file is not valid JSON ({})", simdjson::error_message(err));
    return result;
  }
  simdjson::dom::object o;
  std::string_view format;
  if (root.get_object().get(o) || o["format"].get_string().get(format)) {
    result.error = fmt::format("not a Rubric decision graph: no \"format\" field (expected \"{}\")", graph_format_name);
    return result;
  }
  if (format != graph_format_name) {
    result.error = fmt::format("not a Rubric decision graph: format is \"{}\", expected \"{}\"", format, graph_format_name);
    return result;
  }
  std::int64_t version = 0;
  if (o["version"].get_int64().get(version)) {
    result.error = "the decision graph has no integer \"version\"";
    return result;
  }
  if (version < graph_format_oldest_version || version > graph_format_version) {
    result.error = fmt::format("unsupported decision graph version {} (this runtime reads versions {} to {}); recompile the guideline with this rubric",
                               version, graph_format_oldest_version, graph_format_version);
    return result;
  }
  if (std::string dup = find_duplicate_key(root); !dup.empty()) {
    result.error = "invalid decision graph: " + dup;
    return result;
  }
  try {
    graph g = read_graph(o, version);
    if (std::string problem = validate_graph(g); !problem.empty()) {
      result.error = "invalid decision graph: " + problem;
      return result;
    }
    result.value = std::move(g);
  } catch (const load_failure& f) {
    result.error = "invalid decision graph: " + f.message;
  }
  return result;
}

graph_load_result load_graph_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return {std::nullopt, fmt::format("cannot read `{}`", path)};
  std::ostringstream buf;
  buf << in.rdbuf();
  graph_load_result r = load_graph_json(buf.str());
  if (!r) r.error = fmt::format("{}: {}", path, r.error);
  return r;
}

}  // namespace rubric::runtime
