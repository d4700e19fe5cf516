// In-memory TLS: a client and a server Connection joined by memory, and the fixtures of
// tests/data/tls/ (see make.py there).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include <keel/config.hpp>
#include <keel/connection.hpp>
#include <keel/session.hpp>

#include "support/test_util.hpp"

namespace keel::test {

inline std::string data_text(const std::string& relative) {
  const Bytes bytes = read_data(relative);
  return {bytes.begin(), bytes.end()};
}

/// tests/data/tls/<stem>.pem and .key.
inline CertifiedKey tls_certificate(const std::string& stem) {
  auto certified =
      CertifiedKey::from_pem(data_text("tls/" + stem + ".pem"), data_text("tls/" + stem + ".key"));
  if (!certified.ok()) {
    ADD_FAILURE() << stem << ": " << certified.error().message();
    std::abort();
  }
  return std::move(certified).value();
}

inline TrustAnchors tls_roots(const std::string& file = "root.pem") {
  auto anchors = TrustAnchors::from_pem(data_text("tls/" + file), file);
  if (!anchors.ok()) {
    ADD_FAILURE() << file << ": " << anchors.error().message();
    std::abort();
  }
  return std::move(anchors).value();
}

/// A client that trusts the test root and a server with `certificate`.
inline ClientConfig test_client_config() {
  ClientConfig config;
  config.trust_anchors = tls_roots();
  return config;
}
inline ServerConfig test_server_config(const std::string& certificate = "server-ecdsa-p256") {
  ServerConfig config;
  config.certificates.push_back(tls_certificate(certificate));
  return config;
}

/// Ticket keys fixed by text, as a fleet's file would give them: servers configured with them
/// resume each other's sessions.
inline TicketKeys fleet_ticket_keys() {
  auto keys = TicketKeys::from_text(
      "00112233445566778899aabbccddeeff "
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\n",
      "fleet");
  if (!keys.ok()) {
    ADD_FAILURE() << keys.error().message();
    std::abort();
  }
  return std::move(keys).value();
}

/// Moves what one side has to send into the other, `chunk` bytes per feed (0: all at once).
/// Returns whether anything moved. Errors stay in each connection's error().
inline bool deliver(Connection& from, Connection& to, std::size_t chunk = 0) {
  const ByteView out = from.pending_output();
  if (out.empty())
    return false;
  const Bytes copy(out.begin(), out.end());
  from.consume_output(copy.size());
  if (to.error())
    return true;  // a failed side takes nothing more
  const std::size_t step = chunk == 0 ? copy.size() : chunk;
  for (std::size_t at = 0; at < copy.size(); at += step) {
    const std::size_t n = std::min(step, copy.size() - at);
    if (!to.feed(ByteView(copy).subspan(at, n)).ok())
      break;
  }
  return true;
}

/// Moves bytes both ways until both sides are quiet.
inline void pump(Connection& client, Connection& server, std::size_t chunk = 0) {
  for (int round = 0; round < 10000; ++round) {
    const bool a = deliver(client, server, chunk);
    const bool b = deliver(server, client, chunk);
    if (!a && !b)
      return;
  }
  ADD_FAILURE() << "pump: the connections never went quiet";
}

/// A client and a server connection, for each other.
struct Pair {
  Connection client;
  Connection server;
};

/// A client for `name` and a server, nothing exchanged yet.
inline Pair unconnected(const ClientConfig& client_config, const ServerConfig& server_config,
                        std::string_view name = "server.test") {
  auto client = Connection::client(client_config, name);
  auto server = Connection::server(server_config);
  if (!client.ok() || !server.ok()) {
    ADD_FAILURE() << (client.ok() ? server.error().message() : client.error().message());
    std::abort();
  }
  return Pair{std::move(client).value(), std::move(server).value()};
}

/// unconnected(), then bytes pumped both ways (`chunk` at a time) until both sides are quiet.
inline Pair connect(const ClientConfig& client_config, const ServerConfig& server_config,
                    std::string_view name = "server.test", std::size_t chunk = 0) {
  Pair pair = unconnected(client_config, server_config, name);
  pump(pair.client, pair.server, chunk);
  return pair;
}

/// Both handshakes completed, neither side failed.
inline void expect_established(const Pair& pair) {
  ASSERT_FALSE(pair.client.error()) << pair.client.error()->message();
  ASSERT_FALSE(pair.server.error()) << pair.server.error()->message();
  ASSERT_TRUE(pair.client.is_handshake_complete());
  ASSERT_TRUE(pair.server.is_handshake_complete());
}

/// Everything readable from `connection`.
inline Bytes read_all(Connection& connection) {
  Bytes out(connection.readable());
  auto n = connection.read(out);
  EXPECT_TRUE(n.ok());
  out.resize(n.ok() ? n.value() : 0);
  return out;
}

/// The error's reason, or nothing.
inline std::optional<Errc> code_of(const Connection& connection) {
  if (!connection.error())
    return std::nullopt;
  return connection.error()->code();
}

/// The peer was told with `alert`.
inline void expect_told(const Connection& peer, Alert alert) {
  ASSERT_EQ(code_of(peer), Errc::alert_received);
  EXPECT_NE(peer.error()->detail().find(std::string(to_string(alert))), std::string::npos)
      << peer.error()->detail();
}

/// After a failure, once its alert is taken, a connection stays failed and quiet.
inline void expect_closed_for_good(Connection& failed) {
  EXPECT_FALSE(failed.write(Bytes{1}).ok());
  EXPECT_FALSE(failed.feed(Bytes{0x17, 0x03, 0x03, 0x00, 0x01, 0x00}).ok());
  EXPECT_TRUE(failed.pending_output().empty());
}

}  // namespace keel::test
