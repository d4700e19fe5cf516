// `keel server`: many connections at once on one thread (io::TlsServer, an epoll loop: see its
// header for why), each answered by an HTTP, echo or stdio session.
#include "server.hpp"

#include <array>
#include <cerrno>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <keel/keel.hpp>

#include "core/try.hpp"
#include "io/tls_server.hpp"
#include "local_ca.hpp"
#include "sessions.hpp"
#include "tls_options.hpp"
#include "x509/certificate.hpp"

#include <poll.h>
#include <unistd.h>

namespace keel::tool {
namespace {

struct ServerOptions {
  std::string listen = "127.0.0.1:8443";
  std::vector<std::string> certs;
  std::vector<std::string> keys;
  std::string verify_client;  // CA file
  std::string ticket_keys;    // a fleet's key file
  std::uint32_t max_early_data = 0;
  bool require_client_cert = false;
  bool echo = false;
  bool http = false;
  bool stdio = false;
  double handshake_timeout = 10;  // seconds
  TlsFlags tls;
};

Result<std::shared_ptr<const ServerConfig>> make_config(const ServerOptions& options) {
  auto config = std::make_shared<ServerConfig>();
  KEEL_TRY(
      apply(options.tls, config->alpn, config->groups, config->cipher_suites, config->key_log));
  apply_versions(options.tls, config->min_version, config->max_version);
  if (options.certs.size() != options.keys.size()) {
    return Error(Errc::invalid_argument, "each --cert needs its --key");
  }
  std::vector<std::string> certs = options.certs;
  std::vector<std::string> keys = options.keys;
  if (certs.empty()) {
    // The embedded default: a local CA and a certificate for localhost, made once.
    KEEL_TRY_ASSIGN(const LocalCa ca, ensure_local_ca());
    std::cerr << "keel: no --cert: serving the local certificate for localhost, 127.0.0.1 and "
                 "::1\nkeel: its CA is "
              << ca.ca_certificate << " (curl --cacert " << ca.ca_certificate
              << ", keel client --cafile " << ca.ca_certificate << ")\n";
    certs = {ca.certificate};
    keys = {ca.key};
  }
  for (std::size_t i = 0; i < certs.size(); ++i) {
    KEEL_TRY_ASSIGN(auto certified, CertifiedKey::from_pem_files(certs[i], keys[i]));
    config->certificates.push_back(std::move(certified));
  }
  if (!options.verify_client.empty()) {
    KEEL_TRY_ASSIGN(config->client_trust_anchors,
                    TrustAnchors::from_pem_file(options.verify_client));
    config->client_authentication = options.require_client_cert ? ClientAuthentication::required
                                                                : ClientAuthentication::optional;
  } else if (options.require_client_cert) {
    return Error(Errc::invalid_argument, "--require-client-cert needs --verify-client CAFILE");
  }
  if (!options.ticket_keys.empty()) {
    KEEL_TRY_ASSIGN(config->ticket_keys, TicketKeys::from_file(options.ticket_keys));
  }
  config->max_early_data = options.max_early_data;
  return std::shared_ptr<const ServerConfig>(std::move(config));
}

/// --stdio: one connection, the peer's bytes on stdin, ours on stdout; the application data
/// is echoed.
Result<void> serve_stdio(const std::shared_ptr<const ServerConfig>& config) {
  KEEL_TRY_ASSIGN(auto connection, Connection::server(config));
  EchoSession echo;
  std::array<std::uint8_t, 16384> buffer{};
  while (true) {
    while (!connection.pending_output().empty()) {
      const ByteView out = connection.pending_output();
      const ssize_t written = ::write(STDOUT_FILENO, out.data(), out.size());
      if (written < 0) {
        if (errno == EINTR) {
          continue;
        }
        return Error(Errc::io_error, "cannot write to stdout");
      }
      connection.consume_output(static_cast<std::size_t>(written));
    }
    if (connection.close_sent()) {
      return {};
    }
    const ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      return Error(Errc::io_error, "cannot read stdin");
    }
    KEEL_TRY(n == 0 ? connection.feed_end_of_stream()
                    : connection.feed(ByteView(buffer).first(static_cast<std::size_t>(n))));
    if (connection.is_handshake_complete()) {
      KEEL_TRY(echo.on_data(connection));
      if (connection.peer_closed()) {
        KEEL_TRY(connection.close());
      }
    }
  }
}

Result<void> run_server(const ServerOptions& options) {
  KEEL_TRY_ASSIGN(auto config, make_config(options));
  if (options.stdio) {
    return serve_stdio(config);
  }
  io::TlsServerOptions server_options;
  server_options.handshake_timeout =
      std::chrono::milliseconds(static_cast<std::int64_t>(options.handshake_timeout * 1000));
  server_options.on_error = [](const std::string& peer, const Error& error) {
    std::cerr << "keel: " << peer << ": " << error.message() << "\n";
  };
  KEEL_TRY_ASSIGN(auto server, io::TlsServer::listen(options.listen, config, server_options));
  std::cerr << "keel: serving " << (options.echo ? "echo" : "HTTP") << " on "
            << options.listen.substr(0, options.listen.rfind(':')) << ":" << server.port()
            << " (Ctrl-C stops)" << std::endl;
  const bool echo = options.echo;
  KEEL_TRY(server.run([echo]() -> std::unique_ptr<io::Session> {
    if (echo)
      return std::make_unique<EchoSession>();
    return std::make_unique<HttpSession>();
  }));
  std::cerr << "keel: stopped\n";
  return {};
}

}  // namespace

