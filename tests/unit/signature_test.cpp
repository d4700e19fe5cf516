// Signing and verification with keys made by the openssl command line (tests/data/keys/make.sh).
#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "support/test_util.hpp"

namespace keel::crypto {
namespace {

using test::as_bytes;
using test::read_data;

Provider& provider() {
  return default_provider();
}

struct KeyCase {
  const char* file;
  KeyType type;
  std::vector<SignatureAlgorithm> algs;
};

std::vector<KeyCase> key_cases() {
  const SignatureAlgorithm pss256{SignatureKind::rsa_pss, HashAlg::sha256};
  const SignatureAlgorithm pss384{SignatureKind::rsa_pss, HashAlg::sha384};
  const SignatureAlgorithm pss512{SignatureKind::rsa_pss, HashAlg::sha512};
  const SignatureAlgorithm pkcs256{SignatureKind::rsa_pkcs1, HashAlg::sha256};
  const SignatureAlgorithm pkcs384{SignatureKind::rsa_pkcs1, HashAlg::sha384};
  const SignatureAlgorithm pkcs512{SignatureKind::rsa_pkcs1, HashAlg::sha512};
  const std::vector rsa_algs = {pss256, pss384, pss512, pkcs256, pkcs384, pkcs512};
  return {
      {"p256-pkcs8.pem", KeyType::ec_p256, {{SignatureKind::ecdsa, HashAlg::sha256}}},
      {"p256-pkcs8.der", KeyType::ec_p256, {{SignatureKind::ecdsa, HashAlg::sha256}}},
      {"p256-sec1.pem", KeyType::ec_p256, {{SignatureKind::ecdsa, HashAlg::sha256}}},
      {"p256-sec1.der", KeyType::ec_p256, {{SignatureKind::ecdsa, HashAlg::sha256}}},
      {"p384-pkcs8.pem", KeyType::ec_p384, {{SignatureKind::ecdsa, HashAlg::sha384}}},
      {"rsa2048-pkcs8.pem", KeyType::rsa, rsa_algs},
      {"rsa2048-pkcs8.der", KeyType::rsa, rsa_algs},
      {"rsa2048-pkcs1.pem", KeyType::rsa, rsa_algs},
      {"rsa2048-pkcs1.der", KeyType::rsa, rsa_algs},
      {"rsapss2048-pkcs8.pem", KeyType::rsa_pss, {pss256}},
      {"ed25519-pkcs8.pem", KeyType::ed25519, {{SignatureKind::ed25519, HashAlg::sha512}}},
  };
}

TEST(Signature, SignAndVerifyEveryKeyFormatAndScheme) {
  const ByteView message = as_bytes("TLS 1.3, server CertificateVerify");
  for (const auto& c : key_cases()) {
    SCOPED_TRACE(c.file);
    auto key = provider().load_private_key(read_data(std::string("keys/") + c.file));
    ASSERT_TRUE(key.ok()) << key.error().message();
    EXPECT_EQ((*key)->type(), c.type);
    auto spki = (*key)->public_key_spki();
    ASSERT_TRUE(spki.ok());
    auto pub = provider().parse_public_key(*spki);
    ASSERT_TRUE(pub.ok()) << pub.error().message();
    EXPECT_EQ((*pub)->type(), c.type);
    for (const auto& alg : c.algs) {
      auto sig = (*key)->sign(alg, message);
      ASSERT_TRUE(sig.ok()) << sig.error().message();
      EXPECT_TRUE((*pub)->verify(alg, message, *sig).ok());
      // A changed message or signature does not verify.
      Bytes other(message.begin(), message.end());
      other.back() ^= 1;
      EXPECT_EQ((*pub)->verify(alg, other, *sig).error().code(), Errc::bad_signature);
      Bytes bad_sig = *sig;
      bad_sig[bad_sig.size() / 2] ^= 0x10;
      EXPECT_EQ((*pub)->verify(alg, message, bad_sig).error().code(), Errc::bad_signature);
    }
  }
}

TEST(Signature, KeyMustFitTheAlgorithm) {
  auto ec = provider().load_private_key(read_data("keys/p256-pkcs8.pem"));
  auto pss = provider().load_private_key(read_data("keys/rsapss2048-pkcs8.pem"));
  ASSERT_TRUE(ec.ok() && pss.ok());
  EXPECT_EQ((*ec)->sign({SignatureKind::rsa_pss, HashAlg::sha256}, Bytes{1}).error().code(),
            Errc::unsupported_algorithm);
  EXPECT_EQ((*ec)->sign({SignatureKind::ed25519, HashAlg::sha512}, Bytes{1}).error().code(),
            Errc::unsupported_algorithm);
  // An RSA-PSS key makes PSS signatures only.
  EXPECT_EQ((*pss)->sign({SignatureKind::rsa_pkcs1, HashAlg::sha256}, Bytes{1}).error().code(),
            Errc::unsupported_algorithm);
}

TEST(Signature, RsaPssKeyRestrictionsAreEnforced) {
  // The key says SHA-256 only; a SHA-384 PSS signature must be refused.
  auto pss = provider().load_private_key(read_data("keys/rsapss2048-pkcs8.pem"));
  ASSERT_TRUE(pss.ok());
  EXPECT_FALSE((*pss)->sign({SignatureKind::rsa_pss, HashAlg::sha384}, Bytes{1}).ok());
}

TEST(Signature, RejectsWeakAndUnsupportedKeys) {
  auto rsa1024 = provider().load_private_key(read_data("keys/rsa1024-pkcs8.pem"));
  ASSERT_FALSE(rsa1024.ok());
  EXPECT_EQ(rsa1024.error().code(), Errc::unsupported_key);
  EXPECT_NE(rsa1024.error().message().find("1024"), std::string::npos);

  auto p521 = provider().load_private_key(read_data("keys/p521-pkcs8.pem"));
  ASSERT_FALSE(p521.ok());
  EXPECT_EQ(p521.error().code(), Errc::unsupported_key);

  auto encrypted = provider().load_private_key(read_data("keys/p256-encrypted.pem"));
  ASSERT_FALSE(encrypted.ok());
  EXPECT_EQ(encrypted.error().code(), Errc::unsupported_key);

  // A policy can lower the RSA floor explicitly (the RFC 8448 replay needs RSA-1024).
  KeyPolicy legacy;
  legacy.min_rsa_bits = 1024;
  EXPECT_TRUE(provider().load_private_key(read_data("keys/rsa1024-pkcs8.pem"), legacy).ok());
}

// The provider keeps keys it parsed (crypto/openssl/key_cache.hpp): a key found again must
// still answer to each caller's policy, and keys pushed out of the cache parse afresh.
TEST(Signature, AKeyParsedAgainAnswersToEachCallersPolicy) {
  const ByteView message = as_bytes("parsed twice");
  auto rsa = provider().load_private_key(read_data("keys/rsa2048-pkcs8.pem"));
  ASSERT_TRUE(rsa.ok());
  const Bytes spki = *(*rsa)->public_key_spki();
  const SignatureAlgorithm pss{SignatureKind::rsa_pss, HashAlg::sha256};
  const Bytes signature = *(*rsa)->sign(pss, message);
  for (int i = 0; i < 3; ++i) {
    auto key = provider().parse_public_key(spki);
    ASSERT_TRUE(key.ok()) << key.error().message();
    EXPECT_EQ((*key)->type(), KeyType::rsa);
    EXPECT_TRUE((*key)->verify(pss, message, signature).ok());
  }
  KeyPolicy stricter;
  stricter.min_rsa_bits = 3072;
  auto refused = provider().parse_public_key(spki, stricter);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::unsupported_key);

