// The OpenSSL libcrypto 3 provider.
#include <array>
#include <atomic>
#include <climits>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "core/secret.hpp"
#include "core/try.hpp"
#include "crypto/openssl/key_cache.hpp"
#include "crypto/openssl/ossl.hpp"

#include <pthread.h>

namespace keel::crypto {
namespace ossl {
namespace {

/// Incremented in the child of every fork(): each thread's pool is then drawn again, so a child
/// never hands out bytes its parent held.
std::atomic<std::uint64_t> fork_generation{0};

/// libcrypto's RNG. RAND_bytes costs about 1.5 µs a call here whatever the size (a getpid()
/// system call for fork safety, a DRBG lookup, locks), and a handshake draws a dozen small
/// values (randoms, private keys, nonces, ticket age_adds), so small requests are served from
/// a per-thread pool of kPool bytes drawn in one call; each byte is wiped as it is handed out.
/// Requests over a quarter of the pool go straight to RAND_bytes.
class SystemRng final : public Rng {
 public:
  static constexpr std::size_t kPool = 1024;

  SystemRng() {
    static const int kRegistered = pthread_atfork(nullptr, nullptr, [] { ++fork_generation; });
    (void)kRegistered;
  }

  [[nodiscard]] Result<void> fill(MutableByteView out) override {
    if (out.size() > kPool / 4) {
      return draw(out);
    }
    thread_local Pool pool;
    const std::uint64_t generation = fork_generation.load(std::memory_order_relaxed);
    if (pool.generation != generation) {
      pool.empty();
      pool.generation = generation;
    }
    if (kPool - pool.used < out.size()) {
      KEEL_TRY(draw(pool.bytes));
      pool.used = 0;
    }
    const MutableByteView taken = MutableByteView(pool.bytes).subspan(pool.used, out.size());
    std::copy(taken.begin(), taken.end(), out.begin());
    secure_wipe(taken);
    pool.used += out.size();
    return ok();
  }

 private:
  struct Pool {
    Pool() = default;
    Pool(const Pool&) = delete;
    Pool& operator=(const Pool&) = delete;
    Pool(Pool&&) = delete;
    Pool& operator=(Pool&&) = delete;
    ~Pool() { secure_wipe(bytes); }
    void empty() noexcept {
      secure_wipe(bytes);
      used = kPool;
    }
    std::array<std::uint8_t, kPool> bytes{};
    std::size_t used = kPool;  // all used: drawn at the first request
    std::uint64_t generation = 0;
  };

  static Result<void> draw(MutableByteView out) {
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
