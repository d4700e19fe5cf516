// `keel demo`: starts a keel server on a free loopback port with the embedded default
// certificate, connects a keel client to it, and tells what happened with the real values:
// encryption (version, suite, key exchange), authentication (the chain, who signed what, the
// verification) and integrity (a record with one bit flipped in transit is rejected). It exits
// 0 only if all of that happened as told.
#include "demo.hpp"

#include <iostream>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <keel/keel.hpp>

#include "core/try.hpp"
#include "io/tls_server.hpp"
#include "local_ca.hpp"
#include "sessions.hpp"
#include "socket_pipe.hpp"
#include "tls_options.hpp"
#include "x509/certificate.hpp"

namespace keel::tool {
namespace {

ByteView text_bytes(const std::string& text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

/// Reads until `response` holds a whole HTTP response (its head and Content-Length body).
Result<std::string> read_response(SocketPipe& pipe) {
  std::string response;
  std::array<std::uint8_t, 4096> buffer{};
  while (true) {
    while (pipe.connection().readable() > 0) {
      KEEL_TRY_ASSIGN(const std::size_t n, pipe.connection().read(buffer));
      response.append(reinterpret_cast<const char*>(buffer.data()), n);
    }
    const auto head_end = response.find("\r\n\r\n");
    const auto length_at = response.find("Content-Length: ");
    if (head_end != std::string::npos && length_at != std::string::npos) {
      const std::size_t length = std::stoul(response.substr(length_at + 16));
      if (response.size() >= head_end + 4 + length) {
        return response;
      }
    }
    if (pipe.connection().peer_closed()) {
      return Error(Errc::stream_truncated, "the server closed before its whole reply");
    }
    KEEL_TRY(pipe.receive());
  }
}

class Demo {
 public:
  Result<void> run() {
    KEEL_TRY_ASSIGN(const LocalCa ca, ensure_local_ca());
    auto server_config = std::make_shared<ServerConfig>();
    KEEL_TRY_ASSIGN(auto certified, CertifiedKey::from_pem_files(ca.certificate, ca.key));
    server_config->certificates.push_back(std::move(certified));
    server_config->alpn = {"http/1.1"};
    io::TlsServerOptions options;
    options.on_error = [this](const std::string& /*peer*/, const Error& error) {
      const std::scoped_lock lock(mutex_);
      server_errors_.push_back(error);
    };
    KEEL_TRY_ASSIGN(auto server, io::TlsServer::listen("127.0.0.1:0", server_config, options));
    std::cout << "keel demo: a keel server listens on 127.0.0.1:" << server.port()
              << " with the local certificate for localhost\n"
              << "           (its CA: " << ca.ca_certificate << ")\n\n";
    std::thread serving([&server] {
      (void)server.run(
          [] { return std::unique_ptr<io::Session>(std::make_unique<HttpSession>()); });
    });
    auto result = talk(ca, server.port());
    server.request_stop();
    serving.join();
    return result;
  }

 private:
  Result<void> talk(const LocalCa& ca, std::uint16_t port) {
    auto config = std::make_shared<ClientConfig>();
    KEEL_TRY_ASSIGN(config->trust_anchors, TrustAnchors::from_pem_file(ca.ca_certificate));
    config->alpn = {"http/1.1"};
    KEEL_TRY_ASSIGN(auto connection, Connection::client(config, "localhost"));
    KEEL_TRY_ASSIGN(const int socket, io::connect_tcp("127.0.0.1", port));
    SocketPipe pipe(socket, std::move(connection));
    Connection& tls = pipe.connection();
    while (true) {
      KEEL_TRY(pipe.flush());
      if (tls.is_handshake_complete()) {
        break;
      }
      KEEL_TRY(pipe.receive());
    }
    const Negotiated& n = tls.negotiated();
    if (n.version != ProtocolVersion::tls13 || !n.peer_verified || !n.peer_signature_scheme) {
      return Error(Errc::internal, "the handshake did not verify the server");
    }

    std::cout << "1. Encryption\n"
              << "   The client and the server agreed on " << to_string(n.version) << " with "
              << to_string(n.cipher_suite) << ".\n"
              << "   Each made a fresh " << to_string(n.group)
              << " key pair and sent the public half (key_share); from the shared\n"
              << "   secret both derived the same traffic keys. An eavesdropper saw the public "
                 "halves only.\n\n";

    std::cout << "2. Authentication\n"
              << "   The server sent its certificate chain:\n"
              << describe_chain(n.peer_certificates)
              << "   The client checked it up to the trusted root " << ca.ca_certificate
              << ",\n   for the name \"localhost\", inside its validity, and then the server's "
                 "signature\n   over the whole handshake ("
              << to_string(*n.peer_signature_scheme)
              << "): the server holds the certificate's private key.\n\n";

    KEEL_TRY(tls.write(text_bytes("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n")));
    KEEL_TRY(pipe.flush());
    KEEL_TRY_ASSIGN(const std::string response, read_response(pipe));
    if (response.rfind("HTTP/1.1 200 OK", 0) != 0) {
      return Error(Errc::internal, "the server did not answer 200");
    }
    std::cout << "   Over the encrypted connection (ALPN: " << n.alpn.value_or("none")
              << "), the server answered:\n     " << response.substr(0, response.find("\r\n"))
              << "\n\n";

    // Integrity: a record sealed by the client, one bit flipped on the way.
    KEEL_TRY(tls.write(text_bytes("GET /tampered HTTP/1.1\r\nHost: localhost\r\n\r\n")));
    Bytes record(tls.pending_output().begin(), tls.pending_output().end());
    tls.consume_output(record.size());
    const std::size_t flipped = record.size() / 2;
    record[flipped] ^= 0x01U;
    KEEL_TRY(send_raw(pipe.socket(), record));
    auto answer = pipe.receive();
    while (answer.ok() && !tls.peer_closed()) {
      answer = pipe.receive();
    }
    const bool told = !answer.ok() && answer.error().code() == Errc::alert_received &&
                      answer.error().detail().find("bad_record_mac") != std::string::npos;
    bool server_rejected = false;
    {
      const std::scoped_lock lock(mutex_);
      for (const auto& error : server_errors_) {
        if (error.code() == Errc::bad_record_mac) {
          server_rejected = true;
        }
      }
    }
    if (!told || !server_rejected) {
      return Error(Errc::internal, "the tampered record was not rejected with bad_record_mac");
    }
    std::cout << "3. Integrity\n"
              << "   The client sealed another request in a " << record.size()
              << "-byte record; one bit (byte " << flipped << ") was flipped on the way.\n"
              << "   The server's AEAD check failed, it refused the record and sent the alert\n"
              << "   bad_record_mac; the client received it: \"" << answer.error().message()
              << "\".\n\n"
              << "keel demo: all three services happened as told.\n";
    return {};
  }

  std::mutex mutex_;
  std::vector<Error> server_errors_;
};

}  // namespace

void add_demo_command(CLI::App& app, int& exit_code) {
  CLI::App* command = app.add_subcommand(
      "demo", "Show encryption, authentication and integrity on a real loopback connection");
  command->callback([&exit_code] {
    Demo demo;
    auto result = demo.run();
    if (!result.ok()) {
      std::cerr << "keel: error: " << result.error().message() << "\n";
      exit_code = 1;
      return;
    }
    exit_code = 0;
  });
}

}  // namespace keel::tool
