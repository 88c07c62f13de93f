// Reading FHIR R4 JSON into records (fhir_records.hpp) with simdjson's DOM.
// Only the fields the bindings use are read; anything else is ignored, so
// valid R4 resources of any kind pass. A field of the wrong JSON type is an
// error naming its path; the entry count is bounded (max_bundle_entries).
#include "runtime/fhir_records.hpp"
#include "runtime/fhir_request.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include <array>
#include <charconv>
#include <memory>
#include <utility>

#include "runtime/fhir_bundle.hpp"

namespace rubric::runtime::fhir {

namespace {

namespace dom = simdjson::dom;

constexpr std::string_view absent_reason_url = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
constexpr std::string_view clinical_status_system = "http://terminology.hl7.org/CodeSystem/condition-clinical";
constexpr std::string_view verification_status_system = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

// A member of a small object (a Coding, a CodeableConcept, an entry): the
// first with that key, as dom::object's lookup, but the key's size and first
// byte rule out the others before a full compare.
simdjson::simdjson_result<dom::element> member(dom::object o, std::string_view key) {
  for (dom::key_value_pair kv : o)
    if (kv.key.size() == key.size() && !key.empty() && kv.key[0] == key[0] && kv.key == key) return dom::element(kv.value);
  return simdjson::NO_SUCH_FIELD;
}

// An object's members read once into a small table, so looking up the
// several keys a resource needs does not walk the document once per key
// (simdjson's at_key scans, skipping every value before the key). Looks up
// like dom::object (the first of duplicate keys); builds from one implicitly.
class fields {
 public:
  fields(dom::object o) : o_(o) {  // NOLINT(google-explicit-constructor): any object reads as one
    for (dom::key_value_pair kv : o) {
      if (n_ == table_.size()) {
        overflow_ = true;  // a large object: plain lookups
        break;
      }
      std::construct_at(&table_[n_++].kv, kv.key, kv.value);
    }
  }
  simdjson::simdjson_result<dom::element> operator[](std::string_view key) const {
    if (overflow_) return o_[key];
    // The first byte rules out most keys before a full compare.
    for (std::size_t i = 0; i < n_; ++i) {
      const std::string_view k = table_[i].kv.first;
      if (k.size() == key.size() && !k.empty() && k[0] == key[0] && k == key) return dom::element(table_[i].kv.second);
    }
    return simdjson::NO_SUCH_FIELD;
  }

 private:
  // Left uninitialised until filled: building the table is on the hot path.
  union entry {
    entry() {}
    std::pair<std::string_view, dom::element> kv;
  };
  dom::object o_;
  std::array<entry, 24> table_;
  std::size_t n_ = 0;
  bool overflow_ = false;
};

// The record kind of a resourceType; `other` for kinds no binding reads.
resource::kind kind_of_type(std::string_view type) {
  if (type == "Patient") return resource::kind::patient;
  if (type == "Condition") return resource::kind::condition;
  if (type == "Procedure") return resource::kind::procedure;
  if (type == "Observation") return resource::kind::observation;
  if (type == "MedicationRequest" || type == "MedicationStatement") return resource::kind::medication;
  if (type == "QuestionnaireResponse") return resource::kind::questionnaire_response;
  if (type == "ServiceRequest") return resource::kind::service_request;
  return resource::kind::other;
}

struct reader {
  std::vector<resource>& out;
  std::string& error;
  std::vector<coding>& store;  // every resource's codings, in order
  std::vector<std::pair<std::uint32_t, std::uint32_t>>& spans;  // per resource of `out`: its codings in `store` (first, count)
  std::string& entry_path;  // the outermost Bundle's "entry[i].resource"
  std::vector<std::string>& ids;  // spare id strings, with their capacity

  bool fail(const std::string& path, std::string_view what) {
    error = fmt::format("{}: {}", path, what);
    return false;
  }

  // A string field as a view into the parsed document, or "" when absent;
  // false when present but not a string.
  // `inner`: the member path from `path` to `o` (".performedPeriod"), joined
  // only for an error.
  bool text_view(const fields& o, std::string_view key, std::string_view& s, const std::string& path, std::string_view inner = {}) {
    dom::element e;
    if (o[key].get(e)) return true;
    if (e.get_string().get(s)) return fail(path + std::string(inner) + "." + std::string(key), "expected a string");
    return true;
  }


