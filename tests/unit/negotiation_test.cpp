// What a handshake chooses from the two sides' offers (handshake/negotiation.hpp).
#include "handshake/negotiation.hpp"

#include <gtest/gtest.h>

namespace keel::handshake {
namespace {

using crypto::KeyType;

TEST(Negotiation, ServerPreferenceWinsAndGreaseIsIgnored) {
  const std::vector offered = {static_cast<CipherSuite>(0x0A0A),
                               CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
                               CipherSuite::TLS_AES_128_GCM_SHA256};
  const std::vector preference = {CipherSuite::TLS_AES_128_GCM_SHA256,
                                  CipherSuite::TLS_CHACHA20_POLY1305_SHA256};
  EXPECT_EQ(*choose_suite(offered, preference), CipherSuite::TLS_AES_128_GCM_SHA256);
  const std::vector only_256 = {CipherSuite::TLS_AES_256_GCM_SHA384};
  auto none = choose_suite(offered, only_256);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(alert_for(none.error()), Alert::handshake_failure);
}

TEST(Negotiation, GroupFromASentShareOrAHelloRetryRequest) {
  const std::vector preference = {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1};
  const std::vector supported = {NamedGroup::secp384r1, NamedGroup::secp256r1};
  const std::vector<msg::KeyShareEntry> shares = {{NamedGroup::secp384r1, Bytes{4}}};
  auto choice = choose_group(supported, shares, preference);
  ASSERT_TRUE(choice.ok());
  EXPECT_EQ(choice->group, NamedGroup::secp384r1);  // a share beats preference: no round trip
  EXPECT_EQ(choice->share, 0U);

  auto retry = choose_group(supported, {}, preference);
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(retry->group, NamedGroup::secp256r1);
  EXPECT_FALSE(retry->share);

  const std::vector unknown = {NamedGroup::x448, static_cast<NamedGroup>(0x2A2A)};
  EXPECT_EQ(choose_group(unknown, {}, preference).error().code(), Errc::handshake_failure);
}

TEST(Negotiation, KeySharesMustMatchSupportedGroups) {
  const std::vector preference = {NamedGroup::x25519};
  const std::vector supported = {NamedGroup::x25519};
  const std::vector<msg::KeyShareEntry> stray = {{NamedGroup::secp256r1, Bytes{4}}};
  EXPECT_EQ(choose_group(supported, stray, preference).error().code(), Errc::illegal_parameter);
  const std::vector<msg::KeyShareEntry> twice = {{NamedGroup::x25519, Bytes{1}},
                                                 {NamedGroup::x25519, Bytes{2}}};
  EXPECT_EQ(choose_group(supported, twice, preference).error().code(), Errc::illegal_parameter);
}

TEST(Negotiation, SignatureSchemesFitTheKey) {
  const std::vector offered = {SignatureScheme::rsa_pkcs1_sha256,
                               SignatureScheme::rsa_pss_rsae_sha384,
                               SignatureScheme::ecdsa_secp256r1_sha256};
  EXPECT_EQ(*choose_signature_scheme(offered, KeyType::ec_p256),
            SignatureScheme::ecdsa_secp256r1_sha256);
  // RSA in TLS 1.3 signs with PSS only (§4.2.3), never PKCS#1 v1.5.
  EXPECT_EQ(*choose_signature_scheme(offered, KeyType::rsa), SignatureScheme::rsa_pss_rsae_sha384);
  EXPECT_FALSE(choose_signature_scheme(offered, KeyType::ec_p384).ok());
  EXPECT_FALSE(choose_signature_scheme(offered, KeyType::rsa_pss).ok());  // no rsa_pss_pss_*
  const std::vector pkcs1_only = {SignatureScheme::rsa_pkcs1_sha256};
  EXPECT_FALSE(choose_signature_scheme(pkcs1_only, KeyType::rsa).ok());
  EXPECT_FALSE(scheme_info(SignatureScheme::rsa_pkcs1_sha1));
  EXPECT_FALSE(scheme_info(SignatureScheme::ed448));
}

TEST(Negotiation, Tls12SignaturesAndSuites) {
  // TLS 1.2's list is TLS 1.3's and then PKCS#1 v1.5 (never SHA-1).
  const auto tls13 = tls13_signature_schemes();
  const auto tls12 = tls12_signature_schemes();
  ASSERT_EQ(tls12.size(), tls13.size() + 3);
  EXPECT_TRUE(std::equal(tls13.begin(), tls13.end(), tls12.begin()));
  EXPECT_EQ(tls12.back(), SignatureScheme::rsa_pkcs1_sha512);
  const std::vector pkcs1_only = {SignatureScheme::rsa_pkcs1_sha256};
  EXPECT_EQ(*choose_signature_scheme(pkcs1_only, KeyType::rsa, tls12),
            SignatureScheme::rsa_pkcs1_sha256);
  // An ECDSA scheme names the hash, not the curve, in TLS 1.2.
  const auto p256_sha256 = *scheme_info(SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_TRUE(scheme_fits_key12(p256_sha256, KeyType::ec_p384));
  EXPECT_FALSE(scheme_fits_key12(p256_sha256, KeyType::rsa));
  EXPECT_FALSE(
      scheme_fits_key12(*scheme_info(SignatureScheme::rsa_pkcs1_sha256), KeyType::ec_p256));
  EXPECT_TRUE(key_fits_suite12(KeyType::ed25519, Auth12::ecdsa));
  EXPECT_FALSE(key_fits_suite12(KeyType::rsa, Auth12::ecdsa));
  EXPECT_TRUE(key_fits_suite12(KeyType::rsa_pss, Auth12::rsa));
  EXPECT_FALSE(key_fits_suite12(KeyType::ec_p256, Auth12::rsa));
}

TEST(Negotiation, DowngradeSentinels) {
  msg::Random random{};
  EXPECT_FALSE(has_downgrade_sentinel(random));
  std::copy(kDowngradeTls12.begin(), kDowngradeTls12.end(), random.end() - 8);
  EXPECT_TRUE(has_downgrade_sentinel(random));
  std::copy(kDowngradeTls11.begin(), kDowngradeTls11.end(), random.end() - 8);
  EXPECT_TRUE(has_downgrade_sentinel(random));
  random[31] = 0x02;
  EXPECT_FALSE(has_downgrade_sentinel(random));
}

}  // namespace
}  // namespace keel::handshake
