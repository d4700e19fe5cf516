// TLS 1.3 resumption between keel's client and server, in memory through the public API:
// tickets issued and kept, a second connection resumed without certificates (and what it
// restores), fleet keys, and every reason a ticket is not used — changed, another server's,
// another name's, tickets turned off — each falling back to a full handshake; a binder
// changed in flight is decrypt_error.
#include <string>

#include <gtest/gtest.h>

#include <keel/session.hpp>

#include "session/client_ticket.hpp"
#include "support/tls_pair.hpp"

namespace keel::test {
namespace {

void expect_data_both_ways(Pair& pair) {
  ASSERT_TRUE(pair.client.write(as_bytes("ping")).ok());
  ASSERT_TRUE(pair.server.write(as_bytes("pong")).ok());
  pump(pair.client, pair.server);
  EXPECT_EQ(read_all(pair.server), Bytes({'p', 'i', 'n', 'g'}));
  EXPECT_EQ(read_all(pair.client), Bytes({'p', 'o', 'n', 'g'}));
}

TEST(Tls13Resumption, TheNextConnectionResumesWithoutCertificates) {
  ClientConfig client_config = test_client_config();
  client_config.alpn = {"h2"};
  ServerConfig server_config = test_server_config();
  server_config.alpn = {"h2"};

  Pair first = connect(client_config, server_config);
  expect_established(first);
  EXPECT_FALSE(first.client.negotiated().resumed);
  EXPECT_EQ(first.client.session_tickets_received(), 2U);
  EXPECT_EQ(client_config.session_cache->size(), 2U);

  Pair second = connect(client_config, server_config);
  expect_established(second);
  EXPECT_TRUE(second.client.negotiated().resumed);
  EXPECT_TRUE(second.server.negotiated().resumed);
  EXPECT_FALSE(second.client.negotiated().peer_signature_scheme.has_value());  // no signature
  EXPECT_EQ(second.client.negotiated().peer_certificates,
            first.client.negotiated().peer_certificates);
  EXPECT_TRUE(second.client.negotiated().peer_verified);
  EXPECT_EQ(second.client.negotiated().alpn, std::optional<std::string>("h2"));
  EXPECT_EQ(second.server.negotiated().server_name, std::optional<std::string>("server.test"));
  expect_data_both_ways(second);
  std::array<std::uint8_t, 32> client_key{};
  std::array<std::uint8_t, 32> server_key{};
  ASSERT_TRUE(second.client.export_keying_material("EXPERIMENTAL test", {}, client_key).ok());
  ASSERT_TRUE(second.server.export_keying_material("EXPERIMENTAL test", {}, server_key).ok());
  EXPECT_EQ(client_key, server_key);
  // One ticket used (each is offered once), two new ones.
  EXPECT_EQ(client_config.session_cache->size(), 3U);

  Pair third = connect(client_config, server_config);
  expect_established(third);
  EXPECT_TRUE(third.client.negotiated().resumed);
}

TEST(Tls13Resumption, AChangedTicketIsAFullHandshake) {
  ClientConfig client_config = test_client_config();
  const ServerConfig server_config = test_server_config();
  expect_established(connect(client_config, server_config));
  auto& cache = *client_config.session_cache;
  for (int i = 0; i < 2; ++i) {
    auto session = cache.take("server.test");
    ASSERT_TRUE(session.has_value());
    session::ClientTicket changed{session->ticket().state.clone(), session->ticket().ticket, {}};
    changed.ticket[changed.ticket.size() / 2] ^= 0x10U;
    (void)i;
    cache.store("other",
                ClientSession(std::make_shared<const session::ClientTicket>(std::move(changed))));
  }
  // Move the changed ones back under the server's name.
  while (auto session = cache.take("other")) {
    cache.store("server.test", std::move(*session));
  }
  Pair pair = connect(client_config, server_config);
  expect_established(pair);
  EXPECT_FALSE(pair.server.negotiated().resumed);
  EXPECT_FALSE(pair.client.negotiated().resumed);
  EXPECT_TRUE(pair.client.negotiated().peer_signature_scheme.has_value());
  expect_data_both_ways(pair);
}

TEST(Tls13Resumption, AnotherServersTicketIsAFullHandshake) {
  ClientConfig client_config = test_client_config();
  expect_established(connect(client_config, test_server_config()));
  const ServerConfig other = test_server_config();  // its own random keys
  Pair pair = connect(client_config, other);
  expect_established(pair);
  EXPECT_FALSE(pair.client.negotiated().resumed);
}

TEST(Tls13Resumption, AFleetSharingKeysResumesEachOthersSessions) {
  ServerConfig a = test_server_config();
  a.ticket_keys = fleet_ticket_keys();
  ServerConfig b = test_server_config();
  b.ticket_keys = fleet_ticket_keys();
  ClientConfig client_config = test_client_config();
  expect_established(connect(client_config, a));
  Pair pair = connect(client_config, b);
  expect_established(pair);
  EXPECT_TRUE(pair.server.negotiated().resumed);
}

TEST(Tls13Resumption, ASessionIsOfferedOnlyForItsOwnName) {
  ClientConfig unverified = test_client_config();
  unverified.verify_server = false;
  const ServerConfig server_config = test_server_config();
  expect_established(connect(unverified, server_config, "other.test"));
  auto& cache = *unverified.session_cache;
  auto session = cache.take("other.test");
  ASSERT_TRUE(session.has_value());
  cache.store("server.test", std::move(*session));
  Pair pair = connect(unverified, server_config, "server.test");
  expect_established(pair);
  EXPECT_FALSE(pair.client.negotiated().resumed);
}

TEST(Tls13Resumption, ABinderChangedInFlightIsDecryptError) {
  ClientConfig client_config = test_client_config();
  const ServerConfig server_config = test_server_config();
  expect_established(connect(client_config, server_config));
  auto client = Connection::client(client_config, "server.test").value();
  auto server = Connection::server(server_config).value();
  const ByteView hello = client.pending_output();
  Bytes changed(hello.begin(), hello.end());
  changed.back() ^= 0x01U;  // pre_shared_key is the last extension, its binder last in it
  client.consume_output(changed.size());
  EXPECT_FALSE(server.feed(changed).ok());
  EXPECT_EQ(code_of(server), Errc::bad_signature);
  deliver(server, client);
  ASSERT_TRUE(client.error().has_value());
  EXPECT_NE(client.error()->message().find("decrypt_error"), std::string::npos)
      << client.error()->message();
}

TEST(Tls13Resumption, AfterAHelloRetryRequestTheSessionIsStillResumed) {
  ClientConfig client_config = test_client_config();  // a share for X25519 only
  ServerConfig server_config = test_server_config();
  server_config.groups = {NamedGroup::secp384r1};
  expect_established(connect(client_config, server_config));
  Pair pair = connect(client_config, server_config);
  expect_established(pair);
  EXPECT_TRUE(pair.client.negotiated().hello_retry_request);
  EXPECT_TRUE(pair.client.negotiated().resumed);
  EXPECT_TRUE(pair.server.negotiated().resumed);
  expect_data_both_ways(pair);
}

TEST(Tls13Resumption, TheClientCertificateIsRestored) {
  ClientConfig client_config = test_client_config();
  client_config.certificate = tls_certificate("client");
  ServerConfig server_config = test_server_config();
  server_config.client_authentication = ClientAuthentication::required;
  server_config.client_trust_anchors = tls_roots();
  Pair first = connect(client_config, server_config);
  expect_established(first);
  Pair second = connect(client_config, server_config);
  expect_established(second);
  EXPECT_TRUE(second.server.negotiated().resumed);
  EXPECT_TRUE(second.server.negotiated().peer_verified);
  EXPECT_EQ(second.server.negotiated().peer_certificates,
            first.server.negotiated().peer_certificates);
}

TEST(Tls13Resumption, ASessionWithoutAClientCertificateDoesNotPassWhereOneIsRequired) {
  for (const ProtocolVersion version : {ProtocolVersion::tls13, ProtocolVersion::tls12}) {
    ServerConfig optional = test_server_config();
    optional.ticket_keys = fleet_ticket_keys();
    optional.client_authentication = ClientAuthentication::optional;
    optional.client_trust_anchors = tls_roots();
    ServerConfig required = optional;
    required.ticket_keys = fleet_ticket_keys();
    required.client_authentication = ClientAuthentication::required;
    ClientConfig client_config = test_client_config();  // no certificate
    client_config.max_version = version;
    expect_established(connect(client_config, optional));
    ASSERT_GE(client_config.session_cache->size(), 1U);
    Pair pair = connect(client_config, required);
    EXPECT_FALSE(pair.server.negotiated().resumed);
    ASSERT_TRUE(pair.server.error().has_value()) << to_string(version);
    EXPECT_EQ(pair.server.error()->code(), version == ProtocolVersion::tls13
                                               ? Errc::certificate_required
                                               : Errc::handshake_failure);
  }
}

TEST(Tls13Resumption, NoTicketsWhenTurnedOff) {
  ClientConfig client_config = test_client_config();
  ServerConfig none = test_server_config();
  none.session_tickets = 0;
  Pair pair = connect(client_config, none);
  expect_established(pair);
  EXPECT_EQ(pair.client.session_tickets_received(), 0U);
  ServerConfig no_keys = test_server_config();
  no_keys.ticket_keys.reset();
  expect_established(connect(client_config, no_keys));
  EXPECT_EQ(client_config.session_cache->size(), 0U);
  ClientConfig no_cache = test_client_config();
  no_cache.session_cache = nullptr;
  Pair uncached = connect(no_cache, test_server_config());
  expect_established(uncached);
  EXPECT_EQ(uncached.client.session_tickets_received(), 2U);  // read, not kept
}

TEST(Tls13Resumption, ATls12ServerIgnoresTheOffer) {
  ClientConfig client_config = test_client_config();
  expect_established(connect(client_config, test_server_config()));
  ServerConfig tls12 = test_server_config();
  tls12.max_version = ProtocolVersion::tls12;
  Pair pair = connect(client_config, tls12);
  expect_established(pair);
  EXPECT_EQ(pair.client.negotiated().version, ProtocolVersion::tls12);
  EXPECT_FALSE(pair.client.negotiated().resumed);
}

TEST(Tls13Resumption, ASessionSurvivesPem) {
  ClientConfig client_config = test_client_config();
  const ServerConfig server_config = test_server_config();
  expect_established(connect(client_config, server_config));
  const auto saved = client_config.session_cache->peek("server.test");
  ASSERT_TRUE(saved.has_value());
  const std::string pem = saved->to_pem();
  EXPECT_NE(pem.find("-----BEGIN KEEL SESSION-----"), std::string::npos);
  auto loaded = ClientSession::from_pem(pem);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message();
  EXPECT_EQ(loaded.value().server_name(), std::optional<std::string>("server.test"));
  EXPECT_EQ(loaded.value().version(), ProtocolVersion::tls13);
  ClientConfig fresh = test_client_config();
  fresh.session_cache->store("server.test", std::move(loaded).value());
  Pair pair = connect(fresh, server_config);
  expect_established(pair);
  EXPECT_TRUE(pair.client.negotiated().resumed);
  EXPECT_FALSE(ClientSession::from_pem("-----BEGIN KEEL SESSION-----\nAAAA\n-----END KEEL "
                                       "SESSION-----\n")
                   .ok());
}

// TLS 1.2: RFC 5077 tickets, or a session id for a server that issues none; the abbreviated
// handshake restores the server's certificates.
ClientConfig tls12_client() {
  ClientConfig config = test_client_config();
  config.max_version = ProtocolVersion::tls12;
  return config;
}

TEST(Tls12Resumption, ATicketResumesTheSession) {
  ClientConfig client_config = tls12_client();
  client_config.alpn = {"http/1.1"};
  ServerConfig server_config = test_server_config();
  server_config.alpn = {"http/1.1"};
  Pair first = connect(client_config, server_config);
  expect_established(first);
  EXPECT_EQ(first.client.negotiated().version, ProtocolVersion::tls12);
  EXPECT_FALSE(first.client.negotiated().resumed);
  ASSERT_EQ(client_config.session_cache->size(), 1U);
  EXPECT_FALSE(client_config.session_cache->peek("server.test")->ticket().ticket.empty());

  Pair second = connect(client_config, server_config);
  expect_established(second);
  EXPECT_EQ(second.client.negotiated().version, ProtocolVersion::tls12);
  EXPECT_TRUE(second.client.negotiated().resumed);
  EXPECT_TRUE(second.server.negotiated().resumed);
  EXPECT_EQ(second.client.negotiated().cipher_suite, first.client.negotiated().cipher_suite);
  EXPECT_EQ(second.client.negotiated().peer_certificates,
            first.client.negotiated().peer_certificates);
  EXPECT_EQ(second.client.negotiated().alpn, std::optional<std::string>("http/1.1"));
  expect_data_both_ways(second);
  std::array<std::uint8_t, 32> client_key{};
  std::array<std::uint8_t, 32> server_key{};
  ASSERT_TRUE(second.client.export_keying_material("EXPERIMENTAL test", {}, client_key).ok());
  ASSERT_TRUE(second.server.export_keying_material("EXPERIMENTAL test", {}, server_key).ok());
  EXPECT_EQ(client_key, server_key);
  // The resumed handshake renewed the ticket: the next connection resumes too.
  Pair third = connect(client_config, server_config);
  expect_established(third);
  EXPECT_TRUE(third.server.negotiated().resumed);
}

TEST(Tls12Resumption, ASessionIdResumesWhenTheServerIssuesNoTickets) {
  ClientConfig client_config = tls12_client();
  ServerConfig server_config = test_server_config();
  server_config.session_tickets = 0;
  expect_established(connect(client_config, server_config));
  ASSERT_EQ(server_config.session_id_cache->size(), 1U);
  const auto saved = client_config.session_cache->peek("server.test");
  ASSERT_TRUE(saved.has_value());
  EXPECT_TRUE(saved->ticket().ticket.empty());
  EXPECT_EQ(saved->ticket().session_id.size(), 32U);
  Pair second = connect(client_config, server_config);
  expect_established(second);
  EXPECT_TRUE(second.client.negotiated().resumed);
  EXPECT_TRUE(second.server.negotiated().resumed);
  expect_data_both_ways(second);
}

TEST(Tls12Resumption, AChangedOrUnknownTicketIsAFullHandshake) {
  ClientConfig client_config = tls12_client();
  const ServerConfig server_config = test_server_config();
  expect_established(connect(client_config, server_config));
  auto session = client_config.session_cache->take("server.test");
  ASSERT_TRUE(session.has_value());
  session::ClientTicket changed{session->ticket().state.clone(), session->ticket().ticket, {}};
  changed.ticket[changed.ticket.size() - 1] ^= 0x01U;
  client_config.session_cache->store(
      "server.test",
      ClientSession(std::make_shared<const session::ClientTicket>(std::move(changed))));
  Pair pair = connect(client_config, server_config);
  expect_established(pair);
  EXPECT_FALSE(pair.client.negotiated().resumed);
  EXPECT_FALSE(pair.server.negotiated().resumed);
  expect_data_both_ways(pair);
  // Another server's keys (and its own session ids) know nothing of this one's sessions.
  Pair other = connect(client_config, test_server_config());
  expect_established(other);
  EXPECT_FALSE(other.client.negotiated().resumed);
}

TEST(Tls12Resumption, ATls12SessionOfferedToATls13ServerIsAFullTls13Handshake) {
  ClientConfig client_config = tls12_client();
  const ServerConfig server_config = test_server_config();
  expect_established(connect(client_config, server_config));
  ClientConfig both = test_client_config();
  both.session_cache = client_config.session_cache;
  Pair pair = connect(both, server_config);  // offers the TLS 1.2 session too
  expect_established(pair);
  EXPECT_EQ(pair.client.negotiated().version, ProtocolVersion::tls13);
  EXPECT_FALSE(pair.client.negotiated().resumed);
}

}  // namespace
}  // namespace keel::test