  bool date(const fields& o, std::string_view key, date_range& d, const std::string& path, std::string_view inner = {}) {
    std::string_view s;
    if (!text_view(o, key, s, path, inner)) return false;
    if (s.empty()) return true;
    d.text = s;
    d.present = fhir_date_days(s, d.first, d.last);
    if (!d.present) return fail(path + std::string(inner) + "." + std::string(key), fmt::format("\"{}\" is not a FHIR date", s));
    return true;
  }

  // Whether `o[key]` (or its `_key` twin for primitives) carries a data-absent-reason extension.
  static bool absent(const fields& o, std::string_view key) {
    dom::object holder;
    if (o[key].get_object().get(holder)) return false;
    dom::array ext;
    if (member(holder, "extension").get_array().get(ext)) return false;
    for (dom::element e : ext) {
      std::string_view url;
      if (!e["url"].get_string().get(url) && url == absent_reason_url) return true;
    }
    return false;
  }

  // The code of a status such as clinicalStatus: the CodeableConcept's coding
  // in `system` (R4 binds these to one code system; another system's coding
  // beside it, such as a local status, is not the status). "" when none.
  bool concept_code(const fields& o, std::string_view key, std::string_view system, std::string_view& s, const std::string& path) {
    dom::element e;
    if (o[key].get(e)) return true;
    dom::object cc;
    if (e.get_object().get(cc)) return fail(path + "." + std::string(key), "expected a CodeableConcept object");
    dom::array codings;
    if (member(cc, "coding").get_array().get(codings)) return true;
    for (dom::element c : codings) {
      dom::object co;
      if (c.get_object().get(co)) continue;
      // One pass over the Coding's members; the first of a duplicate key counts.
      dom::element sys, code;
      bool has_sys = false, has_code = false;
      for (dom::key_value_pair kv : co) {
        if (!has_sys && kv.key == "system") sys = kv.value, has_sys = true;
        else if (!has_code && kv.key == "code") code = kv.value, has_code = true;
      }
      std::string_view sv, v;
      if (has_sys && !sys.get_string().get(sv) && sv == system && has_code && !code.get_string().get(v)) {
        s = v;
        return true;
      }
    }
    return true;
  }

  // The Codings of a CodeableConcept (`code`, or `medicationCodeableConcept`).
  bool codings(const fields& o, resource& r, const std::string& path, std::string_view key = "code") {
    r.code_absent = absent(o, key);
    dom::element e;
    if (o[key].get(e)) return true;
    dom::object cc;
    if (e.get_object().get(cc)) return fail(path + "." + std::string(key), "expected a CodeableConcept object");
    dom::element ce;
    if (member(cc, "coding").get(ce)) return true;
    dom::array list;
    if (ce.get_array().get(list)) return fail(path + "." + std::string(key) + ".coding", "expected an array");
    std::size_t i = 0;
    for (dom::element c : list) {
      // The path is spelt out only for an error: most Bundles have none.
      auto at = [&] { return fmt::format("{}.{}.coding[{}]", path, key, i); };
      dom::object co;
      if (c.get_object().get(co)) return fail(at(), "expected a Coding object");
      coding& x = store.emplace_back();
      // One pass over the Coding's members (the first of a duplicate key
      // counts); a member that is not a string is reported in the order
      // system, code, display.
      int seen = 0, bad = 0;  // bits: system, code, display
      for (dom::key_value_pair kv : co) {
        const int bit = kv.key == "system" ? 1 : kv.key == "code" ? 2 : kv.key == "display" ? 4 : 0;
        if (!bit || (seen & bit)) continue;
        seen |= bit;
        std::string_view& field = bit == 1 ? x.system : bit == 2 ? x.code : x.display;
        if (kv.value.get_string().get(field)) bad |= bit;
      }
      if (bad) return fail(at() + (bad & 1 ? ".system" : bad & 2 ? ".code" : ".display"), "expected a string");
      ++i;
    }
    return true;
  }

