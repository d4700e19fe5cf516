// What a client or a server is configured with. The defaults are the safe choice and need no
// change for the common case: a client verifies the server against the system's trusted roots
// for the name it connects to; both sides speak TLS 1.3 with AES-GCM and ChaCha20-Poly1305 over
// X25519, P-256 or P-384.
//
// A config is built once and shared (std::shared_ptr<const ...>) by every connection made
// from it: certificates, keys and trust anchors are parsed when the config is made, never per
// connection.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>
#include <keel/session.hpp>

namespace keel {

namespace x509 {
class TrustStore;
}
namespace tls13 {
class Credential;
}

/// Root certificates a peer's chain must lead to.
class TrustAnchors {
 public:
  /// The operating system's roots (/etc/ssl/certs/ca-certificates.crt), read once per process.
  [[nodiscard]] static Result<TrustAnchors> system();
  /// Every CERTIFICATE block of a PEM file (errors name the file and the line).
  [[nodiscard]] static Result<TrustAnchors> from_pem_file(const std::string& path);
  /// Every CERTIFICATE block of PEM text; `origin` names it in errors.
  [[nodiscard]] static Result<TrustAnchors> from_pem(std::string_view pem,
                                                     const std::string& origin = "PEM text");

  /// How many roots there are.
  [[nodiscard]] std::size_t size() const noexcept;
  [[nodiscard]] const std::shared_ptr<const x509::TrustStore>& store() const noexcept {
    return store_;
  }

 private:
  explicit TrustAnchors(std::shared_ptr<const x509::TrustStore> store) : store_(std::move(store)) {}
  std::shared_ptr<const x509::TrustStore> store_;
};

/// A certificate chain (leaf first) and its leaf's private key.
class CertifiedKey {
 public:
  /// The chain from PEM CERTIFICATE blocks and the key from PEM (PKCS#8, SEC1 or PKCS#1;
  /// unencrypted). The key must belong to the leaf.
  [[nodiscard]] static Result<CertifiedKey> from_pem(std::string_view chain_pem,
                                                     std::string_view key_pem);
  [[nodiscard]] static Result<CertifiedKey> from_pem_files(const std::string& chain_path,
                                                           const std::string& key_path);

  /// The chain as DER, leaf first.
  [[nodiscard]] const std::vector<Bytes>& chain() const noexcept;
  [[nodiscard]] const std::shared_ptr<const tls13::Credential>& credential() const noexcept {
    return credential_;
  }

