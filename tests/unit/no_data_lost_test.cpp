// No data lost: application data written before close_notify always arrives in full — every
// size around the record limit, every way of writing it, of moving it and of reading it, both
// directions, TLS 1.3 and TLS 1.2 — and a stream that ends without close_notify is reported as
// truncated, with what arrived before it still readable.
#include <random>
#include <string>
#include <tuple>

#include <gtest/gtest.h>

#include "support/tls_pair.hpp"

namespace keel::test {
namespace {

enum class Reading {
  small_reads,    // read() into 1 KiB after every delivery
  large_reads,    // read() into 64 KiB after every delivery
  feed_and_read,  // feed_and_read() into 4 KiB, then read() what it buffered
  at_the_end,     // nothing read until close_notify has arrived: everything buffered
};

enum class Writing {
  at_once,       // one write()
  small_pieces,  // 1,000 bytes a write()
  record_sized,  // 16,384 bytes (one full record) a write()
  random_sizes,  // 1..40,000 bytes a write()
};

std::string to_string(Reading reading) {
  switch (reading) {
    case Reading::small_reads:
      return "small_reads";
    case Reading::large_reads:
      return "large_reads";
    case Reading::feed_and_read:
      return "feed_and_read";
    case Reading::at_the_end:
      return "at_the_end";
  }
  return "?";
}

std::string to_string(Writing writing) {
  switch (writing) {
    case Writing::at_once:
      return "at_once";
    case Writing::small_pieces:
      return "small_pieces";
    case Writing::record_sized:
      return "record_sized";
    case Writing::random_sizes:
      return "random_sizes";
  }
  return "?";
}

// Sizes around one record (2^14, RFC 8446 §5.1), several records, and none at all.
constexpr std::size_t kSizes[] = {0, 1, 100, 16383, 16384, 16385, 65543, 300007};

Bytes pattern(std::size_t size, std::uint32_t seed) {
  std::mt19937 random(seed);
  Bytes bytes(size);
  for (auto& b : bytes) {
    b = static_cast<std::uint8_t>(random());
  }
  return bytes;
}

/// What the reader holds: read as it arrives, per `reading`.
class Reader {
 public:
  Reader(Connection& connection, Reading reading) : connection_(connection), reading_(reading) {}

  /// Takes `bytes` from the transport.
  void take(ByteView bytes) {
    if (reading_ == Reading::feed_and_read) {
      Bytes out(4096);
      auto n = connection_.feed_and_read(bytes, out);
      ASSERT_TRUE(n.ok()) << n.error().message();
      received_.insert(received_.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(*n));
    } else {
      ASSERT_TRUE(connection_.feed(bytes).ok()) << connection_.error()->message();
    }
    if (reading_ != Reading::at_the_end) {
      drain();
    }
  }

  /// Reads everything buffered.
  void drain() {
    Bytes out(reading_ == Reading::small_reads ? 1024 : 65536);
    while (connection_.readable() > 0) {
      auto n = connection_.read(out);
      ASSERT_TRUE(n.ok());
      received_.insert(received_.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(*n));
    }
  }

  [[nodiscard]] const Bytes& received() const { return received_; }

