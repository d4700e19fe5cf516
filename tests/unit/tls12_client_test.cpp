// keel's TLS 1.2 client in memory against OpenSSL's libssl as the server (memory BIOs, one
// thread): every suite with its certificate, the exporter checked against OpenSSL's, and the
// server's first flight changed byte by byte to show each check of the ServerHello refuses
// what RFC 5246, 7627, 5746 and 8446 §4.1.3 forbid, with the right alert.
#include <functional>
#include <memory>
#include <ostream>
#include <string>

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "msg/hello.hpp"
#include "msg/types.hpp"
#include "record/record.hpp"
#include "support/openssl_endpoint.hpp"
#include "support/tls_pair.hpp"

namespace keel::test {
namespace {

/// OpenSSL's TLS 1.2 server with `certificate` and the intermediate, fed and drained through
/// memory.
class OpenSslServer12 : public OpenSslEndpoint {
 public:
  OpenSslServer12(const std::string& certificate, const std::string& ciphers)
      : OpenSslServer12(make_ctx(certificate, ciphers)) {}

  /// Asks for a client certificate, required, verified against the test root.
  void require_client_certificate() {
    const std::string root = std::string(KEEL_TEST_DATA_DIR) + "/tls/root.pem";
    EXPECT_EQ(SSL_CTX_load_verify_locations(ctx_.get(), root.c_str(), nullptr), 1);
    SSL_set_verify(ssl(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  }

 private:
  explicit OpenSslServer12(SslCtxPtr ctx)
      : OpenSslEndpoint(ctx.get(), Role::server), ctx_(std::move(ctx)) {}

  static SslCtxPtr make_ctx(const std::string& certificate, const std::string& ciphers) {
    SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()), SSL_CTX_free);
    const std::string pem = data_text("tls/" + certificate + ".pem");
    const std::string key = data_text("tls/" + certificate + ".key");
    const std::string chain = data_text("tls/intermediate.pem");
    EXPECT_EQ(SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION), 1);
    EXPECT_EQ(SSL_CTX_set_max_proto_version(ctx.get(), TLS1_2_VERSION), 1);
    EXPECT_EQ(SSL_CTX_set_cipher_list(ctx.get(), ciphers.c_str()), 1);
    X509* leaf = read_x509(pem);
    EXPECT_EQ(SSL_CTX_use_certificate(ctx.get(), leaf), 1);  // takes its own reference
    X509_free(leaf);
    EXPECT_EQ(SSL_CTX_add0_chain_cert(ctx.get(), read_x509(chain)), 1);
    BIO* key_bio = BIO_new_mem_buf(key.data(), static_cast<int>(key.size()));
    EVP_PKEY* private_key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    BIO_free(key_bio);
    EXPECT_EQ(SSL_CTX_use_PrivateKey(ctx.get(), private_key), 1);
    EVP_PKEY_free(private_key);
    return ctx;
  }

  static X509* read_x509(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    EXPECT_NE(cert, nullptr);
    return cert;
  }

