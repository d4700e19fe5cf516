// ClientHello and ServerHello (RFC 8446 §4.1.2, §4.1.3; RFC 5246 §7.4.1), with the
// HelloRetryRequest, which is a ServerHello with a special random (§4.1.3).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "msg/extension.hpp"

namespace keel::msg {

using Random = std::array<std::uint8_t, 32>;

/// §4.1.3: SHA-256 of "HelloRetryRequest", the random of every HelloRetryRequest.
inline constexpr Random kHelloRetryRequestRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C};

struct ClientHello {
  std::uint16_t legacy_version = 0x0303;
  Random random{};
  Bytes legacy_session_id;  // <0..32>
  std::vector<CipherSuite> cipher_suites;
  Bytes legacy_compression_methods = {0};
  Extensions extensions;

  /// From a ClientHello's body (after the 4-byte handshake header). TLS 1.2 clients may omit
  /// the extensions; §4.2.11: pre_shared_key must be the last extension (illegal_parameter).
  [[nodiscard]] static Result<ClientHello> decode(ByteView body);
  /// The whole message, header included.
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const ClientHello&, const ClientHello&) = default;
};

struct ServerHello {
  std::uint16_t legacy_version = 0x0303;
  Random random{};
  Bytes legacy_session_id_echo;  // <0..32>
  CipherSuite cipher_suite{};
  std::uint8_t legacy_compression_method = 0;
  Extensions extensions;

  [[nodiscard]] bool is_hello_retry_request() const noexcept {
    return random == kHelloRetryRequestRandom;
  }

  [[nodiscard]] static Result<ServerHello> decode(ByteView body);
  [[nodiscard]] Result<Bytes> encode() const;

  friend bool operator==(const ServerHello&, const ServerHello&) = default;
};

}  // namespace keel::msg
