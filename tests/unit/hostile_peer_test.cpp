// The hostile peer table: each class of attack a peer can make on keel's records and
// handshakes, one test each, naming the alert keel must send and checking that the connection
// is then closed for good, with nothing readable and nothing queued but that alert. The
// attacker is a script of records fed to a keel client or server; where it needs a real
// first flight or a real ServerHello, it takes keel's and changes it.
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <gtest/gtest.h>

#include "connection/engine.hpp"
#include "crypto/provider.hpp"
#include "handshake/key_schedule.hpp"
#include "handshake/key_schedule12.hpp"
#include "msg/extension.hpp"
#include "msg/extensions.hpp"
#include "msg/hello.hpp"
#include "msg/types.hpp"
#include "record/protection12.hpp"
#include "record/protection13.hpp"
#include "record/record.hpp"
#include "record/record_layer.hpp"
#include "support/rewritten_client.hpp"
#include "support/tls_pair.hpp"
#include "tls12/established.hpp"
#include "tls13/established.hpp"
#include "x509/certificate.hpp"
#include "x509/issue.hpp"
#include "x509/pem.hpp"

namespace keel::test {
namespace {

constexpr std::uint8_t kChangeCipherSpec = 20;
constexpr std::uint8_t kAlert = 21;
constexpr std::uint8_t kHandshake = 22;
constexpr std::size_t kHeader = 5;  // a record's type, version and length

/// A plaintext record of `type` around `content`.
Bytes record(std::uint8_t type, ByteView content) {
  Bytes out{type, 0x03, 0x03, static_cast<std::uint8_t>(content.size() >> 8U),
            static_cast<std::uint8_t>(content.size() & 0xFFU)};
  out.insert(out.end(), content.begin(), content.end());
  return out;
}

struct Record {
  std::uint8_t type;
  Bytes content;
};

/// The whole records at the start of `bytes`.
std::vector<Record> records_in(ByteView bytes) {
  std::vector<Record> out;
  while (bytes.size() >= kHeader) {
    const std::size_t length = (std::size_t{bytes[3]} << 8U) | bytes[4];
    if (bytes.size() < kHeader + length) {
      break;
    }
    const ByteView content = bytes.subspan(kHeader, length);
    out.push_back({bytes[0], Bytes(content.begin(), content.end())});
    bytes = bytes.subspan(kHeader + length);
  }
  return out;
}

/// Takes everything `connection` has to send.
Bytes take_output(Connection& connection) {
  Bytes out(connection.pending_output().begin(), connection.pending_output().end());
  connection.consume_output(out.size());
  return out;
}

/// The victim failed with `code` for `reason`, its output ends with a plaintext alert record
/// saying `alert`, and once that is taken it stays failed and quiet.
void expect_refused_in_plaintext(Connection& victim, Errc code, std::string_view reason,
                                 Alert alert) {
  ASSERT_EQ(code_of(victim), code) << victim.error()->message();
  EXPECT_NE(victim.error()->message().find(reason), std::string::npos) << victim.error()->message();
  const auto records = records_in(take_output(victim));
  ASSERT_FALSE(records.empty());
  const Record& last = records.back();
  ASSERT_EQ(last.type, kAlert);
  ASSERT_EQ(last.content.size(), 2U);
  EXPECT_EQ(last.content[0], 2U);  // fatal
  EXPECT_EQ(static_cast<Alert>(last.content[1]), alert) << to_string(alert);
  EXPECT_EQ(victim.readable(), 0U);
  expect_closed_for_good(victim);
}

/// A keel server that has not seen anything yet.
Connection fresh_server() {
  return Connection::server(test_server_config()).value();
}

/// The records of a keel client's first flight: its ClientHello.
Bytes client_hello_records(const ClientConfig& config = test_client_config()) {
  auto client = Connection::client(config, "server.test").value();
  return take_output(client);
}

/// Records sealed under one of the traffic secrets a keel client's key log names: what a
/// hostile peer, which knows its own keys, can send. The client is limited to
/// TLS_AES_128_GCM_SHA256; the sealer is made when the secret is first used.
class ForgedRecords {
 public:
  ForgedRecords(ClientConfig& config, std::string label)
      : secret_hex_(std::make_shared<std::string>()) {
    config.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256};
    config.key_log = [secret_hex = secret_hex_, prefix = label + " "](std::string_view line) {
      if (line.starts_with(prefix)) {
        *secret_hex = std::string(line.substr(line.rfind(' ') + 1));
      }
    };
  }

