// The record layer: the deframer's limits and TLS 1.3 record protection's rules (RFC 8446
// §5). Byte-exact protection against RFC 8448 is in tests/vectors/rfc8448_test.cpp.
#include <gtest/gtest.h>

#include "core/byte_buffer.hpp"
#include "record/deframer.hpp"
#include "record/protection12.hpp"
#include "record/protection13.hpp"
#include "record/record_layer.hpp"
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

TEST(Deframer, TakesOneRecordAtATimeAndReportsPartialRecords) {
  Deframer deframer;
  Bytes two = plaintext_record(ContentType::handshake, Bytes(100, 1));
  const Bytes second = plaintext_record(ContentType::handshake, Bytes(50, 2));
  two.insert(two.end(), second.begin(), second.end());
  EXPECT_EQ(deframer.feed(two), kHeaderSize + 100);  // the first record and nothing more
  EXPECT_EQ(deframer.feed(ByteView(two).subspan(kHeaderSize + 100)), 0U);  // until it is taken
  auto first = deframer.next();
  ASSERT_TRUE(first.ok() && *first);
  EXPECT_EQ(test::to_bytes((*first)->fragment), Bytes(100, 1));
  EXPECT_EQ(deframer.feed(ByteView(two).subspan(kHeaderSize + 100)), kHeaderSize + 50);

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
  Deframer holding;
  const Bytes partial = plaintext_record(ContentType::application_data, Bytes(10, 7));
  ASSERT_EQ(holding.feed(ByteView(partial).first(8)), 8U);
  holding.release_if_idle();  // a partial record is kept
  ASSERT_EQ(holding.feed(ByteView(partial).subspan(8)), partial.size() - 8);
  auto whole = holding.next();
  ASSERT_TRUE(whole.ok() && *whole);
  EXPECT_EQ(test::to_bytes((*whole)->fragment), Bytes(10, 7));

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

// Two record layers wired back to back, as a client and a server would be.
class Layers : public ::testing::Test {
 protected:
  static Protection13 protection(std::uint8_t secret_byte) {
    const auto suite = *handshake::tls13_suite(CipherSuite::TLS_AES_256_GCM_SHA384);
    auto p = Protection13::from_secret(crypto::default_provider(), suite, Bytes(48, secret_byte));
    EXPECT_TRUE(p.ok());
    return std::move(p).value();
  }

  void protect_both() {
    sender_.set_write_protection(protection(1));
    receiver_.set_read_protection(protection(1));
  }

  /// Moves the sender's output to the receiver `chunk` bytes at a time and collects what
  /// comes out, or the first error.
  Result<std::vector<std::pair<ContentType, Bytes>>> transfer(std::size_t chunk = 1U << 20U) {
    std::vector<std::pair<ContentType, Bytes>> out;
    ByteView wire = sender_.pending_output();
    while (!wire.empty()) {
      ByteView piece = wire.first(std::min(chunk, wire.size()));
      wire = wire.subspan(piece.size());
      while (true) {
        auto next = receiver_.next(piece, plaintext_);
        if (!next.ok()) {
          return std::move(next).error();
        }
        if (!*next) {
          EXPECT_TRUE(piece.empty());  // the layer takes all it is given
          break;
        }
        out.emplace_back((*next)->type, test::to_bytes((*next)->content));
        plaintext_.release();
      }
    }
    sender_.consume_output(sender_.pending_output().size());
    return out;
  }

  RecordLayer& sender() { return sender_; }
  RecordLayer& receiver() { return receiver_; }
  ByteBuffer& plaintext() { return plaintext_; }

 private:
  RecordLayer sender_;
  RecordLayer receiver_;
  ByteBuffer plaintext_;
};

TEST_F(Layers, CarriesPlaintextThenProtectedContent) {
  ASSERT_TRUE(sender().write(ContentType::handshake, Bytes{1, 0, 0, 1, 9}).ok());
  auto plain = transfer(1);  // one byte at a time
  ASSERT_TRUE(plain.ok()) << plain.error().message();
  ASSERT_EQ(plain->size(), 1U);
  EXPECT_EQ((*plain)[0].first, ContentType::handshake);

  protect_both();
  Bytes data(100'000);
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<std::uint8_t>(i * 7);
  }
  ASSERT_TRUE(sender().write(ContentType::application_data, data).ok());
  auto received = transfer(4096);
  ASSERT_TRUE(received.ok()) << received.error().message();
  ASSERT_EQ(received->size(), 7U);  // 6 full records of 2^14 and the rest
  Bytes joined;
  for (const auto& [type, content] : *received) {
    EXPECT_EQ(type, ContentType::application_data);
    EXPECT_LE(content.size(), kMaxPlaintext);
    joined.insert(joined.end(), content.begin(), content.end());
  }
  EXPECT_EQ(joined, data);
  EXPECT_TRUE(sender().pending_output().empty());
}

TEST_F(Layers, SplitsAtTheRecordSizeLimit) {
  sender().set_max_fragment(100);
  ASSERT_TRUE(sender().write(ContentType::handshake, Bytes(250, 1)).ok());
  auto received = transfer();
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 3U);
  EXPECT_EQ((*received)[2].second.size(), 50U);
  EXPECT_TRUE(sender().write(ContentType::application_data, Bytes{}).ok());
  EXPECT_TRUE(sender().pending_output().empty());  // nothing to send for nothing
}

