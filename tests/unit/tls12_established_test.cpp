// A TLS 1.2 connection after its handshake (tls12/established.hpp): renegotiation refused
// with a warning, no key update, the RFC 5705 exporter, and the Finished check.
#include <gtest/gtest.h>

#include "support/test_util.hpp"
#include "tls12/established.hpp"

namespace keel::tls12 {
namespace {

using handshake::HandshakeMessage;
using msg::HandshakeType;

crypto::Provider& provider() {
  return crypto::default_provider();
}

handshake::Suite12 suite() {
  return *handshake::tls12_suite(CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);
}

const Bytes kMaster(48, 0x4D);
const msg::Random kClientRandom = [] {
  msg::Random r{};
  r.fill(0xC1);
  return r;
}();
const msg::Random kServerRandom = [] {
  msg::Random r{};
  r.fill(0x5E);
  return r;
}();

FinishedVerified12 verified(const Bytes& hash) {
  auto data = handshake::finished_verify_data12(provider(), suite(), kMaster,
                                                handshake::FinishedSender::server, hash);
  EXPECT_TRUE(data.ok());
  auto proof = verify_finished12(provider(), suite(), kMaster, handshake::FinishedSender::server,
                                 hash, data->view());
  EXPECT_TRUE(proof.ok());
  return *proof;
}

Established make(Side side) {
  return {side,          suite(),       Secret::copy_of(kMaster),
          kClientRandom, kServerRandom, verified(Bytes(32, 1))};
}

TEST(Tls12Established, FinishedMustMatch) {
  const Bytes hash(32, 7);
  auto data = handshake::finished_verify_data12(provider(), suite(), kMaster,
                                                handshake::FinishedSender::client, hash);
  ASSERT_TRUE(data.ok());
  EXPECT_TRUE(verify_finished12(provider(), suite(), kMaster, handshake::FinishedSender::client,
                                hash, data->view())
                  .ok());
  // The other sender's label, another transcript, a changed byte, a short one: all refused.
  EXPECT_EQ(verify_finished12(provider(), suite(), kMaster, handshake::FinishedSender::server, hash,
                              data->view())
                .error()
                .code(),
            Errc::bad_signature);
  EXPECT_FALSE(verify_finished12(provider(), suite(), kMaster, handshake::FinishedSender::client,
                                 Bytes(32, 8), data->view())
                   .ok());
  Bytes changed = test::to_bytes(data->view());
  changed[11] ^= 1;
  EXPECT_FALSE(verify_finished12(provider(), suite(), kMaster, handshake::FinishedSender::client,
                                 hash, changed)
                   .ok());
  EXPECT_FALSE(verify_finished12(provider(), suite(), kMaster, handshake::FinishedSender::client,
                                 hash, ByteView(changed).first(11))
                   .ok());
}

TEST(Tls12Established, RefusesRenegotiationWithAWarningAndBoundsIt) {
  tls13::Channel channel(provider(), handshake::Joiner::kDefaultMaxMessage);
  auto client = make(Side::client);
  const Bytes hello_request = {0, 0, 0, 0};
  const HandshakeMessage request{HandshakeType::hello_request, ByteView(), hello_request};
  ASSERT_TRUE(client.handle(channel, request).ok());
  // A plaintext warning alert here (the test's channel has no keys): level 1, description 100.
  EXPECT_EQ(test::to_bytes(channel.records().pending_output()), test::hex("15 0303 0002 01 64"));
  channel.records().consume_output(channel.records().pending_output().size());

  for (std::size_t i = 1; i < Established::kMaxRefusals; ++i) {
    ASSERT_TRUE(client.handle(channel, request).ok());
  }
  EXPECT_EQ(client.handle(channel, request).error().code(), Errc::limit_exceeded);

  // Application data in between resets the count.
  auto patient = make(Side::client);
  for (std::size_t i = 0; i < 3 * Established::kMaxRefusals; ++i) {
    ASSERT_TRUE(patient.handle(channel, request).ok());
    patient.note_application_data();
  }

  // A server refuses a ClientHello the same way; other messages are unexpected.
  auto server = make(Side::server);
  const HandshakeMessage client_hello{HandshakeType::client_hello, ByteView(), ByteView()};
  EXPECT_TRUE(server.handle(channel, client_hello).ok());
  EXPECT_EQ(server.handle(channel, request).error().code(), Errc::unexpected_message);
  EXPECT_EQ(client.handle(channel, client_hello).error().code(), Errc::unexpected_message);
  const HandshakeMessage key_update{HandshakeType::key_update, ByteView(), ByteView()};
  EXPECT_EQ(make(Side::client).handle(channel, key_update).error().code(),
            Errc::unexpected_message);
}

TEST(Tls12Established, ExportsKeyingMaterialAndHasNoKeyUpdate) {
  tls13::Channel channel(provider(), handshake::Joiner::kDefaultMaxMessage);
  auto session = make(Side::client);
  Bytes ours(32);
  ASSERT_TRUE(session.export_keying_material(provider(), "EXPORTER-test", Bytes{1}, ours).ok());
  Bytes expected(32);
  ASSERT_TRUE(handshake::export_keying_material12(provider(), suite(), kMaster, kClientRandom,
                                                  kServerRandom, "EXPORTER-test",
                                                  ByteView(Bytes{1}), expected)
                  .ok());
  EXPECT_EQ(ours, expected);
  EXPECT_EQ(session.update_keys(channel, true).error().code(), Errc::invalid_argument);
  EXPECT_EQ(session.tickets_received(), 0U);
}

}  // namespace
}  // namespace keel::tls12
