#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "support/test_util.hpp"

namespace keel::crypto {
namespace {

using test::hex;

Provider& provider() {
  return default_provider();
}

TEST(KeyShare, Rfc8448X25519) {
  // RFC 8448 §3: the client's and server's ephemeral X25519 keys and their shared secret.
  auto client = provider().key_share_from_private(
      NamedGroup::x25519, hex("49af42ba7f7994852d713ef2784bcbcaa7911de26adc5642cb634540e7ea5005"));
  ASSERT_TRUE(client.ok());
  EXPECT_EQ(test::to_bytes((*client)->public_key()),
            hex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c"));
  auto shared =
      (*client)->agree(hex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f"));
  ASSERT_TRUE(shared.ok());
  EXPECT_EQ(test::to_bytes(shared->view()),
            hex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d"));
}

class KeyShareTest : public testing::TestWithParam<NamedGroup> {};

TEST_P(KeyShareTest, BothSidesAgree) {
  auto a = provider().generate_key_share(GetParam(), provider().rng());
  auto b = provider().generate_key_share(GetParam(), provider().rng());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ((*a)->group(), GetParam());
  auto ab = (*a)->agree((*b)->public_key());
  auto ba = (*b)->agree((*a)->public_key());
  ASSERT_TRUE(ab.ok() && ba.ok());
  EXPECT_TRUE(*ab == *ba);
  EXPECT_FALSE((*a)->public_key().empty());
}

TEST_P(KeyShareTest, PrivateKeyComesFromTheInjectedRng) {
  // The same scripted randomness gives the same key pair; the Rng is the only source.
  const Bytes script(64, 0x5a);
  test::ScriptedRng rng1(script);
  test::ScriptedRng rng2(script);
  auto a = provider().generate_key_share(GetParam(), rng1);
  auto b = provider().generate_key_share(GetParam(), rng2);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_TRUE(std::equal((*a)->public_key().begin(), (*a)->public_key().end(),
                         (*b)->public_key().begin(), (*b)->public_key().end()));
  EXPECT_GT(rng1.used(), 0U);
}

TEST_P(KeyShareTest, FailingRngIsAnError) {
  test::ScriptedRng empty{Bytes{}};
  EXPECT_FALSE(provider().generate_key_share(GetParam(), empty).ok());
}

TEST_P(KeyShareTest, RejectsWrongLengths) {
  auto a = provider().generate_key_share(GetParam(), provider().rng());
  ASSERT_TRUE(a.ok());
  const ByteView pub = (*a)->public_key();
  EXPECT_EQ((*a)->agree(Bytes{}).error().code(), Errc::invalid_key_share);
  EXPECT_EQ((*a)->agree(pub.first(pub.size() - 1)).error().code(), Errc::invalid_key_share);
  Bytes longer(pub.begin(), pub.end());
  longer.push_back(0);
  EXPECT_EQ((*a)->agree(longer).error().code(), Errc::invalid_key_share);
}

INSTANTIATE_TEST_SUITE_P(TlsGroups, KeyShareTest,
                         testing::Values(NamedGroup::x25519, NamedGroup::secp256r1,
                                         NamedGroup::secp384r1),
                         [](const auto& param_info) { return to_string(param_info.param); });

TEST(KeyShare, X25519RejectsAllZeroSharedSecret) {
  auto a = provider().generate_key_share(NamedGroup::x25519, provider().rng());
  ASSERT_TRUE(a.ok());
  // u = 0 and u = 1 are small-order points: the shared secret is all zero (RFC 7748 §6.1).
  EXPECT_EQ((*a)->agree(Bytes(32, 0)).error().code(), Errc::invalid_key_share);
  Bytes one(32, 0);
  one[0] = 1;
  EXPECT_EQ((*a)->agree(one).error().code(), Errc::invalid_key_share);
}

TEST(KeyShare, NistRejectsCompressedInfinityAndOffCurvePoints) {
  auto a = provider().generate_key_share(NamedGroup::secp256r1, provider().rng());
  ASSERT_TRUE(a.ok());
  Bytes point((*a)->public_key().begin(), (*a)->public_key().end());
  ASSERT_EQ(point.size(), 65U);
  ASSERT_EQ(point[0], 0x04);

  Bytes compressed(point.begin(), point.begin() + 33);
  compressed[0] = static_cast<std::uint8_t>(0x02 | (point[64] & 1));
  EXPECT_EQ((*a)->agree(compressed).error().code(), Errc::invalid_key_share);

  Bytes hybrid = point;
  hybrid[0] = 0x06;
  EXPECT_EQ((*a)->agree(hybrid).error().code(), Errc::invalid_key_share);

  EXPECT_EQ((*a)->agree(Bytes{0x00}).error().code(), Errc::invalid_key_share);

  Bytes off_curve = point;
  off_curve[64] ^= 0x01;
  EXPECT_EQ((*a)->agree(off_curve).error().code(), Errc::invalid_key_share);
}

TEST(KeyShare, RejectsOutOfRangePrivateScalars) {
  EXPECT_EQ(provider().key_share_from_private(NamedGroup::secp256r1, Bytes(32, 0)).error().code(),
            Errc::invalid_argument);
  EXPECT_EQ(
      provider().key_share_from_private(NamedGroup::secp256r1, Bytes(32, 0xff)).error().code(),
      Errc::invalid_argument);
  EXPECT_EQ(provider().key_share_from_private(NamedGroup::x25519, Bytes(31, 1)).error().code(),
            Errc::invalid_argument);
}

TEST(KeyShare, UnsupportedGroups) {
  EXPECT_EQ(provider().generate_key_share(NamedGroup::x448, provider().rng()).error().code(),
            Errc::unsupported_algorithm);
  EXPECT_EQ(provider()
                .generate_key_share(static_cast<NamedGroup>(0x0a0a), provider().rng())
                .error()
                .code(),
            Errc::unsupported_algorithm);
}

}  // namespace
}  // namespace keel::crypto
