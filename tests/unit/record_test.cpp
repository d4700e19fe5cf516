// The record layer: the deframer's limits and TLS 1.3 record protection's rules (RFC 8446
// §5). Byte-exact protection against RFC 8448 is in tests/vectors/rfc8448_test.cpp.
#include <gtest/gtest.h>

#include "record/deframer.hpp"
#include "record/protection13.hpp"
#include "support/test_util.hpp"

namespace keel::record {
namespace {

Bytes header(std::uint8_t type, std::size_t length) {
  return {type, 0x03, 0x03, static_cast<std::uint8_t>(length >> 8U),
          static_cast<std::uint8_t>(length)};
}

Bytes plaintext_record(ContentType type, const Bytes& content) {
  // Sized once and filled (GCC 12 at -O3 misreads an insert after a 5-byte vector as an
  // out-of-bounds copy).
  Bytes out(kHeaderSize + content.size());
  const Bytes head = header(static_cast<std::uint8_t>(type), content.size());
  std::copy(head.begin(), head.end(), out.begin());
  std::copy(content.begin(), content.end(), out.begin() + kHeaderSize);
  return out;
}

TEST(Deframer, AssemblesRecordsFedOneByteAtATime) {
  Bytes stream = plaintext_record(ContentType::handshake, Bytes(300, 0xAB));
  const Bytes second = plaintext_record(ContentType::alert, Bytes{1, 0});
  stream.insert(stream.end(), second.begin(), second.end());

  Deframer deframer;
  std::vector<std::pair<ContentType, Bytes>> records;
  for (const std::uint8_t byte : stream) {
    ASSERT_EQ(deframer.feed(Bytes{byte}), 1U);
    auto record = deframer.next();
    ASSERT_TRUE(record.ok());
    if (*record) {
      records.emplace_back((*record)->type, test::to_bytes((*record)->fragment));
    }
  }
  ASSERT_EQ(records.size(), 2U);
  EXPECT_EQ(records[0].first, ContentType::handshake);
  EXPECT_EQ(records[0].second, Bytes(300, 0xAB));
  EXPECT_EQ(records[1].first, ContentType::alert);
  EXPECT_FALSE(deframer.has_partial_record());
}

TEST(Deframer, TakesOnlyWhatFitsAndReportsPartialRecords) {
  Deframer deframer;
  const Bytes huge(3 * Deframer::kCapacity, 0);
  EXPECT_EQ(deframer.feed(huge), Deframer::kCapacity);
  EXPECT_EQ(deframer.feed(huge), 0U);  // full until a record is taken out

  Deframer partial;
  const Bytes record = plaintext_record(ContentType::handshake, Bytes(10, 1));
  ASSERT_EQ(partial.feed(ByteView(record).first(7)), 7U);
  auto none = partial.next();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(*none);
  EXPECT_TRUE(partial.has_partial_record());  // a stream ending here is truncated
}

TEST(Deframer, RejectsOversizedRecords) {
  Deframer deframer;
  ASSERT_EQ(deframer.feed(header(22, kMaxPlaintext + 1)), kHeaderSize);
  auto record = deframer.next();
  ASSERT_FALSE(record.ok());
  EXPECT_EQ(record.error().code(), Errc::record_overflow);
  EXPECT_EQ(alert_for(record.error()), Alert::record_overflow);

  // Protected TLS 1.3 records may be 256 bytes longer (§5.2), and no more.
  Deframer protected_records;
  protected_records.set_max_fragment(kMaxCiphertext13);
  ASSERT_EQ(protected_records.feed(header(23, kMaxCiphertext13 + 1)), kHeaderSize);
  EXPECT_EQ(protected_records.next().error().code(), Errc::record_overflow);
}

TEST(Deframer, RejectsUnknownContentTypes) {
  for (const int type : {0, 19, 24, 255}) {
    Deframer deframer;
    ASSERT_EQ(deframer.feed(header(static_cast<std::uint8_t>(type), 1)), kHeaderSize);
    auto record = deframer.next();
    ASSERT_FALSE(record.ok()) << type;
    EXPECT_EQ(alert_for(record.error()), Alert::unexpected_message);
  }
}

TEST(Deframer, ReleasesItsBufferWhenIdle) {
  Deframer deframer;
  const Bytes record = plaintext_record(ContentType::application_data, Bytes{7});
  ASSERT_EQ(deframer.feed(record), record.size());
  ASSERT_TRUE(deframer.next().ok());
  deframer.release_if_idle();
  EXPECT_FALSE(deframer.has_partial_record());
  ASSERT_EQ(deframer.feed(record), record.size());  // and allocates it again on demand
  auto again = deframer.next();
  ASSERT_TRUE(again.ok() && *again);
  EXPECT_EQ(test::to_bytes((*again)->fragment), Bytes{7});
}

class Protection : public ::testing::Test {
 protected:
  static Protection13 make() {
    const auto suite = *handshake::tls13_suite(CipherSuite::TLS_CHACHA20_POLY1305_SHA256);
    auto protection = Protection13::from_secret(crypto::default_provider(), suite, Bytes(32, 7));
    EXPECT_TRUE(protection.ok());
    return std::move(protection).value();
  }

