// Internal to the patient decoders (runtime/patient*.cpp): reading number and
// duration facts, with units. Includes simdjson, so only runtime sources may
// include it.
#pragma once

#include <simdjson.h>

#include <optional>
#include <string>

#include "runtime/graph.hpp"
#include "runtime/units.hpp"

namespace rubric::runtime::detail {

// The unit a fact's values are stored in: days for durations, the declared
// unit for number facts that have one, nullopt for plain numbers.
std::optional<units::unit> declared_unit(const fact& f);

// Text shown in messages: at most 60 bytes, cut at a character boundary.
std::string shorten(std::string_view raw);

// A JSON value as shown in messages (shortened; "a list", "an object").
std::string shown_value(simdjson::ondemand::value& v);

// The fields of a FHIR Quantity as read (strings unescaped; `number` is the
// value's JSON text).
struct quantity_fields {
  std::string_view number, unit, code, system;
};

// Whether a value in the declared unit is acceptable: finite, whole for an
// integer fact, inside the declared range.
bool within_declared(const fact& f, double value);

// A quantity string ("500 ng/mL", "3 hours") or a FHIR Quantity's fields,
// converted to the declared unit and checked like decode_quantity. These are
// the rules themselves, shared by the batch fast path (runtime/patient_fast.cpp),
// so both readers give the same value; they allocate only for a message, and
// parsed units are cached per thread.
bool text_quantity(const fact& f, const std::optional<units::unit>& declared, std::string_view text, double& out,
                   std::string& error);
bool fields_quantity(const fact& f, const std::optional<units::unit>& declared, const quantity_fields& q, double& out,
                     std::string& error);

// Decodes a number or duration fact's value into `out`, in the declared unit:
// a bare JSON number (in the declared unit; a duration needs a unit), a
// string "500 ng/mL" / "3 hours", or a FHIR Quantity. Then checks that the
// value is finite, whole for an integer fact, and inside the declared range.
// False with `error` naming the fact and the value otherwise.
bool decode_quantity(const fact& f, const std::optional<units::unit>& declared, simdjson::ondemand::value& v,
                     double& out, std::string& error);

}  // namespace rubric::runtime::detail
