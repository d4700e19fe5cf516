// The TLS 1.2 key schedule (RFC 5246 §6.3, §7.4.9, §8.1; RFC 7627 §4; RFC 5705 §4) for the
// ECDHE + AEAD suites keel speaks:
//
//   master_secret = PRF(pre_master_secret, "extended master secret", session_hash)[0..47]
//   key_block     = PRF(master_secret, "key expansion", server_random + client_random)
//                   -> client_write_key, server_write_key, client_write_IV, server_write_IV
//   verify_data   = PRF(master_secret, finished_label, Hash(handshake_messages))[0..11]
//
// keel derives the master secret only in its extended form (RFC 7627): the original one,
// over the randoms alone, is what the triple handshake attack exploits, and keel refuses a
// peer that does not negotiate the extension.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "crypto/provider.hpp"
#include "msg/hello.hpp"

namespace keel::handshake {

/// Who signs a TLS 1.2 suite's key exchange.
enum class Auth12 : std::uint8_t { ecdsa, rsa };

/// What a TLS 1.2 ECDHE suite names: the signature family, the AEAD and the PRF's hash.
struct Suite12 {
  CipherSuite id;
  Auth12 auth;
  crypto::AeadAlg aead;
  crypto::HashAlg hash;
};

/// The TLS 1.2 suites keel implements (ECDHE_ECDSA and ECDHE_RSA with AES-GCM, RFC 5289, and
/// ChaCha20-Poly1305, RFC 7905); nothing for any other codepoint.
[[nodiscard]] std::optional<Suite12> tls12_suite(CipherSuite id) noexcept;

/// RFC 5246 §8.1: "the master_secret is always exactly 48 bytes in length".
inline constexpr std::size_t kMasterSecretSize12 = 48;
/// RFC 5246 §7.4.9: verify_data_length is 12 for every suite keel speaks.
inline constexpr std::size_t kVerifyDataSize12 = 12;

/// RFC 7627 §4: the extended master secret over the session hash (the transcript hash from
/// the ClientHello through the ClientKeyExchange).
[[nodiscard]] Result<Secret> extended_master_secret(const crypto::Provider& provider,
                                                    const Suite12& suite,
                                                    ByteView pre_master_secret,
                                                    ByteView session_hash);

/// Both directions' record keys and fixed IVs (RFC 5246 §6.3; no MAC keys for AEAD suites).
struct KeyBlock12 {
  Secret client_key;
  Secret server_key;
  Secret client_iv;
  Secret server_iv;
};

[[nodiscard]] Result<KeyBlock12> key_block(const crypto::Provider& provider, const Suite12& suite,
                                           ByteView master_secret, const msg::Random& client_random,
                                           const msg::Random& server_random);

enum class FinishedSender : std::uint8_t { client, server };

/// RFC 5246 §7.4.9: PRF(master_secret, "client finished" | "server finished",
/// Hash(handshake_messages)), 12 bytes.
[[nodiscard]] Result<Secret> finished_verify_data12(const crypto::Provider& provider,
                                                    const Suite12& suite, ByteView master_secret,
                                                    FinishedSender sender, ByteView handshake_hash);

/// RFC 5705 §4: PRF(master_secret, label, client_random + server_random
/// [+ context_value_length + context_value]) into `out`. The labels TLS itself uses are
/// refused (invalid_argument): an exporter must not reproduce a key of the connection.
[[nodiscard]] Result<void> export_keying_material12(
    const crypto::Provider& provider, const Suite12& suite, ByteView master_secret,
    const msg::Random& client_random, const msg::Random& server_random, std::string_view label,
    std::optional<ByteView> context, MutableByteView out);

}  // namespace keel::handshake
