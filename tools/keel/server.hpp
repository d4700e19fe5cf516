// `keel server`: a TLS server answering HTTP/1.1, echoing, or serving one connection on stdio.
#pragma once

#include <CLI/CLI.hpp>

namespace keel::tool {

/// Adds the `server` subcommand to `app`; `exit_code` receives its result when it runs.
void add_server_command(CLI::App& app, int& exit_code);

}  // namespace keel::tool
