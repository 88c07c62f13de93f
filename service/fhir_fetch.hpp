// Reading a prefetch key the client did not send from its FHIR server
// (CDS Hooks 2.0, "FHIR Resource Access": `fhirServer` + the bearer token of
// `fhirAuthorization`), with the cpp-httplib client. Only servers the
// operator allow-listed are called (hook.cpp checks), so a request cannot
// point the service at an arbitrary host.
#pragma once

#include <chrono>

#include "service/hook.hpp"

namespace rubric::service {

// A fetcher with this timeout for connecting and for reading.
fhir_fetcher http_fhir_fetcher(std::chrono::milliseconds timeout);

}  // namespace rubric::service
