// TLS codepoints keel's API names: cipher suites, groups and signature schemes, each from one
// table (value, IANA name). Values outside the tables are kept as they are, never dropped:
// policy, not parsing, decides what to do with them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keel {

// RFC 8446 §B.4, RFC 5288, RFC 7905, RFC 8422.
#define KEEL_CIPHER_SUITES(X)                              \
  X(TLS_AES_128_GCM_SHA256, 0x1301)                        \
  X(TLS_AES_256_GCM_SHA384, 0x1302)                        \
  X(TLS_CHACHA20_POLY1305_SHA256, 0x1303)                  \
  X(TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, 0xC02B)       \
  X(TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, 0xC02C)       \
  X(TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, 0xC02F)         \
  X(TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, 0xC030)         \
  X(TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, 0xCCA8)   \
  X(TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, 0xCCA9) \
  X(TLS_EMPTY_RENEGOTIATION_INFO_SCSV, 0x00FF)

// RFC 8446 §4.2.7.
#define KEEL_NAMED_GROUPS(X) \
  X(secp256r1, 0x0017)       \
  X(secp384r1, 0x0018)       \
  X(secp521r1, 0x0019)       \
  X(x25519, 0x001D)          \
  X(x448, 0x001E)

// RFC 8446 §4.2.3.
#define KEEL_SIGNATURE_SCHEMES(X)   \
  X(rsa_pkcs1_sha256, 0x0401)       \
  X(rsa_pkcs1_sha384, 0x0501)       \
  X(rsa_pkcs1_sha512, 0x0601)       \
  X(ecdsa_secp256r1_sha256, 0x0403) \
  X(ecdsa_secp384r1_sha384, 0x0503) \
  X(ecdsa_secp521r1_sha512, 0x0603) \
  X(rsa_pss_rsae_sha256, 0x0804)    \
  X(rsa_pss_rsae_sha384, 0x0805)    \
  X(rsa_pss_rsae_sha512, 0x0806)    \
  X(ed25519, 0x0807)                \
  X(ed448, 0x0808)                  \
  X(rsa_pss_pss_sha256, 0x0809)     \
  X(rsa_pss_pss_sha384, 0x080A)     \
  X(rsa_pss_pss_sha512, 0x080B)     \
  X(rsa_pkcs1_sha1, 0x0201)         \
  X(ecdsa_sha1, 0x0203)

#define KEEL_CODEPOINT_ENUM(name, value) name = (value),

enum class CipherSuite : std::uint16_t { KEEL_CIPHER_SUITES(KEEL_CODEPOINT_ENUM) };
enum class NamedGroup : std::uint16_t { KEEL_NAMED_GROUPS(KEEL_CODEPOINT_ENUM) };
enum class SignatureScheme : std::uint16_t { KEEL_SIGNATURE_SCHEMES(KEEL_CODEPOINT_ENUM) };

#undef KEEL_CODEPOINT_ENUM

/// The IANA name ("TLS_AES_128_GCM_SHA256", "x25519"), or "unknown(0x1234)" off the table.
[[nodiscard]] std::string to_string(CipherSuite suite);
[[nodiscard]] std::string to_string(NamedGroup group);
[[nodiscard]] std::string to_string(SignatureScheme scheme);

/// The codepoint with that IANA name (exact spelling), if any.
[[nodiscard]] std::optional<CipherSuite> cipher_suite_from_name(std::string_view name);
[[nodiscard]] std::optional<NamedGroup> named_group_from_name(std::string_view name);
[[nodiscard]] std::optional<SignatureScheme> signature_scheme_from_name(std::string_view name);

}  // namespace keel