  SslCtxPtr ctx_;  // the SSL holds its own reference; kept for require_client_certificate
};

Connection tls12_client(ProtocolVersion max = ProtocolVersion::tls13,
                        const std::string& certificate = "") {
  ClientConfig config = test_client_config();
  config.max_version = max;
  if (!certificate.empty()) {
    config.certificate = tls_certificate(certificate);
  }
  auto client = Connection::client(config, "server.test");
  EXPECT_TRUE(client.ok());
  return std::move(client).value();
}

/// Runs the handshake; `change` may rewrite the server's first flight before keel reads it.
void handshake(Connection& client, OpenSslServer12& server,
               const std::function<void(Bytes&)>& change = {}) {
  bool first = true;
  for (int round = 0; round < 20; ++round) {
    const Bytes to_server(client.pending_output().begin(), client.pending_output().end());
    client.consume_output(to_server.size());
    server.feed(to_server);
    Bytes to_client = server.take();
    if (first && !to_client.empty() && change) {
      change(to_client);
      first = false;
    }
    if (to_client.empty() && to_server.empty()) {
      return;
    }
    if (!to_client.empty() && !client.feed(to_client).ok()) {
      return;
    }
  }
}

/// The ServerHello at the start of the server's first flight, decoded, changed and put back
/// (the record's length follows).
void change_server_hello(Bytes& flight, const std::function<void(msg::ServerHello&)>& change) {
  ASSERT_GE(flight.size(), record::kHeaderSize + 4);
  ASSERT_EQ(flight[record::kHeaderSize], 2);  // server_hello
  const std::size_t body =
      (std::size_t{flight[6]} << 16U) | (std::size_t{flight[7]} << 8U) | flight[8];
  const auto begin = flight.begin() + record::kHeaderSize;
  auto hello = msg::ServerHello::decode(ByteView(flight).subspan(record::kHeaderSize + 4, body));
  ASSERT_TRUE(hello.ok());
  change(*hello);
  auto encoded = hello->encode();
  ASSERT_TRUE(encoded.ok());
  const std::size_t record_length = (std::size_t{flight[3]} << 8U) | flight[4];
  flight.erase(begin, begin + static_cast<std::ptrdiff_t>(4 + body));
  flight.insert(flight.begin() + record::kHeaderSize, encoded->begin(), encoded->end());
  const std::size_t new_length = record_length - (4 + body) + encoded->size();
  flight[3] = static_cast<std::uint8_t>(new_length >> 8U);
  flight[4] = static_cast<std::uint8_t>(new_length);
}

struct SuiteCase {
  const char* openssl_name;
  CipherSuite suite;
  const char* certificate;
};

// GoogleTest would otherwise print the case's bytes, padding included (valgrind: uninitialised).
void PrintTo(const SuiteCase& suite_case, std::ostream* out) {
  *out << suite_case.openssl_name;
}

class Tls12Client : public testing::TestWithParam<SuiteCase> {};

TEST_P(Tls12Client, HandshakeDataExporterAndClose) {
  const SuiteCase& c = GetParam();
  OpenSslServer12 server(c.certificate, c.openssl_name);
  Connection client = tls12_client();
  handshake(client, server);
  ASSERT_TRUE(client.is_handshake_complete())
      << (client.error() ? client.error()->message() : "no error");
  EXPECT_EQ(client.negotiated().version, ProtocolVersion::tls12);
  EXPECT_EQ(client.negotiated().cipher_suite, c.suite);
  EXPECT_TRUE(client.negotiated().peer_verified);
  EXPECT_EQ(client.negotiated().peer_certificates.size(), 2U);
  EXPECT_EQ(SSL_get_extms_support(server.ssl()), 1);

  // Data both ways, across several records.
  const std::string request(40'000, 'q');
  ASSERT_TRUE(client.write(as_bytes(request)).ok());
  const Bytes out(client.pending_output().begin(), client.pending_output().end());
  client.consume_output(out.size());
  EXPECT_EQ(server.feed(out), request);
  const std::string reply = "from openssl";
  ASSERT_EQ(SSL_write(server.ssl(), reply.data(), static_cast<int>(reply.size())),
            static_cast<int>(reply.size()));
  ASSERT_TRUE(client.feed(server.take()).ok());
  std::array<std::uint8_t, 64> buffer{};
  auto n = client.read(buffer);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(std::string(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n)), reply);

  // RFC 5705: both sides export the same keying material.
  const std::string label = "EXPORTER-keel-test";
  const Bytes context = {1, 2, 3};
  Bytes ours(32);
  ASSERT_TRUE(client.export_keying_material(label, context, ours).ok());
  Bytes theirs(32);
  ASSERT_EQ(SSL_export_keying_material(server.ssl(), theirs.data(), theirs.size(), label.data(),
                                       label.size(), context.data(), context.size(), 1),
            1);
  EXPECT_EQ(ours, theirs);
  EXPECT_EQ(client.update_keys(false).error().code(), Errc::invalid_argument);
  EXPECT_FALSE(client.error().has_value());  // refused, not fatal

  ASSERT_TRUE(client.close().ok());
  const Bytes close(client.pending_output().begin(), client.pending_output().end());
  server.feed(close);
  EXPECT_NE(SSL_get_shutdown(server.ssl()) & SSL_RECEIVED_SHUTDOWN, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Suites, Tls12Client,
    testing::Values(
        SuiteCase{"ECDHE-ECDSA-AES128-GCM-SHA256",
                  CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "server-ecdsa-p256"},
        SuiteCase{"ECDHE-ECDSA-AES256-GCM-SHA384",
                  CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "server-ecdsa-p384"},
        SuiteCase{"ECDHE-ECDSA-CHACHA20-POLY1305",
                  CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "server-ecdsa-p256"},
        SuiteCase{"ECDHE-RSA-AES128-GCM-SHA256", CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
                  "server-rsa-2048"},
        SuiteCase{"ECDHE-RSA-AES256-GCM-SHA384", CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
                  "server-rsa-2048"},
        SuiteCase{"ECDHE-RSA-CHACHA20-POLY1305",
                  CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "server-rsa-2048"}),
    [](const auto& param_info) {
      std::string name = param_info.param.openssl_name;
      std::erase(name, '-');
      return name;
    });

TEST(Tls12ClientCertificate, PresentedAndVerifiedByOpenSsl) {
  for (const auto& [server_certificate, ciphers] :
       {std::pair{"server-ecdsa-p256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
        std::pair{"server-rsa-2048", "ECDHE-RSA-AES256-GCM-SHA384"}}) {
    SCOPED_TRACE(server_certificate);
    OpenSslServer12 server(server_certificate, ciphers);
    server.require_client_certificate();
    Connection client = tls12_client(ProtocolVersion::tls13, "client");
    handshake(client, server);
    ASSERT_TRUE(client.is_handshake_complete())
        << (client.error() ? client.error()->message() : "no error");
    X509* peer = SSL_get1_peer_certificate(server.ssl());
    ASSERT_NE(peer, nullptr);  // the client's certificate, which OpenSSL verified
    X509_free(peer);
    EXPECT_EQ(SSL_get_verify_result(server.ssl()), X509_V_OK);
  }
}

TEST(Tls12ClientCertificate, NoneToPresentIsAnEmptyCertificate) {
  OpenSslServer12 server("server-ecdsa-p256", "ECDHE-ECDSA-AES128-GCM-SHA256");
  server.require_client_certificate();
  Connection client = tls12_client();
  handshake(client, server);
  // OpenSSL requires one: it ends the handshake with an alert the client reports.
  ASSERT_TRUE(client.error().has_value());
  EXPECT_EQ(client.error()->code(), Errc::alert_received);
  EXPECT_FALSE(client.is_handshake_complete());
}

/// The client's error after the server's first flight went through `change`.
Error refused(const std::function<void(msg::ServerHello&)>& change,
              ProtocolVersion max = ProtocolVersion::tls13) {
  OpenSslServer12 server("server-ecdsa-p256", "ECDHE-ECDSA-AES128-GCM-SHA256");
  Connection client = tls12_client(max);
  handshake(client, server, [&](Bytes& flight) { change_server_hello(flight, change); });
  EXPECT_FALSE(client.is_handshake_complete());
  if (!client.error()) {
    ADD_FAILURE() << "the client accepted the changed ServerHello";
    return Error(Errc::internal, "accepted");
  }
  return *client.error();
}

void drop_extension(msg::ServerHello& hello, msg::ExtensionType type) {
  std::erase_if(hello.extensions, [&](const msg::Extension& e) { return e.is(type); });
}

TEST(Tls12ClientRefuses, ADowngradeFromTls13) {
  // RFC 8446 §4.1.3: "DOWNGRD" 01 at the end of the random, to a client that offered 1.3.
  const auto sentinel = [](msg::ServerHello& hello) {
    const std::array<std::uint8_t, 8> tail = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};
    std::copy(tail.begin(), tail.end(), hello.random.end() - 8);
  };
  const Error error = refused(sentinel);
  EXPECT_EQ(error.code(), Errc::illegal_parameter);
  EXPECT_NE(error.message().find("downgrade"), std::string::npos) << error.message();
  // A client that offered TLS 1.2 only reads no sentinel (it gets as far as the Finished,
  // which the changed random breaks: the handshake fails there instead).
  EXPECT_NE(refused(sentinel, ProtocolVersion::tls12).code(), Errc::illegal_parameter);
}

TEST(Tls12ClientRefuses, AServerWithoutTheExtendedMasterSecret) {
  const Error error = refused([](msg::ServerHello& hello) {
    drop_extension(hello, msg::ExtensionType::extended_master_secret);
  });
  EXPECT_EQ(error.code(), Errc::handshake_failure);
  EXPECT_NE(error.message().find("extended master secret"), std::string::npos);
}

TEST(Tls12ClientRefuses, ABadRenegotiationIndication) {
  EXPECT_EQ(refused([](msg::ServerHello& hello) {
              drop_extension(hello, msg::ExtensionType::renegotiation_info);
            }).code(),
            Errc::handshake_failure);
  EXPECT_EQ(refused([](msg::ServerHello& hello) {
              for (auto& e : hello.extensions) {
                if (e.is(msg::ExtensionType::renegotiation_info)) {
                  e.data = {1, 0x55};  // a renegotiated_connection on a first handshake
                }
              }
            }).code(),
            Errc::handshake_failure);
}

TEST(Tls12ClientRefuses, WhatWasNotOffered) {
  // A suite, an extension, a compression method, an echo of the client's session id.
  EXPECT_EQ(refused([](msg::ServerHello& hello) {
              hello.cipher_suite = static_cast<CipherSuite>(0xC023);  // ECDHE_ECDSA_AES128_CBC
            }).code(),
            Errc::illegal_parameter);
  EXPECT_EQ(refused([](msg::ServerHello& hello) {
              hello.extensions.push_back(msg::Extension{22, {}});  // encrypt_then_mac
            }).code(),
            Errc::unsupported_extension);
  EXPECT_EQ(refused([](msg::ServerHello& hello) { hello.legacy_compression_method = 1; }).code(),
            Errc::illegal_parameter);
}

TEST(Tls12ClientRefuses, ATlsVersionBelow12) {
  EXPECT_EQ(refused([](msg::ServerHello& hello) { hello.legacy_version = 0x0302; }).code(),
            Errc::protocol_version);
}

TEST(Tls12ClientRefuses, ATamperedFlight) {
  // A byte of the ServerKeyExchange's signature (late in the flight) changed: the signature
  // no longer verifies.
  OpenSslServer12 server("server-ecdsa-p256", "ECDHE-ECDSA-AES128-GCM-SHA256");
  Connection client = tls12_client();
  handshake(client, server, [](Bytes& flight) { flight[flight.size() - 10] ^= 0x01; });
  ASSERT_TRUE(client.error().has_value());
  EXPECT_FALSE(client.is_handshake_complete());
}

}  // namespace
}  // namespace keel::test
