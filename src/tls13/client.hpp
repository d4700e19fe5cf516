// The TLS 1.3 client's handshake (RFC 8446 §2, §4): ClientHello, then the server's flight —
// ServerHello (or a HelloRetryRequest, once), EncryptedExtensions, [CertificateRequest],
// Certificate, CertificateVerify, Finished — then its own [Certificate, CertificateVerify]
// and Finished.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <keel/bytes.hpp>

#include "core/clock.hpp"
#include "core/rng.hpp"
#include "crypto/provider.hpp"
#include "session/client_ticket.hpp"
#include "tls13/client_hello.hpp"
#include "tls13/credential.hpp"
#include "tls13/handshake.hpp"
#include "x509/certificate_verifier.hpp"

namespace keel::tls13 {

struct ClientSettings {
  ClientOffer offer;
  /// Key shares sent in the first ClientHello, for the first groups of the offer (§4.2.8:
  /// X25519 alone by default; a server that wants another group asks with a
  /// HelloRetryRequest).
  std::size_t key_shares = 1;
  /// Checks the server's chain for `offer.server_name` (or `ip_address`). Nothing means the
  /// application chose not to verify the server (an explicit, insecure option).
  std::shared_ptr<const x509::CertificateVerifier> verifier;
  std::optional<Bytes> ip_address;
  /// What the server's leaf key must satisfy (RSA size).
  crypto::KeyPolicy key_policy;
  /// A certificate to present if the server asks for one.
  std::shared_ptr<const Credential> credential;
  /// A session to resume: offered as a PSK (RFC 8446 §4.2.11) when it suits the offer — TLS
  /// 1.3, the same server name, a suite with its hash, within its lifetime.
  std::shared_ptr<const session::ClientTicket> resume;
  /// Whether to send 0-RTT data (§4.2.10) when `resume` allows it: a TLS 1.3 session whose
  /// tickets announced max_early_data, and whose ALPN protocol (if any) is offered again.
  bool early_data = false;
  /// Receives each session the server's NewSessionTickets make (nothing: they are dropped).
  std::function<void(session::ClientTicket)> on_ticket;
  /// Whether to send GREASE (RFC 8701).
  bool grease = true;
  const Clock* clock = nullptr;  // the system clock if null
  Rng* rng = nullptr;            // the provider's if null
  KeyLog key_log;
  /// A test seam: changes the ClientHello before it is sent (the RFC 8448 replay offers what
  /// keel would not). Everything after is checked against the hello as sent.
  std::function<void(msg::ClientHello&)> rewrite_client_hello;
};

[[nodiscard]] std::unique_ptr<Handshake> make_client_handshake(ClientSettings settings);

}  // namespace keel::tls13
