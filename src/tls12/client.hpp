// The TLS 1.2 client's handshake (RFC 5246 §7.3, RFC 8422 §2 for ECDHE), from the ServerHello
// on: the TLS 1.3 client sends the ClientHello that offers both versions and hands over when
// the server chooses TLS 1.2.
//
//   ServerHello, Certificate, [CertificateStatus], ServerKeyExchange, [CertificateRequest],
//   ServerHelloDone  ->  [Certificate], ClientKeyExchange, ChangeCipherSpec, Finished
//   [NewSessionTicket], ChangeCipherSpec, Finished  <-
//
// or, when the server resumes the session offered (its id echoed, RFC 5246 §7.3):
//
//   ServerHello, [NewSessionTicket], ChangeCipherSpec, Finished  ->  ChangeCipherSpec, Finished
//
// Asked for a certificate, the client sends its credential's chain and a CertificateVerify
// over the handshake messages if its key can sign with a scheme the server lists, and an
// empty Certificate otherwise (RFC 5246 §7.4.6).
#pragma once

#include <functional>
#include <memory>
#include <span>

#include <keel/bytes.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>

#include "core/clock.hpp"
#include "core/rng.hpp"
#include "crypto/provider.hpp"
#include "handshake/joiner.hpp"
#include "msg/hello.hpp"
#include "session/client_ticket.hpp"
#include "tls13/channel.hpp"
#include "tls13/credential.hpp"
#include "tls13/session.hpp"
#include "x509/certificate_verifier.hpp"

namespace keel::tls12 {

/// What the TLS 1.3 client lends its TLS 1.2 continuation.
struct ClientContext {
  /// Verifies the server's chain (and stapled OCSP responses) for the name asked for.
  std::function<Result<x509::VerifiedPeer>(std::span<const ByteView> chain,
                                           std::span<const ByteView> ocsp)>
      verify_server;
  crypto::KeyPolicy key_policy;
  /// A certificate to present if the server asks for one.
  std::shared_ptr<const tls13::Credential> credential;
  /// The TLS 1.2 session the ClientHello offered (by ticket or id), if any.
  std::shared_ptr<const session::ClientTicket> resume;
  /// Receives the session this handshake makes, if the server gives a ticket or a session id.
  std::function<void(session::ClientTicket)> on_ticket;
  const Clock* clock = nullptr;  // the system clock if null
  Rng* rng = nullptr;
  /// Filled in as the handshake goes (the TLS 1.3 client's own record of it).
  Negotiated* negotiated = nullptr;
};

class Client {
 public:
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;
  Client(Client&&) = delete;
  Client& operator=(Client&&) = delete;
  ~Client();

  /// Takes over after a ServerHello that chose TLS 1.2 (`server_hello` is the whole message):
  /// checks it against the ClientHello sent (RFC 5246 §7.4.1.3, RFC 7627 §5.1, RFC 5746 §3.4,
  /// RFC 8446 §4.1.3's downgrade sentinel when TLS 1.3 was offered too) and switches the
  /// channel to TLS 1.2.
  [[nodiscard]] static Result<std::unique_ptr<Client>> start(ClientContext context,
                                                             const msg::ClientHello& sent,
                                                             const msg::ServerHello& received,
                                                             ByteView server_hello,
                                                             tls13::Channel& channel);

  [[nodiscard]] Result<void> handle(tls13::Channel& channel,
                                    const handshake::HandshakeMessage& message);
  [[nodiscard]] Result<void> handle_change_cipher_spec(tls13::Channel& channel);
  /// The session, once the server's Finished verified.
  [[nodiscard]] std::unique_ptr<tls13::Session> take_established();

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::tls12
