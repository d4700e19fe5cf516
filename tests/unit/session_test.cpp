// The session state a ticket seals and a client keeps, and the ticket key ring: round trips,
// rejects, tampering, unknown keys, rotation and the fleet's key file.
#include <chrono>
#include <string>

#include <gtest/gtest.h>

#include "crypto/provider.hpp"
#include "session/client_ticket.hpp"
#include "session/session_state.hpp"
#include "session/ticket_keys.hpp"

namespace keel::session {
namespace {

using std::chrono::hours;
using std::chrono::seconds;

SessionState sample_state() {
  SessionState state;
  state.version = ProtocolVersion::tls13;
  state.suite = CipherSuite::TLS_AES_128_GCM_SHA256;
  state.secret = Secret::copy_of(Bytes(32, 0x5a));
  state.created = 1'800'000'000;
  state.lifetime = 7200;
  state.age_add = 0xdeadbeef;
  state.max_early_data = 16384;
  state.server_name = "example.com";
  state.alpn = "h2";
  state.peer_certificates = {Bytes{1, 2, 3}, Bytes{4}};
  state.peer_verified = true;
  return state;
}

TEST(SessionState, RoundTrip) {
  const SessionState state = sample_state();
  auto encoded = state.encode();
  ASSERT_TRUE(encoded.ok()) << encoded.error().message();
  auto decoded = SessionState::decode(encoded.value().view());
  ASSERT_TRUE(decoded.ok()) << decoded.error().message();
  const auto& got = decoded.value();
  EXPECT_EQ(got.version, state.version);
  EXPECT_EQ(got.suite, state.suite);
  EXPECT_TRUE(got.secret == state.secret);
  EXPECT_EQ(got.created, state.created);
  EXPECT_EQ(got.lifetime, state.lifetime);
  EXPECT_EQ(got.age_add, state.age_add);
  EXPECT_EQ(got.max_early_data, state.max_early_data);
  EXPECT_EQ(got.server_name, state.server_name);
  EXPECT_EQ(got.alpn, state.alpn);
  EXPECT_EQ(got.peer_certificates, state.peer_certificates);
  EXPECT_TRUE(got.peer_verified);
}

TEST(SessionState, AbsentNameAndAlpnStayAbsent) {
  SessionState state = sample_state();
  state.server_name.reset();
  state.alpn = "";  // present but empty is not the same as absent
  auto decoded = SessionState::decode(state.encode().value().view());
  ASSERT_TRUE(decoded.ok());
  EXPECT_FALSE(decoded.value().server_name.has_value());
  EXPECT_EQ(decoded.value().alpn, std::optional<std::string>(""));
}

TEST(SessionState, RejectsEveryTruncationAndTrailingByte) {
  const Secret encoded = sample_state().encode().value();
  const ByteView bytes = encoded.view();
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    EXPECT_FALSE(SessionState::decode(bytes.first(n)).ok()) << n;
  }
  Bytes longer(bytes.begin(), bytes.end());
  longer.push_back(0);
  EXPECT_FALSE(SessionState::decode(longer).ok());
}

TEST(SessionState, RejectsUnknownFormatVersionAndFlags) {
  const Secret encoded = sample_state().encode().value();
  Bytes bytes(encoded.view().begin(), encoded.view().end());
  Bytes format = bytes;
  format[0] = 2;
  EXPECT_EQ(SessionState::decode(format).error().code(), Errc::malformed);
  Bytes version = bytes;
  version[2] = 0x02;  // 0x0302: TLS 1.1
  EXPECT_EQ(SessionState::decode(version).error().code(), Errc::malformed);
  SessionState no_name = sample_state();
  no_name.server_name.reset();
  no_name.alpn.reset();
  no_name.peer_certificates.clear();
  const Secret plain = no_name.encode().value();
  Bytes flags(plain.view().begin(), plain.view().end());
  flags[flags.size() - 4] = 0x80;  // the flags byte, before an empty u24 list
  EXPECT_EQ(SessionState::decode(flags).error().code(), Errc::malformed);
}

TEST(SessionState, RefusesTooManyPeerCertificatesAndOversizedSecrets) {
  SessionState state = sample_state();
  state.peer_certificates.assign(SessionState::kMaxPeerCertificates + 1, Bytes{1});
  EXPECT_EQ(state.encode().error().code(), Errc::limit_exceeded);
  SessionState big = sample_state();
  big.secret = Secret::copy_of(Bytes(SessionState::kMaxSecret + 1, 1));
  EXPECT_FALSE(big.encode().ok());
}

TEST(SessionState, ValidOnlyWithinItsLifetime) {
  const SessionState state = sample_state();
  EXPECT_FALSE(state.valid_at(state.created - 1));
  EXPECT_TRUE(state.valid_at(state.created));
  EXPECT_TRUE(state.valid_at(state.created + state.lifetime - 1));
  EXPECT_FALSE(state.valid_at(state.created + state.lifetime));
}

TEST(ClientTicket, RoundTripAndRejects) {
  ClientTicket ticket{sample_state(), Bytes(100, 7), {}};
  const Secret encoded = ticket.encode().value();
  auto decoded = ClientTicket::decode(encoded.view());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().ticket, ticket.ticket);
  EXPECT_TRUE(decoded.value().state.secret == ticket.state.secret);
  // A TLS 1.2 session kept by its id has no ticket; one with neither is refused.
  ClientTicket by_id{sample_state(), {}, Bytes(32, 9)};
  auto id_decoded = ClientTicket::decode(by_id.encode().value().view());
  ASSERT_TRUE(id_decoded.ok()) << id_decoded.error().message();
  EXPECT_EQ(id_decoded.value().session_id, by_id.session_id);
  ClientTicket neither{sample_state(), {}, {}};
  EXPECT_EQ(ClientTicket::decode(neither.encode().value().view()).error().code(), Errc::malformed);
  ClientTicket long_id{sample_state(), {}, Bytes(33, 9)};
  EXPECT_FALSE(long_id.encode().ok());
}