  // More keys than the cache holds, then each again: every one still verifies its signature.
  std::vector<std::unique_ptr<PrivateKey>> keys;
  for (int i = 0; i < 40; ++i) {
    auto key = provider().generate_private_key(KeyType::ec_p256);
    ASSERT_TRUE(key.ok());
    keys.push_back(std::move(key).value());
  }
  const SignatureAlgorithm ecdsa{SignatureKind::ecdsa, HashAlg::sha256};
  for (int round = 0; round < 2; ++round) {
    for (const auto& key : keys) {
      auto pub = provider().parse_public_key(*key->public_key_spki());
      ASSERT_TRUE(pub.ok());
      EXPECT_TRUE((*pub)->verify(ecdsa, message, *key->sign(ecdsa, message)).ok());
      EXPECT_EQ((*pub)->verify(ecdsa, message, *keys.front()->sign(ecdsa, message)).ok(),
                key == keys.front());
    }
  }
}

TEST(Signature, RejectsAPrivateKeyStoredWithAnotherKeysPublicPoint) {
  // Found by fuzz_keys: libcrypto loads such a SEC1 key, which would then sign handshakes that
  // its own certificate's key cannot verify.
  auto key = provider().load_private_key(read_data("keys/p256-mismatched-sec1.der"));
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.error().code(), Errc::invalid_key);
  EXPECT_NE(key.error().message().find("does not match"), std::string::npos);
}

TEST(Signature, RejectsGarbage) {
  EXPECT_EQ(provider().load_private_key(as_bytes("not a key")).error().code(), Errc::invalid_key);
  EXPECT_EQ(provider().load_private_key(Bytes{}).error().code(), Errc::invalid_key);
  EXPECT_EQ(provider().parse_public_key(Bytes{0x30, 0x03, 0x02, 0x01, 0x00}).error().code(),
            Errc::invalid_key);
  // A valid SPKI followed by a stray byte.
  auto key = provider().load_private_key(read_data("keys/p256-pkcs8.pem"));
  ASSERT_TRUE(key.ok());
  Bytes spki = *(*key)->public_key_spki();
  spki.push_back(0);
  EXPECT_EQ(provider().parse_public_key(spki).error().code(), Errc::invalid_key);
}

// keel reads SPKIs itself (crypto/openssl/spki.cpp); what DER or the key type forbids is
// invalid_key, and nothing it reads wrongly may verify.
TEST(Signature, SpkiReaderRejectsMalformedKeys) {
  const auto code = [](const char* hex_spki) {
    auto key = provider().parse_public_key(test::hex(hex_spki));
    return key.ok() ? Errc::internal : key.error().code();
  };
  // RSA modulus with a superfluous leading zero; a negative modulus.
  EXPECT_EQ(code("301b300d06092a864886f70d0101010500030a0030070202007f020103"), Errc::invalid_key);
  EXPECT_EQ(code("301a300d06092a864886f70d01010105000309003006020180020103"), Errc::invalid_key);
  // An Ed25519 key of 31 bytes.
  EXPECT_EQ(code("3029300506032b657003200001010101010101010101010101010101010101010101010101"
                 "010101010101"),
            Errc::invalid_key);
  // A P-256 point that is not on the curve.
  EXPECT_EQ(code("3059301306072a8648ce3d020106082a8648ce3d030107034200"
                 "0401010101010101010101010101010101010101010101010101010101010101010202020202"
                 "02020202020202020202020202020202020202020202020202020202"),
            Errc::invalid_key);
  // The same SPKI header with a length that runs past the end.
  EXPECT_EQ(code("3059301306072a8648ce3d020106082a8648ce3d03010703420004"), Errc::invalid_key);
}

}  // namespace
}  // namespace keel::crypto