 private:
  explicit CertifiedKey(std::shared_ptr<const tls13::Credential> credential)
      : credential_(std::move(credential)) {}
  std::shared_ptr<const tls13::Credential> credential_;
};

/// Receives one NSS key log line per secret ("CLIENT_TRAFFIC_SECRET_0 <client random>
/// <secret>", hex), for tools such as Wireshark to decrypt a capture. Leave it empty unless
/// you mean to give the session's secrets away.
using KeyLogCallback = std::function<void(std::string_view line)>;

/// keel's defaults, in preference order: the TLS 1.3 suites, then the TLS 1.2 ones (ECDHE
/// with ECDSA or RSA and AES-GCM or ChaCha20-Poly1305).
[[nodiscard]] std::vector<CipherSuite> default_cipher_suites();
[[nodiscard]] std::vector<NamedGroup> default_groups();
/// ECDSA (P-256, P-384), Ed25519, RSA-PSS, and for TLS 1.2 only RSA PKCS#1 v1.5 with SHA-2.
[[nodiscard]] std::vector<SignatureScheme> default_signature_schemes();

struct ClientConfig {
  /// The roots the server's chain must lead to; nothing means the system's.
  std::optional<TrustAnchors> trust_anchors;
  /// Whether to verify the server at all. Turning this off accepts any server that holds the
  /// key of the certificate it sends — an attacker in the middle included.
  bool verify_server = true;
  /// The protocol versions offered: TLS 1.2 and TLS 1.3 by default. TLS 1.2 is spoken only
  /// in its safe form (ECDHE with AEAD suites, the extended master secret required, no
  /// renegotiation), and a TLS 1.3 server that answers with TLS 1.2 is caught by its
  /// downgrade sentinel (RFC 8446 §4.1.3).
  ProtocolVersion min_version = ProtocolVersion::tls12;
  ProtocolVersion max_version = ProtocolVersion::tls13;
  std::vector<CipherSuite> cipher_suites = default_cipher_suites();
  /// Key exchange groups, preferred first; a key share is sent for the first.
  std::vector<NamedGroup> groups = default_groups();
  /// Schemes the server may sign its handshake with (a subset of the default list).
  std::vector<SignatureScheme> signature_schemes = default_signature_schemes();
  /// Application protocols to offer (RFC 7301), e.g. {"h2", "http/1.1"}.
  std::vector<std::string> alpn;
  /// A certificate to present if the server asks for one.
  std::optional<CertifiedKey> certificate;
  /// Where sessions to resume are kept, by the name passed to Connection::client: the tickets
  /// a server sends go in, and the next connection to the name offers one (once). Shared by
  /// the copies of this config; nothing turns resumption off.
  std::shared_ptr<SessionCache> session_cache = std::make_shared<SessionCache>();
  /// TLS 1.3 0-RTT (RFC 8446 §4.2.10): when the session resumed allows it, what write()
  /// takes before the handshake completes goes in the first flight, up to the ticket's
  /// max_early_data. An attacker can replay it to the server, so turn this on only for
  /// requests that are safe to repeat. Data the server rejects is sent again after the
  /// handshake (the connection fails instead if the server chose another ALPN protocol than
  /// the session's); Connection::early_data_sent() and negotiated().early_data_accepted tell
  /// which happened. Off by default.
  bool early_data = false;
  KeyLogCallback key_log;
};

/// Whether a server asks for a client certificate.
enum class ClientAuthentication : std::uint8_t { none, optional, required };

struct ServerConfig {
  /// At least one; several (e.g. ECDSA and RSA, or different names) are chosen per client by
  /// its server_name and the signature schemes it offers.
  std::vector<CertifiedKey> certificates;
  /// The protocol versions accepted: TLS 1.2 and TLS 1.3 by default. A client that offers
  /// TLS 1.3 gets it; one that offers only TLS 1.2 gets keel's safe TLS 1.2 (ECDHE with AEAD
  /// suites, the extended master secret required, no renegotiation), with the downgrade
  /// sentinel of RFC 8446 §4.1.3 in the server's random.
  ProtocolVersion min_version = ProtocolVersion::tls12;
  ProtocolVersion max_version = ProtocolVersion::tls13;
  /// In the server's preference order (each version uses its own from this list).
  std::vector<CipherSuite> cipher_suites = default_cipher_suites();
  std::vector<NamedGroup> groups = default_groups();
  /// Application protocols in the server's preference; a client that offers only others is
  /// refused (no_application_protocol).
  std::vector<std::string> alpn;
  ClientAuthentication client_authentication = ClientAuthentication::none;
  /// The roots client certificates must lead to (required unless client_authentication is
  /// none).
  std::optional<TrustAnchors> client_trust_anchors;
  /// Session tickets sent after each handshake (RFC 8446 §4.6.1); 0 sends none (tickets the
  /// keys open are still resumed). Two by default, so that a client can open two
  /// connections, each with its own ticket.
  std::size_t session_tickets = 2;
  /// How long a ticket may be resumed (at most 7 days, RFC 8446 §4.6.1).
  std::chrono::seconds ticket_lifetime = std::chrono::hours(2);
  /// The keys tickets are sealed with: random ones rotated every hour by default, shared by
  /// the copies of this config; TicketKeys::from_file for a fleet. Nothing turns resumption
  /// off.
  std::optional<TicketKeys> ticket_keys = TicketKeys::rotating();
  /// TLS 1.2 sessions of clients that take no ticket, by session id, and the record of 0-RTT
  /// ClientHellos that refuses replays (nothing: no session id kept, no 0-RTT accepted).
  std::optional<ServerSessionCache> session_id_cache = ServerSessionCache();
  /// TLS 1.3 0-RTT (RFC 8446 §4.2.10): the most early data accepted from a client resuming a
  /// session, announced in the tickets. 0 (the default) accepts none: early data can be
  /// replayed by an attacker, so an application turns it on only for requests that are safe
  /// to repeat. Accepted early data comes first in what read() returns;
  /// Connection::early_data_received() says how many bytes of it there were.
  std::uint32_t max_early_data = 0;
  /// The largest handshake message accepted from a client (a limit on what one connection
  /// makes the server buffer).
  std::size_t max_handshake_message = std::size_t{1} << 16U;
  KeyLogCallback key_log;
};

}  // namespace keel