  /// An application data record around `data`, sealed with the next sequence number.
  Bytes application_data(std::string_view data) {
    if (!sealer_) {
      auto made = record::Protection13::from_secret(
          crypto::default_provider(), *handshake::tls13_suite(CipherSuite::TLS_AES_128_GCM_SHA256),
          hex(*secret_hex_));
      EXPECT_TRUE(made.ok()) << "no secret in the key log yet";
      sealer_.emplace(std::move(made).value());
    }
    Bytes sealed(record::kHeaderSize + data.size() + record::Protection13::kOverhead);
    std::copy(data.begin(), data.end(), sealed.begin() + record::kHeaderSize);
    EXPECT_TRUE(sealer_->seal(record::ContentType::application_data, sealed, data.size()).ok());
    return sealed;
  }

 private:
  std::shared_ptr<std::string> secret_hex_;
  std::optional<record::Protection13> sealer_;
};

enum class Writer : std::uint8_t { client, server };

/// The record protection of a TLS 1.2 connection between a keel client and server, rebuilt
/// from the client's key log (CLIENT_RANDOM: the master secret) and the randoms of the two
/// hellos: what a hostile peer, which knows its own keys, seals with. The client is limited
/// to TLS 1.2 and TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256.
class Tls12Records {
 public:
  static constexpr CipherSuite kSuite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;

  explicit Tls12Records(ClientConfig& config) : master_hex_(std::make_shared<std::string>()) {
    config.max_version = ProtocolVersion::tls12;
    config.cipher_suites = {kSuite};
    config.key_log = [master_hex = master_hex_](std::string_view line) {
      if (line.starts_with("CLIENT_RANDOM ")) {
        *master_hex = std::string(line.substr(line.rfind(' ') + 1));
      }
    };
  }

  /// Runs the handshake of `pair`, taking the randoms of the hellos on the way: each starts a
  /// side's first record, after the handshake header and the legacy version.
  void handshake(Pair& pair) {
    constexpr std::size_t kRandomAt = kHeader + 4 + 2;
    const auto take_random = [](const Connection& from, msg::Random& random) {
      ASSERT_GE(from.pending_output().size(), kRandomAt + random.size());
      std::copy_n(from.pending_output().begin() + kRandomAt, random.size(), random.begin());
    };
    take_random(pair.client, client_random_);
    deliver(pair.client, pair.server);
    take_random(pair.server, server_random_);
    pump(pair.client, pair.server);
  }

  /// What `writer` seals with next: each side's Finished was its protected record 0.
  record::Protection12 after_finished(Writer writer) const {
    const auto suite = *handshake::tls12_suite(kSuite);
    auto keys = handshake::key_block(crypto::default_provider(), suite, hex(*master_hex_),
                                     client_random_, server_random_);
    EXPECT_TRUE(keys.ok()) << "no master secret in the key log";
    const bool client = writer == Writer::client;
    auto made = record::Protection12::make(
        crypto::default_provider(), suite.aead,
        (client ? keys.value().client_key : keys.value().server_key).view(),
        (client ? keys.value().client_iv : keys.value().server_iv).view());
    auto protection = std::move(made).value();
    protection.set_sequence(1);
    return protection;
  }

  /// A record of `type` around `content` sealed with `protection`.
  static Bytes seal(record::Protection12& protection, std::uint8_t type, ByteView content) {
    Bytes sealed(kHeader + content.size() + protection.overhead());
    EXPECT_TRUE(protection.seal(static_cast<record::ContentType>(type), content, sealed).ok());
    return sealed;
  }

  /// The content of `sealed`, opened with `protection`.
  static Bytes open(record::Protection12& protection, const Record& sealed) {
    const std::size_t length = sealed.content.size();
    const Bytes header{sealed.type, 0x03, 0x03, static_cast<std::uint8_t>(length >> 8U),
                       static_cast<std::uint8_t>(length & 0xFFU)};
    Bytes out(length - protection.overhead());
    EXPECT_TRUE(protection.open(header, sealed.content, out).ok());
    return out;
  }