  bool read_condition(const fields& o, resource& r, const std::string& path) {
    r.type = resource::kind::condition;
    if (!codings(o, r, path) || !concept_code(o, "clinicalStatus", clinical_status_system, r.status, path) ||
        !concept_code(o, "verificationStatus", verification_status_system, r.verification, path) || !date(o, "recordedDate", r.recorded, path))
      return false;
    dom::object period;
    if (!o["onsetPeriod"].get_object().get(period)) return date(period, "start", r.when, path, ".onsetPeriod");
    r.date_absent = absent(o, "_onsetDateTime");
    return date(o, "onsetDateTime", r.when, path);
  }

  bool read_procedure(const fields& o, resource& r, const std::string& path) {
    r.type = resource::kind::procedure;
    if (!codings(o, r, path) || !text_view(o, "status", r.status, path)) return false;
    dom::object period;
    if (!o["performedPeriod"].get_object().get(period))
      return date(period, "start", r.when, path, ".performedPeriod") && date(period, "end", r.until, path, ".performedPeriod");
    return date(o, "performedDateTime", r.when, path);
  }

  // A yes/no Coding: HL7 v2 table 0136 (Y, N) or LOINC LA33-6 Yes, LA32-8 No.
  static bool yes_no_coding(std::string_view system, std::string_view code, bool& yes) {
    if (system == "http://terminology.hl7.org/CodeSystem/v2-0136" && (code == "Y" || code == "N")) {
      yes = code == "Y";
      return true;
    }
    if (system == "http://loinc.org" && (code == "LA33-6" || code == "LA32-8")) {
      yes = code == "LA33-6";
      return true;
    }
    return false;
  }

  // An answer's valueQuantity: its fields as written, for the fact's unit conversion.
  bool read_answer_quantity(dom::object q, answer& a, const std::string& path) {
    dom::element number;
    if (!q["value"].get(number)) {
      double d = 0;
      if (number.get_double().get(d)) return fail(path + ".value", "expected a number");
      a.quantity_number = fmt::format("{}", d);  // the shortest digits that give the same double
    }
    if (!text_view(q, "unit", a.unit, path) || !text_view(q, "code", a.code, path) || !text_view(q, "system", a.system, path)) return false;
    a.type = answer::kind::quantity;
    const std::string_view unit = a.code.empty() ? a.unit : a.code;
    a.words = a.quantity_number.empty() ? "a quantity with no value" : a.quantity_number;
    if (!unit.empty()) a.words.append(" ").append(unit);
    return true;
  }

  // The first answer of an item: valueBoolean, a number, a quantity, or a yes/no Coding.
  bool read_answer(dom::object first, answer& a, const std::string& path) {
    dom::element v;
    if (!first["valueBoolean"].get(v)) {
      if (v.get_bool().get(a.yes)) return fail(path + ".valueBoolean", "expected true or false");
      a.type = answer::kind::yes_no;
      a.words = a.yes ? "yes" : "no";
      return true;
    }
    for (std::string_view key : {"valueInteger", "valueDecimal"}) {
      if (first[key].get(v)) continue;
      if (v.get_double().get(a.number)) return fail(path + "." + std::string(key), "expected a number");
      a.type = answer::kind::number;
      a.words = fmt::format("{}", a.number);
      return true;
    }
    dom::object q;
    if (!first["valueQuantity"].get_object().get(q)) return read_answer_quantity(q, a, path + ".valueQuantity");
    dom::object coding;
    if (!first["valueCoding"].get_object().get(coding)) {
      std::string_view system, code, display;
      if (!text_view(coding, "system", system, path, ".valueCoding") || !text_view(coding, "code", code, path, ".valueCoding") ||
          !text_view(coding, "display", display, path, ".valueCoding"))
        return false;
      if (yes_no_coding(system, code, a.yes)) a.type = answer::kind::yes_no;
      a.words = code;
      if (!display.empty()) a.words.append(" ").append(display);
      return true;
    }
    a.words = "an answer of another type";
    return true;
  }

