#include <array>

#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "support/test_util.hpp"

namespace keel::crypto {
namespace {

Provider& provider() {
  return default_provider();
}

const Bytes kNonce(kAeadNonceSize, 0x07);
const Bytes kAad = {0x17, 0x03, 0x03, 0x00, 0x20};
const Bytes kPlaintext = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};

class AeadTest : public testing::TestWithParam<AeadAlg> {
 protected:
  static std::unique_ptr<Aead> make() {
    const Bytes key(key_size(GetParam()), 0x42);
    auto aead = provider().aead(GetParam(), key);
    EXPECT_TRUE(aead.ok());
    return std::move(aead).value();
  }
};

TEST_P(AeadTest, SealThenOpenInPlace) {
  auto aead = make();
  Bytes buffer = kPlaintext;
  Bytes tag(kAeadTagSize);
  ASSERT_TRUE(aead->seal(kNonce, kAad, buffer, tag).ok());
  EXPECT_NE(buffer, kPlaintext);
  ASSERT_TRUE(aead->open(kNonce, kAad, buffer, tag).ok());
  EXPECT_EQ(buffer, kPlaintext);
}

TEST_P(AeadTest, SealsPartsIntoAnotherBufferAsInPlace) {
  // The record layer seals the caller's content and the content-type byte as two parts
  // straight into the record: the bytes must be those of sealing the joined input in place.
  auto in_place = make();
  Bytes joined = kPlaintext;
  joined.push_back(0x17);
  Bytes in_place_tag(kAeadTagSize);
  ASSERT_TRUE(in_place->seal(kNonce, kAad, joined, in_place_tag).ok());

  auto from_parts = make();
  const Bytes trailer = {0x17};
  const std::array<ByteView, 2> parts = {ByteView(kPlaintext), ByteView(trailer)};
  Bytes out(kPlaintext.size() + 1);
  Bytes tag(kAeadTagSize);
  ASSERT_TRUE(from_parts->seal(kNonce, kAad, parts, out, tag).ok());
  EXPECT_EQ(out, joined);
  EXPECT_EQ(tag, in_place_tag);

  Bytes opened(out.size());
  ASSERT_TRUE(from_parts->open(kNonce, kAad, ByteView(out), opened, tag).ok());
  EXPECT_EQ(test::to_bytes(ByteView(opened).first(kPlaintext.size())), kPlaintext);
  Bytes too_small(out.size() - 1);
  EXPECT_FALSE(from_parts->open(kNonce, kAad, ByteView(out), too_small, tag).ok());
  const std::array<ByteView, 1> too_long = {ByteView(joined)};
  Bytes short_out(kPlaintext.size());
  EXPECT_FALSE(from_parts->seal(kNonce, kAad, too_long, short_out, tag).ok());
}

TEST_P(AeadTest, EmptyPlaintext) {
  auto aead = make();
  Bytes buffer;
  Bytes tag(kAeadTagSize);
  ASSERT_TRUE(aead->seal(kNonce, kAad, buffer, tag).ok());
  EXPECT_TRUE(aead->open(kNonce, kAad, buffer, tag).ok());
}

TEST_P(AeadTest, AnyChangeIsBadRecordMac) {
  auto aead = make();
  Bytes sealed = kPlaintext;
  Bytes tag(kAeadTagSize);
  ASSERT_TRUE(aead->seal(kNonce, kAad, sealed, tag).ok());

  Bytes flipped_ct = sealed;
  flipped_ct[3] ^= 0x01;
  EXPECT_EQ(aead->open(kNonce, kAad, flipped_ct, tag).error().code(), Errc::bad_record_mac);

  Bytes flipped_tag = tag;
  flipped_tag[15] ^= 0x80;
  Bytes copy = sealed;
  EXPECT_EQ(aead->open(kNonce, kAad, copy, flipped_tag).error().code(), Errc::bad_record_mac);

  Bytes other_aad = kAad;
  other_aad[4] = 0x21;
  copy = sealed;
  EXPECT_EQ(aead->open(kNonce, other_aad, copy, tag).error().code(), Errc::bad_record_mac);

  Bytes other_nonce = kNonce;
  other_nonce[11] ^= 1;
  copy = sealed;
  EXPECT_EQ(aead->open(other_nonce, kAad, copy, tag).error().code(), Errc::bad_record_mac);

  // And the context still works for the genuine record afterwards.
  copy = sealed;
  EXPECT_TRUE(aead->open(kNonce, kAad, copy, tag).ok());
}

TEST_P(AeadTest, ReusedContextMatchesFreshContexts) {
  // The context is keyed once and only the nonce changes per record: the results must be
  // the same as with a new context per record.
  auto reused = make();
  for (std::uint8_t seq = 0; seq < 5; ++seq) {
    Bytes nonce = kNonce;
    nonce[11] = seq;
    Bytes a = kPlaintext;
    Bytes b = kPlaintext;
    Bytes tag_a(kAeadTagSize);
    Bytes tag_b(kAeadTagSize);
    ASSERT_TRUE(reused->seal(nonce, kAad, a, tag_a).ok());
    ASSERT_TRUE(make()->seal(nonce, kAad, b, tag_b).ok());
    EXPECT_EQ(a, b);
    EXPECT_EQ(tag_a, tag_b);
  }
}

TEST_P(AeadTest, RejectsWrongSizes) {
  auto aead = make();
  Bytes buffer = kPlaintext;
  Bytes tag(kAeadTagSize);
  EXPECT_EQ(aead->seal(Bytes(8), kAad, buffer, tag).error().code(), Errc::invalid_argument);
  Bytes short_tag(8);
  EXPECT_EQ(aead->seal(kNonce, kAad, buffer, short_tag).error().code(), Errc::invalid_argument);
  EXPECT_EQ(aead->open(kNonce, kAad, buffer, short_tag).error().code(), Errc::invalid_argument);
  EXPECT_EQ(provider().aead(GetParam(), Bytes(7)).error().code(), Errc::invalid_argument);
}

INSTANTIATE_TEST_SUITE_P(AllTlsAeads, AeadTest,
                         testing::Values(AeadAlg::aes_128_gcm, AeadAlg::aes_256_gcm,
                                         AeadAlg::chacha20_poly1305),
                         [](const auto& param_info) {
                           std::string name(to_string(param_info.param));
                           std::erase(name, '-');
                           return name;
                         });

}  // namespace
}  // namespace keel::crypto
