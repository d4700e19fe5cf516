// AES-GCM and ChaCha20-Poly1305 on libcrypto, keyed once; in place or from one buffer into
// another.
#include <algorithm>
#include <array>
#include <climits>
#include <string>

#include "core/try.hpp"
#include "crypto/openssl/ossl.hpp"

namespace keel::crypto::ossl {
namespace {

/// One EVP_CIPHER_CTX per direction, keyed when first used; each record then sets only the
/// nonce, so the AES key schedule is computed once per key, not once per record.
class OsslAead final : public Aead {
 public:
  OsslAead(AeadAlg alg, const EVP_CIPHER* cipher, ByteView key)
      : alg_(alg), cipher_(cipher), key_(Secret::copy_of(key)) {}

  [[nodiscard]] AeadAlg alg() const noexcept override { return alg_; }

  [[nodiscard]] Result<void> seal(ByteView nonce, ByteView aad, std::span<const ByteView> parts,
                                  MutableByteView out, MutableByteView tag) override {
    KEEL_TRY(check_sizes(nonce, aad, out, tag.size()));
    KEEL_TRY(start(seal_, /*encrypt=*/true, nonce));
    int length = 0;
    EVP_CIPHER_CTX* ctx = seal_.get();
    const auto failed = [this] {
      return failure(Errc::crypto_failure, std::string(to_string(alg_)) + " seal");
    };
    if (EVP_EncryptUpdate(ctx, nullptr, &length, ptr(aad), static_cast<int>(aad.size())) != 1) {
      return failed();
    }
    // GCM and ChaCha20-Poly1305 are stream modes: each update writes exactly its input.
    std::size_t at = 0;
    for (const ByteView part : parts) {
      if (part.size() > out.size() - at ||
          EVP_EncryptUpdate(ctx, out.data() + at, &length, ptr(part),
                            static_cast<int>(part.size())) != 1 ||
          static_cast<std::size_t>(length) != part.size()) {
        return failed();
      }
      at += part.size();
    }
    if (at != out.size() || EVP_EncryptFinal_ex(ctx, out.data() + at, &length) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, static_cast<int>(tag.size()), tag.data()) !=
            1) {
      return failed();
    }
    return ok();
  }

  [[nodiscard]] Result<void> open(ByteView nonce, ByteView aad, ByteView in, MutableByteView out,
                                  ByteView tag) override {
    KEEL_TRY(check_sizes(nonce, aad, in, tag.size()));
    if (out.size() != in.size()) {
      return Error(Errc::invalid_argument, "AEAD output must be as long as the input");
    }
    KEEL_TRY(start(open_, /*encrypt=*/false, nonce));
    int length = 0;
    EVP_CIPHER_CTX* ctx = open_.get();
    // libcrypto takes the expected tag through a non-const pointer but only reads it.
    std::array<std::uint8_t, kAeadTagSize> expected{};
    std::copy(tag.begin(), tag.end(), expected.begin());
    if (EVP_DecryptUpdate(ctx, nullptr, &length, ptr(aad), static_cast<int>(aad.size())) != 1 ||
        EVP_DecryptUpdate(ctx, out.data(), &length, ptr(in), static_cast<int>(in.size())) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, static_cast<int>(expected.size()),
                            expected.data()) != 1) {
      return failure(Errc::crypto_failure, std::string(to_string(alg_)) + " open");
    }
    if (EVP_DecryptFinal_ex(ctx, out.data() + length, &length) != 1) {
      clear_errors();
      return Error(Errc::bad_record_mac, std::string(to_string(alg_)) + " tag mismatch");
    }
    return ok();
  }

 private:
  static Result<void> check_sizes(ByteView nonce, ByteView aad, ByteView data,
                                  std::size_t tag_size) {
    if (nonce.size() != kAeadNonceSize) {
      return Error(Errc::invalid_argument,
                   "AEAD nonce must be 12 bytes, got " + std::to_string(nonce.size()));
    }
    if (tag_size != kAeadTagSize) {
      return Error(Errc::invalid_argument,
                   "AEAD tag must be 16 bytes, got " + std::to_string(tag_size));
    }
    if (aad.size() > INT_MAX || data.size() > INT_MAX) {
      return Error(Errc::invalid_argument, "AEAD input too large");
    }
    return ok();
  }

  Result<void> start(CipherCtxPtr& ctx, bool encrypt, ByteView nonce) {
    const int enc = encrypt ? 1 : 0;
    if (!ctx) {
      ctx.reset(EVP_CIPHER_CTX_new());
      if (!ctx ||
          EVP_CipherInit_ex2(ctx.get(), cipher_, key_.view().data(), nullptr, enc, nullptr) != 1) {
        ctx.reset();
        return failure(Errc::crypto_failure, std::string(to_string(alg_)) + " key setup");
      }
    }
    // A null cipher and key keep the expanded key; only the nonce changes.
    if (EVP_CipherInit_ex2(ctx.get(), nullptr, nullptr, nonce.data(), enc, nullptr) != 1) {
      return failure(Errc::crypto_failure, std::string(to_string(alg_)) + " nonce setup");
    }
    return ok();
  }

  AeadAlg alg_;
  const EVP_CIPHER* cipher_;
  Secret key_;  // To key the other direction on its first use.
  CipherCtxPtr seal_;
  CipherCtxPtr open_;
};

}  // namespace

Result<std::unique_ptr<Aead>> make_aead(const Algorithms& algs, AeadAlg alg, ByteView key) {
  KEEL_TRY_ASSIGN(const EVP_CIPHER* cipher, algs.cipher(alg));
  if (key.size() != key_size(alg)) {
    return Error(Errc::invalid_argument, std::string(to_string(alg)) + " key must be " +
                                             std::to_string(key_size(alg)) + " bytes, got " +
                                             std::to_string(key.size()));
  }
  return std::unique_ptr<Aead>(std::make_unique<OsslAead>(alg, cipher, key));
}

}  // namespace keel::crypto::ossl