 private:
  std::shared_ptr<std::string> master_hex_;
  msg::Random client_random_{};
  msg::Random server_random_{};
};

/// RFC 5246 §7.2.2: no_renegotiation is "sent by the client in response to a hello request or
/// by the server in response to a client hello after initial handshaking"; RFC 5746 §4.2: "at
/// the 'warning' level". keel refuses each so, and ends a connection whose peer asks more than
/// Established::kMaxRefusals times in a row (with no application data between).
void expect_renegotiation_refused_then_cut_off(Writer attacker, ByteView request) {
  ClientConfig client_config = test_client_config();
  Tls12Records tls12(client_config);
  Pair pair = unconnected(client_config, test_server_config());
  tls12.handshake(pair);
  expect_established(pair);
  Connection& victim = attacker == Writer::server ? pair.client : pair.server;
  auto as_attacker = tls12.after_finished(attacker);
  for (std::size_t i = 0; i < tls12::Established::kMaxRefusals; ++i) {
    ASSERT_TRUE(victim.feed(Tls12Records::seal(as_attacker, kHandshake, request)).ok())
        << victim.error()->message();
  }
  EXPECT_FALSE(victim.feed(Tls12Records::seal(as_attacker, kHandshake, request)).ok());
  ASSERT_EQ(code_of(victim), Errc::limit_exceeded);
  EXPECT_NE(victim.error()->message().find("renegotiation attempts in a row"), std::string::npos)
      << victim.error()->message();

  // What the victim sent back: a warning for each request, then the fatal alert.
  auto victims_records =
      tls12.after_finished(attacker == Writer::server ? Writer::client : Writer::server);
  const auto sent = records_in(take_output(victim));
  ASSERT_EQ(sent.size(), tls12::Established::kMaxRefusals + 1);
  for (std::size_t i = 0; i < sent.size(); ++i) {
    ASSERT_EQ(sent[i].type, kAlert);
    const Bytes alert = Tls12Records::open(victims_records, sent[i]);
    ASSERT_EQ(alert.size(), 2U);
    if (i < tls12::Established::kMaxRefusals) {
      EXPECT_EQ(alert, (Bytes{1, static_cast<std::uint8_t>(Alert::no_renegotiation)}));
    } else {
      EXPECT_EQ(alert[0], 2U);  // fatal
    }
  }
  EXPECT_EQ(victim.readable(), 0U);
  expect_closed_for_good(victim);
}

// --- Records --------------------------------------------------------------------------------

TEST(HostilePeer, RecordTruncatedByTheEndOfTheStream) {
  Connection server = fresh_server();
  const Bytes hello = client_hello_records();
  ASSERT_TRUE(server.feed(ByteView(hello).first(hello.size() / 2)).ok());
  EXPECT_FALSE(server.feed_end_of_stream().ok());
  // The peer is gone: nothing is sent to it, not even an alert.
  EXPECT_EQ(code_of(server), Errc::stream_truncated);
  EXPECT_NE(server.error()->message().find("in the middle of a record"), std::string::npos)
      << server.error()->message();
  expect_closed_for_good(server);
}

TEST(HostilePeer, RecordOverTheLimit) {
  Connection server = fresh_server();
  // RFC 8446 §5.1: a plaintext record's length MUST NOT exceed 2^14.
  EXPECT_FALSE(server.feed(Bytes{kHandshake, 0x03, 0x03, 0x40, 0x01}).ok());
  expect_refused_in_plaintext(server, Errc::record_overflow, "record of 16385 bytes",
                              Alert::record_overflow);
}

TEST(HostilePeer, EncryptedRecordOverTheLimit) {
  Pair pair = connect(test_client_config(), test_server_config());
  // §5.2: TLSCiphertext.length MUST NOT exceed 2^14 + 256.
  EXPECT_FALSE(pair.client.feed(Bytes{0x17, 0x03, 0x03, 0x41, 0x01}).ok());
  EXPECT_EQ(code_of(pair.client), Errc::record_overflow);
  pump(pair.client, pair.server);
  expect_told(pair.server, Alert::record_overflow);
  expect_closed_for_good(pair.client);
}

TEST(HostilePeer, UnknownContentType) {
  Connection server = fresh_server();
  EXPECT_FALSE(server.feed(record(99, Bytes{1, 2, 3})).ok());
  expect_refused_in_plaintext(server, Errc::unexpected_message, "unknown content type 99",
                              Alert::unexpected_message);
}

TEST(HostilePeer, BadAeadTag) {
  Pair pair = connect(test_client_config(), test_server_config());
  ASSERT_TRUE(pair.server.write(as_bytes("secret")).ok());
  Bytes sealed = take_output(pair.server);
  sealed.back() ^= 0x80U;  // a bit of the tag
  EXPECT_FALSE(pair.client.feed(sealed).ok());
  EXPECT_EQ(code_of(pair.client), Errc::bad_record_mac);
  EXPECT_EQ(pair.client.readable(), 0U);
  pump(pair.client, pair.server);
  expect_told(pair.server, Alert::bad_record_mac);
  expect_closed_for_good(pair.client);
}

TEST(HostilePeer, EmptyHandshakeRecords) {
  Connection server = fresh_server();
  // §5.1: "Implementations MUST NOT send zero-length fragments of Handshake types".
  EXPECT_FALSE(server.feed(record(kHandshake, {})).ok());
  expect_refused_in_plaintext(server, Errc::unexpected_message, "empty handshake record",
                              Alert::unexpected_message);
}

// --- Handshake messages ---------------------------------------------------------------------

TEST(HostilePeer, ClientHelloInThousandsOfOneByteRecords) {
  // A ClientHello padded to about 3 KiB (RFC 7685's padding extension), each of its bytes in a
  // record of its own: legal fragmentation, so the handshake must complete.
  Connection client = rewritten_client([](msg::ClientHello& hello) {
    hello.extensions.insert(hello.extensions.begin(), msg::Extension{21, Bytes(3000, 0)});
  });
  Connection server = fresh_server();
  const auto records = records_in(take_output(client));
  ASSERT_FALSE(records.empty());
  std::size_t fragments = 0;
  for (const Record& r : records) {
    ASSERT_EQ(r.type, kHandshake);
    for (const std::uint8_t byte : r.content) {
      ASSERT_TRUE(server.feed(record(kHandshake, Bytes{byte})).ok()) << server.error()->message();
      ++fragments;
    }
  }
  EXPECT_GT(fragments, 3000U);
  pump(client, server);
  EXPECT_TRUE(client.is_handshake_complete() && server.is_handshake_complete());
}

TEST(HostilePeer, HandshakeMessageOverTheLimit) {
  Connection server = fresh_server();
  // A ClientHello announcing 16 MiB: refused on its header, before any of it is buffered.
  EXPECT_FALSE(server.feed(record(kHandshake, Bytes{1, 0xFF, 0xFF, 0xFF})).ok());
  expect_refused_in_plaintext(server, Errc::limit_exceeded, "16777215 bytes, at most 65536",
                              Alert::illegal_parameter);
}

TEST(HostilePeer, DuplicateExtensions) {
  // §4.2: "There MUST NOT be more than one extension of the same type in a given extension
  // block".
  Connection client = rewritten_client([](msg::ClientHello& hello) {
    hello.extensions.insert(hello.extensions.begin(),
                            *std::find_if(hello.extensions.begin(), hello.extensions.end(),
                                          [](const msg::Extension& e) {
                                            return e.is(msg::ExtensionType::supported_groups);
                                          }));
  });
  Connection server = fresh_server();
  EXPECT_FALSE(server.feed(take_output(client)).ok());
  expect_refused_in_plaintext(server, Errc::duplicate_extension, "supported_groups",
                              Alert::illegal_parameter);
}

/// A keel client that sent its ClientHello, and the ServerHello a keel server answers it with.
struct Answered {
  Connection client;
  msg::ServerHello server_hello;
};

Answered answered(const ClientConfig& client_config, const ServerConfig& server_config) {
  auto client = Connection::client(client_config, "server.test").value();
  auto server = Connection::server(server_config).value();
  EXPECT_TRUE(server.feed(take_output(client)).ok());
  const auto records = records_in(take_output(server));
  EXPECT_FALSE(records.empty());
  const ByteView message = records.front().content;  // ServerHello (or HelloRetryRequest)
  auto hello = msg::ServerHello::decode(message.subspan(4));
  EXPECT_TRUE(hello.ok());
  return {std::move(client), std::move(hello).value()};
}

/// Feeds `hello` to the client as the server's answer.
Result<void> send_server_hello(Connection& client, const msg::ServerHello& hello) {
  return client.feed(record(kHandshake, hello.encode().value()));
}

TEST(HostilePeer, ServerHelloWithASuiteNotOffered) {
  ClientConfig client_config = test_client_config();
  client_config.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256};
  Answered a = answered(client_config, test_server_config());
  a.server_hello.cipher_suite = CipherSuite::TLS_AES_256_GCM_SHA384;
  EXPECT_FALSE(send_server_hello(a.client, a.server_hello).ok());
  // §4.1.3: "A client which receives a cipher suite that was not offered MUST abort the
  // handshake with an "illegal_parameter" alert."
  expect_refused_in_plaintext(a.client, Errc::illegal_parameter,
                              "TLS_AES_256_GCM_SHA384, which was not offered",
                              Alert::illegal_parameter);
}

