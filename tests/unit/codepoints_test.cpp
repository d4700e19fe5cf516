#include <gtest/gtest.h>

#include <keel/codepoints.hpp>

namespace keel {
namespace {

TEST(Codepoints, NamesAndValuesComeFromOneTable) {
  EXPECT_EQ(static_cast<std::uint16_t>(CipherSuite::TLS_AES_128_GCM_SHA256), 0x1301);
  EXPECT_EQ(static_cast<std::uint16_t>(NamedGroup::x25519), 0x001D);
  EXPECT_EQ(static_cast<std::uint16_t>(SignatureScheme::rsa_pss_rsae_sha256), 0x0804);
  EXPECT_EQ(to_string(CipherSuite::TLS_CHACHA20_POLY1305_SHA256), "TLS_CHACHA20_POLY1305_SHA256");
  EXPECT_EQ(to_string(NamedGroup::secp384r1), "secp384r1");
  EXPECT_EQ(to_string(SignatureScheme::ed25519), "ed25519");
}

TEST(Codepoints, UnknownValuesSurviveAndPrintTheirValue) {
  const auto grease = static_cast<NamedGroup>(0x0A0A);
  EXPECT_EQ(static_cast<std::uint16_t>(grease), 0x0A0A);
  EXPECT_EQ(to_string(grease), "unknown(0x0a0a)");
}

TEST(Codepoints, ParsesIanaNamesExactly) {
  EXPECT_EQ(named_group_from_name("x25519"), NamedGroup::x25519);
  EXPECT_EQ(cipher_suite_from_name("TLS_AES_256_GCM_SHA384"), CipherSuite::TLS_AES_256_GCM_SHA384);
  EXPECT_EQ(signature_scheme_from_name("ecdsa_secp256r1_sha256"),
            SignatureScheme::ecdsa_secp256r1_sha256);
  EXPECT_FALSE(named_group_from_name("X25519").has_value());
  EXPECT_FALSE(cipher_suite_from_name("").has_value());
}

}  // namespace
}  // namespace keel
