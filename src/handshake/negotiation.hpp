// The choices a handshake makes from what each side offers (RFC 8446 §4.1.1, §4.2.3,
// §4.2.8, §4.1.3), as pure functions shared by client and server, TLS 1.3 and 1.2.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"
#include "handshake/key_schedule12.hpp"
#include "msg/extensions.hpp"
#include "msg/hello.hpp"

namespace keel::handshake {

/// The server picks the first suite of its own preference list that the client offered
/// (GREASE and unknown values in the offer are skipped). handshake_failure if none.
[[nodiscard]] Result<CipherSuite> choose_suite(std::span<const CipherSuite> offered,
                                               std::span<const CipherSuite> preference);

/// The key exchange a server settles on: a share the client already sent, or a group to ask
/// for with a HelloRetryRequest.
struct GroupChoice {
  NamedGroup group{};
  /// Index into the client's key shares, or nothing: the server must send a
  /// HelloRetryRequest for `group`.
  std::optional<std::size_t> share;
};

/// §4.2.8: the first group of the server's preference that the client supports and sent a
/// share for; failing that, the first that it supports (a HelloRetryRequest). A share for a
/// group the client did not list in supported_groups is illegal_parameter (§4.2.8: "Clients
/// MUST NOT offer any KeyShareEntry values for groups not listed in the client's
/// "supported_groups" extension"); two shares for one group likewise. handshake_failure if no
/// group is common.
[[nodiscard]] Result<GroupChoice> choose_group(std::span<const NamedGroup> supported,
                                               std::span<const msg::KeyShareEntry> shares,
                                               std::span<const NamedGroup> preference);

/// Signature schemes keel uses in TLS 1.3 CertificateVerify (§4.2.3: no PKCS#1 v1.5, no
/// SHA-1), in keel's order of preference.
[[nodiscard]] std::span<const SignatureScheme> tls13_signature_schemes() noexcept;
/// Those, then RSASSA-PKCS1-v1_5 with SHA-256/384/512, which TLS 1.2 servers sign their key
/// exchange with (RFC 5246 §7.4.1.4.1; never SHA-1).
[[nodiscard]] std::span<const SignatureScheme> tls12_signature_schemes() noexcept;

/// The primitive a scheme names and the key type it needs; nothing for schemes keel does
/// not implement (ed448, ecdsa_secp521r1_sha512, SHA-1 ones).
struct SchemeInfo {
  crypto::SignatureAlgorithm algorithm;
  std::vector<crypto::KeyType> key_types;
};
[[nodiscard]] std::optional<SchemeInfo> scheme_info(SignatureScheme scheme);

/// The scheme to sign with a key of `key_type`: the first of `preference` (keel's TLS 1.3
/// list unless told) that the peer offered and that fits the key. handshake_failure if none
/// (the server then tries its next certificate).
[[nodiscard]] Result<SignatureScheme> choose_signature_scheme(
    std::span<const SignatureScheme> offered, crypto::KeyType key_type,
    std::span<const SignatureScheme> preference = tls13_signature_schemes());

/// TLS 1.2: whether a key may sign for a suite — ECDSA suites take EC (or Ed25519, RFC 8422
/// §2) keys, RSA suites RSA keys.
[[nodiscard]] bool key_fits_suite12(crypto::KeyType key, Auth12 auth) noexcept;
/// TLS 1.2: whether a signature made with `key` may use the scheme, where an ECDSA scheme
/// names the hash but not the curve (RFC 5246 §7.4.1.4.1).
[[nodiscard]] bool scheme_fits_key12(const SchemeInfo& info, crypto::KeyType key) noexcept;

/// §4.1.3: the last 8 bytes of a TLS 1.3 server's random when it negotiates TLS 1.2 ("DOWNGRD"
/// then 01) or below (00). A TLS 1.3 client that negotiates a lower version MUST check them.
inline constexpr std::array<std::uint8_t, 8> kDowngradeTls12 = {0x44, 0x4F, 0x57, 0x4E,
                                                                0x47, 0x52, 0x44, 0x01};
inline constexpr std::array<std::uint8_t, 8> kDowngradeTls11 = {0x44, 0x4F, 0x57, 0x4E,
                                                                0x47, 0x52, 0x44, 0x00};

/// Whether a ServerHello random carries either sentinel.
[[nodiscard]] bool has_downgrade_sentinel(const msg::Random& server_random) noexcept;

}  // namespace keel::handshake