TEST(HostilePeer, ServerHelloWithAGroupNotOffered) {
  ClientConfig client_config = test_client_config();
  client_config.groups = {NamedGroup::x25519};
  Answered a = answered(client_config, test_server_config());
  for (auto& extension : a.server_hello.extensions) {
    if (extension.is(msg::ExtensionType::key_share)) {
      extension.data = msg::encode_server_share({NamedGroup::secp256r1, Bytes(65, 0x04)}).value();
    }
  }
  EXPECT_FALSE(send_server_hello(a.client, a.server_hello).ok());
  // §4.2.8: the server's share MUST be in the same group as one of the client's shares.
  expect_refused_in_plaintext(a.client, Errc::illegal_parameter,
                              "key share is for secp256r1, which was not sent",
                              Alert::illegal_parameter);
}

TEST(HostilePeer, ServerHelloWithAVersionNotOffered) {
  Answered a = answered(test_client_config(), test_server_config());
  for (auto& extension : a.server_hello.extensions) {
    if (extension.is(msg::ExtensionType::supported_versions)) {
      extension.data = msg::encode_selected_version(0x0305).value();
    }
  }
  EXPECT_FALSE(send_server_hello(a.client, a.server_hello).ok());
  // §4.2.1: a version not offered "MUST abort the handshake with an "illegal_parameter" alert".
  expect_refused_in_plaintext(a.client, Errc::illegal_parameter, "a version not offered",
                              Alert::illegal_parameter);
}

