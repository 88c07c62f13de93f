// `rubric fmt` — not yet available (being built).
#include "cli/commands.hpp"

namespace rubric::cli {

void add_fmt_command(CLI::App& /*app*/, int& /*exit_code*/) {}

}  // namespace rubric::cli
