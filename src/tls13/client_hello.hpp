// The client's ClientHello (RFC 8446 §4.1.2), built from what the client offers.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "msg/extensions.hpp"
#include "msg/hello.hpp"

namespace keel::tls13 {

/// What a client offers. Lists are in preference order.
struct ClientOffer {
  std::vector<CipherSuite> cipher_suites;
  std::vector<NamedGroup> groups;
  std::vector<SignatureScheme> signature_schemes;
  /// A DNS name for server_name (RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not
  /// permitted"); nothing when connecting by address.
  std::optional<std::string> server_name;
  std::vector<std::string> alpn;
  bool request_ocsp = true;
  /// RFC 8449: the largest record this client accepts (plaintext + content type byte).
  std::optional<std::uint16_t> record_size_limit;
  /// Whether TLS 1.2 is offered too (its suites must then be in cipher_suites): 0x0303 in
  /// supported_versions, and the extensions keel's TLS 1.2 requires — extended_master_secret
  /// (RFC 7627), renegotiation_info (RFC 5746 §3.4: empty on an initial handshake),
  /// ec_point_formats (RFC 8422 §5.1.2: uncompressed only) and session_ticket (RFC 5077).
  bool tls12 = false;
  /// Whether TLS 1.3 is offered (false only for a client limited to TLS 1.2, which then
  /// sends no supported_versions, key_share or psk_key_exchange_modes).
  bool tls13 = true;
};

/// The values a ClientHello draws at random, injected so that tests can replay them.
struct ClientHelloRandoms {
  msg::Random random{};
  /// §D.4: a 32-byte legacy_session_id makes the handshake look like TLS 1.2 resumption to
  /// middleboxes.
  std::array<std::uint8_t, 32> session_id{};
  /// RFC 8701: the GREASE values, picked from these bytes (0 means no GREASE).
  std::array<std::uint8_t, 4> grease{};
};

/// What a second ClientHello answers: the HelloRetryRequest's cookie, if it sent one.
struct RetryAnswer {
  std::optional<ByteView> cookie;
};

/// The ClientHello for `offer` with the given key shares (one per group the client chose to
/// send shares for) or, after a HelloRetryRequest, the second one. GREASE (RFC 8701 §3) goes
/// into the cipher suites, the supported groups and versions, the signature algorithms, the
/// key shares and the extensions, unless `randoms.grease` is all zero — except the key shares
/// of a second ClientHello, which §4.2.8 says hold "only a new KeyShareEntry for the group
/// indicated in the selected_group field".
[[nodiscard]] Result<msg::ClientHello> build_client_hello(
    const ClientOffer& offer, const ClientHelloRandoms& randoms,
    std::span<const msg::KeyShareEntry> key_shares,
    const std::optional<RetryAnswer>& retry = std::nullopt);

}  // namespace keel::tls13