TEST(HostilePeer, TwoHelloRetryRequests) {
  ClientConfig client_config = test_client_config();
  client_config.groups = {NamedGroup::x25519, NamedGroup::secp256r1};  // a share for x25519
  ServerConfig server_config = test_server_config();
  server_config.groups = {NamedGroup::secp256r1};
  Answered a = answered(client_config, server_config);
  ASSERT_TRUE(a.server_hello.is_hello_retry_request());
  ASSERT_TRUE(send_server_hello(a.client, a.server_hello).ok());
  take_output(a.client);  // the second ClientHello
  EXPECT_FALSE(send_server_hello(a.client, a.server_hello).ok());
  // §4.1.4: "If a client receives a second HelloRetryRequest in the same connection (i.e.,
  // where the ClientHello was itself in response to a HelloRetryRequest), it MUST abort the
  // handshake with an "unexpected_message" alert."
  expect_refused_in_plaintext(a.client, Errc::unexpected_message, "a second HelloRetryRequest",
                              Alert::unexpected_message);
}

/// A TLS 1.2 ClientHello changed by `rewrite`, fed to a keel server.
Connection server_after_tls12_hello(const std::function<void(msg::ClientHello&)>& rewrite) {
  Connection client = rewritten_client(rewrite, Offer::tls12_only);
  Connection server = fresh_server();
  EXPECT_FALSE(server.feed(take_output(client)).ok());
  return server;
}

TEST(HostilePeer, Tls12WithoutTheExtendedMasterSecret) {
  // The triple handshake attack needs a master secret that does not cover the handshake:
  // keel's TLS 1.2 has only the extended one (RFC 7627), and refuses a client without it.
  Connection server = server_after_tls12_hello([](msg::ClientHello& hello) {
    std::erase_if(hello.extensions, [](const msg::Extension& e) {
      return e.is(msg::ExtensionType::extended_master_secret);
    });
  });
  expect_refused_in_plaintext(server, Errc::handshake_failure, "extended master secret",
                              Alert::handshake_failure);
}

TEST(HostilePeer, Tls12WithOnlyCbcAndRsaKeyExchange) {
  // keel has neither CBC suites (Lucky13, padding oracles) nor RSA key exchange
  // (Bleichenbacher): a client offering only those finds nothing in common.
  Connection server = server_after_tls12_hello([](msg::ClientHello& hello) {
    hello.cipher_suites = {static_cast<CipherSuite>(0xC023),   // ECDHE_ECDSA_AES_128_CBC_SHA256
                           static_cast<CipherSuite>(0x009C),   // RSA_WITH_AES_128_GCM_SHA256
                           static_cast<CipherSuite>(0x002F)};  // RSA_WITH_AES_128_CBC_SHA
  });
  expect_refused_in_plaintext(server, Errc::handshake_failure, "no TLS 1.2 suite in common",
                              Alert::handshake_failure);
}

TEST(HostilePeer, Tls12ClaimingARenegotiation) {
  // RFC 5746 §3.6: on an initial handshake renegotiation_info must be empty.
  Connection server = server_after_tls12_hello([](msg::ClientHello& hello) {
    for (auto& extension : hello.extensions) {
      if (extension.is(msg::ExtensionType::renegotiation_info)) {
        extension.data = Bytes(13, 0x0C);  // renegotiated_connection<0..255>: 12 bytes
      }
    }
  });
  expect_refused_in_plaintext(server, Errc::handshake_failure, "renegotiation",
                              Alert::handshake_failure);
}

