#include "crypto/kdf.hpp"

#include <array>

#include <gtest/gtest.h>
#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "handshake/key_schedule.hpp"
#include "handshake/key_schedule12.hpp"
#include "support/test_util.hpp"

namespace keel::crypto {
namespace {

using test::hex;

Provider& provider() {
  return default_provider();
}

Bytes bytes_of(const Secret& s) {
  return test::to_bytes(s.view());
}

// RFC 8448 §3 ("Simple 1-RTT Handshake"): the key schedule up to the server's handshake keys.
TEST(Kdf, Rfc8448KeySchedule) {
  const HashAlg sha256 = HashAlg::sha256;
  auto early = provider().hkdf_extract(sha256, ByteView{}, Bytes(32, 0));
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(bytes_of(*early),
            hex("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"));

  auto empty_hash = provider().hash(sha256, ByteView{});
  ASSERT_TRUE(empty_hash.ok());
  auto derived = derive_secret(provider(), sha256, early->view(), "derived", empty_hash->view());
  ASSERT_TRUE(derived.ok());
  EXPECT_EQ(bytes_of(*derived),
            hex("6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba"));

  auto handshake = provider().hkdf_extract(
      sha256, derived->view(),
      hex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d"));
  ASSERT_TRUE(handshake.ok());
  EXPECT_EQ(bytes_of(*handshake),
            hex("1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac"));

  const Bytes ch_sh_hash = hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
  auto c_hs = derive_secret(provider(), sha256, handshake->view(), "c hs traffic", ch_sh_hash);
  auto s_hs = derive_secret(provider(), sha256, handshake->view(), "s hs traffic", ch_sh_hash);
  ASSERT_TRUE(c_hs.ok() && s_hs.ok());
  EXPECT_EQ(bytes_of(*c_hs),
            hex("b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21"));
  EXPECT_EQ(bytes_of(*s_hs),
            hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"));

  auto key = hkdf_expand_label(provider(), sha256, s_hs->view(), "key", ByteView{}, 16);
  auto iv = hkdf_expand_label(provider(), sha256, s_hs->view(), "iv", ByteView{}, 12);
  ASSERT_TRUE(key.ok() && iv.ok());
  EXPECT_EQ(bytes_of(*key), hex("3fce516009c21727d0f2e4e86ee403bc"));
  EXPECT_EQ(bytes_of(*iv), hex("5d313eb2671276ee13000b30"));
}

TEST(Kdf, FixedNoPskValuesEqualTheComputedOnes) {
  // The key schedule takes Hash(""), the early secret without a PSK and the salt after it
  // from constants; computed the long way (an explicit all-zero PSK), they must be the same.
  for (const auto hash : {crypto::HashAlg::sha256, crypto::HashAlg::sha384}) {
    const Bytes zeros(crypto::digest_size(hash), 0);
    auto fixed = handshake::EarlySecret::without_psk(crypto::default_provider(), hash);
    auto computed = handshake::EarlySecret::with_psk(crypto::default_provider(), hash, zeros);
    ASSERT_TRUE(fixed.ok() && computed.ok());
    EXPECT_EQ(test::to_bytes(fixed->secret()), test::to_bytes(computed->secret()));
    EXPECT_EQ(test::to_bytes(fixed->binder_key(true).value().view()),
              test::to_bytes(computed->binder_key(true).value().view()));
    const Bytes shared(32, 0x5a);
    auto fixed_next = std::move(fixed).value().advance(shared);
    auto computed_next = std::move(computed).value().advance(shared);
    ASSERT_TRUE(fixed_next.ok() && computed_next.ok());
    EXPECT_EQ(test::to_bytes(fixed_next->secret()), test::to_bytes(computed_next->secret()));
  }
}

TEST(Kdf, ExpandLabelRejectsOversizedInputs) {
  const Bytes secret(32, 1);
  const std::string long_label(250, 'x');  // "tls13 " + 250 > 255
  EXPECT_EQ(hkdf_expand_label(provider(), HashAlg::sha256, secret, long_label, ByteView{}, 32)
                .error()
                .code(),
            Errc::invalid_argument);
  EXPECT_EQ(
      hkdf_expand_label(provider(), HashAlg::sha256, secret, "key", Bytes(256), 32).error().code(),
      Errc::invalid_argument);
  EXPECT_FALSE(
      hkdf_expand_label(provider(), HashAlg::sha256, secret, "key", ByteView{}, 255 * 32 + 1).ok());
}

/// The TLS 1.2 PRF as libcrypto's own TLS1-PRF computes it: an independent implementation.
Bytes openssl_tls12_prf(HashAlg alg, ByteView secret, std::string_view label, ByteView seed,
                        std::size_t length) {
  EVP_KDF* kdf = EVP_KDF_fetch(nullptr, "TLS1-PRF", nullptr);
  EVP_KDF_CTX* ctx = EVP_KDF_CTX_new(kdf);
  Bytes label_seed(label.begin(), label.end());
  label_seed.insert(label_seed.end(), seed.begin(), seed.end());
  Bytes secret_copy(secret.begin(), secret.end());
  std::string md = alg == HashAlg::sha256 ? "SHA256" : "SHA384";
  const std::array params = {
      OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, md.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SECRET, secret_copy.data(),
                                        secret_copy.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SEED, label_seed.data(), label_seed.size()),
      OSSL_PARAM_construct_end(),
  };
  Bytes out(length);
  EXPECT_EQ(EVP_KDF_derive(ctx, out.data(), out.size(), params.data()), 1);
  EVP_KDF_CTX_free(ctx);
  EVP_KDF_free(kdf);
  return out;
}

TEST(Kdf, Tls12PrfMatchesAnIndependentImplementation) {
  Bytes secret(48);
  Bytes seed(64);
  ASSERT_TRUE(provider().rng().fill(secret).ok());
  ASSERT_TRUE(provider().rng().fill(seed).ok());
  for (const HashAlg alg : {HashAlg::sha256, HashAlg::sha384}) {
    // Lengths below, at and across block boundaries, and the sizes TLS 1.2 asks for
    // (12-byte verify_data, 48-byte master secret, a 72-byte key block).
    for (const std::size_t length : {1U, 12U, 32U, 48U, 72U, 100U, 200U}) {
      Bytes ours(length);
      ASSERT_TRUE(tls12_prf(provider(), alg, secret, "master secret", seed, ours).ok());
      EXPECT_EQ(ours, openssl_tls12_prf(alg, secret, "master secret", seed, length))
          << to_string(alg) << " length " << length;
    }
  }
}

TEST(Kdf, Tls12PrfDependsOnLabel) {
  const Bytes secret(48, 7);
  const Bytes seed(32, 9);
  Bytes a(12);
  Bytes b(12);
  ASSERT_TRUE(tls12_prf(provider(), HashAlg::sha256, secret, "client finished", seed, a).ok());
  ASSERT_TRUE(tls12_prf(provider(), HashAlg::sha256, secret, "server finished", seed, b).ok());
  EXPECT_NE(a, b);
}

// The TLS 1.2 key schedule (handshake/key_schedule12.hpp) against libcrypto's PRF: the
// labels, seeds and splits of RFC 5246 §6.3 and §7.4.9, RFC 7627 §4 and RFC 5705 §4.
TEST(Kdf, Tls12KeyScheduleMatchesThePrfAsTheRfcsApplyIt) {
  Bytes pre_master(32);
  Bytes session_hash(48);
  msg::Random client_random{};
  msg::Random server_random{};
  ASSERT_TRUE(provider().rng().fill(pre_master).ok());
  ASSERT_TRUE(provider().rng().fill(session_hash).ok());
  ASSERT_TRUE(provider().rng().fill(client_random).ok());
  ASSERT_TRUE(provider().rng().fill(server_random).ok());
  for (const CipherSuite id : {CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
                               CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                               CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256}) {
    SCOPED_TRACE(to_string(id));
    const auto suite = handshake::tls12_suite(id);
    ASSERT_TRUE(suite.has_value());
    const ByteView hash = ByteView(session_hash).first(digest_size(suite->hash));

    auto master = handshake::extended_master_secret(provider(), *suite, pre_master, hash);
    ASSERT_TRUE(master.ok());
    EXPECT_EQ(bytes_of(*master),
              openssl_tls12_prf(suite->hash, pre_master, "extended master secret", hash, 48));

    auto block =
        handshake::key_block(provider(), *suite, master->view(), client_random, server_random);
    ASSERT_TRUE(block.ok());
    Bytes seed(server_random.begin(), server_random.end());
    seed.insert(seed.end(), client_random.begin(), client_random.end());
    const std::size_t key = key_size(suite->aead);
    const std::size_t iv = suite->aead == AeadAlg::chacha20_poly1305 ? 12 : 4;
    const Bytes expected =
        openssl_tls12_prf(suite->hash, bytes_of(*master), "key expansion", seed, 2 * (key + iv));
    const auto part = [&](std::size_t at, std::size_t n) {
      return Bytes(expected.begin() + static_cast<std::ptrdiff_t>(at),
                   expected.begin() + static_cast<std::ptrdiff_t>(at + n));
    };
    EXPECT_EQ(bytes_of(block->client_key), part(0, key));
    EXPECT_EQ(bytes_of(block->server_key), part(key, key));
    EXPECT_EQ(bytes_of(block->client_iv), part(2 * key, iv));
    EXPECT_EQ(bytes_of(block->server_iv), part(2 * key + iv, iv));

    for (const auto sender :
         {handshake::FinishedSender::client, handshake::FinishedSender::server}) {
      auto verify_data =
          handshake::finished_verify_data12(provider(), *suite, master->view(), sender, hash);
      ASSERT_TRUE(verify_data.ok());
      EXPECT_EQ(bytes_of(*verify_data),
                openssl_tls12_prf(suite->hash, bytes_of(*master),
                                  sender == handshake::FinishedSender::client ? "client finished"
                                                                              : "server finished",
                                  hash, 12));
    }

    Bytes exported(20);
    ASSERT_TRUE(handshake::export_keying_material12(provider(), *suite, master->view(),
                                                    client_random, server_random, "EXPORTER-x",
                                                    ByteView(Bytes{9, 9}), exported)
                    .ok());
    Bytes export_seed(client_random.begin(), client_random.end());
    export_seed.insert(export_seed.end(), server_random.begin(), server_random.end());
    export_seed.insert(export_seed.end(), {0, 2, 9, 9});
    EXPECT_EQ(exported,
              openssl_tls12_prf(suite->hash, bytes_of(*master), "EXPORTER-x", export_seed, 20));
  }
}

TEST(Kdf, Tls12SuitesAndReservedExporterLabels) {
  EXPECT_FALSE(handshake::tls12_suite(CipherSuite::TLS_AES_128_GCM_SHA256).has_value());
  const auto chacha =
      handshake::tls12_suite(CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256);
  ASSERT_TRUE(chacha.has_value());
  EXPECT_EQ(chacha->auth, handshake::Auth12::ecdsa);
  EXPECT_EQ(chacha->hash, HashAlg::sha256);
  const Bytes master(48, 1);
  Bytes out(12);
  EXPECT_EQ(handshake::export_keying_material12(provider(), *chacha, master, msg::Random{},
                                                msg::Random{}, "key expansion", std::nullopt, out)
                .error()
                .code(),
            Errc::invalid_argument);
}

}  // namespace
}  // namespace keel::crypto
