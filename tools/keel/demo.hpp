// `keel demo`: the three services of TLS, shown on a real connection over loopback.
#pragma once

#include <CLI/CLI.hpp>

namespace keel::tool {

/// Adds the `demo` subcommand to `app`; `exit_code` receives its result when it runs.
void add_demo_command(CLI::App& app, int& exit_code);

}  // namespace keel::tool