// --- Out of place ---------------------------------------------------------------------------

TEST(HostilePeer, ChangeCipherSpecBeforeTheClientHello) {
  Connection server = fresh_server();
  // §5: a change_cipher_spec "received before the first ClientHello ... MUST be treated as an
  // unexpected record type".
  EXPECT_FALSE(server.feed(record(kChangeCipherSpec, Bytes{1})).ok());
  expect_refused_in_plaintext(server, Errc::unexpected_message, "change_cipher_spec",
                              Alert::unexpected_message);
}

TEST(HostilePeer, ChangeCipherSpecWithAnotherValue) {
  Pair pair = unconnected(test_client_config(), test_server_config());
  deliver(pair.client, pair.server);  // the ClientHello; the server answers under its keys
  // §5: only "the single byte value 0x01" is dropped; anything else is unexpected_message.
  EXPECT_FALSE(pair.server.feed(record(kChangeCipherSpec, Bytes{2})).ok());
  EXPECT_EQ(code_of(pair.server), Errc::unexpected_message);
  pump(pair.client, pair.server);
  expect_told(pair.client, Alert::unexpected_message);
  expect_closed_for_good(pair.server);
}

// --- Certificates ---------------------------------------------------------------------------

/// A server whose chain is its leaf and intermediate followed by `strangers` self-signed
/// certificates that issue nothing in it.
ServerConfig server_with_strangers(std::size_t strangers) {
  std::string chain = data_text("tls/server-ecdsa-p256.pem");
  const std::string stranger = data_text("tls/untrusted-root.pem");
  for (std::size_t i = 0; i < strangers; ++i) {
    chain += stranger;
  }
  ServerConfig config;
  config.certificates.push_back(
      CertifiedKey::from_pem(chain, data_text("tls/server-ecdsa-p256.key")).value());
  return config;
}

TEST(HostilePeer, ChainOfAHundredCertificates) {
  // 50 KiB of certificates, within the message limit: refused by count (msg/certificate.cpp)
  // before any is read as X.509 (path building has its own budget: x509/bag-explosion).
  const ServerConfig server_config = server_with_strangers(98);
  ASSERT_EQ(server_config.certificates[0].chain().size(), 100U);
  Pair pair = connect(test_client_config(), server_config);
  ASSERT_EQ(code_of(pair.client), Errc::limit_exceeded);
  EXPECT_NE(pair.client.error()->message().find("more than 32 entries"), std::string::npos)
      << pair.client.error()->message();
  expect_told(pair.server, Alert::illegal_parameter);
  expect_closed_for_good(pair.client);
}

TEST(HostilePeer, CertificateMessageOverTheLimit) {
  // 200 certificates (about 100 KiB) pass the 64 KiB a handshake message may have.
  Pair pair = connect(test_client_config(), server_with_strangers(198));
  ASSERT_EQ(code_of(pair.client), Errc::limit_exceeded);
  EXPECT_NE(pair.client.error()->message().find("at most 65536 accepted"), std::string::npos)
      << pair.client.error()->message();
  expect_told(pair.server, Alert::illegal_parameter);
  expect_closed_for_good(pair.client);
}