 private:
  Connection& connection_;
  Reading reading_;
  Bytes received_;
};

/// Moves what `from` has queued to `reader`, in random transport chunks of 1..3,000 bytes
/// (or all at once).
void move_bytes(Connection& from, Reader& reader, std::mt19937& random, bool random_chunks) {
  const Bytes out(from.pending_output().begin(), from.pending_output().end());
  from.consume_output(out.size());
  std::size_t at = 0;
  while (at < out.size()) {
    const std::size_t n =
        random_chunks ? std::min<std::size_t>(1 + random() % 3000, out.size() - at) : out.size();
    reader.take(ByteView(out).subspan(at, n));
    at += n;
  }
}

using Case = std::tuple<ProtocolVersion, bool /* client writes */, Reading>;

class NoDataLost : public testing::TestWithParam<Case> {};

TEST_P(NoDataLost, EverythingWrittenBeforeCloseNotifyArrives) {
  const auto& [version, client_writes, reading] = GetParam();
  std::uint32_t cases = 0;
  for (const std::size_t size : kSizes) {
    for (const Writing writing :
         {Writing::at_once, Writing::small_pieces, Writing::record_sized, Writing::random_sizes}) {
      for (const bool random_chunks : {false, true}) {
        SCOPED_TRACE(std::to_string(size) + " bytes, " + to_string(writing) +
                     (random_chunks ? ", random transport chunks" : ", whole flights"));
        ClientConfig client_config = test_client_config();
        client_config.max_version = version;
        Pair pair = connect(client_config, test_server_config());
        expect_established(pair);
        Connection& writer = client_writes ? pair.client : pair.server;
        Connection& reading_side = client_writes ? pair.server : pair.client;
        Reader reader(reading_side, reading);
        std::mt19937 random(static_cast<std::uint32_t>(size) * 31 + cases);
        const Bytes data = pattern(size, static_cast<std::uint32_t>(size));

        std::size_t at = 0;
        while (at < data.size()) {
          std::size_t n = data.size() - at;
          if (writing == Writing::small_pieces) {
            n = std::min<std::size_t>(n, 1000);
          } else if (writing == Writing::record_sized) {
            n = std::min<std::size_t>(n, 16384);
          } else if (writing == Writing::random_sizes) {
            n = std::min<std::size_t>(n, 1 + random() % 40000);
          }
          ASSERT_TRUE(writer.write(ByteView(data).subspan(at, n)).ok());
          at += n;
          if (random() % 3 == 0) {  // sometimes delivered between writes, sometimes not
            move_bytes(writer, reader, random, random_chunks);
          }
        }
        // close_notify right behind the data, often in the same flight.
        ASSERT_TRUE(writer.close().ok());
        move_bytes(writer, reader, random, random_chunks);
        reader.drain();

        EXPECT_FALSE(reading_side.error());
        EXPECT_TRUE(reading_side.peer_closed());
        EXPECT_EQ(reading_side.feed_end_of_stream().ok(), true) << "a clean end";
        ASSERT_EQ(reader.received().size(), data.size());
        EXPECT_TRUE(reader.received() == data);
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 64U);
}

std::string case_name(const testing::TestParamInfo<Case>& info) {
  const auto& [version, client_writes, reading] = info.param;
  return std::string(version == ProtocolVersion::tls13 ? "tls13_" : "tls12_") +
         (client_writes ? "client_to_server_" : "server_to_client_") + to_string(reading);
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, NoDataLost,
    testing::Combine(testing::Values(ProtocolVersion::tls13, ProtocolVersion::tls12),
                     testing::Bool(),
                     testing::Values(Reading::small_reads, Reading::large_reads,
                                     Reading::feed_and_read, Reading::at_the_end)),
    case_name);

class Truncation : public testing::TestWithParam<ProtocolVersion> {};

/// A pair with `bytes` sent from the server, delivered to the client but not read.
Pair with_data_in_flight(ProtocolVersion version, const Bytes& bytes) {
  ClientConfig client_config = test_client_config();
  client_config.max_version = version;
  Pair pair = connect(client_config, test_server_config());
  EXPECT_TRUE(pair.server.write(bytes).ok());
  return pair;
}

TEST_P(Truncation, BetweenRecordsIsReportedAfterTheDataBeforeIt) {
  const Bytes data = pattern(40000, 7);
  Pair pair = with_data_in_flight(GetParam(), data);
  deliver(pair.server, pair.client);
  // The transport ends with no close_notify: an attacker cutting the connection short.
  auto end = pair.client.feed_end_of_stream();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().code(), Errc::stream_truncated);
  EXPECT_EQ(end.error().detail(), "between records, without close_notify");
  EXPECT_FALSE(pair.client.peer_closed());
  // What arrived authenticated is still there, and then the truncation is reported again.
  EXPECT_EQ(read_all(pair.client), data);
  std::array<std::uint8_t, 16> more{};
  auto after = pair.client.read(more);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code(), Errc::stream_truncated);
}

TEST_P(Truncation, InsideARecordIsReportedAndItsBytesAreNotReleased) {
  const Bytes first = pattern(1000, 8);
  Pair pair = with_data_in_flight(GetParam(), first);
  deliver(pair.server, pair.client);
  ASSERT_TRUE(pair.server.write(pattern(500, 9)).ok());
  const ByteView second_record = pair.server.pending_output();
  // All of the second record but its last byte, then the end.
  ASSERT_TRUE(pair.client.feed(second_record.first(second_record.size() - 1)).ok());
  auto end = pair.client.feed_end_of_stream();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().code(), Errc::stream_truncated);
  EXPECT_EQ(end.error().detail(), "in the middle of a record");
  // The first record only: nothing of an unauthenticated record is ever released.
  EXPECT_EQ(read_all(pair.client), first);
}

TEST_P(Truncation, AfterCloseNotifyIsACleanEnd) {
  Pair pair = with_data_in_flight(GetParam(), pattern(100, 10));
  ASSERT_TRUE(pair.server.close().ok());
  deliver(pair.server, pair.client);
  EXPECT_TRUE(pair.client.feed_end_of_stream().ok());
  EXPECT_EQ(read_all(pair.client).size(), 100U);
  EXPECT_TRUE(pair.client.peer_closed());
}

TEST_P(Truncation, BothSidesWritingAndClosingAtOnceLoseNothing) {
  ClientConfig client_config = test_client_config();
  client_config.max_version = GetParam();
  Pair pair = connect(client_config, test_server_config());
  const Bytes from_client = pattern(70000, 11);
  const Bytes from_server = pattern(50000, 12);
  ASSERT_TRUE(pair.client.write(from_client).ok());
  ASSERT_TRUE(pair.server.write(from_server).ok());
  ASSERT_TRUE(pair.client.close().ok());
  ASSERT_TRUE(pair.server.close().ok());
  pump(pair.client, pair.server, 777);
  EXPECT_FALSE(pair.client.error());
  EXPECT_FALSE(pair.server.error());
  EXPECT_EQ(read_all(pair.server), from_client);
  EXPECT_EQ(read_all(pair.client), from_server);
  EXPECT_TRUE(pair.client.peer_closed());
  EXPECT_TRUE(pair.server.peer_closed());
}

std::string version_name(const testing::TestParamInfo<ProtocolVersion>& info) {
  return info.param == ProtocolVersion::tls13 ? "tls13" : "tls12";
}

INSTANTIATE_TEST_SUITE_P(Versions, Truncation,
                         testing::Values(ProtocolVersion::tls13, ProtocolVersion::tls12),
                         version_name);

}  // namespace
}  // namespace keel::test
