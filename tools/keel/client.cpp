// `keel client`: connects, verifies, prints what was negotiated on stderr, then copies stdin to
// the connection and the connection to stdout until both ends are done.
#include "client.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include <keel/keel.hpp>

#include "core/file.hpp"
#include "core/try.hpp"
#include "io/socket.hpp"
#include "socket_pipe.hpp"
#include "tls_options.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace keel::tool {
namespace {

struct ClientOptions {
  std::string target;  // HOST:PORT or [IPv6]:PORT
  std::string servername;
  std::string cafile;
  bool insecure = false;
  std::string cert;
  std::string key;
  bool quiet = false;
  std::string sess_in;
  std::string sess_out;
  std::string early_data;
  TlsFlags tls;
};

struct Target {
  std::string host;
  std::uint16_t port = 0;
};

Result<Target> parse_target(const std::string& target) {
  const auto colon = target.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == target.size()) {
    return Error(Errc::invalid_argument, "expected HOST:PORT, got \"" + target + "\"");
  }
  Target out;
  out.host = target.substr(0, colon);
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']') {
    out.host = out.host.substr(1, out.host.size() - 2);  // [::1]:443
  }
  const std::string port = target.substr(colon + 1);
  unsigned long value = 0;
  for (const char c : port) {
    if (c < '0' || c > '9' || value > 65535) {
      break;
    }
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  if (port.find_first_not_of("0123456789") != std::string::npos || value == 0 || value > 65535) {
    return Error(Errc::invalid_argument, "bad port \"" + port + "\"");
  }
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

Result<std::shared_ptr<const ClientConfig>> make_config(const ClientOptions& options) {
  auto config = std::make_shared<ClientConfig>();
  KEEL_TRY(
      apply(options.tls, config->alpn, config->groups, config->cipher_suites, config->key_log));
  apply_versions(options.tls, config->min_version, config->max_version);
  if (options.insecure) {
    config->verify_server = false;
  } else if (!options.cafile.empty()) {
    KEEL_TRY_ASSIGN(config->trust_anchors, TrustAnchors::from_pem_file(options.cafile));
  }
  if (options.cert.empty() != options.key.empty()) {
    return Error(Errc::invalid_argument, "--cert and --key go together");
  }
  if (!options.cert.empty()) {
    KEEL_TRY_ASSIGN(config->certificate, CertifiedKey::from_pem_files(options.cert, options.key));
  }
  config->early_data = !options.early_data.empty();
  return std::shared_ptr<const ClientConfig>(std::move(config));
}

/// What became of --early-data's bytes.
std::string describe_early_data(const Connection& connection) {
  const std::size_t sent = connection.early_data_sent();
  if (sent == 0) {
    return "none sent (no session allowing 0-RTT to offer): sent after the handshake";
  }
  const std::string bytes = std::to_string(sent) + " bytes sent as 0-RTT, ";
  return bytes + (connection.negotiated().early_data_accepted
                      ? "accepted"
                      : "rejected by the server (sent again after the handshake)");
}

void print_summary(const ClientOptions& options, const Target& target, const std::string& name,
                   const Connection& connection) {
  const Negotiated& n = connection.negotiated();
  std::string out = "keel: connected to " + target.host + ":" + std::to_string(target.port) + "\n";
  out += "  protocol   " + to_string(n.version) + "\n";
  out += "  cipher     " + to_string(n.cipher_suite) + "\n";
  out += "  group      " + to_string(n.group) +
         (n.hello_retry_request ? " (after a HelloRetryRequest)" : "") + "\n";
  out += "  alpn       " + (n.alpn ? *n.alpn : std::string("(none)")) + "\n";
  out += "  resumed    " +
         std::string(n.resumed ? "yes (an earlier session; no certificate was sent)" : "no") + "\n";
  if (!options.early_data.empty()) {
    out += "  early data " + describe_early_data(connection) + "\n";
  }
  out += "  signature  " +
         (n.peer_signature_scheme ? to_string(*n.peer_signature_scheme) : std::string("(none)")) +
         "\n";
  out += "  chain:\n" + describe_chain(n.peer_certificates);
  if (n.peer_verified) {
    out += "  verified   yes: for " + name + ", against " +
           (options.cafile.empty() ? std::string("the system roots") : options.cafile) + "\n";
  } else {
    out += "  verified   NO: --insecure, the server was NOT authenticated\n";
  }
  std::cerr << out << std::flush;
}

/// --sess-in: a session saved by --sess-out, offered if it suits this connection.
Result<void> load_session(const std::string& path, const std::string& name, SessionCache& cache) {
  KEEL_TRY_ASSIGN(const std::string pem, read_file(path));
  auto session = ClientSession::from_pem(pem);
  if (!session.ok()) {
    return std::move(session).error().prepend(path);
  }
  if (session.value().server_name() && *session.value().server_name() != name) {
    std::cerr << "keel: " << path << ": the session is for " << *session.value().server_name()
              << ", not " << name << ": not offered\n";
    return {};
  }
  cache.store(name, std::move(session).value());
  return {};
}

/// --sess-out: the newest session the server's tickets made, for a later --sess-in. It holds
/// the session's secret, so the file is made readable by its owner only.
Result<void> save_session(const std::string& path, const std::string& name,
                          const SessionCache& cache) {
  if (path.empty()) {
    return {};
  }
  const auto session = cache.peek(name);
  if (!session) {
    std::cerr << "keel: the server sent no session ticket: " << path << " not written\n";
    return {};
  }
  return write_private_file(path, session->to_pem());
}

Result<void> run_client(const ClientOptions& options) {
  KEEL_TRY_ASSIGN(const Target target, parse_target(options.target));
  KEEL_TRY_ASSIGN(auto config, make_config(options));
  if (options.insecure) {
    std::cerr << "keel: WARNING: --insecure: the server's certificate will not be checked; "
                 "anyone in the middle can read and change this connection\n";
  }
  const std::string name = options.servername.empty() ? target.host : options.servername;
  if (!options.sess_in.empty()) {
    KEEL_TRY(load_session(options.sess_in, name, *config->session_cache));
  }
  KEEL_TRY_ASSIGN(auto connection, Connection::client(config, name));
  if (!options.early_data.empty()) {
    // Written before the handshake: as 0-RTT data if the session resumed allows it.
    KEEL_TRY_ASSIGN(const std::string early, read_file(options.early_data));
    auto written = connection.write(
        ByteView(reinterpret_cast<const std::uint8_t*>(early.data()), early.size()));
    if (!written.ok()) {
      return std::move(written).error().prepend(options.early_data);
    }
  }
  KEEL_TRY_ASSIGN(const int socket, io::connect_tcp(target.host, target.port));
  SocketPipe pipe(socket, std::move(connection));
  Connection& tls = pipe.connection();

  while (true) {  // the handshake
    KEEL_TRY(pipe.flush());
    if (tls.is_handshake_complete()) {
      break;
    }
    KEEL_TRY(pipe.receive());
  }
  if (!options.quiet) {
    print_summary(options, target, name, tls);
  }

  bool input_open = true;
  std::array<std::uint8_t, 16384> buffer{};
  while (true) {
    // Application data to stdout.
    while (tls.readable() > 0) {
      KEEL_TRY_ASSIGN(const std::size_t n, tls.read(buffer));
      if (std::fwrite(buffer.data(), 1, n, stdout) != n) {
        return Error(Errc::io_error, "cannot write to stdout");
      }
    }
    (void)std::fflush(stdout);
    if (tls.peer_closed()) {
      // The server is done: close our side too (a no-op if stdin already ended).
      KEEL_TRY(tls.close());
      KEEL_TRY(pipe.flush());
      return save_session(options.sess_out, name, *config->session_cache);
    }
    KEEL_TRY(pipe.flush());
    std::array<pollfd, 2> fds = {
        pollfd{pipe.socket(), POLLIN, 0},
        pollfd{STDIN_FILENO, static_cast<short>(input_open ? POLLIN : 0), 0}};
    if (::poll(fds.data(), input_open ? 2 : 1, -1) < 0) {
      if (errno == EINTR) {
        continue;
      }
      return io::io_error("poll", errno);
    }
    if ((fds[1].revents & (POLLIN | POLLHUP)) != 0) {
      const ssize_t n = ::read(STDIN_FILENO, buffer.data(), buffer.size());
      if (n > 0) {
        KEEL_TRY(tls.write(ByteView(buffer).first(static_cast<std::size_t>(n))));
      } else if (n == 0 || errno != EINTR) {
        input_open = false;  // our side is done: close_notify, keep reading
        KEEL_TRY(tls.close());
      }
    }
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR)) != 0) {
      KEEL_TRY(pipe.receive());
    }
  }
}

}  // namespace

