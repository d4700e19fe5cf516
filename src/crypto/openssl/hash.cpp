// SHA-2, HMAC and (for identifiers) SHA-1 on libcrypto.
#include <algorithm>
#include <string>

#include "core/secret.hpp"
#include "core/try.hpp"
#include "crypto/openssl/ossl.hpp"

namespace keel::crypto::ossl {
namespace {

class OsslHash final : public HashContext {
 public:
  OsslHash(HashAlg alg, MdCtxPtr ctx) : alg_(alg), ctx_(std::move(ctx)) {}

  [[nodiscard]] HashAlg alg() const noexcept override { return alg_; }

  void update(ByteView data) override {
    // EVP_DigestUpdate fails only on a finished or broken context; finish() reports that.
    if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
      broken_ = true;
    }
  }

  [[nodiscard]] Result<std::unique_ptr<HashContext>> clone() const override {
    MdCtxPtr copy(EVP_MD_CTX_new());
    if (!copy || EVP_MD_CTX_copy_ex(copy.get(), ctx_.get()) != 1) {
      return failure(Errc::crypto_failure, "copying a hash context");
    }
    auto out = std::make_unique<OsslHash>(alg_, std::move(copy));
    out->broken_ = broken_;
    return std::unique_ptr<HashContext>(std::move(out));
  }

  [[nodiscard]] Result<Digest> finish() override {
    Digest digest(digest_size(alg_));
    unsigned int length = 0;
    if (broken_ || EVP_DigestFinal_ex(ctx_.get(), digest.mutable_view().data(), &length) != 1 ||
        length != digest.size()) {
      return failure(Errc::crypto_failure, std::string("finishing ") + md_name(alg_));
    }
    return digest;
  }

 private:
  HashAlg alg_;
  MdCtxPtr ctx_;
  bool broken_ = false;
};

}  // namespace

Result<std::unique_ptr<HashContext>> make_hash(const Algorithms& algs, HashAlg alg) {
  KEEL_TRY_ASSIGN(const EVP_MD* md, algs.md(alg));
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1) {
    return failure(Errc::crypto_failure, std::string("starting ") + md_name(alg));
  }
  return std::unique_ptr<HashContext>(std::make_unique<OsslHash>(alg, std::move(ctx)));
}

// HMAC (RFC 2104 §2) on the fetched digest: H((K0 ^ opad) || H((K0 ^ ipad) || data)), where K0
// is the key (hashed first if longer than a block) padded with zeros to the block size. Built
// here from the hash rather than through EVP_MAC, whose per-call set-up costs more than twice
// the two hashes for the short inputs of a key schedule (HKDF runs it dozens of times per
// handshake).
Result<Digest> hmac(const Algorithms& algs, HashAlg alg, ByteView key, ByteView data) {
  constexpr std::uint8_t kInnerPad = 0x36;
  constexpr std::uint8_t kOuterPad = 0x5c;
  constexpr std::size_t kMaxBlock = 128;  // SHA-384 and SHA-512
  KEEL_TRY_ASSIGN(const EVP_MD* md, algs.md(alg));
  const auto block = static_cast<std::size_t>(EVP_MD_get_block_size(md));
  const auto failed = [alg] {
    return failure(Errc::crypto_failure, std::string("HMAC-") + md_name(alg));
  };
  if (block > kMaxBlock || block < digest_size(alg)) {
    return failed();
  }
  const MdCtxPtr ctx(EVP_MD_CTX_new());
  StackSecret<kMaxBlock> pad(block);
  StackSecret<Digest::kMaxSize> inner(digest_size(alg));  // derived from the key
  Digest digest(digest_size(alg));
  unsigned int length = 0;
  if (!ctx) {
    return failed();
  }
  const MutableByteView k0 = pad.mutable_view();
  if (key.size() > block) {
    if (EVP_Digest(ptr(key), key.size(), k0.data(), &length, md, nullptr) != 1) {
      return failed();
    }
  } else {
    std::copy(key.begin(), key.end(), k0.begin());
  }
  for (std::uint8_t& byte : k0) {
    byte ^= kInnerPad;
  }
  if (EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), k0.data(), k0.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), ptr(data), data.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), inner.mutable_view().data(), &length) != 1 ||
      length != inner.size()) {
    return failed();
  }
  for (std::uint8_t& byte : k0) {
    byte ^= kInnerPad ^ kOuterPad;
  }
  if (EVP_DigestInit_ex2(ctx.get(), md, nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), k0.data(), k0.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), inner.view().data(), inner.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.mutable_view().data(), &length) != 1 ||
      length != digest.size()) {
    return failed();
  }
  return digest;
}

Result<Digest> sha1(const Algorithms& algs, ByteView data) {
  constexpr std::size_t kSha1Size = 20;
  Digest digest(kSha1Size);
  unsigned int length = 0;
  if (!algs.sha1 ||
      EVP_Digest(ptr(data), data.size(), digest.mutable_view().data(), &length, algs.sha1.get(),
                 nullptr) != 1 ||
      length != kSha1Size) {
    return failure(Errc::crypto_failure, "SHA-1");
  }
  return digest;
}

}  // namespace keel::crypto::ossl
