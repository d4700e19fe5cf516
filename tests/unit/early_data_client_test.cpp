// TLS 1.3 0-RTT (RFC 8446 §4.2.10) from keel's client to keel's server, in memory: what is
// written before the handshake goes in the first flight and arrives first, marked as early;
// past the ticket's max_early_data, or once the server answered, it waits for the handshake;
// rejected (by configuration, by a HelloRetryRequest) it is sent again after the handshake,
// unless the server chose another ALPN protocol (then the connection fails); a TLS 1.2
// ServerHello fails the connection (RFC 8446 §D.3); nothing goes early unless the config asks
// for it.
#include <string>

#include <gtest/gtest.h>

#include "support/tls_pair.hpp"

namespace keel::test {
namespace {

ServerConfig early_server(std::uint32_t max_early_data) {
  ServerConfig config = test_server_config();
  config.ticket_keys = fleet_ticket_keys();
  config.max_early_data = max_early_data;
  return config;
}

ClientConfig early_client() {
  ClientConfig config = test_client_config();
  config.early_data = true;
  return config;
}

/// A full handshake that leaves `client_config`'s cache with the server's tickets.
void prime(const ClientConfig& client_config, const ServerConfig& server_config) {
  const Pair pair = connect(client_config, server_config);
  ASSERT_TRUE(pair.client.is_handshake_complete());
  ASSERT_GT(client_config.session_cache->size(), 0U);
}

Bytes as_vector(const std::string& text) {
  return {text.begin(), text.end()};
}

/// A client that writes `early` before anything else, and the server it meets.
Pair resume_with(const ClientConfig& client_config, const ServerConfig& server_config,
                 const std::string& early) {
  Pair pair = unconnected(client_config, server_config);
  EXPECT_TRUE(pair.client.write(as_vector(early)).ok());
  pump(pair.client, pair.server);
  return pair;
}

TEST(Tls13ClientEarlyData, AcceptedItArrivesFirstAsEarlyData) {
  const ServerConfig server_config = early_server(16384);
  const ClientConfig client_config = early_client();
  prime(client_config, server_config);
  std::vector<std::string> client_log;
  std::vector<std::string> server_log;
  ClientConfig logged = client_config;
  logged.key_log = [&](std::string_view line) { client_log.emplace_back(line); };
  ServerConfig logged_server = server_config;
  logged_server.key_log = [&](std::string_view line) { server_log.emplace_back(line); };

  Pair pair = resume_with(logged, logged_server, "GET /early");
  expect_established(pair);
  EXPECT_TRUE(pair.client.negotiated().resumed);
  EXPECT_TRUE(pair.client.negotiated().early_data_accepted);
  EXPECT_TRUE(pair.server.negotiated().early_data_accepted);
  EXPECT_EQ(pair.client.early_data_sent(), 10U);
  EXPECT_EQ(pair.server.early_data_received(), 10U);
  ASSERT_TRUE(pair.client.write(as_vector(" and then")).ok());
  pump(pair.client, pair.server);
  EXPECT_EQ(read_all(pair.server), as_vector("GET /early and then"));  // once, in order
  ASSERT_TRUE(pair.server.write(as_vector("200")).ok());
  pump(pair.client, pair.server);
  EXPECT_EQ(read_all(pair.client), as_vector("200"));
  // Both sides derived the same early traffic secret.
  const auto early_line = [](const std::vector<std::string>& log) {
    for (const auto& line : log) {
      if (line.starts_with("CLIENT_EARLY_TRAFFIC_SECRET ")) {
        return line;
      }
    }
    return std::string();
  };
  EXPECT_FALSE(early_line(client_log).empty());
  EXPECT_EQ(early_line(client_log), early_line(server_log));
}

TEST(Tls13ClientEarlyData, PastMaxEarlyDataTheRestWaitsForTheHandshake) {
  const ServerConfig server_config = early_server(8);
  const ClientConfig client_config = early_client();
  prime(client_config, server_config);
  Pair pair = resume_with(client_config, server_config, "0123456789abcdef");
  expect_established(pair);
  EXPECT_TRUE(pair.client.negotiated().early_data_accepted);
  EXPECT_EQ(pair.client.early_data_sent(), 8U);
  EXPECT_EQ(pair.server.early_data_received(), 8U);
  EXPECT_EQ(read_all(pair.server), as_vector("0123456789abcdef"));
}

TEST(Tls13ClientEarlyData, WrittenAfterTheServerAnsweredItWaits) {
  const ServerConfig server_config = early_server(16384);
  const ClientConfig client_config = early_client();
  prime(client_config, server_config);
  auto client = Connection::client(client_config, "server.test").value();
  auto server = Connection::server(server_config).value();
  ASSERT_TRUE(client.write(as_vector("first")).ok());
  deliver(client, server);
  deliver(server, client);  // ServerHello to Finished: the server has answered
  ASSERT_TRUE(client.write(as_vector(" second")).ok());
  EXPECT_EQ(client.early_data_sent(), 5U);
  pump(client, server);
  ASSERT_TRUE(client.is_handshake_complete());
  EXPECT_EQ(server.early_data_received(), 5U);
  EXPECT_EQ(read_all(server), as_vector("first second"));
}

TEST(Tls13ClientEarlyData, RejectedByTheServerItIsSentAgain) {
  const ClientConfig client_config = early_client();
  prime(client_config, early_server(16384));
  Pair pair = resume_with(client_config, early_server(0), "GET /again");  // 0-RTT off now
  expect_established(pair);
  EXPECT_TRUE(pair.client.negotiated().resumed);
  EXPECT_FALSE(pair.client.negotiated().early_data_accepted);
  EXPECT_EQ(pair.client.early_data_sent(), 10U);
  EXPECT_EQ(pair.server.early_data_received(), 0U);
  EXPECT_EQ(read_all(pair.server), as_vector("GET /again"));  // once, after the handshake
}

TEST(Tls13ClientEarlyData, AfterAHelloRetryRequestItIsSentAgain) {
  ServerConfig server_config = early_server(16384);
  server_config.groups = {NamedGroup::secp384r1};  // the client's share is X25519
  const ClientConfig client_config = early_client();
  prime(client_config, server_config);
  Pair pair = resume_with(client_config, server_config, "GET /retry");
  expect_established(pair);
  EXPECT_TRUE(pair.client.negotiated().hello_retry_request);
  EXPECT_TRUE(pair.client.negotiated().resumed);
  EXPECT_FALSE(pair.client.negotiated().early_data_accepted);
  EXPECT_EQ(pair.client.early_data_sent(), 10U);
  EXPECT_EQ(read_all(pair.server), as_vector("GET /retry"));
}

TEST(Tls13ClientEarlyData, RejectedWithAnotherAlpnTheConnectionFails) {
  ServerConfig h2 = early_server(16384);
  h2.alpn = {"h2"};
  ClientConfig client_config = early_client();
  client_config.alpn = {"h2", "http/1.1"};
  prime(client_config, h2);
  ServerConfig http11 = early_server(16384);
  http11.alpn = {"http/1.1"};  // rejects the early data: the session's ALPN was h2
  Pair pair = resume_with(client_config, http11, "PRI * HTTP/2.0");
  EXPECT_EQ(code_of(pair.client), Errc::handshake_failure);
  EXPECT_NE(pair.client.error()->message().find("chose ALPN \"http/1.1\""), std::string::npos);
  EXPECT_EQ(pair.server.readable(), 0U);
}

TEST(Tls13ClientEarlyData, ATls12ServerHelloFailsTheConnection) {
  const ClientConfig client_config = early_client();
  prime(client_config, early_server(16384));
  ServerConfig tls12 = early_server(16384);
  tls12.max_version = ProtocolVersion::tls12;  // the fleet went back to TLS 1.2
  Pair pair = resume_with(client_config, tls12, "GET /early");
  // RFC 8446 §D.3: the client must fail; it may connect again without early data.
  EXPECT_EQ(code_of(pair.client), Errc::protocol_version);
  EXPECT_EQ(pair.server.readable(), 0U);
  Pair again = resume_with(test_client_config(), tls12, "GET /late");
  expect_established(again);
  EXPECT_EQ(read_all(again.server), as_vector("GET /late"));
}

TEST(Tls13ClientEarlyData, NothingGoesEarlyUnlessTheConfigAsks) {
  const ServerConfig server_config = early_server(16384);
  const ClientConfig client_config = test_client_config();  // early_data off
  prime(client_config, server_config);
  Pair pair = resume_with(client_config, server_config, "GET /late");
  expect_established(pair);
  EXPECT_TRUE(pair.client.negotiated().resumed);
  EXPECT_EQ(pair.client.early_data_sent(), 0U);
  EXPECT_EQ(pair.server.early_data_received(), 0U);
  EXPECT_EQ(read_all(pair.server), as_vector("GET /late"));
}

TEST(Tls13ClientEarlyData, NothingGoesEarlyOnATicketThatAllowsNone) {
  const ServerConfig server_config = early_server(0);
  const ClientConfig client_config = early_client();
  prime(client_config, server_config);
  Pair pair = resume_with(client_config, early_server(16384), "GET /late");
  expect_established(pair);
  EXPECT_EQ(pair.client.early_data_sent(), 0U);
  EXPECT_EQ(read_all(pair.server), as_vector("GET /late"));
}

}  // namespace
}  // namespace keel::test