void add_client_command(CLI::App& app, int& exit_code) {
  auto options = std::make_shared<ClientOptions>();
  CLI::App* command = app.add_subcommand(
      "client", "Connect to a TLS server and copy stdin to it and its replies to stdout");
  command->add_option("target", options->target, "HOST:PORT (or [IPv6]:PORT)")->required();
  command->add_option("--servername", options->servername,
                      "The name to ask for and verify (default: HOST)");
  command->add_option("--cafile", options->cafile, "Trust these roots instead of the system's")
      ->check(CLI::ExistingFile);
  command->add_flag("--insecure", options->insecure,
                    "Do not verify the server (anyone in the middle can read the connection)");
  command->add_option("--cert", options->cert, "Client certificate chain (PEM)")
      ->check(CLI::ExistingFile);
  command->add_option("--key", options->key, "Client private key (PEM)")->check(CLI::ExistingFile);
  command->add_flag("--quiet", options->quiet, "Print no summary");
  command
      ->add_option("--sess-in", options->sess_in,
                   "Resume the session saved in this file (by --sess-out)")
      ->check(CLI::ExistingFile);
  command->add_option("--sess-out", options->sess_out,
                      "Save the session the server's ticket makes to this file (mode 0600)");
  command
      ->add_option("--early-data", options->early_data,
                   "Send this file first, as TLS 1.3 0-RTT data if the resumed session allows "
                   "it (an attacker can replay it: only for requests safe to repeat)")
      ->check(CLI::ExistingFile);
  add_tls_flags(*command, options->tls);
  command->callback([options, &exit_code] {
    auto result = run_client(*options);
    if (!result.ok()) {
      std::cerr << "keel: error: " << result.error().message() << "\n";
      exit_code = 1;
      return;
    }
    exit_code = 0;
  });
}

}  // namespace keel::tool
