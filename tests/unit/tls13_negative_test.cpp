// What goes wrong, and what each side is told: the failing side gets a precise error, its peer
// gets the right alert, nothing hangs.
#include <string>

#include <gtest/gtest.h>

#include "msg/extensions.hpp"
#include "msg/types.hpp"
#include "support/rewritten_client.hpp"
#include "support/tls_pair.hpp"

namespace keel::test {
namespace {

Pair established_pair() {
  Pair pair = connect(test_client_config(), test_server_config());
  EXPECT_TRUE(pair.client.is_handshake_complete() && pair.server.is_handshake_complete());
  return pair;
}

TEST(Tls13Negative, WrongName) {
  Pair pair = unconnected(test_client_config(), test_server_config(), "wrong.test");
  pump(pair.client, pair.server);
  ASSERT_EQ(code_of(pair.client), Errc::name_mismatch);
  EXPECT_NE(pair.client.error()->message().find("wrong.test"), std::string::npos)
      << pair.client.error()->message();
  expect_told(pair.server, Alert::bad_certificate);
  expect_closed_for_good(pair.client);
}

TEST(Tls13Negative, UntrustedRoot) {
  Pair pair = unconnected(test_client_config(), test_server_config("untrusted"));
  pump(pair.client, pair.server);
  EXPECT_EQ(code_of(pair.client), Errc::unknown_issuer);
  expect_told(pair.server, Alert::unknown_ca);
}

TEST(Tls13Negative, ExpiredLeaf) {
  Pair pair = unconnected(test_client_config(), test_server_config("expired"));
  pump(pair.client, pair.server);
  ASSERT_EQ(code_of(pair.client), Errc::certificate_expired);
  EXPECT_NE(pair.client.error()->message().find("2021"), std::string::npos)
      << pair.client.error()->message();
  expect_told(pair.server, Alert::certificate_expired);
}

TEST(Tls13Negative, NotVerifyingIsAnExplicitChoice) {
  ClientConfig insecure = test_client_config();
  insecure.verify_server = false;
  Pair pair = unconnected(insecure, test_server_config("untrusted"), "wrong.test");
  pump(pair.client, pair.server);
  EXPECT_TRUE(pair.client.is_handshake_complete());
  EXPECT_FALSE(pair.client.negotiated().peer_verified);
}

TEST(Tls13Negative, TamperedRecord) {
  Pair pair = established_pair();
  ASSERT_TRUE(pair.server.write(Bytes{'s', 'e', 'c', 'r', 'e', 't'}).ok());
  Bytes record(pair.server.pending_output().begin(), pair.server.pending_output().end());
  pair.server.consume_output(record.size());
  record[7] ^= 0x01U;  // one bit of the ciphertext
  EXPECT_FALSE(pair.client.feed(record).ok());
  EXPECT_EQ(code_of(pair.client), Errc::bad_record_mac);
  EXPECT_EQ(pair.client.readable(), 0U);
  pump(pair.client, pair.server);
  expect_told(pair.server, Alert::bad_record_mac);
}

TEST(Tls13Negative, TamperedHandshakeMessage) {
  Pair pair = unconnected(test_client_config(), test_server_config());
  deliver(pair.client, pair.server);
  Bytes flight(pair.server.pending_output().begin(), pair.server.pending_output().end());
  pair.server.consume_output(flight.size());
  // The ServerHello's random: record header (5), handshake header (4), legacy_version (2).
  flight[5 + 4 + 2 + 3] ^= 0x80U;
  EXPECT_FALSE(pair.client.feed(flight).ok());
  // The client's transcript differs from the server's, so its handshake keys do too.
  EXPECT_EQ(code_of(pair.client), Errc::bad_record_mac);
  // Its alert is protected with those keys, which the server does not share: the server
  // cannot read it either, and fails the same way.
  pump(pair.client, pair.server);
  EXPECT_EQ(code_of(pair.server), Errc::bad_record_mac);
}

TEST(Tls13Negative, TruncatedInsideARecord) {
  Pair pair = established_pair();
  ASSERT_TRUE(pair.server.write(Bytes{'d', 'a', 't', 'a'}).ok());
  const Bytes record(pair.server.pending_output().begin(), pair.server.pending_output().end());
  ASSERT_TRUE(pair.client.feed(ByteView(record).first(record.size() - 3)).ok());
  auto end = pair.client.feed_end_of_stream();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().code(), Errc::stream_truncated);
  EXPECT_NE(end.error().detail().find("middle of a record"), std::string::npos);
}

TEST(Tls13Negative, TruncatedBetweenRecords) {
  Pair pair = established_pair();
  ASSERT_TRUE(pair.server.write(Bytes{'d', 'a', 't', 'a'}).ok());
  pump(pair.client, pair.server);
  EXPECT_EQ(read_all(pair.client), (Bytes{'d', 'a', 't', 'a'}));
  EXPECT_FALSE(pair.client.peer_closed());
  auto end = pair.client.feed_end_of_stream();
  ASSERT_FALSE(end.ok());
  EXPECT_EQ(end.error().code(), Errc::stream_truncated);
}

TEST(Tls13Negative, UnexpectedMessageToAClient) {
  auto client = Connection::client(test_client_config(), "server.test").value();
  client.consume_output(client.pending_output().size());
  // A Certificate (type 11) where a ServerHello belongs.
  const Bytes record = {0x16, 0x03, 0x03, 0x00, 0x08, 0x0B, 0x00,
                        0x00, 0x04, 0x00, 0x00, 0x00, 0x00};
  EXPECT_FALSE(client.feed(record).ok());
  EXPECT_EQ(code_of(client), Errc::unexpected_message);
  // The alert goes out in plaintext: fatal unexpected_message.
  const Bytes alert(client.pending_output().begin(), client.pending_output().end());
  EXPECT_EQ(alert, (Bytes{0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x0A}));
}

TEST(Tls13Negative, UnexpectedMessageToAServer) {
  auto server = Connection::server(test_server_config()).value();
  // A Finished (type 20) where a ClientHello belongs.
  const Bytes record = {0x16, 0x03, 0x01, 0x00, 0x08, 0x14, 0x00,
                        0x00, 0x04, 0x01, 0x02, 0x03, 0x04};
  EXPECT_FALSE(server.feed(record).ok());
  EXPECT_EQ(code_of(server), Errc::unexpected_message);
}

TEST(Tls13Negative, ChangeCipherSpecAfterTheHandshake) {
  Pair pair = established_pair();
  EXPECT_FALSE(pair.client.feed(Bytes{0x14, 0x03, 0x03, 0x00, 0x01, 0x01}).ok());
  EXPECT_EQ(code_of(pair.client), Errc::unexpected_message);
  pump(pair.client, pair.server);
  expect_told(pair.server, Alert::unexpected_message);
}

TEST(Tls13Negative, OversizedRecord) {
  auto server = Connection::server(test_server_config()).value();
  // A plaintext record announcing 2^14 + 1 bytes.
  EXPECT_FALSE(server.feed(Bytes{0x16, 0x03, 0x01, 0x40, 0x01}).ok());
  EXPECT_EQ(code_of(server), Errc::record_overflow);
}

TEST(Tls13Negative, OnlyTls12Offered) {
  Connection client = rewritten_client([](msg::ClientHello& hello) {
    for (auto& extension : hello.extensions) {
      if (extension.is(msg::ExtensionType::supported_versions)) {
        const std::array<std::uint16_t, 1> tls12 = {0x0303};
        extension.data = msg::encode_version_list(tls12).value();
      }
    }
  });
  ServerConfig tls13_only = test_server_config();
  tls13_only.min_version = ProtocolVersion::tls13;
  auto server = Connection::server(tls13_only).value();
  pump(client, server);
  EXPECT_EQ(code_of(server), Errc::protocol_version);
  expect_told(client, Alert::protocol_version);
}

TEST(Tls13Negative, NoCommonCipherSuite) {
  ClientConfig client_config = test_client_config();
  client_config.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256};
  ServerConfig server_config = test_server_config();
  server_config.cipher_suites = {CipherSuite::TLS_AES_256_GCM_SHA384};
  Pair pair = unconnected(client_config, server_config);
  pump(pair.client, pair.server);
  EXPECT_EQ(code_of(pair.server), Errc::handshake_failure);
  expect_told(pair.client, Alert::handshake_failure);
}

