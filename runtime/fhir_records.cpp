// Reading FHIR R4 JSON into records (fhir_records.hpp) with simdjson's DOM.
// Only the fields the bindings use are read; anything else is ignored, so
// valid R4 resources of any kind pass. A field of the wrong JSON type is an
// error naming its path; the entry count is bounded (max_bundle_entries).
#include "runtime/fhir_records.hpp"

#include <fmt/format.h>
#include <simdjson.h>

#include "runtime/fhir_bundle.hpp"

namespace rubric::runtime::fhir {

namespace {

namespace dom = simdjson::dom;

constexpr std::string_view absent_reason_url = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";
constexpr std::string_view clinical_status_system = "http://terminology.hl7.org/CodeSystem/condition-clinical";
constexpr std::string_view verification_status_system = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

struct reader {
  std::vector<resource>& out;
  std::string& error;

  bool fail(const std::string& path, std::string_view what) {
    error = fmt::format("{}: {}", path, what);
    return false;
  }

  // A string field, or "" when absent; false when present but not a string.
  bool text(dom::object o, std::string_view key, std::string& s, const std::string& path) {
    dom::element e;
    if (o[key].get(e)) return true;
    std::string_view v;
    if (e.get_string().get(v)) return fail(path + "." + std::string(key), "expected a string");
    s = v;
    return true;
  }

  bool date(dom::object o, std::string_view key, date_range& d, const std::string& path) {
    std::string s;
    if (!text(o, key, s, path)) return false;
    if (s.empty()) return true;
    d.text = s;
    d.present = fhir_date_days(s, d.first, d.last);
    if (!d.present) return fail(path + "." + std::string(key), fmt::format("\"{}\" is not a FHIR date", s));
    return true;
  }

  // Whether `o[key]` (or its `_key` twin for primitives) carries a data-absent-reason extension.
  static bool absent(dom::object o, std::string_view key) {
    dom::object holder;
    if (o[key].get_object().get(holder)) return false;
    dom::array ext;
    if (holder["extension"].get_array().get(ext)) return false;
    for (dom::element e : ext) {
      std::string_view url;
      if (!e["url"].get_string().get(url) && url == absent_reason_url) return true;
    }
    return false;
  }

  // The code of a status such as clinicalStatus: the CodeableConcept's coding
  // in `system` (R4 binds these to one code system; another system's coding
  // beside it, such as a local status, is not the status). "" when none.
  bool concept_code(dom::object o, std::string_view key, std::string_view system, std::string& s, const std::string& path) {
    dom::element e;
    if (o[key].get(e)) return true;
    dom::object cc;
    if (e.get_object().get(cc)) return fail(path + "." + std::string(key), "expected a CodeableConcept object");
    dom::array codings;
    if (cc["coding"].get_array().get(codings)) return true;
    for (dom::element c : codings) {
      std::string_view sys, v;
      if (!c["system"].get_string().get(sys) && sys == system && !c["code"].get_string().get(v)) {
        s = v;
        return true;
      }
    }
    return true;
  }

  bool codings(dom::object o, resource& r, const std::string& path, std::string_view key = "code") {
    r.code_absent = absent(o, key);
    dom::element e;
    if (o[key].get(e)) return true;
    dom::object cc;
    const std::string at = path + "." + std::string(key);
    if (e.get_object().get(cc)) return fail(at, "expected a CodeableConcept object");
    dom::element ce;
    if (cc["coding"].get(ce)) return true;
    dom::array list;
    if (ce.get_array().get(list)) return fail(at + ".coding", "expected an array");
    std::size_t i = 0;
    for (dom::element c : list) {
      std::string p = fmt::format("{}.coding[{}]", at, i++);
      dom::object co;
      if (c.get_object().get(co)) return fail(p, "expected a Coding object");
      coding x;
      if (!text(co, "system", x.system, p) || !text(co, "code", x.code, p) || !text(co, "display", x.display, p)) return false;
      r.codes.push_back(std::move(x));
    }
    return true;
  }

  bool read_condition(dom::object o, resource& r, const std::string& path) {
    r.type = resource::kind::condition;
    if (!codings(o, r, path) || !concept_code(o, "clinicalStatus", clinical_status_system, r.status, path) ||
        !concept_code(o, "verificationStatus", verification_status_system, r.verification, path) || !date(o, "recordedDate", r.recorded, path))
      return false;
    dom::object period;
    if (!o["onsetPeriod"].get_object().get(period)) return date(period, "start", r.when, path + ".onsetPeriod");
    r.date_absent = absent(o, "_onsetDateTime");
    return date(o, "onsetDateTime", r.when, path);
  }

  bool read_procedure(dom::object o, resource& r, const std::string& path) {
    r.type = resource::kind::procedure;
    if (!codings(o, r, path) || !text(o, "status", r.status, path)) return false;
    dom::object period;
    if (!o["performedPeriod"].get_object().get(period))
      return date(period, "start", r.when, path + ".performedPeriod") && date(period, "end", r.until, path + ".performedPeriod");
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

  // The first answer of an item: valueBoolean, a number, or a yes/no Coding.
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
    dom::object coding;
    if (!first["valueCoding"].get_object().get(coding)) {
      std::string system, code, display;
      if (!text(coding, "system", system, path + ".valueCoding") || !text(coding, "code", code, path + ".valueCoding") ||
          !text(coding, "display", display, path + ".valueCoding"))
        return false;
      if (yes_no_coding(system, code, a.yes)) a.type = answer::kind::yes_no;
      a.words = code + (display.empty() ? "" : " " + display);
      return true;
    }
    a.words = "an answer of another type";
    return true;
  }