TEST_F(Layers, DropsChangeCipherSpecOnlyDuringTheHandshake) {
  receiver().allow_change_cipher_spec(true);
  ASSERT_TRUE(sender().write(ContentType::change_cipher_spec, Bytes{1}).ok());
  ASSERT_TRUE(sender().write(ContentType::handshake, Bytes{2, 0, 0, 0}).ok());
  auto received = transfer();
  ASSERT_TRUE(received.ok());
  ASSERT_EQ(received->size(), 1U);  // the CCS vanished
  EXPECT_EQ((*received)[0].first, ContentType::handshake);

  ASSERT_TRUE(sender().write(ContentType::change_cipher_spec, Bytes{2}).ok());
  EXPECT_EQ(transfer().error().code(), Errc::unexpected_message);  // not 0x01
}

TEST_F(Layers, RefusesChangeCipherSpecAfterTheHandshake) {
  ASSERT_TRUE(sender().write(ContentType::change_cipher_spec, Bytes{1}).ok());
  auto received = transfer();
  ASSERT_FALSE(received.ok());
  EXPECT_EQ(alert_for(received.error()), Alert::unexpected_message);
}

TEST_F(Layers, RefusesPlaintextWhereProtectionIsExpected) {
  receiver().set_read_protection(protection(1));
  ASSERT_TRUE(sender().write(ContentType::handshake, Bytes{2, 0, 0, 0}).ok());
  EXPECT_EQ(transfer().error().code(), Errc::unexpected_message);
}

TEST_F(Layers, RefusesApplicationDataBeforeTheKeys) {
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes{1}).ok());
  EXPECT_EQ(transfer().error().code(), Errc::unexpected_message);
}

// RFC 8446 §4.2.10: a server that rejects 0-RTT skips records it cannot open, within a budget,
// and reads on from the first that opens with its key.
TEST_F(Layers, SkipsRejectedEarlyDataWithinItsBudget) {
  sender().set_write_protection(protection(7));  // the client's early key
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes(1000, 1)).ok());
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes(1000, 2)).ok());
  sender().set_write_protection(protection(1));  // its handshake key
  ASSERT_TRUE(sender().write(ContentType::handshake, Bytes{20, 0, 0, 1, 9}).ok());
  receiver().set_read_protection(protection(1));
  receiver().skip_early_data(2100);
  auto received = transfer(300);
  ASSERT_TRUE(received.ok()) << received.error().message();
  ASSERT_EQ(received->size(), 1U);
  EXPECT_EQ((*received)[0].first, ContentType::handshake);
  // Skipping ended with the record that opened: a bad one now is bad_record_mac.
  sender().set_write_protection(protection(9));
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes(10, 3)).ok());
  EXPECT_EQ(transfer().error().code(), Errc::bad_record_mac);
}

TEST_F(Layers, RejectedEarlyDataPastTheBudgetIsBadRecordMac) {
  sender().set_write_protection(protection(7));
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes(3000, 1)).ok());
  receiver().set_read_protection(protection(1));
  receiver().skip_early_data(2000);
  EXPECT_EQ(transfer().error().code(), Errc::bad_record_mac);
}

TEST_F(Layers, SkipsEarlyDataInPlaintextUntilTheNextHandshakeRecord) {
  // After a HelloRetryRequest the server has no key: application_data records are skipped.
  sender().set_write_protection(protection(7));
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes(500, 1)).ok());
  Bytes wire = test::to_bytes(sender().pending_output());
  sender().consume_output(wire.size());
  RecordLayer plain;
  ASSERT_TRUE(plain.write(ContentType::handshake, Bytes{1, 0, 0, 1, 9}).ok());
  const ByteView second_hello = plain.pending_output();
  wire.insert(wire.end(), second_hello.begin(), second_hello.end());
  receiver().skip_early_data(1000);
  ByteView input = wire;
  auto next = receiver().next(input, plaintext());
  ASSERT_TRUE(next.ok()) << next.error().message();
  ASSERT_TRUE(next->has_value());
  EXPECT_EQ((*next)->type, ContentType::handshake);
  // Skipping ended: application data in plaintext is refused again.
  Bytes more = wire;
  more.resize(wire.size() - second_hello.size());
  ByteView again = more;
  EXPECT_EQ(receiver().next(again, plaintext()).error().code(), Errc::unexpected_message);
}

TEST_F(Layers, RefusesTamperedRecords) {
  protect_both();
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes(64, 3)).ok());
  Bytes wire = test::to_bytes(sender().pending_output());
  wire[wire.size() / 2] ^= 0x80;
  ByteView input = wire;
  auto next = receiver().next(input, plaintext());
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(alert_for(next.error()), Alert::bad_record_mac);
}

