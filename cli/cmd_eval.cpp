// `rubric eval` — not yet available (being built).
#include "cli/commands.hpp"

namespace rubric::cli {

void add_eval_command(CLI::App& /*app*/, int& /*exit_code*/) {}

}  // namespace rubric::cli