  // QuestionnaireResponse.item, nested items (item.item, item.answer.item) flattened.
  bool read_items(const fields& o, resource& r, const std::string& path) {
    dom::element e;
    if (o["item"].get(e)) return true;
    dom::array items;
    if (e.get_array().get(items)) return fail(path + ".item", "expected an array");
    std::size_t i = 0;
    for (dom::element it : items) {
      std::string p = fmt::format("{}.item[{}]", path, i++);
      dom::object io;
      if (it.get_object().get(io)) return fail(p, "expected an item object");
      answer a;
      if (!text_view(io, "linkId", a.link_id, p) || !read_items(io, r, p)) return false;
      dom::element ae;
      if (io["answer"].get(ae)) continue;
      dom::array answers;
      if (ae.get_array().get(answers)) return fail(p + ".answer", "expected an array");
      std::size_t k = 0;
      for (dom::element an : answers) {
        std::string ap = fmt::format("{}.answer[{}]", p, k);
        dom::object ao;
        if (an.get_object().get(ao)) return fail(ap, "expected an answer object");
        if (k++ == 0 && !read_answer(ao, a, ap)) return false;
        if (!read_items(ao, r, ap)) return false;
      }
      if (k > 0) r.answers.push_back(std::move(a));
    }
    return true;
  }

  bool read_questionnaire_response(const fields& o, resource& r, const std::string& path) {
    r.type = resource::kind::questionnaire_response;
    if (!text_view(o, "questionnaire", r.questionnaire, path) || !text_view(o, "status", r.status, path) ||
        !date(o, "authored", r.when, path))
      return false;
    if (auto bar = r.questionnaire.find('|'); bar != std::string_view::npos) r.questionnaire = r.questionnaire.substr(0, bar);
    return read_items(o, r, path);
  }

  // A date from effectiveDateTime or effectivePeriod (start, and end into `until`).
  bool effective(const fields& o, resource& r, const std::string& path) {
    dom::object period;
    if (!o["effectivePeriod"].get_object().get(period))
      return date(period, "start", r.when, path, ".effectivePeriod") && date(period, "end", r.until, path, ".effectivePeriod");
    return date(o, "effectiveDateTime", r.when, path);
  }

  // Observation: code, status, effective[x] (else issued), and its value.
  bool read_observation(const fields& o, resource& r, const std::string& path) {
    r.type = resource::kind::observation;
    if (!codings(o, r, path) || !text_view(o, "status", r.status, path) || !effective(o, r, path)) return false;
    if (!r.when.present && !date(o, "issued", r.when, path)) return false;
    dom::element reason;
    r.value_absent = !o["dataAbsentReason"].get(reason);
    dom::object q;
    dom::element v;
    if (!o["valueQuantity"].get_object().get(q)) {
      r.value = resource::value_kind::quantity;
      dom::element number;
      if (!q["value"].get(number)) {
        double d = 0;
        if (number.get_double().get(d)) return fail(path + ".valueQuantity.value", "expected a number");
        r.value_number = fmt::format("{}", d);  // the shortest digits that give the same double
      }
      constexpr std::string_view qp = ".valueQuantity";
      return text_view(q, "unit", r.value_unit, path, qp) && text_view(q, "code", r.value_code, path, qp) &&
             text_view(q, "system", r.value_system, path, qp);
    }
    if (!o["valueInteger"].get(v)) {
      std::int64_t n = 0;
      if (v.get_int64().get(n)) return fail(path + ".valueInteger", "expected an integer");
      r.value = resource::value_kind::quantity;
      r.value_number = std::to_string(n);
      return true;
    }
    for (std::string_view key : {"valueString", "valueCodeableConcept", "valueBoolean", "valueRange", "valueRatio", "valuePeriod"})
      if (!o[key].get(v)) r.value = resource::value_kind::other;
    return true;
  }

  // MedicationRequest (authoredOn) and MedicationStatement (effective[x]):
  // the medication's codes and the status.
  bool read_medication(const fields& o, resource& r, const std::string& path, bool request) {
    r.type = resource::kind::medication;
    if (!codings(o, r, path, "medicationCodeableConcept") || !text_view(o, "status", r.status, path)) return false;
    return request ? date(o, "authoredOn", r.when, path) : effective(o, r, path);
  }

