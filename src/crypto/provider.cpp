// The parts of the provider interface that are constructions over its primitives.
#include "crypto/provider.hpp"

#include <algorithm>
#include <string>

#include "core/secret.hpp"
#include "core/try.hpp"

namespace keel::crypto {

std::string_view to_string(HashAlg alg) noexcept {
  switch (alg) {
    case HashAlg::sha256:
      return "SHA-256";
    case HashAlg::sha384:
      return "SHA-384";
    case HashAlg::sha512:
      return "SHA-512";
  }
  return "unknown hash";
}

std::string_view to_string(AeadAlg alg) noexcept {
  switch (alg) {
    case AeadAlg::aes_128_gcm:
      return "AES-128-GCM";
    case AeadAlg::aes_256_gcm:
      return "AES-256-GCM";
    case AeadAlg::chacha20_poly1305:
      return "ChaCha20-Poly1305";
  }
  return "unknown AEAD";
}

std::string_view to_string(KeyType type) noexcept {
  switch (type) {
    case KeyType::rsa:
      return "RSA";
    case KeyType::rsa_pss:
      return "RSA-PSS";
    case KeyType::ec_p256:
      return "EC P-256";
    case KeyType::ec_p384:
      return "EC P-384";
    case KeyType::ed25519:
      return "Ed25519";
  }
  return "unknown key type";
}

Result<Digest> Provider::hash(HashAlg alg, ByteView data) const {
  KEEL_TRY_ASSIGN(auto ctx, hash(alg));
  ctx->update(data);
  return ctx->finish();
}

Result<Secret> Provider::hkdf_extract(HashAlg alg, ByteView salt, ByteView ikm) const {
  // RFC 5869 §2.2: "salt ... if not provided, it is set to a string of HashLen zeros".
  const std::array<std::uint8_t, Digest::kMaxSize> zeros{};
  const ByteView key = salt.empty() ? ByteView(zeros.data(), digest_size(alg)) : salt;
  KEEL_TRY_ASSIGN(const Digest prk, hmac(alg, key, ikm));
  return Secret::copy_of(prk.view());
}

Result<void> Provider::hkdf_expand(HashAlg alg, ByteView prk, ByteView info,
                                   MutableByteView out) const {
  // RFC 5869 §2.3: L <= 255*HashLen; T(i) = HMAC-Hash(PRK, T(i-1) | info | i).
  const std::size_t hash_len = digest_size(alg);
  if (out.size() > 255 * hash_len) {
    return Error(Errc::invalid_argument,
                 "HKDF-Expand of " + std::to_string(out.size()) + " bytes exceeds 255 * HashLen");
  }
  // T(i-1) | info | counter, wiped on return: on the stack for the info of a key schedule
  // (HKDF-Expand-Label's, at most 514 bytes), on the heap for a longer one.
  constexpr std::size_t kOnStack = Digest::kMaxSize + 514 + 1;
  const std::size_t needed = hash_len + info.size() + 1;
  StackSecret<kOnStack> small(needed <= kOnStack ? needed : 0);
  Secret large(needed <= kOnStack ? 0 : needed);
  const MutableByteView input = needed <= kOnStack ? small.mutable_view() : large.mutable_view();
  std::size_t previous = 0;  // length of T(i-1): 0 for T(0)
  std::size_t written = 0;
  for (std::uint8_t counter = 1; written < out.size(); ++counter) {
    std::copy(info.begin(), info.end(), input.begin() + static_cast<std::ptrdiff_t>(previous));
    input[previous + info.size()] = counter;
    KEEL_TRY_ASSIGN(Digest t, hmac(alg, prk, input.first(previous + info.size() + 1)));
    const std::size_t take = std::min(hash_len, out.size() - written);
    std::copy_n(t.view().begin(), take, out.begin() + static_cast<std::ptrdiff_t>(written));
    std::copy(t.view().begin(), t.view().end(), input.begin());
    secure_wipe(t.mutable_view());
    written += take;
    previous = hash_len;
  }
  return ok();
}

}  // namespace keel::crypto