/// A server whose chain is a bag of cross-signed CAs built to make path building explode: four
/// CAs, each certified by each of the other three, none under a root the client trusts, and the
/// leaf under the first. 13 certificates, within the 16 a client accepts, but 1,008 paths through
/// them (no certificate twice) before the depth limit of 10 cuts each off: 2,658 signature
/// checks to try them all.
ServerConfig server_with_a_bag_of_cross_signed_cas() {
  constexpr std::size_t kCas = 4;
  auto& provider = crypto::default_provider();
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  std::uint8_t serial = 0;
  auto profile = [&](std::string common_name, bool ca) {
    x509::CertificateProfile out;
    out.common_name = std::move(common_name);
    out.ca = ca;
    out.not_before = now - std::chrono::hours(1);
    out.not_after = now + std::chrono::hours(24);
    out.serial = {++serial};
    return out;
  };
  auto new_key = [&] { return provider.generate_private_key(crypto::KeyType::ec_p256).value(); };
  auto issue = [&](const x509::CertificateProfile& subject, const crypto::PrivateKey& key,
                   const crypto::PrivateKey& issuer_key, const x509::Certificate* issuer) {
    return x509::issue_certificate(subject, key.public_key_spki().value(), issuer_key, issuer,
                                   provider)
        .value();
  };

  struct Ca {
    x509::CertificateProfile profile;
    std::unique_ptr<crypto::PrivateKey> key;
    x509::Certificate self_signed;  // stands for the CA's name and key identifier
  };
  std::vector<Ca> cas;
  for (std::size_t i = 0; i < kCas; ++i) {
    auto ca_profile = profile("Cross-signed CA " + std::to_string(i + 1), true);
    auto key = new_key();
    auto self_signed = x509::Certificate::parse(issue(ca_profile, *key, *key, nullptr)).value();
    cas.push_back({std::move(ca_profile), std::move(key), std::move(self_signed)});
  }
  auto leaf_profile = profile("localhost", false);
  leaf_profile.dns_names = {"localhost"};
  const auto leaf_key = new_key();
  std::string chain =
      pem::encode("CERTIFICATE", issue(leaf_profile, *leaf_key, *cas[0].key, &cas[0].self_signed));
  for (Ca& subject : cas) {
    for (const Ca& issuer : cas) {
      if (&subject != &issuer) {
        subject.profile.serial = {++serial};
        chain += pem::encode(
            "CERTIFICATE", issue(subject.profile, *subject.key, *issuer.key, &issuer.self_signed));
      }
    }
  }
  const Secret pkcs8 = leaf_key->pkcs8().value();
  ServerConfig config;
  config.certificates.push_back(
      CertifiedKey::from_pem(chain, pem::encode("PRIVATE KEY", pkcs8.view())).value());
  return config;
}

TEST(HostilePeer, BagOfCrossSignedCertificates) {
  const ServerConfig server_config = server_with_a_bag_of_cross_signed_cas();
  ASSERT_EQ(server_config.certificates[0].chain().size(), 13U);
  Pair pair = connect(test_client_config(), server_config);
  ASSERT_EQ(code_of(pair.client), Errc::path_work_limit) << pair.client.error()->message();
  EXPECT_NE(pair.client.error()->message().find("checked 100 signatures"), std::string::npos)
      << pair.client.error()->message();
  expect_told(pair.server, Alert::bad_certificate);
  expect_closed_for_good(pair.client);
}

/// A client and server whose handshake stops before the client's Finished, and the
/// application data a hostile client sends in its place, under the same key (the client
/// handshake traffic key, from the key log).
struct DataInsteadOfFinished {
  Pair pair;
  Bytes record;
};

DataInsteadOfFinished data_instead_of_finished(std::string_view data) {
  ClientConfig client_config = test_client_config();
  ForgedRecords forged(client_config, "CLIENT_HANDSHAKE_TRAFFIC_SECRET");
  Pair pair = unconnected(client_config, test_server_config());
  deliver(pair.client, pair.server);  // ClientHello
  deliver(pair.server, pair.client);  // the server's flight, its Finished included
  take_output(pair.client);           // the client's change_cipher_spec and Finished, dropped
  Bytes sealed = forged.application_data(data);
  return {std::move(pair), std::move(sealed)};
}

/// The server refused the data and told the client; none of it is readable.
void expect_data_refused(Pair& pair) {
  ASSERT_EQ(code_of(pair.server), Errc::unexpected_message) << pair.server.error()->message();
  EXPECT_EQ(pair.server.readable(), 0U);
  EXPECT_FALSE(pair.server.is_handshake_complete());
  pump(pair.client, pair.server);
  expect_told(pair.client, Alert::unexpected_message);
  expect_closed_for_good(pair.server);
}

TEST(HostilePeer, ApplicationDataBeforeTheClientsFinished) {
  // A server must take no data from a client that has not proven the handshake (with client
  // certificates, not proven who it is).
  auto attack = data_instead_of_finished("GET / HTTP/1.1\r\n\r\n");
  EXPECT_FALSE(attack.pair.server.feed(attack.record).ok());
  expect_data_refused(attack.pair);
}

TEST(HostilePeer, ApplicationDataBeforeTheClientsFinishedReadDirectly) {
  // feed_and_read() opens records straight into the caller's buffer, before their type is
  // known: refused data is wiped from it.
  const std::string request = "GET / HTTP/1.1\r\n\r\n";
  auto attack = data_instead_of_finished(request);
  Bytes out(100, 0xAA);
  EXPECT_FALSE(attack.pair.server.feed_and_read(attack.record, out).ok());
  EXPECT_EQ(std::search(out.begin(), out.end(), request.begin(), request.end()), out.end());
  expect_data_refused(attack.pair);
}

