// SHA-2, HMAC and (for identifiers) SHA-1 on libcrypto.
#include <string>

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

Result<Digest> hmac(const Algorithms& algs, HashAlg alg, ByteView key, ByteView data) {
  KEEL_TRY_ASSIGN(const EVP_MAC_CTX* prototype, algs.hmac_template(alg));
  MacCtxPtr ctx(EVP_MAC_CTX_dup(prototype));
  Digest digest(digest_size(alg));
  std::size_t length = 0;
  if (!ctx || EVP_MAC_init(ctx.get(), ptr(key), key.size(), nullptr) != 1 ||
      EVP_MAC_update(ctx.get(), ptr(data), data.size()) != 1 ||
      EVP_MAC_final(ctx.get(), digest.mutable_view().data(), &length, digest.size()) != 1 ||
      length != digest.size()) {
    return failure(Errc::crypto_failure, std::string("HMAC-") + md_name(alg));
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