  bool read_resource(dom::element e, const std::string& path) {
    dom::object object;
    if (e.get_object().get(object)) return fail(path, "expected a resource object");
    const fields o(object);
    std::string_view type, id;
    if (!text_view(o, "resourceType", type, path) || !text_view(o, "id", id, path)) return false;
    if (type.empty()) return fail(path, "a resource has no \"resourceType\"");
    if (type == "Bundle") return read_bundle(object, path);
    if (out.size() >= max_bundle_entries) return fail(path, fmt::format("more than {} resources", max_bundle_entries));
    const resource::kind kind = kind_of_type(type);
    if (kind == resource::kind::other) return true;  // a kind no binding reads
    // Read in place; its id string is one recycled from the previous Bundle's resources.
    resource& r = out.emplace_back();
    if (!ids.empty()) {
      r.id = std::move(ids.back());
      ids.pop_back();
    }
    bool ok = true;
    const std::size_t first_coding = store.size();
    switch (kind) {
      case resource::kind::patient:
        r.type = resource::kind::patient;
        r.date_absent = absent(o, "_birthDate");
        ok = date(o, "birthDate", r.when, path);
        break;
      case resource::kind::condition: ok = read_condition(o, r, path); break;
      case resource::kind::procedure: ok = read_procedure(o, r, path); break;
      case resource::kind::observation: ok = read_observation(o, r, path); break;
      case resource::kind::medication: ok = read_medication(o, r, path, type == "MedicationRequest"); break;
      case resource::kind::questionnaire_response: ok = read_questionnaire_response(o, r, path); break;
      case resource::kind::service_request:
        r.type = resource::kind::service_request;
        ok = codings(o, r, path) && text_view(o, "status", r.status, path) && date(o, "authoredOn", r.when, path);
        break;
      case resource::kind::other: break;
    }
    if (!ok) return false;
    r.id.clear();
    r.id.append(type).append("/").append(id.empty() ? std::string_view("(no id)") : id);
    spans.emplace_back(static_cast<std::uint32_t>(first_coding), static_cast<std::uint32_t>(store.size() - first_coding));
    return true;
  }