class TicketKeyRingTest : public ::testing::Test {
 protected:
  const crypto::Provider& provider = crypto::default_provider();
  Rng& rng = crypto::default_provider().rng();
  TimePoint start = TimePoint(seconds(1'800'000'000));
  const Bytes plaintext = Bytes(57, 0x42);

  static bool opens(const TicketKeyRing& ring, const crypto::Provider& provider, TimePoint at,
                    ByteView ticket, ByteView expected) {
    auto opened = ring.open(provider, at, ticket);
    return opened && std::ranges::equal(opened->view(), expected);
  }
};

TEST_F(TicketKeyRingTest, SealsAndOpens) {
  TicketKeyRing ring(hours(1), hours(2));
  auto ticket = ring.seal(provider, rng, start, plaintext);
  ASSERT_TRUE(ticket.ok());
  EXPECT_EQ(ticket.value().size(), plaintext.size() + TicketKeyRing::kOverhead);
  EXPECT_TRUE(opens(ring, provider, start, ticket.value(), plaintext));
  // Two tickets of the same plaintext differ (random nonce).
  EXPECT_NE(ring.seal(provider, rng, start, plaintext).value(), ticket.value());
}

TEST_F(TicketKeyRingTest, AnyChangedByteIsRefused) {
  TicketKeyRing ring(hours(1), hours(2));
  const Bytes ticket = ring.seal(provider, rng, start, plaintext).value();
  for (std::size_t i = 0; i < ticket.size(); ++i) {
    Bytes changed = ticket;
    changed[i] ^= 0x01U;
    EXPECT_FALSE(ring.open(provider, start, changed).has_value()) << i;
  }
  EXPECT_FALSE(ring.open(provider, start, ByteView(ticket).first(ticket.size() - 1)));
  EXPECT_FALSE(ring.open(provider, start, ByteView(ticket).first(TicketKeyRing::kOverhead)));
}

TEST_F(TicketKeyRingTest, AnotherRingsTicketIsUnknown) {
  TicketKeyRing ours(hours(1), hours(2));
  TicketKeyRing theirs(hours(1), hours(2));
  const Bytes ticket = theirs.seal(provider, rng, start, plaintext).value();
  ASSERT_TRUE(ours.seal(provider, rng, start, plaintext).ok());  // ours has a key too
  EXPECT_FALSE(ours.open(provider, start, ticket).has_value());
}

TEST_F(TicketKeyRingTest, RotatesAndKeepsTheOldKeyForItsGrace) {
  TicketKeyRing ring(hours(1), hours(2));
  const Bytes first = ring.seal(provider, rng, start, plaintext).value();
  const Bytes same_key = ring.seal(provider, rng, start + seconds(3599), plaintext).value();
  EXPECT_TRUE(std::ranges::equal(ByteView(first).first(16), ByteView(same_key).first(16)));
  EXPECT_EQ(ring.size(), 1U);
  // An hour on: a new key seals; the first still opens for two hours after it was replaced.
  const TimePoint rotated = start + hours(1);
  const Bytes second = ring.seal(provider, rng, rotated, plaintext).value();
  EXPECT_FALSE(std::ranges::equal(ByteView(first).first(16), ByteView(second).first(16)));
  EXPECT_EQ(ring.size(), 2U);
  EXPECT_TRUE(opens(ring, provider, rotated + hours(2) - seconds(1), first, plaintext));
  EXPECT_FALSE(ring.open(provider, rotated + hours(2), first).has_value());
  EXPECT_TRUE(opens(ring, provider, rotated + hours(2), second, plaintext));
  // Sealing later drops the keys past their grace.
  ASSERT_TRUE(ring.seal(provider, rng, rotated + hours(3) + seconds(1), plaintext).ok());
  EXPECT_EQ(ring.size(), 2U);
}

TEST_F(TicketKeyRingTest, FleetKeysFromTextSealWithTheFirstAndOpenWithAll) {
  const std::string text =
      "# fleet keys\n"
      "00112233445566778899aabbccddeeff "
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n"
      "\n"
      "ffeeddccbbaa99887766554433221100 "
      "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100\n";
  auto keys = parse_ticket_keys(text, "keys.txt");
  ASSERT_TRUE(keys.ok()) << keys.error().message();
  auto ring = TicketKeyRing::fixed(std::move(keys).value());
  ASSERT_TRUE(ring.ok());
  const Bytes ticket = ring.value()->seal(provider, rng, start, plaintext).value();
  EXPECT_EQ(ticket[0], 0x00);
  EXPECT_EQ(ticket[15], 0xff);
  // A second server with the same file opens it; one with only the second key does not.
  auto same = TicketKeyRing::fixed(parse_ticket_keys(text, "keys.txt").value()).value();
  EXPECT_TRUE(opens(*same, provider, start + hours(24 * 30), ticket, plaintext));
  const std::string rotated_text =
      "ffeeddccbbaa99887766554433221100 "
      "1f1e1d1c1b1a191817161514131211100f0e0d0c0b0a09080706050403020100\n";
  ASSERT_TRUE(same->replace(parse_ticket_keys(rotated_text, "new.txt").value()).ok());
  EXPECT_FALSE(same->open(provider, start, ticket).has_value());
  const Bytes under_second = same->seal(provider, rng, start, plaintext).value();
  EXPECT_TRUE(opens(*ring.value(), provider, start, under_second, plaintext));
}

TEST_F(TicketKeyRingTest, KeyFileErrorsNameTheFileAndLine) {
  const auto bad_name = parse_ticket_keys("\nabcd 00\n", "keys.txt");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.error().message().find("keys.txt:2"), std::string::npos)
      << bad_name.error().message();
  EXPECT_NE(bad_name.error().message().find("32 hex digits"), std::string::npos);
  const auto bad_key = parse_ticket_keys("00112233445566778899aabbccddeeff 0011\n", "k");
  ASSERT_FALSE(bad_key.ok());
  EXPECT_NE(bad_key.error().message().find("64 hex digits"), std::string::npos);
  EXPECT_FALSE(parse_ticket_keys("# nothing\n", "k").ok());
  EXPECT_FALSE(parse_ticket_keys("00112233445566778899aabbccddeeff", "k").ok());
  TicketKeyRing rotating(hours(1), hours(2));
  EXPECT_EQ(rotating.replace({}).error().code(), Errc::invalid_argument);
}

}  // namespace
}  // namespace keel::session
