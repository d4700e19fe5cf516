// TLS alert descriptions (RFC 8446 §6, RFC 5246 §7.2).
#pragma once

#include <cstdint>
#include <string_view>

namespace keel {

// X(name, value): one row per alert description keel sends or understands.
#define KEEL_ALERTS(X)                    \
  X(close_notify, 0)                      \
  X(unexpected_message, 10)               \
  X(bad_record_mac, 20)                   \
  X(record_overflow, 22)                  \
  X(handshake_failure, 40)                \
  X(bad_certificate, 42)                  \
  X(unsupported_certificate, 43)          \
  X(certificate_revoked, 44)              \
  X(certificate_expired, 45)              \
  X(certificate_unknown, 46)              \
  X(illegal_parameter, 47)                \
  X(unknown_ca, 48)                       \
  X(access_denied, 49)                    \
  X(decode_error, 50)                     \
  X(decrypt_error, 51)                    \
  X(protocol_version, 70)                 \
  X(insufficient_security, 71)            \
  X(internal_error, 80)                   \
  X(inappropriate_fallback, 86)           \
  X(user_canceled, 90)                    \
  X(no_renegotiation, 100)                \
  X(missing_extension, 109)               \
  X(unsupported_extension, 110)           \
  X(unrecognized_name, 112)               \
  X(bad_certificate_status_response, 113) \
  X(unknown_psk_identity, 115)            \
  X(certificate_required, 116)            \
  X(no_application_protocol, 120)

/// An alert description. Values outside the table are kept as they came off the wire.
enum class Alert : std::uint8_t {
#define KEEL_ALERT_ENUM(name, value) name = (value),
  KEEL_ALERTS(KEEL_ALERT_ENUM)
#undef KEEL_ALERT_ENUM
};

/// The RFC name of an alert ("bad_record_mac"), or "unknown" for a value outside the table.
[[nodiscard]] std::string_view to_string(Alert alert) noexcept;

}  // namespace keel