  bool read_bundle(dom::object o, const std::string& path) {
    dom::element entries;
    if (o["entry"].get(entries)) return true;  // an empty Bundle
    dom::array list;
    if (entries.get_array().get(list)) return fail(path.empty() ? "entry" : path + ".entry", "expected an array");
    // One path buffer per Bundle, rewritten per entry without formatting;
    // the outermost Bundle's is the reader's, so it keeps its capacity.
    std::string nested;
    std::string& p = path.empty() ? entry_path : nested;
    p = path.empty() ? "entry[" : path + ".entry[";
    const std::size_t stem = p.size();
    std::size_t i = 0;
    for (dom::element entry : list) {
      p.resize(stem);
      char digits[24];
      p.append(digits, static_cast<std::size_t>(std::to_chars(digits, digits + sizeof digits, i++).ptr - digits)).append("]");
      dom::object eo;
      if (entry.get_object().get(eo)) return fail(p, "expected an object");
      dom::element res;
      if (member(eo, "resource").get(res)) continue;  // a request-only entry
      p.append(".resource");
      if (!read_resource(res, p)) return false;
    }
    return true;
  }
};

// One prefetch key the client sent: its value is a resource, a Bundle, or
// null (sent, and empty: the client has no such data). Shared by the text
// reader and read_request_parts, so both read a key alike.
bool read_prefetch_value(reader& r, std::string_view key, dom::element value, prefetch_seen* seen) {
  if (seen) seen->keys.emplace_back(key);
  return value.is_null() || r.read_resource(value, "prefetch." + std::string(key));
}

// A CDS Hooks request (or just its `prefetch`): each prefetch value is read
// by read_prefetch_value; the draft orders of `context.draftOrders` are read
// as resources too.
bool read_request(reader& r, dom::object o, std::string& error, prefetch_seen* seen) {
  dom::object prefetch, context;
  bool has_prefetch = !o["prefetch"].get_object().get(prefetch);
  bool has_context = !o["context"].get_object().get(context);
  if (!has_prefetch && !has_context) {
    error = "expected a FHIR Bundle (\"resourceType\": \"Bundle\") or a CDS Hooks object with \"prefetch\"";
    return false;
  }
  if (seen) seen->is_request = true;
  if (has_prefetch)
    for (auto [key, value] : prefetch)
      if (!read_prefetch_value(r, key, value, seen)) return false;
  dom::element orders;
  if (has_context && !context["draftOrders"].get(orders)) return r.read_resource(orders, "context.draftOrders");
  return true;
}

}  // namespace

// A Bundle, or a CDS Hooks request whose prefetch values are resources, Bundles or null.
static bool read_root(reader& r, dom::object o, std::string& error, std::string& bundle_id, prefetch_seen* seen) {
  std::string_view type;
  if (!o["resourceType"].get_string().get(type)) {
    if (type != "Bundle") {
      error = fmt::format("expected a FHIR Bundle, not a resource of type \"{}\"", type);
      return false;
    }
    std::string_view id;
    if (!o["id"].get_string().get(id)) bundle_id = id;
    return r.read_bundle(o, "");
  }
  return read_request(r, o, error, seen);
}

static_assert(fhir_padding >= simdjson::SIMDJSON_PADDING);

namespace {

// What one read keeps from the last on this thread: the resources' id
// strings (recycled, so they keep their capacity), the codings and their
// spans (views into the parsed document, valid until the next read).
struct read_state {
  std::vector<std::string> ids;
  std::vector<coding> store;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans;
  std::string entry_path;
};

read_state& fresh_state(std::vector<resource>& out, std::string& bundle_id, prefetch_seen* seen) {
  thread_local read_state state;
  if (seen) *seen = prefetch_seen{};
  for (resource& r : out) state.ids.push_back(std::move(r.id));
  out.clear();
  bundle_id.clear();
  state.store.clear();
  state.spans.clear();
  return state;
}

void attach_codings(std::vector<resource>& out, const read_state& state) {
  for (std::size_t i = 0; i < out.size(); ++i)
    out[i].codes = std::span<const coding>(state.store.data() + state.spans[i].first, state.spans[i].second);
}

}  // namespace

bool read_resources(std::string_view json, std::vector<resource>& out, std::string& error, std::string& bundle_id,
                    prefetch_seen* seen, bool padded) {
  read_state& state = fresh_state(out, bundle_id, seen);
  if (json.size() > max_bundle_bytes) {
    error = fmt::format("the Bundle is larger than the limit of {} bytes", max_bundle_bytes);
    return false;
  }
  thread_local dom::parser parser;
  dom::element root;
  if (auto err = parser.parse(json.data(), json.size(), !padded).get(root)) {
    error = fmt::format("not valid JSON: {}", simdjson::error_message(err));
    return false;
  }
  dom::object o;
  if (root.get_object().get(o)) {
    error = "expected a FHIR Bundle or a CDS Hooks prefetch object, not a JSON " +
            std::string(root.type() == dom::element_type::ARRAY ? "array" : "value");
    return false;
  }
  reader r{out, error, state.store, state.spans, state.entry_path, state.ids};
  if (!read_root(r, o, error, bundle_id, seen)) return false;
  attach_codings(out, state);
  return true;
}

bool read_request_parts(const fhir_request_parts& parts, std::vector<resource>& out, std::string& error, std::string& bundle_id,
                        prefetch_seen* seen) {
  read_state& state = fresh_state(out, bundle_id, seen);
  reader r{out, error, state.store, state.spans, state.entry_path, state.ids};
  // As read_request() reads the text: the prefetch values, then the order
  // where the text has it (a Bundle holding it alone).
  if (seen) seen->is_request = true;
  for (const auto& [key, value] : parts.prefetch)
    if (!read_prefetch_value(r, key, value, seen)) return false;
  if (!r.read_resource(parts.order, "context.draftOrders.entry[0].resource")) return false;
  attach_codings(out, state);
  return true;
}

}  // namespace rubric::runtime::fhir
