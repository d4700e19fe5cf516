// `keel verify`: validate a certificate chain the way a TLS peer would.
#pragma once

#include <CLI/CLI.hpp>

namespace keel::tool {

/// Adds the `verify` subcommand to `app`; `exit_code` receives its result when it runs.
void add_verify_command(CLI::App& app, int& exit_code);

}  // namespace keel::tool