  // QuestionnaireResponse.item, nested items (item.item, item.answer.item) flattened.
  bool read_items(dom::object o, resource& r, const std::string& path) {
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
      if (!text(io, "linkId", a.link_id, p) || !read_items(io, r, p)) return false;
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

  bool read_questionnaire_response(dom::object o, resource& r, const std::string& path) {
    r.type = resource::kind::questionnaire_response;
    if (!text(o, "questionnaire", r.questionnaire, path) || !text(o, "status", r.status, path) ||
        !date(o, "authored", r.when, path))
      return false;
    if (auto bar = r.questionnaire.find('|'); bar != std::string::npos) r.questionnaire.resize(bar);
    return read_items(o, r, path);
  }

  // A date from `<stem>DateTime` or `<stem>Period` (start, and end into `until`).
  bool date_or_period(dom::object o, std::string_view stem, resource& r, const std::string& path) {
    dom::object period;
    if (!o[std::string(stem) + "Period"].get_object().get(period))
      return date(period, "start", r.when, path + "." + std::string(stem) + "Period") &&
             date(period, "end", r.until, path + "." + std::string(stem) + "Period");
    return date(o, std::string(stem) + "DateTime", r.when, path);
  }

  // Observation: code, status, effective[x] (else issued), and its value.
  bool read_observation(dom::object o, resource& r, const std::string& path) {
    r.type = resource::kind::observation;
    if (!codings(o, r, path) || !text(o, "status", r.status, path) || !date_or_period(o, "effective", r, path)) return false;
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
      const std::string qp = path + ".valueQuantity";
      return text(q, "unit", r.value_unit, qp) && text(q, "code", r.value_code, qp) && text(q, "system", r.value_system, qp);
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
  bool read_medication(dom::object o, resource& r, const std::string& path, bool request) {
    r.type = resource::kind::medication;
    if (!codings(o, r, path, "medicationCodeableConcept") || !text(o, "status", r.status, path)) return false;
    return request ? date(o, "authoredOn", r.when, path) : date_or_period(o, "effective", r, path);
  }

  bool read_resource(dom::element e, const std::string& path) {
    dom::object o;
    if (e.get_object().get(o)) return fail(path, "expected a resource object");
    std::string type, id;
    if (!text(o, "resourceType", type, path) || !text(o, "id", id, path)) return false;
    if (type.empty()) return fail(path, "a resource has no \"resourceType\"");
    if (type == "Bundle") return read_bundle(o, path);
    if (out.size() >= max_bundle_entries) return fail(path, fmt::format("more than {} resources", max_bundle_entries));
    resource r;
    r.id = type + "/" + (id.empty() ? "(no id)" : id);
    bool ok = true;
    if (type == "Patient") {
      r.type = resource::kind::patient;
      r.date_absent = absent(o, "_birthDate");
      ok = date(o, "birthDate", r.when, path);
    } else if (type == "Condition") {
      ok = read_condition(o, r, path);
    } else if (type == "Procedure") {
      ok = read_procedure(o, r, path);
    } else if (type == "Observation") {
      ok = read_observation(o, r, path);
    } else if (type == "MedicationRequest" || type == "MedicationStatement") {
      ok = read_medication(o, r, path, type == "MedicationRequest");
    } else if (type == "QuestionnaireResponse") {
      ok = read_questionnaire_response(o, r, path);
    } else if (type == "ServiceRequest") {
      r.type = resource::kind::service_request;
      ok = codings(o, r, path) && text(o, "status", r.status, path) && date(o, "authoredOn", r.when, path);
    } else {
      return true;  // a kind no binding reads
    }
    if (ok) out.push_back(std::move(r));
    return ok;
  }

  bool read_bundle(dom::object o, const std::string& path) {
    dom::element entries;
    if (o["entry"].get(entries)) return true;  // an empty Bundle
    dom::array list;
    if (entries.get_array().get(list)) return fail(path.empty() ? "entry" : path + ".entry", "expected an array");
    std::size_t i = 0;
    for (dom::element entry : list) {
      std::string p = fmt::format("{}entry[{}]", path.empty() ? "" : path + ".", i++);
      dom::object eo;
      if (entry.get_object().get(eo)) return fail(p, "expected an object");
      dom::element res;
      if (eo["resource"].get(res)) continue;  // a request-only entry
      if (!read_resource(res, p + ".resource")) return false;
    }
    return true;
  }
};

}  // namespace

bool read_resources(std::string_view json, std::vector<resource>& out, std::string& error, std::string& bundle_id) {
  out.clear();
  bundle_id.clear();
  if (json.size() > max_bundle_bytes) {
    error = fmt::format("the Bundle is larger than the limit of {} bytes", max_bundle_bytes);
    return false;
  }
  thread_local dom::parser parser;
  dom::element root;
  if (auto err = parser.parse(json.data(), json.size(), true).get(root)) {
    error = fmt::format("not valid JSON: {}", simdjson::error_message(err));
    return false;
  }
  dom::object o;
  if (root.get_object().get(o)) {
    error = "expected a FHIR Bundle or a CDS Hooks prefetch object, not a JSON " +
            std::string(root.type() == dom::element_type::ARRAY ? "array" : "value");
    return false;
  }
  reader r{out, error};
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
  dom::object prefetch;
  if (o["prefetch"].get_object().get(prefetch)) {
    error = "expected a FHIR Bundle (\"resourceType\": \"Bundle\") or a CDS Hooks object with \"prefetch\"";
    return false;
  }
  for (auto [key, value] : prefetch) {
    if (value.is_null()) continue;  // a prefetch the server could not fill
    if (!r.read_resource(value, "prefetch." + std::string(key))) return false;
  }
  return true;
}

}  // namespace rubric::runtime::fhir
