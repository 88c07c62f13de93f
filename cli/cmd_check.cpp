// `rubric check` — not yet available (being built).
#include "cli/commands.hpp"

namespace rubric::cli {

void add_check_command(CLI::App& /*app*/, int& /*exit_code*/) {}

}  // namespace rubric::cli
