// TLS 1.3 0-RTT (RFC 8446 §4.2.10, §8) on keel's server, with OpenSSL's libssl as the client in
// memory (early_data_client_test.cpp has keel's own client): accepted and delivered first,
// marked as early; a replayed first flight gets no early data in (its records skipped, the
// handshake still answered); refused by configuration or after a HelloRetryRequest, the
// client's early records skipped and the handshake completing; more than max_early_data is
// unexpected_message.
#include <array>
#include <memory>
#include <string>

#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "support/openssl_endpoint.hpp"
#include "support/tls_pair.hpp"

namespace keel::test {
namespace {

using SessionPtr = std::unique_ptr<SSL_SESSION, decltype(&SSL_SESSION_free)>;

ServerConfig early_server(std::uint32_t max_early_data) {
  ServerConfig config = test_server_config();
  config.ticket_keys = fleet_ticket_keys();
  config.max_early_data = max_early_data;
  return config;
}

/// OpenSSL's TLS 1.3 client for server.test, fed and drained through memory.
class OpenSslClient : public OpenSslEndpoint {
 public:
  explicit OpenSslClient(SSL_CTX* ctx) : OpenSslEndpoint(ctx, Role::client) {
    SSL_ctrl(ssl(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
             const_cast<char*>("server.test"));
  }
};

SslCtxPtr client_ctx() {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()), SSL_CTX_free);
  EXPECT_EQ(SSL_CTX_set_min_proto_version(ctx.get(), TLS1_3_VERSION), 1);
  const std::string root = std::string(KEEL_TEST_DATA_DIR) + "/tls/root.pem";
  EXPECT_EQ(SSL_CTX_load_verify_locations(ctx.get(), root.c_str(), nullptr), 1);
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  return ctx;
}

/// Moves bytes both ways until both are quiet; returns what the client read.
std::string pump(OpenSslClient& client, Connection& server, Bytes first_flight = {}) {
  std::string read;
  for (int round = 0; round < 20; ++round) {
    Bytes to_server = first_flight.empty() ? client.take() : std::move(first_flight);
    first_flight.clear();
    if (!to_server.empty() && !server.error()) {
      (void)server.feed(to_server);
    }
    const ByteView out = server.pending_output();
    const Bytes to_client(out.begin(), out.end());
    server.consume_output(to_client.size());
    read += client.feed(to_client);
    if (to_server.empty() && to_client.empty()) {
      break;
    }
  }
  return read;
}

/// A session from a full handshake with `server_config`, its ticket allowing early data.
SessionPtr prime(SSL_CTX* ctx, const ServerConfig& server_config) {
  OpenSslClient client(ctx);
  auto server = Connection::server(server_config).value();
  (void)client.feed({});
  pump(client, server);
  EXPECT_TRUE(server.is_handshake_complete());
  SessionPtr session(SSL_get1_session(client.ssl()), SSL_SESSION_free);
  EXPECT_EQ(SSL_SESSION_get_max_early_data(session.get()), server_config.max_early_data);
  // As if closed cleanly: SSL_free() of an unclosed connection spoils its session.
  SSL_set_shutdown(client.ssl(), SSL_SENT_SHUTDOWN | SSL_RECEIVED_SHUTDOWN);
  return session;
}

/// The client's first flight: a ClientHello resuming `session` and `early` as 0-RTT data.
Bytes early_flight(OpenSslClient& client, SSL_SESSION* session, const std::string& early) {
  EXPECT_EQ(SSL_set_session(client.ssl(), session), 1);
  std::size_t written = 0;
  EXPECT_EQ(SSL_write_early_data(client.ssl(), early.data(), early.size(), &written), 1);
  EXPECT_EQ(written, early.size());
  return client.take();
}

Bytes as_vector(const std::string& text) {
  return {text.begin(), text.end()};
}

TEST(Tls13EarlyData, AcceptedAndDeliveredFirst) {
  const ServerConfig server_config = early_server(16384);
  auto ctx = client_ctx();
  const SessionPtr session = prime(ctx.get(), server_config);
  OpenSslClient client(ctx.get());
  const Bytes flight = early_flight(client, session.get(), "GET /early");
  auto server = Connection::server(server_config).value();
  pump(client, server, flight);
  ASSERT_FALSE(server.error()) << server.error()->message();
  ASSERT_TRUE(server.is_handshake_complete());
  EXPECT_TRUE(server.negotiated().resumed);
  EXPECT_TRUE(server.negotiated().early_data_accepted);
  EXPECT_EQ(SSL_get_early_data_status(client.ssl()), SSL_EARLY_DATA_ACCEPTED);
  EXPECT_EQ(server.early_data_received(), 10U);
  // 1-RTT data after the handshake follows the early data in the stream.
  ASSERT_EQ(SSL_write(client.ssl(), " and more", 9), 9);
  pump(client, server);
  EXPECT_EQ(read_all(server), as_vector("GET /early and more"));
  ASSERT_TRUE(server.write(as_bytes("answer")).ok());
  EXPECT_EQ(pump(client, server), "answer");
}

TEST(Tls13EarlyData, AReplayedFirstFlightGetsNoEarlyDataIn) {
  const ServerConfig server_config = early_server(16384);
  auto ctx = client_ctx();
  const SessionPtr session = prime(ctx.get(), server_config);
  OpenSslClient client(ctx.get());
  const Bytes flight = early_flight(client, session.get(), "POST /pay");
  auto first = Connection::server(server_config).value();
  pump(client, first, flight);
  ASSERT_TRUE(first.negotiated().early_data_accepted);

  // An attacker replays the same bytes: the ClientHello is answered (it cannot finish the
  // handshake), but the early data is skipped, never delivered.
  auto replayed = Connection::server(server_config).value();
  ASSERT_TRUE(replayed.feed(flight).ok()) << replayed.error()->message();
  EXPECT_FALSE(replayed.negotiated().early_data_accepted);
  EXPECT_EQ(replayed.early_data_received(), 0U);
  EXPECT_EQ(replayed.readable(), 0U);
  EXPECT_FALSE(replayed.pending_output().empty());
}

TEST(Tls13EarlyData, RefusedByConfigurationTheRecordsAreSkipped) {
  auto ctx = client_ctx();
  const SessionPtr session = prime(ctx.get(), early_server(16384));
  OpenSslClient client(ctx.get());
  const Bytes flight = early_flight(client, session.get(), "GET /early");
  auto server = Connection::server(early_server(0)).value();  // same keys, 0-RTT off
  pump(client, server, flight);
  ASSERT_FALSE(server.error()) << server.error()->message();
  ASSERT_TRUE(server.is_handshake_complete());
  EXPECT_TRUE(server.negotiated().resumed);
  EXPECT_FALSE(server.negotiated().early_data_accepted);
  EXPECT_EQ(SSL_get_early_data_status(client.ssl()), SSL_EARLY_DATA_REJECTED);
  EXPECT_EQ(server.readable(), 0U);
  ASSERT_EQ(SSL_write(client.ssl(), "GET /again", 10), 10);  // sent again, in 1-RTT
  pump(client, server);
  EXPECT_EQ(read_all(server), as_vector("GET /again"));
  EXPECT_EQ(server.early_data_received(), 0U);
}

TEST(Tls13EarlyData, AfterAHelloRetryRequestTheRecordsAreSkipped) {
  ServerConfig server_config = early_server(16384);
  server_config.groups = {NamedGroup::secp384r1};  // libssl sends an X25519 share first
  auto ctx = client_ctx();
  const SessionPtr session = prime(ctx.get(), server_config);
  OpenSslClient client(ctx.get());
  const Bytes flight = early_flight(client, session.get(), "GET /early");
  auto server = Connection::server(server_config).value();
  pump(client, server, flight);
  ASSERT_FALSE(server.error()) << server.error()->message();
  ASSERT_TRUE(server.is_handshake_complete());
  EXPECT_TRUE(server.negotiated().hello_retry_request);
  EXPECT_FALSE(server.negotiated().early_data_accepted);
  EXPECT_EQ(SSL_get_early_data_status(client.ssl()), SSL_EARLY_DATA_REJECTED);
  EXPECT_EQ(server.readable(), 0U);
}

TEST(Tls13EarlyData, MoreThanMaxEarlyDataIsUnexpectedMessage) {
  auto ctx = client_ctx();
  const SessionPtr session = prime(ctx.get(), early_server(16384));  // the ticket says 16 KiB
  OpenSslClient client(ctx.get());
  const Bytes flight = early_flight(client, session.get(), std::string(100, 'x'));
  auto server = Connection::server(early_server(16)).value();  // this server takes 16 bytes
  EXPECT_FALSE(server.feed(flight).ok());
  EXPECT_EQ(code_of(server), Errc::unexpected_message);
}

TEST(Tls13EarlyData, TicketsAnnounceNoEarlyDataUnlessConfigured) {
  auto ctx = client_ctx();
  const SessionPtr session = prime(ctx.get(), early_server(0));
  EXPECT_EQ(SSL_SESSION_get_max_early_data(session.get()), 0U);
  // keel's own client keeps the server's max_early_data with the session.
  ClientConfig client_config = test_client_config();
  const ServerConfig server_config = early_server(4096);
  auto client = Connection::client(client_config, "server.test").value();
  auto server = Connection::server(server_config).value();
  test::pump(client, server);
  const auto saved = client_config.session_cache->peek("server.test");
  ASSERT_TRUE(saved.has_value());
  EXPECT_EQ(saved->max_early_data(), 4096U);
}

}  // namespace
}  // namespace keel::test
