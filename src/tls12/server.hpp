// The TLS 1.2 server's handshake (RFC 5246 §7.3, RFC 8422 §2 for ECDHE), from the ClientHello
// on: the TLS 1.3 server reads every ClientHello and hands over one that does not offer TLS
// 1.3 (or all of them, if TLS 1.3 is turned off).
//
//   ClientHello  ->  ServerHello, Certificate, ServerKeyExchange, [CertificateRequest],
//                    ServerHelloDone
//   [Certificate], ClientKeyExchange, [CertificateVerify], ChangeCipherSpec, Finished  ->
//                ->  [NewSessionTicket], ChangeCipherSpec, Finished
//
// and, resuming a session from a ticket (RFC 5077) or a session id (RFC 5246 §7.3):
//
//   ClientHello  ->  ServerHello, [NewSessionTicket], ChangeCipherSpec, Finished
//   ChangeCipherSpec, Finished  ->
#pragma once

#include <memory>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>

#include "core/clock.hpp"
#include "core/rng.hpp"
#include "crypto/provider.hpp"
#include "handshake/joiner.hpp"
#include "msg/hello.hpp"
#include "session/session_id_cache.hpp"
#include "session/ticket_keys.hpp"
#include "tls13/channel.hpp"
#include "tls13/credential.hpp"
#include "tls13/session.hpp"
#include "x509/certificate_verifier.hpp"

namespace keel::tls12 {

/// Whether the server asks for a client certificate, and whether it insists on one.
enum class ClientAuth12 : std::uint8_t { none, optional, required };

/// What the TLS 1.3 server lends its TLS 1.2 continuation.
struct ServerContext {
  /// The TLS 1.2 suites and groups in the server's preference.
  std::vector<CipherSuite> suites;
  std::vector<NamedGroup> groups;
  std::vector<std::string> alpn;
  std::vector<std::shared_ptr<const tls13::Credential>> credentials;
  ClientAuth12 client_auth = ClientAuth12::none;
  std::shared_ptr<const x509::CertificateVerifier> client_verifier;
  crypto::KeyPolicy key_policy;
  /// RFC 8446 §4.1.3: a server that also speaks TLS 1.3 marks its random when it settles on
  /// TLS 1.2, so that a TLS 1.3 client can tell a downgrade.
  bool speaks_tls13 = true;
  /// Resumption: the keys of RFC 5077 tickets (nothing: none issued or taken), whether to
  /// issue them, their lifetime; and the sessions of clients that take no ticket, by id.
  std::shared_ptr<session::TicketKeyRing> ticket_keys;
  bool issue_tickets = false;
  std::uint32_t ticket_lifetime = 0;
  std::shared_ptr<session::SessionIdCache> session_ids;
  const Clock* clock = nullptr;  // the system clock if null
  Rng* rng = nullptr;            // the provider's if null
  /// Filled in as the handshake goes (the TLS 1.3 server's own record of it).
  Negotiated* negotiated = nullptr;
};

/// Whether a ClientHello offers TLS 1.2 (supported_versions, or without it a legacy_version
/// of 0x0303 or more, RFC 8446 §4.2.1) — and whether it offers TLS 1.3.
struct OfferedVersions {
  bool tls12 = false;
  bool tls13 = false;
};
[[nodiscard]] Result<OfferedVersions> offered_versions(const msg::ClientHello& hello);

class Server {
 public:
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  Server(Server&&) = delete;
  Server& operator=(Server&&) = delete;
  ~Server();

  /// Answers a ClientHello (`client_hello` the whole message) with the server's first flight.
  /// Refuses (handshake_failure) a client without the extended master secret (RFC 7627) or
  /// the renegotiation indication (RFC 5746), and one with nothing in common.
  [[nodiscard]] static Result<std::unique_ptr<Server>> start(ServerContext context,
                                                             const msg::ClientHello& hello,
                                                             ByteView client_hello,
                                                             tls13::Channel& channel);

  [[nodiscard]] Result<void> handle(tls13::Channel& channel,
                                    const handshake::HandshakeMessage& message);
  [[nodiscard]] Result<void> handle_change_cipher_spec(tls13::Channel& channel);
  [[nodiscard]] std::unique_ptr<tls13::Session> take_established();

 private:
  struct Impl;
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::tls12