TEST(Tls13Negative, NoCommonGroup) {
  ClientConfig client_config = test_client_config();
  client_config.groups = {NamedGroup::x25519};
  ServerConfig server_config = test_server_config();
  server_config.groups = {NamedGroup::secp384r1};
  Pair pair = unconnected(client_config, server_config);
  pump(pair.client, pair.server);
  EXPECT_EQ(code_of(pair.server), Errc::handshake_failure);
  expect_told(pair.client, Alert::handshake_failure);
}

TEST(Tls13Negative, CloseNotifyDuringTheHandshakeEndsIt) {
  auto client = Connection::client(test_client_config(), "server.test").value();
  client.consume_output(client.pending_output().size());
  // A plaintext close_notify where the ServerHello belongs.
  EXPECT_FALSE(client.feed(Bytes{0x15, 0x03, 0x03, 0x00, 0x02, 0x01, 0x00}).ok());
  EXPECT_EQ(code_of(client), Errc::alert_received);
  EXPECT_FALSE(client.peer_closed());
  EXPECT_FALSE(client.feed_end_of_stream().ok());  // still the same error, not a clean end
}

TEST(Tls13Negative, WriteAfterClose) {
  Pair pair = established_pair();
  ASSERT_TRUE(pair.client.close().ok());
  auto written = pair.client.write(Bytes{1});
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code(), Errc::connection_closed);
}

TEST(Tls13Negative, DataAfterCloseNotifyIsIgnored) {
  Pair pair = established_pair();
  ASSERT_TRUE(pair.server.close().ok());
  deliver(pair.server, pair.client);
  EXPECT_TRUE(pair.client.peer_closed());
  // §6.1: "Any data received after a closure alert has been received MUST be ignored."
  EXPECT_TRUE(pair.client.feed(Bytes{0x17, 0x03, 0x03, 0x00, 0x01, 0x00}).ok());
  EXPECT_EQ(pair.client.readable(), 0U);
}

TEST(Tls13Negative, ConfigErrorsAreClear) {
  ServerConfig empty;
  auto server = Connection::server(empty);
  ASSERT_FALSE(server.ok());
  EXPECT_EQ(server.error().code(), Errc::invalid_argument);

  auto mismatched = CertifiedKey::from_pem(data_text("tls/server-ecdsa-p256.pem"),
                                           data_text("tls/server-ecdsa-p384.key"));
  ASSERT_FALSE(mismatched.ok());
  EXPECT_NE(mismatched.error().message().find("does not belong"), std::string::npos);

  auto bad_name = Connection::client(test_client_config(), "not a host name");
  ASSERT_FALSE(bad_name.ok());
  EXPECT_NE(bad_name.error().message().find("server name"), std::string::npos);
}

}  // namespace
}  // namespace keel::test
