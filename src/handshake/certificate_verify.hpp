// The handshake signature (RFC 8446 §4.4.3): what is signed, signing, and checking — the
// check leaving a proof the next state requires (docs/design.md, rule 3).
#pragma once

#include <span>

#include <keel/bytes.hpp>
#include <keel/codepoints.hpp>
#include <keel/result.hpp>

#include "crypto/provider.hpp"

namespace keel::handshake {

enum class Signer : std::uint8_t { server, client };

/// §4.4.3: 64 octets of 0x20, the context string ("TLS 1.3, server CertificateVerify" or
/// "TLS 1.3, client CertificateVerify"), a 0 byte, then Transcript-Hash(Handshake Context,
/// Certificate).
[[nodiscard]] Bytes certificate_verify_content(Signer signer, ByteView transcript_hash);

/// Signs the content with `key` under `scheme` (which must fit the key).
[[nodiscard]] Result<Bytes> sign_handshake(const crypto::PrivateKey& key, SignatureScheme scheme,
                                           Signer signer, ByteView transcript_hash);

/// Proof that the peer's CertificateVerify verified: only verify_handshake_signature makes
/// one.
class HandshakeSignatureVerified {
 private:
  HandshakeSignatureVerified() = default;
  friend Result<HandshakeSignatureVerified> verify_handshake_signature(
      const crypto::PublicKey& key, SignatureScheme scheme,
      std::span<const SignatureScheme> offered, Signer signer, ByteView transcript_hash,
      ByteView signature);
};

/// Checks a CertificateVerify: the scheme must be one this side offered (illegal_parameter
/// otherwise, §4.4.3), a TLS 1.3 scheme that fits the key, and the signature must verify
/// (decrypt_error, §4.4.3: "If the verification fails, the receiver MUST terminate the
/// handshake with a "decrypt_error" alert").
[[nodiscard]] Result<HandshakeSignatureVerified> verify_handshake_signature(
    const crypto::PublicKey& key, SignatureScheme scheme, std::span<const SignatureScheme> offered,
    Signer signer, ByteView transcript_hash, ByteView signature);

}  // namespace keel::handshake
