// Handshake message and extension codepoints (RFC 8446 §4, §4.2; RFC 6066, 7301, 8449).
#pragma once

#include <cstdint>
#include <string>

namespace keel::msg {

enum class HandshakeType : std::uint8_t {
  hello_request = 0,  // TLS 1.2 only (RFC 5246 §7.4.1.1)
  client_hello = 1,
  server_hello = 2,
  new_session_ticket = 4,
  end_of_early_data = 5,
  encrypted_extensions = 8,
  certificate = 11,
  server_key_exchange = 12,  // TLS 1.2 only
  certificate_request = 13,
  server_hello_done = 14,  // TLS 1.2 only
  certificate_verify = 15,
  client_key_exchange = 16,  // TLS 1.2 only
  finished = 20,
  certificate_status = 22,  // TLS 1.2 only (RFC 6066 §8)
  key_update = 24,
  message_hash = 254,
};

[[nodiscard]] std::string to_string(HandshakeType type);

enum class ExtensionType : std::uint16_t {
  server_name = 0,
  status_request = 5,
  supported_groups = 10,
  ec_point_formats = 11,  // TLS 1.2 (RFC 8422 §5.1.2)
  signature_algorithms = 13,
  application_layer_protocol_negotiation = 16,
  extended_master_secret = 23,  // TLS 1.2 (RFC 7627)
  session_ticket = 35,          // TLS 1.2 (RFC 5077)
  record_size_limit = 28,
  pre_shared_key = 41,
  early_data = 42,
  supported_versions = 43,
  cookie = 44,
  psk_key_exchange_modes = 45,
  certificate_authorities = 47,
  signature_algorithms_cert = 50,
  key_share = 51,
  renegotiation_info = 0xff01,
};

[[nodiscard]] std::string to_string(ExtensionType type);

/// ProtocolVersion values (§4.2.1).
inline constexpr std::uint16_t kTls12 = 0x0303;
inline constexpr std::uint16_t kTls13 = 0x0304;

/// Whether a 16-bit codepoint is a GREASE value (RFC 8701 §2): 0x0A0A, 0x1A1A, ..., 0xFAFA.
[[nodiscard]] constexpr bool is_grease(std::uint16_t value) noexcept {
  return (value & 0x0F0FU) == 0x0A0AU && (value >> 8U) == (value & 0xFFU);
}

}  // namespace keel::msg
