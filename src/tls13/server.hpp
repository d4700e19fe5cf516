// The TLS 1.3 server's handshake (RFC 8446 §2, §4): a ClientHello (and, after a
// HelloRetryRequest, a second one), then its flight — ServerHello, EncryptedExtensions,
// [CertificateRequest], Certificate, CertificateVerify, Finished — then the client's
// [Certificate, CertificateVerify] and Finished.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/rng.hpp"
#include "crypto/provider.hpp"
#include "session/replay_guard.hpp"
#include "session/ticket_keys.hpp"
#include "tls12/server.hpp"
#include "tls13/client_hello_check.hpp"
#include "tls13/credential.hpp"
#include "tls13/handshake.hpp"
#include "tls13/resumption.hpp"
#include "x509/certificate_verifier.hpp"

namespace keel::tls13 {

/// Whether the server asks for a client certificate, and whether it insists on one.
enum class ClientAuth : std::uint8_t { none, optional, required };

struct ServerSettings {
  ServerPreferences preferences;
  /// Application protocols in the server's preference (RFC 7301).
  std::vector<std::string> alpn;
  /// Certificate/key pairs. The server presents the first that names the client's
  /// server_name and can sign with a scheme the client offered; failing a name match, the
  /// first that can sign.
  std::vector<std::shared_ptr<const Credential>> credentials;
  ClientAuth client_auth = ClientAuth::none;
  /// Checks client certificates (needed unless client_auth is none).
  std::shared_ptr<const x509::CertificateVerifier> client_verifier;
  crypto::KeyPolicy key_policy;
  /// Bytes of the random cookie sent in a HelloRetryRequest and required back (§4.2.2);
  /// 0 sends none.
  std::size_t cookie_size = 32;
  /// Groups to list in EncryptedExtensions (§4.2.7); none by default.
  std::vector<NamedGroup> advertised_groups;
  /// RFC 8449: the largest record this server accepts, announced if set.
  std::optional<std::uint16_t> record_size_limit;
  const Clock* clock = nullptr;  // the system clock if null
  Rng* rng = nullptr;            // the provider's if null
  KeyLog key_log;
  /// The keys that seal session tickets; nothing: no ticket is issued or resumed.
  std::shared_ptr<session::TicketKeyRing> ticket_keys;
  /// NewSessionTickets sent after each handshake, and their lifetime in seconds.
  std::size_t session_tickets = 0;
  std::uint32_t ticket_lifetime = 0;
  /// TLS 1.2 sessions of clients that take no ticket, by id (nothing: none kept).
  std::shared_ptr<session::SessionIdCache> session_ids;
  /// 0-RTT: the most early data accepted (0: none; announced in the tickets), and the record
  /// of accepted ClientHellos that refuses replays (nothing: no early data accepted).
  std::uint32_t max_early_data = 0;
  std::shared_ptr<session::ReplayGuard> replay_guard;
  /// A test seam: opens tickets in place of `ticket_keys` (the RFC 8448 replay resumes a
  /// ticket the RFC's server sealed, under a key nobody has).
  TicketOpener open_ticket;
  /// Whether TLS 1.3 is spoken (false: every client is answered in TLS 1.2, if it can be).
  bool tls13 = true;
  /// TLS 1.2 (its suites and groups in the server's preference), for clients that do not
  /// offer TLS 1.3; nothing turns TLS 1.2 off.
  std::optional<tls12::ServerContext> tls12;
};

[[nodiscard]] std::unique_ptr<Handshake> make_server_handshake(ServerSettings settings);

}  // namespace keel::tls13
