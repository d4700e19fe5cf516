// The key derivation functions TLS builds on the provider's HMAC and HKDF.
#pragma once

#include <cstddef>
#include <string_view>

#include <keel/bytes.hpp>
#include <keel/result.hpp>

#include "core/secret.hpp"
#include "crypto/provider.hpp"

namespace keel::crypto {

/// RFC 8446 §7.1:
///   HKDF-Expand-Label(Secret, Label, Context, Length) =
///        HKDF-Expand(Secret, HkdfLabel, Length)
///   struct {
///        uint16 length = Length;
///        opaque label<7..255> = "tls13 " + Label;
///        opaque context<0..255> = Context;
///   } HkdfLabel;
[[nodiscard]] Result<Secret> hkdf_expand_label(const Provider& provider, HashAlg alg,
                                               ByteView secret, std::string_view label,
                                               ByteView context, std::size_t length);

/// RFC 8446 §7.1:
///   Derive-Secret(Secret, Label, Messages) =
///        HKDF-Expand-Label(Secret, Label, Transcript-Hash(Messages), Hash.length)
/// `transcript_hash` is Transcript-Hash(Messages), already computed by the caller.
[[nodiscard]] Result<Secret> derive_secret(const Provider& provider, HashAlg alg, ByteView secret,
                                           std::string_view label, ByteView transcript_hash);

/// The TLS 1.2 PRF (RFC 5246 §5) with P_SHA256 or P_SHA384:
///   PRF(secret, label, seed) = P_<hash>(secret, label + seed)
///   P_hash(secret, seed) = HMAC_hash(secret, A(1) + seed) + HMAC_hash(secret, A(2) + seed) + ...
///   A(0) = seed, A(i) = HMAC_hash(secret, A(i-1))
/// Fills `out`.
[[nodiscard]] Result<void> tls12_prf(const Provider& provider, HashAlg alg, ByteView secret,
                                     std::string_view label, ByteView seed, MutableByteView out);

}  // namespace keel::crypto
