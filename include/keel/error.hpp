// keel's error type: a precise reason plus a message naming the thing that failed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <keel/alert.hpp>

namespace keel {

// X(name, alert, summary): every reason keel reports, the TLS alert a peer gets for it
// (RFC 8446 §6.2), and a one-line summary. One table, so the mapping cannot drift.
#define KEEL_ERRORS(X)                                                                     \
  /* Decoding (wire::Reader, DER, PEM). */                                                 \
  X(truncated, decode_error, "input ends too early")                                       \
  X(trailing_data, decode_error, "unexpected bytes after the end")                         \
  X(length_out_of_range, decode_error, "length outside the bounds the RFC allows")         \
  X(malformed, decode_error, "malformed encoding")                                         \
  X(illegal_parameter, illegal_parameter, "a field has a value the protocol forbids")      \
  X(duplicate_extension, illegal_parameter, "an extension appears twice")                  \
  /* Encoding (wire::Writer). */                                                           \
  X(length_overflow, internal_error, "value too long for its length prefix")               \
  /* Protocol. */                                                                          \
  X(unexpected_message, unexpected_message, "message not allowed here")                    \
  X(handshake_failure, handshake_failure, "no acceptable parameters")                      \
  X(protocol_version, protocol_version, "no acceptable protocol version")                  \
  X(insufficient_security, insufficient_security, "peer's parameters are too weak")        \
  X(record_overflow, record_overflow, "record larger than allowed")                        \
  X(limit_exceeded, illegal_parameter, "a limit was exceeded")                             \
  X(unsupported_extension, unsupported_extension, "an extension that was not asked for")   \
  X(missing_extension, missing_extension, "a required extension is missing")               \
  X(no_application_protocol, no_application_protocol, "no application protocol in common") \
  X(certificate_required, certificate_required, "the peer sent no certificate")            \
  X(alert_received, close_notify, "the peer ended the connection with an alert")           \
  X(stream_truncated, close_notify, "the stream ended without close_notify")               \
  X(connection_closed, internal_error, "the connection is closed")                         \
  /* Cryptography. */                                                                      \
  X(bad_record_mac, bad_record_mac, "authentication tag does not verify")                  \
  X(bad_signature, decrypt_error, "signature does not verify")                             \
  X(invalid_key_share, illegal_parameter, "key share is not a valid public value")         \
  X(invalid_key, bad_certificate, "key is malformed")                                      \
  X(unsupported_key, unsupported_certificate, "key type or size not accepted")             \
  X(unsupported_algorithm, handshake_failure, "algorithm not supported")                   \
  X(invalid_argument, internal_error, "invalid argument")                                  \
  X(crypto_failure, internal_error, "the crypto backend failed")                           \
  /* Certificates (x509::verify). */                                                       \
  X(certificate_expired, certificate_expired, "certificate has expired")                   \
  X(certificate_not_yet_valid, bad_certificate, "certificate is not yet valid")            \
  X(unknown_issuer, unknown_ca, "no path to a trusted root")                               \
  X(bad_certificate_signature, bad_certificate, "certificate signature does not verify")   \
  X(weak_algorithm, bad_certificate, "algorithm or key too weak or not supported")         \
  X(not_a_ca, bad_certificate, "issuer is not allowed to issue certificates")              \
  X(path_too_long, bad_certificate, "certificate path is too long")                        \
  X(path_work_limit, bad_certificate, "path building gave up at its work limit")           \
  X(wrong_purpose, unsupported_certificate, "certificate is not valid for this purpose")   \
  X(name_mismatch, bad_certificate, "certificate is not valid for the name")               \
  X(name_constraints_violated, bad_certificate, "a CA's name constraints forbid the name") \
  X(unsupported_critical_extension, unsupported_certificate,                               \
    "certificate has a critical extension keel does not understand")                       \
  X(certificate_revoked, certificate_revoked, "certificate has been revoked")              \
  X(invalid_certificate, bad_certificate, "certificate breaks a rule of RFC 5280")         \
  X(revocation_unusable, certificate_unknown,                                              \
    "revocation information is invalid, stale or does not apply")                          \
  X(not_supported, unsupported_certificate, "needs a feature keel deliberately lacks")     \
  /* Environment. */                                                                       \
  X(io_error, internal_error, "I/O failed")                                                \
  X(internal, internal_error, "internal error")

/// Why an operation failed.
enum class Errc : std::uint16_t {
#define KEEL_ERRC_ENUM(name, alert, summary) name,
  KEEL_ERRORS(KEEL_ERRC_ENUM)
#undef KEEL_ERRC_ENUM
};

/// The reason's name ("bad_record_mac").
[[nodiscard]] std::string_view to_string(Errc code) noexcept;

/// The reason's one-line summary ("authentication tag does not verify").
[[nodiscard]] std::string_view summary(Errc code) noexcept;

/// A failure: a reason and a detail that names what failed ("ServerHello.cipher_suite").
class Error {
 public:
  explicit Error(Errc code, std::string detail = {}) : code_(code), detail_(std::move(detail)) {}

  [[nodiscard]] Errc code() const noexcept { return code_; }
  [[nodiscard]] const std::string& detail() const noexcept { return detail_; }

  /// "summary: detail", or the summary alone when there is no detail.
  [[nodiscard]] std::string message() const;

  /// Adds context in front of the detail: "context: detail". Returns *this for chaining.
  Error& prepend(std::string_view context);

  friend bool operator==(const Error& a, const Error& b) = default;

 private:
  Errc code_;
  std::string detail_;
};

/// The one mapping from an error to the alert description the peer receives.
[[nodiscard]] Alert alert_for(Errc code) noexcept;
[[nodiscard]] inline Alert alert_for(const Error& error) noexcept {
  return alert_for(error.code());
}

}  // namespace keel