// TLS 1.2's rules (RFC 5246 §6.2, §7.1): change_cipher_spec is delivered, protected records
// keep their real type, and nothing unprotected is read after the key change.
class Layers12 : public Layers {
 protected:
  static Protection12 protection12() {
    auto p = Protection12::make(crypto::default_provider(), crypto::AeadAlg::aes_128_gcm,
                                Bytes(16, 7), Bytes(4, 9));
    EXPECT_TRUE(p.ok());
    return std::move(p).value();
  }
  void SetUp() override {
    sender().use_tls12();
    receiver().use_tls12();
  }
  void protect12() {
    sender().set_write_protection(protection12());
    receiver().set_read_protection(protection12());
  }
};

TEST_F(Layers12, DeliversChangeCipherSpecThenReadsProtectedTypes) {
  ASSERT_TRUE(sender().write(ContentType::change_cipher_spec, Bytes{1}).ok());
  auto ccs = transfer();
  ASSERT_TRUE(ccs.ok()) << ccs.error().message();
  ASSERT_EQ(ccs->size(), 1U);
  EXPECT_EQ((*ccs)[0].first, ContentType::change_cipher_spec);

  protect12();
  ASSERT_TRUE(sender().write(ContentType::handshake, Bytes{20, 0, 0, 12}).ok());
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes(20'000, 5)).ok());
  ASSERT_TRUE(sender().write(ContentType::alert, Bytes{1, 0}).ok());
  EXPECT_EQ(sender().pending_output()[0], 22);  // the real type, outside
  auto received = transfer(1000);
  ASSERT_TRUE(received.ok()) << received.error().message();
  ASSERT_EQ(received->size(), 4U);
  EXPECT_EQ((*received)[0].first, ContentType::handshake);
  EXPECT_EQ((*received)[1].second.size(), kMaxPlaintext);
  EXPECT_EQ((*received)[2].second.size(), 20'000 - kMaxPlaintext);
  EXPECT_EQ((*received)[3].first, ContentType::alert);
}

TEST_F(Layers12, RefusesAMalformedChangeCipherSpec) {
  ASSERT_TRUE(sender().write(ContentType::change_cipher_spec, Bytes{1, 1}).ok());
  EXPECT_EQ(transfer().error().code(), Errc::unexpected_message);
}

TEST_F(Layers12, RefusesChangeCipherSpecAfterTheKeyChange) {
  receiver().set_read_protection(protection12());
  ASSERT_TRUE(sender().write(ContentType::change_cipher_spec, Bytes{1}).ok());
  auto after = transfer();
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(alert_for(after.error()), Alert::unexpected_message);
}

TEST_F(Layers12, ReadsNothingUnprotectedAfterTheKeyChange) {
  receiver().set_read_protection(protection12());
  // A plaintext alert or handshake record is opened as a protected one, and fails.
  ASSERT_TRUE(sender().write(ContentType::alert, Bytes{2, 40}).ok());
  auto alert = transfer();
  ASSERT_FALSE(alert.ok());
  EXPECT_EQ(alert_for(alert.error()), Alert::bad_record_mac);
}

TEST_F(Layers12, AcceptsRecordsUpToTheTls12CiphertextLimit) {
  protect12();
  ASSERT_TRUE(sender().write(ContentType::application_data, Bytes(kMaxPlaintext, 1)).ok());
  auto received = transfer(7);
  ASSERT_TRUE(received.ok()) << received.error().message();
  ASSERT_EQ(received->size(), 1U);
  // A record longer than 2^14 + 2048 is refused before any decryption.
  Bytes oversized = {23, 3, 3, static_cast<std::uint8_t>((kMaxCiphertext12 + 1) >> 8U),
                     static_cast<std::uint8_t>(kMaxCiphertext12 + 1)};
  ByteView input = oversized;
  auto next = receiver().next(input, plaintext());
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(alert_for(next.error()), Alert::record_overflow);
}

TEST_F(Layers, BoundsEmptyRecords) {
  protect_both();
  // Sealed by hand: the layer itself never sends an empty record.
  Protection13 raw = protection(1);
  Bytes flood;
  for (std::size_t i = 0; i <= RecordLayer::kMaxEmptyRecords; ++i) {
    Bytes record(kHeaderSize + Protection13::kOverhead);
    ASSERT_TRUE(raw.seal(ContentType::application_data, record, 0).ok());
    flood.insert(flood.end(), record.begin(), record.end());
  }
  ByteView input = flood;
  auto next = receiver().next(input, plaintext());
  ASSERT_FALSE(next.ok());
  EXPECT_EQ(next.error().code(), Errc::limit_exceeded);

  RecordLayer plain_receiver;
  const Bytes empty_handshake = header(22, 0);
  ByteView empty_input = empty_handshake;
  EXPECT_EQ(plain_receiver.next(empty_input, plaintext()).error().code(), Errc::unexpected_message);
}

}  // namespace
}  // namespace keel::record
