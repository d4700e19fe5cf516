// TLS records (RFC 8446 §5, RFC 5246 §6.2): content types, the header, and the size limits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace keel::record {

enum class ContentType : std::uint8_t {
  invalid = 0,
  change_cipher_spec = 20,
  alert = 21,
  handshake = 22,
  application_data = 23,
};

[[nodiscard]] std::string_view to_string(ContentType type) noexcept;

/// type (1) || legacy_record_version (2) || length (2).
inline constexpr std::size_t kHeaderSize = 5;
/// §5.1: "The length MUST NOT exceed 2^14 bytes" of plaintext.
inline constexpr std::size_t kMaxPlaintext = 1U << 14U;
/// §5.2: "The length MUST NOT exceed 2^14 + 256 bytes" of TLSCiphertext.encrypted_record.
inline constexpr std::size_t kMaxCiphertext13 = kMaxPlaintext + 256;
/// RFC 5246 §6.2.3: TLSCiphertext.length "MUST NOT exceed 2^14 + 2048".
inline constexpr std::size_t kMaxCiphertext12 = kMaxPlaintext + 2048;

}  // namespace keel::record