void add_server_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ServerOptions>();
  CLI::App* command = app.add_subcommand("server", "Serve TLS: HTTP/1.1 (default), echo or stdio");
  command->add_option("--listen", options->listen, "ADDR:PORT (default 127.0.0.1:8443)");
  command->add_option("--cert", options->certs, "Certificate chain (PEM); repeatable")
      ->check(CLI::ExistingFile);
  command->add_option("--key", options->keys, "Private key (PEM) of the --cert before it")
      ->check(CLI::ExistingFile);
  command
      ->add_option("--verify-client", options->verify_client,
                   "Ask for client certificates and verify them against CAFILE")
      ->check(CLI::ExistingFile);
  command
      ->add_option("--handshake-timeout", options->handshake_timeout,
                   "Seconds a client has to complete its handshake (default 10)")
      ->check(CLI::Range(0.1, 3600.0));
  command->add_flag("--require-client-cert", options->require_client_cert,
                    "Refuse clients without a certificate");
  command
      ->add_option("--ticket-keys", options->ticket_keys,
                   "Session ticket keys shared by a fleet: one \"<32 hex name> <64 hex key>\" "
                   "per line, the first sealing (default: random keys, rotated hourly)")
      ->check(CLI::ExistingFile);
  command
      ->add_option("--max-early-data", options->max_early_data,
                   "Accept up to this many bytes of TLS 1.3 0-RTT data from a resuming client "
                   "(default 0: none; early data can be replayed)")
      ->check(CLI::Range(0, 1 << 20));
  auto* echo = command->add_flag("--echo", options->echo, "Echo every byte back");
  auto* http = command->add_flag("--http", options->http, "Answer HTTP/1.1 requests (default)");
  auto* stdio = command->add_flag("--stdio", options->stdio,
                                  "Serve one connection on stdin/stdout (echoing)");
  echo->excludes(http)->excludes(stdio);
  http->excludes(stdio);
  add_tls_flags(*command, options->tls);
  command->callback([options, &exit_code] {
    auto result = run_server(*options);
    if (!result.ok()) {
      std::cerr << "keel: error: " << result.error().message() << "\n";
      exit_code = result.error().code() == Errc::not_supported ? 3 : 1;
      return;
    }
    exit_code = 0;
  });
}

}  // namespace keel::tool
