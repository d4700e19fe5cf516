// `keel client HOST:PORT`: a TLS client on stdin/stdout, like `openssl s_client`.
#pragma once

#include <CLI/CLI.hpp>

namespace keel::tool {

/// Adds the `client` subcommand to `app`; `exit_code` receives its result when it runs.
void add_client_command(CLI::App& app, int& exit_code);

}  // namespace keel::tool
