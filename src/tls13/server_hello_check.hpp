// What a TLS 1.3 client checks in the server's first reply (RFC 8446 §4.1.3, §4.1.4, §4.2),
// against the ClientHello it sent. Each failure names its alert.
#pragma once

#include <cstdint>
#include <optional>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "handshake/key_schedule.hpp"
#include "msg/hello.hpp"

namespace keel::tls13 {

/// A ServerHello the client accepts.
struct AcceptedServerHello {
  handshake::Suite13 suite;
  NamedGroup group{};
  Bytes server_share;  // the server's key_exchange
  std::optional<std::uint16_t> psk_identity;
};

/// Checks a ServerHello (not a HelloRetryRequest):
///   * supported_versions selects TLS 1.3 (§4.2.1; absent: the server chose TLS 1.2 or below,
///     which is protocol_version — or illegal_parameter with a downgrade sentinel, §4.1.3);
///   * legacy_version 0x0303, compression 0, the session id echoed (illegal_parameter);
///   * a TLS 1.3 suite the client offered (illegal_parameter);
///   * only supported_versions, key_share and pre_shared_key, each one the client sent
///     (unsupported_extension for one it did not send, illegal_parameter for one that does
///     not belong in a ServerHello — §4.2);
///   * a key share for a group the client sent a share for (illegal_parameter, §4.2.8), and
///     a PSK identity the client offered (§4.2.11); keel always uses (EC)DHE, so the share is
///     required (missing_extension).
[[nodiscard]] Result<AcceptedServerHello> check_server_hello(const msg::ClientHello& sent,
                                                             const msg::ServerHello& received);

/// What a HelloRetryRequest asks of the second ClientHello.
struct RetryRequest {
  handshake::Suite13 suite;
  std::optional<NamedGroup> group;  // send a share for this group instead
  std::optional<Bytes> cookie;      // echo this
};

/// Checks a HelloRetryRequest (§4.1.4): as a ServerHello for version, session id and suite;
/// only supported_versions, key_share (a selected_group the client listed in supported_groups
/// and sent no share for, §4.2.8) and cookie; and it must change something (illegal_parameter
/// otherwise). A second HelloRetryRequest is the caller's to refuse (unexpected_message).
[[nodiscard]] Result<RetryRequest> check_hello_retry_request(const msg::ClientHello& sent,
                                                             const msg::ServerHello& received);

}  // namespace keel::tls13