TEST(HostilePeer, ApplicationDataBeforeTheServersFinished) {
  // A client must take no data from a server that has not proven the handshake: here in
  // place of its EncryptedExtensions, under its own handshake key.
  ClientConfig client_config = test_client_config();
  ForgedRecords forged(client_config, "SERVER_HANDSHAKE_TRAFFIC_SECRET");
  Pair pair = unconnected(client_config, test_server_config());
  deliver(pair.client, pair.server);  // ClientHello
  for (const Record& r : records_in(take_output(pair.server))) {
    if (r.type == kHandshake || r.type == kChangeCipherSpec) {  // the ServerHello, then CCS
      ASSERT_TRUE(pair.client.feed(record(r.type, r.content)).ok());
    }
  }
  const std::string page = "HTTP/1.1 200 OK\r\n\r\nyour bank balance";
  Bytes out(100, 0xAA);
  EXPECT_FALSE(pair.client.feed_and_read(forged.application_data(page), out).ok());
  EXPECT_EQ(std::search(out.begin(), out.end(), page.begin(), page.end()), out.end());
  ASSERT_EQ(code_of(pair.client), Errc::unexpected_message) << pair.client.error()->message();
  EXPECT_EQ(pair.client.readable(), 0U);
  EXPECT_FALSE(pair.client.is_handshake_complete());
  pump(pair.client, pair.server);
  expect_told(pair.server, Alert::unexpected_message);
  expect_closed_for_good(pair.client);
}

// --- Floods ---------------------------------------------------------------------------------

TEST(HostilePeer, FloodOfUserCanceledAlerts) {
  Connection server = fresh_server();
  const Bytes user_canceled =
      record(kAlert, Bytes{1, static_cast<std::uint8_t>(Alert::user_canceled)});
  for (std::size_t i = 0; i < connection::Engine::kMaxUserCanceled; ++i) {
    ASSERT_TRUE(server.feed(user_canceled).ok());  // §6.1: not an error by itself
  }
  EXPECT_FALSE(server.feed(user_canceled).ok());
  expect_refused_in_plaintext(server, Errc::unexpected_message, "more than 8 user_canceled",
                              Alert::unexpected_message);
}

TEST(HostilePeer, FloodOfEmptyRecords) {
  // Empty application data records are legal (§5.1) and change nothing: at most 32 in a row.
  ClientConfig client_config = test_client_config();
  ForgedRecords forged(client_config, "CLIENT_TRAFFIC_SECRET_0");
  Pair pair = connect(client_config, test_server_config());
  expect_established(pair);
  const auto empty_record = [&forged] { return forged.application_data(""); };
  for (std::size_t i = 0; i < record::RecordLayer::kMaxEmptyRecords; ++i) {
    ASSERT_TRUE(pair.server.feed(empty_record()).ok()) << pair.server.error()->message();
  }
  EXPECT_FALSE(pair.server.feed(empty_record()).ok());
  ASSERT_EQ(code_of(pair.server), Errc::limit_exceeded);
  EXPECT_NE(pair.server.error()->message().find("empty records in a row"), std::string::npos)
      << pair.server.error()->message();
  EXPECT_EQ(pair.server.readable(), 0U);
  pump(pair.client, pair.server);
  expect_told(pair.client, Alert::illegal_parameter);
  expect_closed_for_good(pair.server);
}

TEST(HostilePeer, FloodOfKeyUpdates) {
  Pair pair = connect(test_client_config(), test_server_config());
  for (std::size_t i = 0; i <= tls13::Established::kMaxKeyUpdatesInARow; ++i) {
    ASSERT_TRUE(pair.server.update_keys().ok());
  }
  pump(pair.client, pair.server);
  EXPECT_EQ(code_of(pair.client), Errc::limit_exceeded);
  expect_told(pair.server, Alert::illegal_parameter);
  expect_closed_for_good(pair.client);
}

TEST(HostilePeer, FloodOfHelloRequests) {
  const Bytes hello_request = {0, 0, 0, 0};  // HandshakeType hello_request(0), empty body
  expect_renegotiation_refused_then_cut_off(Writer::server, hello_request);
}

TEST(HostilePeer, FloodOfRenegotiatingClientHellos) {
  const auto hello = records_in(client_hello_records());
  ASSERT_EQ(hello.size(), 1U);
  expect_renegotiation_refused_then_cut_off(Writer::client, hello[0].content);
}

}  // namespace
}  // namespace keel::test
