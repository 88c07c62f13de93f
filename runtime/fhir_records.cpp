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

  bool codings(dom::object o, resource& r, const std::string& path) {
    r.code_absent = absent(o, "code");
    dom::element e;
    if (o["code"].get(e)) return true;
    dom::object cc;
    if (e.get_object().get(cc)) return fail(path + ".code", "expected a CodeableConcept object");
    dom::element ce;
    if (cc["coding"].get(ce)) return true;
    dom::array list;
    if (ce.get_array().get(list)) return fail(path + ".code.coding", "expected an array");
    std::size_t i = 0;
    for (dom::element c : list) {
      std::string p = fmt::format("{}.code.coding[{}]", path, i++);
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

// A CDS Hooks request (or just its `prefetch`): each prefetch value is a
// resource, a Bundle, or null (the client has none); the draft orders of
// `context.draftOrders` are read as resources too.
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
    for (auto [key, value] : prefetch) {
      if (seen) seen->keys.emplace_back(key);
      if (value.is_null()) continue;  // sent, and empty: the client has no such data
      if (!r.read_resource(value, "prefetch." + std::string(key))) return false;
    }
  dom::element orders;
  if (has_context && !context["draftOrders"].get(orders)) return r.read_resource(orders, "context.draftOrders");
  return true;
}

}  // namespace

bool read_resources(std::string_view json, std::vector<resource>& out, std::string& error, std::string& bundle_id,
                    prefetch_seen* seen) {
  out.clear();
  bundle_id.clear();
  if (seen) *seen = prefetch_seen{};
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
  return read_request(r, o, error, seen);
}

}  // namespace rubric::runtime::fhir
