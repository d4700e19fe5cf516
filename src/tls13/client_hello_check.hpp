// What a TLS 1.3 server reads from a ClientHello (RFC 8446 §4.1.2, §4.2, §9.2) and the choices
// it makes from it.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "handshake/key_schedule.hpp"
#include "handshake/negotiation.hpp"
#include "msg/extensions.hpp"
#include "msg/hello.hpp"

namespace keel::tls13 {

/// What the server supports, in its order of preference.
struct ServerPreferences {
  std::vector<CipherSuite> cipher_suites;
  std::vector<NamedGroup> groups;
};

/// A ClientHello the server can answer, with the choices made.
struct ClientHelloChoice {
  handshake::Suite13 suite;
  handshake::GroupChoice group;  // a share to use, or a HelloRetryRequest to send
  std::vector<SignatureScheme> signature_schemes;
  std::optional<std::vector<SignatureScheme>> signature_schemes_cert;
  std::optional<std::string> server_name;
  std::vector<std::string> alpn;
  bool ocsp_requested = false;
  std::optional<std::uint16_t> record_size_limit;
  std::optional<msg::OfferedPsks> psks;
  std::vector<std::uint8_t> psk_modes;
  std::optional<Bytes> cookie;
};

/// Reads a ClientHello as a TLS 1.3 server:
///   * TLS 1.3 must be among supported_versions (protocol_version otherwise; a ClientHello
///     without the extension is a TLS 1.2 one, which this server does not speak yet);
///   * legacy_compression_methods is exactly {0} (illegal_parameter, §4.1.2);
///   * §9.2: signature_algorithms, supported_groups and key_share are present
///     (missing_extension), and key shares match supported_groups (illegal_parameter);
///   * the suite and group are chosen by the server's preference (handshake_failure if none);
///   * the other extensions keel speaks are decoded (malformed ones are errors); unknown ones,
///     GREASE included, are ignored.
[[nodiscard]] Result<ClientHelloChoice> check_client_hello(const msg::ClientHello& hello,
                                                           const ServerPreferences& preferences);

/// The ServerHello for a choice: the client's session id echoed, the suite, TLS 1.3 in
/// supported_versions, the server's share, and the selected PSK if any.
[[nodiscard]] Result<msg::ServerHello> build_server_hello(const msg::ClientHello& hello,
                                                          const msg::Random& random,
                                                          CipherSuite suite,
                                                          const msg::KeyShareEntry& share,
                                                          std::optional<std::uint16_t> psk);

/// A HelloRetryRequest asking for `group`, with a cookie if one is given (§4.1.4).
[[nodiscard]] Result<msg::ServerHello> build_hello_retry_request(const msg::ClientHello& hello,
                                                                 CipherSuite suite,
                                                                 NamedGroup group,
                                                                 std::optional<ByteView> cookie);

}  // namespace keel::tls13
