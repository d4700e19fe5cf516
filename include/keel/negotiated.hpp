// What a handshake settled: the parameters an application may log, show or decide on.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>

namespace keel {

/// The protocol version on the wire: 0x0304 for TLS 1.3, 0x0303 for TLS 1.2.
enum class ProtocolVersion : std::uint16_t { tls12 = 0x0303, tls13 = 0x0304 };

/// "TLSv1.3" or "TLSv1.2".
[[nodiscard]] std::string to_string(ProtocolVersion version);

struct Negotiated {
  ProtocolVersion version = ProtocolVersion::tls13;
  CipherSuite cipher_suite{};
  NamedGroup group{};
  /// The scheme of the peer's CertificateVerify, if the peer authenticated.
  std::optional<SignatureScheme> peer_signature_scheme;
  /// The application protocol both sides agreed on (RFC 7301), if any.
  std::optional<std::string> alpn;
  /// The name the client asked for (server_name, RFC 6066 §3), if it sent one.
  std::optional<std::string> server_name;
  /// The peer's certificates as it sent them (DER, its own first); empty if it sent none.
  std::vector<Bytes> peer_certificates;
  /// Whether the peer's certificates were verified (false only for a client configured not
  /// to verify, or a server that did not ask for or did not get a client certificate).
  bool peer_verified = false;
  /// Whether the session was resumed from a ticket (no certificate was sent: the peer's are
  /// those of the session's first handshake).
  bool resumed = false;
  /// Whether the server accepted the client's 0-RTT data (RFC 8446 §4.2.10): on a server,
  /// Connection::early_data_received() bytes arrived so; on a client, early_data_sent().
  bool early_data_accepted = false;
  /// Whether the server asked for another key share (HelloRetryRequest, RFC 8446 §4.1.4).
  bool hello_retry_request = false;
};

}  // namespace keel
