// The keel command-line tool. Each subcommand lives in a file of its own; this file only wires
// them to CLI11.
#include <cstdio>
#include <exception>
#include <string>

#include <CLI/CLI.hpp>

#include <keel/keel.hpp>

#include "client.hpp"
#include "demo.hpp"
#include "server.hpp"
#include "verify.hpp"

namespace {

std::string version_line() {
  return std::string("keel ") + keel::kVersion + " (crypto: " + keel::crypto_backend() + ")";
}

int run(int argc, char** argv) {
  CLI::App app{"keel: TLS 1.3 and TLS 1.2 client, server and tools", "keel"};
  app.set_version_flag("--version", version_line, "Print keel's version and crypto backend");
  app.require_subcommand(0, 1);
  int exit_code = 0;
  keel::tool::add_verify_command(app, exit_code);
  keel::tool::add_client_command(app, exit_code);
  keel::tool::add_server_command(app, exit_code);
  keel::tool::add_demo_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors: 2, apart from the subcommands' own codes
  }
  if (app.get_subcommands().empty()) {
    (void)std::fputs(app.help().c_str(), stdout);
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    // Only a bug or an exhausted machine gets here; say so instead of terminating silently.
    (void)std::fprintf(stderr, "keel: error: %s\n", e.what());  // NOLINT(*-vararg)
    return 2;
  }
}
