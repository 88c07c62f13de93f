// Loading the GUIDELINE argument of `rubric eval` / `rubric explain`: a compiled
// decision graph (.json) is loaded by the runtime alone; a `.rubric` file is
// compiled in memory first and its diagnostics are printed on stderr.
#pragma once

#include <optional>
#include <string>

#include "runtime/graph.hpp"
#include "runtime/patient.hpp"

namespace rubric::cli {

// The graph, or nullopt after printing why on stderr (diagnostics or the
// loader's message). `color` follows --color for diagnostics.
std::optional<runtime::graph> load_guideline(const std::string& path, const std::string& color = "auto");

// 0 when `path` is a readable file; otherwise 2 (the usage-error exit status)
// after a message on stderr naming it: missing, a directory, or unreadable.
int unreadable_input(const std::string& path);

// Reads a whole file; nullopt (after a message on stderr) when it cannot.
std::optional<std::string> read_file_text(const std::string& path);

// Reads and decodes the patient JSON file at `path` into `p`. Returns 0, or
// the exit code after a message on stderr: 2 when the file cannot be read,
// 1 when the record is malformed (the message names the fact and the value).
int load_patient_file(const runtime::graph& g, const std::string& path, runtime::patient& p);

}  // namespace rubric::cli
