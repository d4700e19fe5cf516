// TLS 1.2 AEAD record protection (RFC 5246 §6.2.3.3, RFC 5288 §3, RFC 7905 §2): the record's
// layout, nonce and additional data checked against the raw AEAD, and every way a record can
// be wrong.
#include "record/protection12.hpp"

#include <gtest/gtest.h>

#include "core/try.hpp"
#include "support/test_util.hpp"

namespace keel::record {
namespace {

using crypto::AeadAlg;

crypto::Provider& provider() {
  return crypto::default_provider();
}

struct Keys {
  Bytes key;
  Bytes iv;
};

Keys keys_for(AeadAlg alg) {
  Keys keys{Bytes(crypto::key_size(alg)), Bytes(Protection12::fixed_iv_size(alg))};
  for (std::size_t i = 0; i < keys.key.size(); ++i) {
    keys.key[i] = static_cast<std::uint8_t>(i + 1);
  }
  for (std::size_t i = 0; i < keys.iv.size(); ++i) {
    keys.iv[i] = static_cast<std::uint8_t>(0xA0 + i);
  }
  return keys;
}

Protection12 make(AeadAlg alg) {
  const Keys keys = keys_for(alg);
  return Protection12::make(provider(), alg, keys.key, keys.iv).value();
}

Bytes seal(Protection12& protection, ContentType type, const Bytes& content) {
  Bytes record(kHeaderSize + content.size() + protection.overhead());
  EXPECT_TRUE(protection.seal(type, content, record).ok());
  return record;
}

Result<Bytes> open(Protection12& protection, const Bytes& record) {
  const ByteView header = ByteView(record).first(kHeaderSize);
  const ByteView fragment = ByteView(record).subspan(kHeaderSize);
  Bytes out(fragment.size() >= protection.overhead() ? fragment.size() - protection.overhead() : 0);
  KEEL_TRY(protection.open(header, fragment, out));
  return out;
}

class Protection12Test : public testing::TestWithParam<AeadAlg> {};

TEST_P(Protection12Test, RecordsAreLaidOutAsTheRfcsSay) {
  const AeadAlg alg = GetParam();
  const Keys keys = keys_for(alg);
  auto sender = make(alg);
  const Bytes content = test::to_bytes(test::as_bytes("GET / HTTP/1.1\r\n\r\n"));
  seal(sender, ContentType::application_data, Bytes{1, 2, 3});                // sequence 0
  const Bytes record = seal(sender, ContentType::application_data, content);  // sequence 1

  // The header carries the real type and version 0x0303.
  const bool gcm = alg != AeadAlg::chacha20_poly1305;
  const std::size_t explicit_size = gcm ? 8 : 0;
  ASSERT_EQ(record.size(), kHeaderSize + explicit_size + content.size() + 16);
  EXPECT_EQ(record[0], 23);
  EXPECT_EQ(record[1], 3);
  EXPECT_EQ(record[2], 3);
  EXPECT_EQ((record[3] << 8U) | record[4], record.size() - kHeaderSize);

  // The nonce and additional data, built here from the RFCs, open the record with the raw AEAD.
  const Bytes sequence = {0, 0, 0, 0, 0, 0, 0, 1};
  Bytes nonce(12);
  if (gcm) {
    EXPECT_EQ(Bytes(record.begin() + 5, record.begin() + 13), sequence);  // nonce_explicit
    std::copy(keys.iv.begin(), keys.iv.end(), nonce.begin());
    std::copy(sequence.begin(), sequence.end(), nonce.begin() + 4);
  } else {
    for (std::size_t i = 0; i < 12; ++i) {
      nonce[i] = keys.iv[i] ^ (i < 4 ? 0 : sequence[i - 4]);
    }
  }
  Bytes aad = sequence;
  aad.insert(aad.end(), {23, 3, 3, 0, static_cast<std::uint8_t>(content.size())});
  auto aead = provider().aead(alg, keys.key);
  ASSERT_TRUE(aead.ok());
  Bytes body(record.begin() + 5 + static_cast<std::ptrdiff_t>(explicit_size), record.end() - 16);
  const Bytes tag(record.end() - 16, record.end());
  ASSERT_TRUE((*aead)->open(nonce, aad, body, tag).ok());
  EXPECT_EQ(body, content);
}

TEST_P(Protection12Test, RoundTripsEveryTypeAndSize) {
  auto sender = make(GetParam());
  auto receiver = make(GetParam());
  for (const std::size_t size :
       {std::size_t{0}, std::size_t{1}, std::size_t{1000}, kMaxPlaintext}) {
    for (const ContentType type :
         {ContentType::handshake, ContentType::alert, ContentType::application_data}) {
      Bytes content(size);
      for (std::size_t i = 0; i < size; ++i) {
        content[i] = static_cast<std::uint8_t>(i * 7);
      }
      const Bytes record = seal(sender, type, content);
      EXPECT_EQ(record[0], static_cast<std::uint8_t>(type));
      auto opened = open(receiver, record);
      ASSERT_TRUE(opened.ok()) << opened.error().message();
      EXPECT_EQ(*opened, content);
    }
  }
  EXPECT_EQ(sender.sequence(), 12U);
  EXPECT_EQ(receiver.sequence(), 12U);
}

TEST_P(Protection12Test, RejectsTamperingAnywhere) {
  auto sender = make(GetParam());
  const Bytes record = seal(sender, ContentType::application_data, Bytes(40, 0x5A));
  // Every byte of the record, header included (its type and version are authenticated;
  // its length is the plaintext's, also authenticated), changes the outcome.
  for (std::size_t i = 0; i < record.size(); ++i) {
    if (i == 3 || i == 4) {
      continue;  // a changed length no longer frames the record (the deframer's business)
    }
    Bytes changed = record;
    changed[i] ^= 0x01;
    auto receiver = make(GetParam());
    auto opened = open(receiver, changed);
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(opened.error().code(), Errc::bad_record_mac) << "byte " << i;
  }
}

TEST_P(Protection12Test, RejectsReplayedReorderedAndShortRecords) {
  auto sender = make(GetParam());
  auto receiver = make(GetParam());
  const Bytes first = seal(sender, ContentType::application_data, Bytes{1});
  const Bytes second = seal(sender, ContentType::application_data, Bytes{2});
  EXPECT_EQ(open(receiver, second).error().code(), Errc::bad_record_mac);  // out of order

  auto fresh = make(GetParam());
  ASSERT_TRUE(open(fresh, first).ok());
  EXPECT_EQ(open(fresh, first).error().code(), Errc::bad_record_mac);  // replayed

  auto other = make(GetParam());
  const Bytes too_short(kHeaderSize + other.overhead() - 1, 0);
  EXPECT_EQ(open(other, too_short).error().code(), Errc::bad_record_mac);
}

TEST_P(Protection12Test, RefusesOversizedContentWrongLayoutsAndWrongKeys) {
  auto sender = make(GetParam());
  Bytes big(kMaxPlaintext + 1);
  Bytes record(kHeaderSize + big.size() + sender.overhead());
  EXPECT_EQ(sender.seal(ContentType::application_data, big, record).error().code(),
            Errc::invalid_argument);
  Bytes small(kHeaderSize + 3);
  EXPECT_EQ(sender.seal(ContentType::application_data, Bytes{1}, small).error().code(),
            Errc::invalid_argument);
  const Keys keys = keys_for(GetParam());
  EXPECT_FALSE(Protection12::make(provider(), GetParam(), keys.key, Bytes(3)).ok());
  EXPECT_FALSE(Protection12::make(provider(), GetParam(), Bytes(5), keys.iv).ok());
}

TEST_P(Protection12Test, SequenceNumbersNeverWrap) {
  auto sender = make(GetParam());
  sender.set_sequence(~std::uint64_t{0});
  Bytes record(kHeaderSize + 1 + sender.overhead());
  EXPECT_EQ(sender.seal(ContentType::application_data, Bytes{1}, record).error().code(),
            Errc::limit_exceeded);
}

INSTANTIATE_TEST_SUITE_P(Aeads, Protection12Test,
                         testing::Values(AeadAlg::aes_128_gcm, AeadAlg::aes_256_gcm,
                                         AeadAlg::chacha20_poly1305),
                         [](const auto& param_info) {
                           switch (param_info.param) {
                             case AeadAlg::aes_128_gcm:
                               return "Aes128Gcm";
                             case AeadAlg::aes_256_gcm:
                               return "Aes256Gcm";
                             case AeadAlg::chacha20_poly1305:
                               return "ChaCha20Poly1305";
                           }
                           return "Unknown";
                         });

}  // namespace
}  // namespace keel::record
