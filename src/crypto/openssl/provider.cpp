// The OpenSSL libcrypto 3 provider.
#include <climits>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "crypto/openssl/key_cache.hpp"
#include "crypto/openssl/ossl.hpp"

namespace keel::crypto {
namespace ossl {
namespace {

class SystemRng final : public Rng {
 public:
  [[nodiscard]] Result<void> fill(MutableByteView out) override {
    while (!out.empty()) {
      const std::size_t chunk = std::min<std::size_t>(out.size(), INT_MAX);
      if (RAND_bytes_ex(nullptr, out.data(), chunk, 0) != 1) {
        return failure(Errc::crypto_failure, "RAND_bytes");
      }
      out = out.subspan(chunk);
    }
    return ok();
  }
};

class OsslProvider final : public Provider {
 public:
  [[nodiscard]] std::string name() const override { return OpenSSL_version(OPENSSL_VERSION); }
  [[nodiscard]] Rng& rng() noexcept override { return system_rng(); }

  [[nodiscard]] Result<std::unique_ptr<HashContext>> hash(HashAlg alg) const override {
    return make_hash(algs_, alg);
  }
  using Provider::hash;

  [[nodiscard]] Result<Digest> hmac(HashAlg alg, ByteView key, ByteView data) const override {
    return ossl::hmac(algs_, alg, key, data);
  }

  [[nodiscard]] Result<Digest> sha1_identifier(ByteView data) const override {
    return ossl::sha1(algs_, data);
  }

  [[nodiscard]] Result<std::unique_ptr<Aead>> aead(AeadAlg alg, ByteView key) const override {
    return make_aead(algs_, alg, key);
  }

  [[nodiscard]] Result<std::unique_ptr<KeyShare>> generate_key_share(NamedGroup group,
                                                                     Rng& rng) const override {
    return ossl::generate_key_share(group, rng);
  }

  [[nodiscard]] Result<std::unique_ptr<KeyShare>> key_share_from_private(
      NamedGroup group, ByteView private_key) const override {
    return ossl::key_share_from_private(group, private_key);
  }

  [[nodiscard]] Result<std::unique_ptr<PublicKey>> parse_public_key(
      ByteView spki, const KeyPolicy& policy) const override {
    return ossl::parse_public_key(parsed_keys_, spki, policy);
  }

  [[nodiscard]] Result<std::unique_ptr<PrivateKey>> generate_private_key(
      KeyType type) const override {
    return ossl::generate_private_key(type);
  }

  [[nodiscard]] Result<std::unique_ptr<PrivateKey>> load_private_key(
      ByteView pem_or_der, const KeyPolicy& policy) const override {
    return ossl::load_private_key(algs_, pem_or_der, policy);
  }

 private:
  Algorithms algs_;
  mutable ParsedKeyCache parsed_keys_;
};

}  // namespace

Rng& system_rng() noexcept {
  static SystemRng rng;
  return rng;
}

}  // namespace ossl

Provider& default_provider() {
  static ossl::OsslProvider provider;
  return provider;
}

}  // namespace keel::crypto
