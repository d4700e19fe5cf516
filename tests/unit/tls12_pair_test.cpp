// keel's TLS 1.2 client and server against each other, in memory through the public API:
// every suite with the certificates that sign for it and every group, ALPN, client
// certificates, version negotiation (TLS 1.3 when both offer it, TLS 1.2 when one side stops
// there, the downgrade sentinel in the server's random), and what each side refuses.
#include <string>

#include <gtest/gtest.h>

#include "handshake/negotiation.hpp"
#include "record/record.hpp"
#include "support/tls_pair.hpp"

namespace keel::test {
namespace {

ClientConfig tls12_client() {
  ClientConfig config = test_client_config();
  config.max_version = ProtocolVersion::tls12;
  return config;
}

void expect_data_both_ways(Pair& pair) {
  const Bytes request(30'000, 0x42);
  ASSERT_TRUE(pair.client.write(request).ok());
  pump(pair.client, pair.server);
  Bytes got(request.size());
  auto n = pair.server.read(got);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, request.size());
  EXPECT_EQ(got, request);
  ASSERT_TRUE(pair.server.write(as_bytes("reply")).ok());
  pump(pair.client, pair.server);
  std::array<std::uint8_t, 16> reply{};
  auto m = pair.client.read(reply);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(*m, 5U);
}

using Case = std::tuple<CipherSuite, NamedGroup, std::string>;

class Tls12Pair : public testing::TestWithParam<Case> {};

TEST_P(Tls12Pair, HandshakeDataExporterClose) {
  const auto& [suite, group, certificate] = GetParam();
  ClientConfig client_config = tls12_client();
  client_config.cipher_suites = {suite};
  // RFC 8422 §5.1.1: in TLS 1.2 supported_groups also covers the certificate's curve, so the
  // client lists the NIST curves after the group under test; the server takes that group.
  client_config.groups = {group};
  for (const NamedGroup curve : {NamedGroup::secp256r1, NamedGroup::secp384r1}) {
    if (curve != group) {
      client_config.groups.push_back(curve);
    }
  }
  ServerConfig server_config = test_server_config(certificate);
  server_config.groups = {group};
  Pair pair = connect(client_config, server_config);
  ASSERT_TRUE(pair.client.is_handshake_complete())
      << (pair.client.error() ? pair.client.error()->message() : "")
      << (pair.server.error() ? pair.server.error()->message() : "");
  ASSERT_TRUE(pair.server.is_handshake_complete());
  for (const Connection* side : {&pair.client, &pair.server}) {
    EXPECT_EQ(side->negotiated().version, ProtocolVersion::tls12);
    EXPECT_EQ(side->negotiated().cipher_suite, suite);
    EXPECT_EQ(side->negotiated().group, group);
  }
  EXPECT_TRUE(pair.client.negotiated().peer_verified);
  expect_data_both_ways(pair);
  Bytes a(32);
  Bytes b(32);
  ASSERT_TRUE(pair.client.export_keying_material("EXPORTER-test", as_bytes("x"), a).ok());
  ASSERT_TRUE(pair.server.export_keying_material("EXPORTER-test", as_bytes("x"), b).ok());
  EXPECT_EQ(a, b);
  ASSERT_TRUE(pair.client.close().ok());
  pump(pair.client, pair.server);
  EXPECT_TRUE(pair.server.peer_closed());
}

std::vector<Case> cases() {
  std::vector<Case> out;
  const std::vector<std::pair<CipherSuite, std::vector<std::string>>> suites = {
      {CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
       {"server-ecdsa-p256", "server-ecdsa-p384", "server-ed25519"}},
      {CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, {"server-ecdsa-p256"}},
      {CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, {"server-ecdsa-p256"}},
      {CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, {"server-rsa-2048"}},
      {CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, {"server-rsa-2048"}},
      {CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, {"server-rsa-2048"}},
  };
  for (const auto& [suite, certificates] : suites) {
    for (const auto& certificate : certificates) {
      for (const NamedGroup group :
           {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1}) {
        out.emplace_back(suite, group, certificate);
      }
    }
  }
  return out;
}

INSTANTIATE_TEST_SUITE_P(Matrix, Tls12Pair, testing::ValuesIn(cases()), [](const auto& param_info) {
  std::string name = to_string(std::get<0>(param_info.param)) + "_" +
                     to_string(std::get<1>(param_info.param)) + "_" + std::get<2>(param_info.param);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

TEST(Tls12Versions, BothSidesDefaultToTls13AndEitherCanStopAtTls12) {
  Pair both = connect(test_client_config(), test_server_config());
  ASSERT_TRUE(both.client.is_handshake_complete());
  EXPECT_EQ(both.client.negotiated().version, ProtocolVersion::tls13);

  Pair client12 = connect(tls12_client(), test_server_config());
  ASSERT_TRUE(client12.client.is_handshake_complete());
  EXPECT_EQ(client12.server.negotiated().version, ProtocolVersion::tls12);

  ServerConfig server12 = test_server_config();
  server12.max_version = ProtocolVersion::tls12;
  Pair to_server12 = connect(test_client_config(), server12);
  ASSERT_TRUE(to_server12.client.is_handshake_complete())
      << (to_server12.client.error() ? to_server12.client.error()->message() : "");
  EXPECT_EQ(to_server12.client.negotiated().version, ProtocolVersion::tls12);

  ServerConfig server13 = test_server_config();
  server13.min_version = ProtocolVersion::tls13;
  Pair refused = connect(tls12_client(), server13);
  EXPECT_EQ(code_of(refused.server), Errc::protocol_version);
}

/// The server's random, from the ServerHello at the start of its first flight.
msg::Random server_random(Connection& client, Connection& server) {
  const Bytes hello(client.pending_output().begin(), client.pending_output().end());
  client.consume_output(hello.size());
  EXPECT_TRUE(server.feed(hello).ok());
  const ByteView flight = server.pending_output();
  msg::Random random{};
  // record header (5), handshake header (4), legacy_version (2), then the random.
  std::copy_n(flight.begin() + record::kHeaderSize + 6, random.size(), random.begin());
  return random;
}

TEST(Tls12Versions, AServerThatSpeaksTls13MarksItsRandomWhenItSpeaksTls12) {
  // RFC 8446 §4.1.3: "DOWNGRD" 01 — but not from a server that has TLS 1.3 turned off.
  auto client = Connection::client(tls12_client(), "server.test").value();
  auto server = Connection::server(test_server_config()).value();
  EXPECT_TRUE(handshake::has_downgrade_sentinel(server_random(client, server)));
  ServerConfig server12 = test_server_config();
  server12.max_version = ProtocolVersion::tls12;
  auto client2 = Connection::client(tls12_client(), "server.test").value();
  auto server2 = Connection::server(server12).value();
  EXPECT_FALSE(handshake::has_downgrade_sentinel(server_random(client2, server2)));
}

TEST(Tls12Pair, AlpnAndClientCertificates) {
  ClientConfig client_config = tls12_client();
  client_config.alpn = {"h2", "http/1.1"};
  client_config.certificate = tls_certificate("client");
  ServerConfig server_config = test_server_config("server-rsa-2048");
  server_config.alpn = {"http/1.1"};
  server_config.client_authentication = ClientAuthentication::required;
  server_config.client_trust_anchors = tls_roots();
  Pair pair = connect(client_config, server_config);
  ASSERT_TRUE(pair.server.is_handshake_complete())
      << (pair.server.error() ? pair.server.error()->message() : "");
  EXPECT_EQ(pair.client.negotiated().alpn, "http/1.1");
  EXPECT_EQ(pair.server.negotiated().alpn, "http/1.1");
  EXPECT_TRUE(pair.server.negotiated().peer_verified);
  EXPECT_EQ(pair.server.negotiated().peer_certificates.size(), 2U);
  expect_data_both_ways(pair);

  // Without a certificate, a server that requires one refuses; one that only asks goes on.
  ClientConfig anonymous = tls12_client();
  Pair refused = connect(anonymous, server_config);
  EXPECT_EQ(code_of(refused.server), Errc::handshake_failure);
  server_config.client_authentication = ClientAuthentication::optional;
  Pair optional = connect(anonymous, server_config);
  ASSERT_TRUE(optional.server.is_handshake_complete());
  EXPECT_FALSE(optional.server.negotiated().peer_verified);
}

TEST(Tls12Pair, NoSuiteInCommonAndUntrustedServer) {
  ClientConfig ecdsa_only = tls12_client();
  ecdsa_only.cipher_suites = {CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256};
  Pair no_suite = connect(ecdsa_only, test_server_config("server-rsa-2048"));
  EXPECT_EQ(code_of(no_suite.server), Errc::handshake_failure);

  ClientConfig other_root = tls12_client();
  other_root.trust_anchors = tls_roots("untrusted-root.pem");
  Pair untrusted = connect(other_root, test_server_config());
  EXPECT_EQ(code_of(untrusted.client), Errc::unknown_issuer);
}

}  // namespace
}  // namespace keel::test
