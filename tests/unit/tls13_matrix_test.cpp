// In-memory TLS 1.3, client and server through keel's public API: every suite × group ×
// certificate type, and the features each side must have (HRR, ALPN, mTLS, KeyUpdate, large
// and tiny transfers, byte-at-a-time delivery).
#include <numeric>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "support/tls_pair.hpp"

namespace keel::test {
namespace {

/// Sends `data` from one side to the other and checks it arrives whole.
void expect_transfer(Connection& from, Connection& to, Connection& client, Connection& server,
                     const Bytes& data) {
  ASSERT_TRUE(from.write(data).ok());
  pump(client, server);
  EXPECT_EQ(read_all(to), data);
}

using MatrixParam = std::tuple<CipherSuite, NamedGroup, std::string>;

class Matrix : public ::testing::TestWithParam<MatrixParam> {};

TEST_P(Matrix, HandshakeAndDataBothWays) {
  const auto& [suite, group, certificate] = GetParam();
  ClientConfig client_config = test_client_config();
  client_config.cipher_suites = {suite};
  client_config.groups = {group};
  auto pair = connect(client_config, test_server_config(certificate));
  expect_established(pair);

  for (const Connection* side : {&pair.client, &pair.server}) {
    const Negotiated& n = side->negotiated();
    EXPECT_EQ(n.version, ProtocolVersion::tls13);
    EXPECT_EQ(n.cipher_suite, suite);
    EXPECT_EQ(n.group, group);
    EXPECT_EQ(n.server_name, "server.test");
    EXPECT_FALSE(n.hello_retry_request);
  }
  EXPECT_TRUE(pair.client.negotiated().peer_verified);
  EXPECT_EQ(pair.client.negotiated().peer_certificates.size(), 2U);
  EXPECT_TRUE(pair.client.negotiated().peer_signature_scheme.has_value());
  EXPECT_TRUE(pair.server.negotiated().peer_certificates.empty());

  expect_transfer(pair.client, pair.server, pair.client, pair.server, Bytes{'p', 'i', 'n', 'g'});
  expect_transfer(pair.server, pair.client, pair.client, pair.server, Bytes{'p', 'o', 'n', 'g'});

  // Both sides export the same keying material (§7.5).
  std::array<std::uint8_t, 32> client_key{};
  std::array<std::uint8_t, 32> server_key{};
  ASSERT_TRUE(pair.client.export_keying_material("EXPERIMENTAL test", {}, client_key).ok());
  ASSERT_TRUE(pair.server.export_keying_material("EXPERIMENTAL test", {}, server_key).ok());
  EXPECT_EQ(client_key, server_key);

  // A clean close both ways.
  ASSERT_TRUE(pair.client.close().ok());
  ASSERT_TRUE(pair.server.close().ok());
  pump(pair.client, pair.server);
  EXPECT_TRUE(pair.client.peer_closed());
  EXPECT_TRUE(pair.server.peer_closed());
  EXPECT_TRUE(pair.client.feed_end_of_stream().ok());
  EXPECT_TRUE(pair.server.feed_end_of_stream().ok());
}

std::string matrix_name(const ::testing::TestParamInfo<MatrixParam>& info) {
  std::string name = to_string(std::get<0>(info.param)) + "_" + to_string(std::get<1>(info.param)) +
                     "_" + std::get<2>(info.param);
  for (char& c : name) {
    if (c == '-')
      c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(
    Tls13, Matrix,
    ::testing::Combine(
        ::testing::Values(CipherSuite::TLS_AES_128_GCM_SHA256, CipherSuite::TLS_AES_256_GCM_SHA384,
                          CipherSuite::TLS_CHACHA20_POLY1305_SHA256),
        ::testing::Values(NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1),
        ::testing::Values("server-ecdsa-p256", "server-ecdsa-p384", "server-rsa-2048",
                          "server-ed25519")),
    matrix_name);

TEST(Tls13Features, RsaCertificateSignsWithPss) {
  auto pair = connect(test_client_config(), test_server_config("server-rsa-2048"));
  expect_established(pair);
  EXPECT_EQ(pair.client.negotiated().peer_signature_scheme, SignatureScheme::rsa_pss_rsae_sha256);
}

TEST(Tls13Features, HelloRetryRequestForTheServersGroup) {
  ClientConfig client_config = test_client_config();
  client_config.groups = {NamedGroup::x25519, NamedGroup::secp384r1};  // a share for x25519
  ServerConfig server_config = test_server_config();
  server_config.groups = {NamedGroup::secp384r1};
  auto pair = connect(client_config, server_config);
  expect_established(pair);
  for (const Connection* side : {&pair.client, &pair.server}) {
    EXPECT_TRUE(side->negotiated().hello_retry_request);
    EXPECT_EQ(side->negotiated().group, NamedGroup::secp384r1);
  }
  expect_transfer(pair.client, pair.server, pair.client, pair.server, Bytes{1, 2, 3});
}

TEST(Tls13Features, AlpnPicksTheServersPreference) {
  ClientConfig client_config = test_client_config();
  client_config.alpn = {"h2", "http/1.1"};
  ServerConfig server_config = test_server_config();
  server_config.alpn = {"http/1.1", "h2"};
  auto pair = connect(client_config, server_config);
  expect_established(pair);
  EXPECT_EQ(pair.client.negotiated().alpn, "http/1.1");
  EXPECT_EQ(pair.server.negotiated().alpn, "http/1.1");
}

TEST(Tls13Features, AlpnWithoutOverlapIsRefused) {
  ClientConfig client_config = test_client_config();
  client_config.alpn = {"h2"};
  ServerConfig server_config = test_server_config();
  server_config.alpn = {"http/1.1"};
  auto pair = connect(client_config, server_config);
  EXPECT_EQ(code_of(pair.server), Errc::no_application_protocol);
  EXPECT_EQ(code_of(pair.client), Errc::alert_received);
  EXPECT_NE(pair.client.error()->detail().find("no_application_protocol"), std::string::npos);
}

TEST(Tls13Features, SniChoosesTheCertificate) {
  ServerConfig server_config = test_server_config("server-ecdsa-p256");
  server_config.certificates.push_back(tls_certificate("other-ecdsa-p256"));
  for (const std::string name : {"server.test", "other.test", "www.server.test"}) {
    auto pair = connect(test_client_config(), server_config, name);
    expect_established(pair);
    EXPECT_EQ(pair.server.negotiated().server_name, name);
  }
}

TEST(Tls13Features, SignatureSchemesChooseTheCertificate) {
  // An RSA and an ECDSA certificate for one name: a client offering only RSA-PSS gets RSA.
  ServerConfig server_config = test_server_config("server-ecdsa-p256");
  server_config.certificates.push_back(tls_certificate("server-rsa-2048"));
  auto pair = connect(test_client_config(), server_config);
  expect_established(pair);
  EXPECT_EQ(pair.client.negotiated().peer_signature_scheme,
            SignatureScheme::ecdsa_secp256r1_sha256);

  ClientConfig rsa_only = test_client_config();
  rsa_only.signature_schemes = {SignatureScheme::rsa_pss_rsae_sha384};
  auto rsa_pair = connect(rsa_only, server_config);
  expect_established(rsa_pair);
  EXPECT_EQ(rsa_pair.client.negotiated().peer_signature_scheme,
            SignatureScheme::rsa_pss_rsae_sha384);

  ClientConfig ed25519_only = test_client_config();
  ed25519_only.signature_schemes = {SignatureScheme::ed25519};
  auto refused = connect(ed25519_only, server_config);
  EXPECT_EQ(code_of(refused.server), Errc::handshake_failure);
  EXPECT_EQ(code_of(refused.client), Errc::alert_received);
}

TEST(Tls13Features, MutualAuthentication) {
  ClientConfig client_config = test_client_config();
  client_config.certificate = tls_certificate("client");
  ServerConfig server_config = test_server_config();
  server_config.client_authentication = ClientAuthentication::required;
  server_config.client_trust_anchors = tls_roots();
  auto pair = connect(client_config, server_config);
  expect_established(pair);
  EXPECT_TRUE(pair.server.negotiated().peer_verified);
  EXPECT_EQ(pair.server.negotiated().peer_certificates.size(), 2U);
  EXPECT_EQ(pair.server.negotiated().peer_signature_scheme,
            SignatureScheme::ecdsa_secp256r1_sha256);
  expect_transfer(pair.server, pair.client, pair.client, pair.server, Bytes{42});
}

TEST(Tls13Features, RequiredClientCertificateMissing) {
  ServerConfig server_config = test_server_config();
  server_config.client_authentication = ClientAuthentication::required;
  server_config.client_trust_anchors = tls_roots();
  auto pair = connect(test_client_config(), server_config);
  EXPECT_EQ(code_of(pair.server), Errc::certificate_required);
  EXPECT_EQ(code_of(pair.client), Errc::alert_received);
  EXPECT_NE(pair.client.error()->detail().find("certificate_required"), std::string::npos);
}

TEST(Tls13Features, OptionalClientCertificateMissing) {
  ServerConfig server_config = test_server_config();
  server_config.client_authentication = ClientAuthentication::optional;
  server_config.client_trust_anchors = tls_roots();
  auto pair = connect(test_client_config(), server_config);
  expect_established(pair);
  EXPECT_FALSE(pair.server.negotiated().peer_verified);
  EXPECT_TRUE(pair.server.negotiated().peer_certificates.empty());
}

TEST(Tls13Features, UntrustedClientCertificate) {
  ClientConfig client_config = test_client_config();
  client_config.certificate = tls_certificate("untrusted");
  ServerConfig server_config = test_server_config();
  server_config.client_authentication = ClientAuthentication::optional;
  server_config.client_trust_anchors = tls_roots();
  auto pair = connect(client_config, server_config);
  EXPECT_EQ(code_of(pair.server), Errc::unknown_issuer);
  EXPECT_EQ(code_of(pair.client), Errc::alert_received);
}

TEST(Tls13Features, KeyUpdateBothWays) {
  auto pair = connect(test_client_config(), test_server_config());
  expect_established(pair);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(pair.client.update_keys(/*request_peer=*/true).ok());
    expect_transfer(pair.client, pair.server, pair.client, pair.server, Bytes{1, 2, 3});
    expect_transfer(pair.server, pair.client, pair.client, pair.server, Bytes{4, 5, 6});
    ASSERT_TRUE(pair.server.update_keys(/*request_peer=*/false).ok());
    expect_transfer(pair.server, pair.client, pair.client, pair.server, Bytes{7});
  }
}

TEST(Tls13Features, KeyUpdateRequestAfterCloseIsNotAnswered) {
  auto pair = connect(test_client_config(), test_server_config());
  expect_established(pair);
  ASSERT_TRUE(pair.client.close().ok());
  deliver(pair.client, pair.server);
  ASSERT_TRUE(pair.server.update_keys(/*request_peer=*/true).ok());
  deliver(pair.server, pair.client);
  // The client read the KeyUpdate, but sends nothing after its close_notify.
  EXPECT_FALSE(pair.client.error());
  EXPECT_TRUE(pair.client.pending_output().empty());
  ASSERT_TRUE(pair.server.write(Bytes{'l', 'a', 's', 't'}).ok());
  pump(pair.client, pair.server);
  EXPECT_EQ(read_all(pair.client), (Bytes{'l', 'a', 's', 't'}));
}

TEST(Tls13Features, HundredMegabytes) {
  auto pair = connect(test_client_config(), test_server_config());
  expect_established(pair);
  constexpr std::size_t kTotal = std::size_t{100} << 20U;
  Bytes chunk(std::size_t{1} << 16U);
  std::uint64_t sent_sum = 0;
  std::uint64_t received_sum = 0;
  std::size_t received = 0;
  for (std::size_t sent = 0; sent < kTotal; sent += chunk.size()) {
    for (std::size_t i = 0; i < chunk.size(); ++i) {
      chunk[i] = static_cast<std::uint8_t>((sent + i) * 2654435761U >> 13U);
    }
    sent_sum = std::accumulate(chunk.begin(), chunk.end(), sent_sum);
    ASSERT_TRUE(pair.client.write(chunk).ok());
    pump(pair.client, pair.server);
    const Bytes got = read_all(pair.server);
    received += got.size();
    received_sum = std::accumulate(got.begin(), got.end(), received_sum);
  }
  EXPECT_EQ(received, kTotal);
  EXPECT_EQ(received_sum, sent_sum);
}

/// Writes `data` from `from` and receives it at `to` with feed_and_read() into buffers of
/// `out_size` bytes, feeding the wire `chunk` bytes at a time; returns what `to` got, in order.
Bytes receive_with_feed_and_read(Connection& from, Connection& to, const Bytes& data,
                                 std::size_t out_size, std::size_t chunk) {
  EXPECT_TRUE(from.write(data).ok());
  const Bytes wire = test::to_bytes(from.pending_output());
  from.consume_output(wire.size());
  Bytes got;
  Bytes out(out_size);
  for (std::size_t at = 0; at < wire.size(); at += chunk) {
    auto n = to.feed_and_read(ByteView(wire).subspan(at, std::min(chunk, wire.size() - at)), out);
    EXPECT_TRUE(n.ok());
    got.insert(got.end(), out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n.ok() ? *n : 0));
  }
  const Bytes rest = read_all(to);
  got.insert(got.end(), rest.begin(), rest.end());
  return got;
}

TEST(Tls13Features, FeedAndReadDeliversStraightIntoTheCallersBuffer) {
  auto pair = connect(test_client_config(), test_server_config());
  expect_established(pair);
  Bytes data(200'000);
  for (std::size_t i = 0; i < data.size(); ++i) {
    data[i] = static_cast<std::uint8_t>(i * 31 + (i >> 9U));
  }
  // A buffer that holds everything, one smaller than a record (all through read()), one that
  // holds a few records (the rest buffered), with whole and split records alike.
  for (const auto& [out_size, chunk] : std::vector<std::pair<std::size_t, std::size_t>>{
           {1U << 20U, 1U << 20U}, {1000, 65536}, {40000, 65536}, {40000, 7000}, {1U << 20U, 1}}) {
    EXPECT_EQ(receive_with_feed_and_read(pair.client, pair.server, data, out_size, chunk), data)
        << out_size << " " << chunk;
    EXPECT_EQ(pair.server.readable(), 0U);
  }
  // A KeyUpdate met on the way is handled, not delivered: data after it still arrives.
  ASSERT_TRUE(pair.client.update_keys(/*request_peer=*/true).ok());
  EXPECT_EQ(receive_with_feed_and_read(pair.client, pair.server, Bytes{9, 8, 7}, 4096, 4096),
            (Bytes{9, 8, 7}));
  deliver(pair.server, pair.client);  // the server's own KeyUpdate, as requested
  expect_transfer(pair.client, pair.server, pair.client, pair.server, Bytes{1});
  EXPECT_FALSE(pair.client.error());
  EXPECT_FALSE(pair.server.error());
}

TEST(Tls13Features, OneByteWritesAndOneByteFeeds) {
  auto pair = connect(test_client_config(), test_server_config(), "server.test", /*chunk=*/1);
  expect_established(pair);
  Bytes expected;
  for (int i = 0; i < 300; ++i) {
    const std::uint8_t byte = static_cast<std::uint8_t>(i);
    expected.push_back(byte);
    ASSERT_TRUE(pair.client.write(ByteView(&byte, 1)).ok());
  }
  pump(pair.client, pair.server, /*chunk=*/1);
  EXPECT_EQ(read_all(pair.server), expected);
}

TEST(Tls13Features, DataWrittenBeforeTheHandshakeCompletesIsSentAfterIt) {
  auto client = Connection::client(test_client_config(), "server.test").value();
  auto server = Connection::server(test_server_config()).value();
  ASSERT_TRUE(client.write(Bytes{'e', 'a', 'r', 'l', 'y'}).ok());
  ASSERT_TRUE(client.close().ok());
  pump(client, server);
  ASSERT_FALSE(server.error());
  EXPECT_EQ(read_all(server), (Bytes{'e', 'a', 'r', 'l', 'y'}));
  EXPECT_TRUE(server.peer_closed());
}

}  // namespace
}  // namespace keel::test