  static Bytes seal(Protection13& sealer, ContentType type, const Bytes& content,
                    std::size_t padding = 0) {
    Bytes record(kHeaderSize + content.size() + Protection13::kOverhead + padding);
    std::copy(content.begin(), content.end(), record.begin() + kHeaderSize);
    EXPECT_TRUE(sealer.seal(type, record, content.size(), padding).ok());
    return record;
  }

  static Result<OpenedRecord> open(Protection13& opener, Bytes& record) {
    return opener.open(ByteView(record).first(kHeaderSize),
                       MutableByteView(record).subspan(kHeaderSize));
  }
};

TEST_F(Protection, RoundTripsAndRemovesPadding) {
  Protection13 sealer = make();
  Protection13 opener = make();
  for (const std::size_t padding : {0U, 1U, 100U}) {
    Bytes record = seal(sealer, ContentType::handshake, Bytes{1, 2, 3}, padding);
    EXPECT_EQ(record[0], 23);  // the outer type is always application_data
    auto opened = open(opener, record);
    ASSERT_TRUE(opened.ok()) << opened.error().message();
    EXPECT_EQ(opened->type, ContentType::handshake);
    EXPECT_EQ(test::to_bytes(opened->content), (Bytes{1, 2, 3}));
  }
  EXPECT_EQ(sealer.sequence(), 3U);
  EXPECT_EQ(opener.sequence(), 3U);
}

TEST_F(Protection, RejectsTamperingAnywhere) {
  Protection13 sealer = make();
  const Bytes record = seal(sealer, ContentType::application_data, Bytes(50, 9));
  for (std::size_t i = 0; i < record.size(); ++i) {
    Protection13 opener = make();
    Bytes tampered = record;
    tampered[i] ^= 0x01;
    auto opened = open(opener, tampered);
    ASSERT_FALSE(opened.ok()) << "byte " << i;
    EXPECT_EQ(alert_for(opened.error()), Alert::bad_record_mac) << "byte " << i;
  }
}

TEST_F(Protection, RejectsReplayedAndReorderedRecords) {
  Protection13 sealer = make();
  const Bytes first = seal(sealer, ContentType::application_data, Bytes{1});
  const Bytes second = seal(sealer, ContentType::application_data, Bytes{2});
  Protection13 opener = make();
  Bytes copy = second;
  EXPECT_EQ(open(opener, copy).error().code(), Errc::bad_record_mac);  // out of order
}

TEST_F(Protection, RejectsAllZeroPlaintextAndShortRecords) {
  Protection13 sealer = make();
  // A record whose inner plaintext is all zeros: "type" 0 and padding.
  Bytes zeros = seal(sealer, ContentType::invalid, Bytes{}, 5);
  Protection13 opener = make();
  auto opened = open(opener, zeros);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(alert_for(opened.error()), Alert::unexpected_message);

  Bytes short_record =
      plaintext_record(ContentType::application_data, Bytes(crypto::kAeadTagSize, 0));
  EXPECT_EQ(open(opener, short_record).error().code(), Errc::bad_record_mac);
}

TEST_F(Protection, RefusesOversizedContentAndWrongLayouts) {
  Protection13 sealer = make();
  Bytes too_big(kHeaderSize + kMaxPlaintext + 1 + Protection13::kOverhead);
  EXPECT_FALSE(sealer.seal(ContentType::application_data, too_big, kMaxPlaintext + 1).ok());
  Bytes wrong(kHeaderSize + 10);
  EXPECT_FALSE(sealer.seal(ContentType::application_data, wrong, 10).ok());
  EXPECT_EQ(sealer.sequence(), 0U);  // nothing was sealed
}

TEST_F(Protection, SequenceNumbersNeverWrap) {
  Protection13 sealer = make();
  sealer.set_sequence(std::numeric_limits<std::uint64_t>::max() - 1);
  Bytes last(kHeaderSize + 1 + Protection13::kOverhead);
  EXPECT_TRUE(sealer.seal(ContentType::application_data, last, 1).ok());
  auto wrapped = sealer.seal(ContentType::application_data, last, 1);
  ASSERT_FALSE(wrapped.ok());
  EXPECT_EQ(wrapped.error().code(), Errc::limit_exceeded);
}

}  // namespace
}  // namespace keel::record
