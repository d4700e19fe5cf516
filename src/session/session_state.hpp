// What a resumable session carries from its first handshake to the next: the sealed contents
// of a server's ticket, and (with the ticket itself) what a client keeps to offer it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/negotiated.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"

namespace keel::session {

struct SessionState {
  /// The largest secret a session holds: a TLS 1.3 PSK of SHA-384 (48), a TLS 1.2 master
  /// secret (48).
  static constexpr std::size_t kMaxSecret = 48;
  /// Peer certificates kept: a client's chain in a server's ticket, the server's in a
  /// client's session (keel's own limit: a ticket must stay well under 2^16 bytes).
  static constexpr std::size_t kMaxPeerCertificates = 4;

  ProtocolVersion version = ProtocolVersion::tls13;
  CipherSuite suite{};
  /// TLS 1.3: the ticket's PSK (RFC 8446 §4.6.1); TLS 1.2: the master secret.
  Secret secret;
  /// When the ticket was issued (server) or received (client), in seconds since 1970.
  std::uint64_t created = 0;
  /// Seconds from `created` during which the session may be resumed.
  std::uint32_t lifetime = 0;
  /// TLS 1.3 (§4.6.1): added to the ticket age the client reports, to obfuscate it.
  std::uint32_t age_add = 0;
  /// TLS 1.3 (§4.2.10): early data the server accepts on this ticket (0: none).
  std::uint32_t max_early_data = 0;
  std::optional<std::string> server_name;
  std::optional<std::string> alpn;
  std::vector<Bytes> peer_certificates;
  bool peer_verified = false;

  /// Whether the session can still be resumed at `now` (seconds since 1970).
  [[nodiscard]] bool valid_at(std::uint64_t now) const noexcept {
    return now >= created && now - created < lifetime;
  }

  /// The bytes, a secret among them (so a Secret too).
  [[nodiscard]] Result<Secret> encode() const;
  /// Strict: every field in range, nothing after the last (malformed otherwise).
  [[nodiscard]] static Result<SessionState> decode(ByteView data);

  [[nodiscard]] SessionState clone() const;
};

}  // namespace keel::session
