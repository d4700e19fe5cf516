// Every handshake message of RFC 8448 decodes, re-encodes to the RFC's exact bytes, and no
// strict prefix of it decodes; the extensions inside decode to what the RFC describes.
#include <gtest/gtest.h>

#include "handshake/joiner.hpp"
#include "msg/certificate.hpp"
#include "msg/certificate_request.hpp"
#include "msg/certificate_verify.hpp"
#include "msg/encrypted_extensions.hpp"
#include "msg/extensions.hpp"
#include "msg/finished.hpp"
#include "msg/hello.hpp"
#include "msg/key_update.hpp"
#include "msg/new_session_ticket.hpp"
#include "support/rfc8448.hpp"
#include "support/test_util.hpp"

namespace keel::msg {
namespace {

using test::rfc8448::step;

/// Decodes `whole` (a message with its header) with `decode`, checks the type byte, that it
/// re-encodes to the same bytes, and that no strict prefix of the body decodes — except, for
/// the hellos, the prefix that stops where the extensions begin: TLS 1.2 lets a hello omit
/// them.
template <class Message, class Decode>
Message round_trip(const Bytes& whole, HandshakeType type, Decode decode) {
  EXPECT_GE(whole.size(), 4U);
  EXPECT_EQ(whole[0], static_cast<std::uint8_t>(type));
  const ByteView body = ByteView(whole).subspan(4);
  auto decoded = decode(body);
  EXPECT_TRUE(decoded.ok()) << to_string(type) << ": " << decoded.error().message();
  if (!decoded.ok()) {
    return Message{};
  }
  auto encoded = decoded->encode();
  EXPECT_TRUE(encoded.ok());
  EXPECT_EQ(*encoded, whole) << to_string(type);
  for (std::size_t size = 0; size < body.size(); ++size) {
    auto prefix = decode(body.first(size));
    if constexpr (requires { prefix->extensions; }) {
      if (type == HandshakeType::client_hello || type == HandshakeType::server_hello) {
        EXPECT_TRUE(!prefix.ok() || prefix->extensions.empty()) << size;
        continue;
      }
    }
    EXPECT_FALSE(prefix.ok()) << to_string(type) << " prefix of " << size;
  }
  return *decoded;
}

ClientHello client_hello(const Bytes& whole) {
  return round_trip<ClientHello>(whole, HandshakeType::client_hello, ClientHello::decode);
}

ServerHello server_hello(const Bytes& whole) {
  return round_trip<ServerHello>(whole, HandshakeType::server_hello, ServerHello::decode);
}

TEST(Rfc8448Messages, Section3ClientHello) {
  const ClientHello hello =
      client_hello(step("3", "client", "construct a ClientHello")["ClientHello"]);
  EXPECT_EQ(hello.legacy_version, 0x0303);
  EXPECT_TRUE(hello.legacy_session_id.empty());
  EXPECT_EQ(hello.cipher_suites,
            (std::vector<CipherSuite>{CipherSuite::TLS_AES_128_GCM_SHA256,
                                      CipherSuite::TLS_CHACHA20_POLY1305_SHA256,
                                      CipherSuite::TLS_AES_256_GCM_SHA384}));

  const Bytes* shares = find(hello.extensions, ExtensionType::key_share);
  ASSERT_NE(shares, nullptr);
  auto entries = decode_client_shares(*shares);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->size(), 1U);
  EXPECT_EQ((*entries)[0].group, NamedGroup::x25519);
  EXPECT_EQ((*entries)[0].key_exchange,
            step("3", "client", "create an ephemeral x25519")["public key"]);

  const Bytes* versions = find(hello.extensions, ExtensionType::supported_versions);
  ASSERT_NE(versions, nullptr);
  EXPECT_EQ(*decode_version_list(*versions), std::vector<std::uint16_t>{kTls13});
  auto groups = decode_named_groups(*find(hello.extensions, ExtensionType::supported_groups));
  ASSERT_TRUE(groups.ok());
  EXPECT_EQ(groups->front(), NamedGroup::x25519);
  auto schemes =
      decode_signature_schemes(*find(hello.extensions, ExtensionType::signature_algorithms));
  ASSERT_TRUE(schemes.ok());
  EXPECT_EQ(schemes->front(), SignatureScheme::ecdsa_secp256r1_sha256);
  auto name = decode_server_name(*find(hello.extensions, ExtensionType::server_name));
  ASSERT_TRUE(name.ok() && *name);
  EXPECT_EQ(**name, "server");
  auto modes = decode_psk_modes(*find(hello.extensions, ExtensionType::psk_key_exchange_modes));
  ASSERT_TRUE(modes.ok());
  EXPECT_EQ(*modes, std::vector<std::uint8_t>{kPskDheKe});
  auto limit = decode_record_size_limit(*find(hello.extensions, ExtensionType::record_size_limit));
  ASSERT_TRUE(limit.ok());
  EXPECT_EQ(*limit, 0x4001);
}

TEST(Rfc8448Messages, Section3ServerFlight) {
  const ServerHello hello =
      server_hello(step("3", "server", "construct a ServerHello")["ServerHello"]);
  EXPECT_FALSE(hello.is_hello_retry_request());
  EXPECT_EQ(hello.cipher_suite, CipherSuite::TLS_AES_128_GCM_SHA256);
  auto share = decode_server_share(*find(hello.extensions, ExtensionType::key_share));
  ASSERT_TRUE(share.ok());
  EXPECT_EQ(share->key_exchange, step("3", "server", "create an ephemeral x25519")["public key"]);
  EXPECT_EQ(*decode_selected_version(*find(hello.extensions, ExtensionType::supported_versions)),
            kTls13);

  round_trip<EncryptedExtensions>(
      step("3", "server", "construct an EncryptedExtensions")["EncryptedExtensions"],
      HandshakeType::encrypted_extensions, EncryptedExtensions::decode);
  const auto certificate =
      round_trip<CertificateMessage>(step("3", "server", "construct a Certificate")["Certificate"],
                                     HandshakeType::certificate, CertificateMessage::decode);
  ASSERT_EQ(certificate.certificate_list.size(), 1U);
  EXPECT_EQ(certificate.certificate_list[0].cert_data.size(), 432U);
  const auto verify = round_trip<CertificateVerify>(
      step("3", "server", "construct a CertificateVerify")["CertificateVerify"],
      HandshakeType::certificate_verify, CertificateVerify::decode);
  EXPECT_EQ(verify.algorithm, SignatureScheme::rsa_pss_rsae_sha256);
  EXPECT_EQ(verify.signature.size(), 128U);
  const auto finished_decode = [](ByteView body) { return Finished::decode(body, 32); };
  round_trip<Finished>(step("3", "server", "construct a Finished")["Finished"],
                       HandshakeType::finished, finished_decode);
  round_trip<Finished>(step("3", "client", "construct a Finished")["Finished"],
                       HandshakeType::finished, finished_decode);
  const auto ticket = round_trip<NewSessionTicket>(
      step("3", "server", "construct a NewSessionTicket")["NewSessionTicket"],
      HandshakeType::new_session_ticket, NewSessionTicket::decode);
  EXPECT_EQ(ticket.ticket_lifetime, 30U);
  EXPECT_EQ(ticket.ticket_nonce, (Bytes{0, 0}));
  EXPECT_EQ(*decode_max_early_data(*find(ticket.extensions, ExtensionType::early_data)), 1024U);
}

TEST(Rfc8448Messages, Section4ClientHelloWithPreSharedKey) {
  // The RFC shows the ClientHello before its binder is known; the record carries it whole.
  const Bytes whole = step("4", "client", "send handshake record")["payload"];
  const ClientHello hello = client_hello(whole);
  ASSERT_FALSE(hello.extensions.empty());
  EXPECT_TRUE(hello.extensions.back().is(ExtensionType::pre_shared_key));
  auto psks = decode_offered_psks(hello.extensions.back().data);
  ASSERT_TRUE(psks.ok()) << psks.error().message();
  ASSERT_EQ(psks->identities.size(), 1U);
  EXPECT_EQ(psks->identities[0].identity,
            (round_trip<NewSessionTicket>(
                 step("3", "server", "construct a NewSessionTicket")["NewSessionTicket"],
                 HandshakeType::new_session_ticket, NewSessionTicket::decode)
                 .ticket));
  EXPECT_EQ(binders_size(*psks), 2U + 1U + 32U);
  // §4.2.11.2: the binder covers the ClientHello up to the binders list.
  const auto& binder_step = step("4", "client", "calculate PSK binder");
  EXPECT_EQ(ByteView(whole).first(whole.size() - binders_size(*psks)).size(),
            binder_step["ClientHello prefix"].size());
  EXPECT_EQ(psks->binders[0], binder_step["finished"]);
  EXPECT_TRUE(expect_empty_extension(*find(hello.extensions, ExtensionType::early_data)).ok());
}

TEST(Rfc8448Messages, Section5HelloRetryRequest) {
  const ServerHello retry =
      server_hello(step("5", "server", "construct a ServerHello", 1)["ServerHello"]);
  EXPECT_TRUE(retry.is_hello_retry_request());
  EXPECT_EQ(*decode_selected_group(*find(retry.extensions, ExtensionType::key_share)),
            NamedGroup::secp256r1);
  auto cookie = decode_cookie(*find(retry.extensions, ExtensionType::cookie));
  ASSERT_TRUE(cookie.ok());
  EXPECT_EQ(cookie->size(), 114U);
  const ClientHello second =
      client_hello(step("5", "client", "construct a ClientHello", 2)["ClientHello"]);
  EXPECT_EQ(*decode_cookie(*find(second.extensions, ExtensionType::cookie)), *cookie);
}

TEST(Rfc8448Messages, Section6CertificateRequest) {
  const auto request = round_trip<CertificateRequest>(
      step("6", "server", "construct a CertificateRequest")["CertificateRequest"],
      HandshakeType::certificate_request, CertificateRequest::decode);
  EXPECT_NE(find(request.extensions, ExtensionType::signature_algorithms), nullptr);
  round_trip<CertificateMessage>(
      step("6", "client", "construct a Certificate handshake")["Certificate"],
      HandshakeType::certificate, CertificateMessage::decode);
  round_trip<CertificateVerify>(
      step("6", "client", "construct a CertificateVerify")["CertificateVerify"],
      HandshakeType::certificate_verify, CertificateVerify::decode);
}

TEST(Joiner, SplitsAndJoinsTheServerFlight) {
  // The RFC's encrypted server flight is one record holding four messages; feed it in
  // 7-byte pieces and the same messages come out.
  const Bytes flight = step("3", "server", "send handshake record", 2)["payload"];
  handshake::Joiner joiner;
  std::vector<HandshakeType> types;
  std::size_t total = 0;
  for (std::size_t at = 0; at < flight.size(); at += 7) {
    ASSERT_TRUE(
        joiner.add(ByteView(flight).subspan(at, std::min<std::size_t>(7, flight.size() - at)))
            .ok());
    while (true) {
      auto message = joiner.next();
      ASSERT_TRUE(message.ok());
      if (!*message) {
        break;
      }
      types.push_back((*message)->type);
      total += (*message)->whole.size();
    }
  }
  EXPECT_EQ(types, (std::vector<HandshakeType>{
                       HandshakeType::encrypted_extensions, HandshakeType::certificate,
                       HandshakeType::certificate_verify, HandshakeType::finished}));
  EXPECT_EQ(total, flight.size());
  EXPECT_FALSE(joiner.has_partial_message());
}

TEST(Joiner, RefusesOversizedMessages) {
  handshake::Joiner joiner(1000);
  ASSERT_TRUE(joiner.add(Bytes{11, 0x00, 0x03, 0xE9}).ok());  // Certificate of 1001 bytes
  auto message = joiner.next();
  ASSERT_FALSE(message.ok());
  EXPECT_EQ(message.error().code(), Errc::limit_exceeded);
}

TEST(Messages, RejectMalformedFields) {
  EXPECT_EQ(KeyUpdate::decode(Bytes{2}).error().code(), Errc::illegal_parameter);
  EXPECT_TRUE(KeyUpdate::decode(Bytes{1})->update_requested);
  EXPECT_FALSE(KeyUpdate::decode(Bytes{}).ok());
  EXPECT_FALSE(EndOfEarlyData::decode(Bytes{0}).ok());
  EXPECT_FALSE(Finished::decode(Bytes(31, 0), 32).ok());
  EXPECT_EQ(decode_record_size_limit(Bytes{0, 63}).error().code(), Errc::illegal_parameter);
  EXPECT_EQ(decode_server_name(Bytes{0, 8, 0, 0, 1, 'a', 0, 0, 1, 'b'}).error().code(),
            Errc::illegal_parameter);
  // A duplicate extension in a block.
  const Bytes block = {0, 8, 0, 43, 0, 0, 0, 43, 0, 0};
  wire::Reader reader(block);
  EXPECT_EQ(decode_extensions(reader).error().code(), Errc::duplicate_extension);
  // pre_shared_key anywhere but last.
  ClientHello hello;
  hello.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256};
  hello.extensions = {{static_cast<std::uint16_t>(ExtensionType::pre_shared_key), {}},
                      {static_cast<std::uint16_t>(ExtensionType::supported_versions), {}}};
  auto encoded = hello.encode();
  ASSERT_TRUE(encoded.ok());
  EXPECT_EQ(ClientHello::decode(ByteView(*encoded).subspan(4)).error().code(),
            Errc::illegal_parameter);
  // Binders and identities must pair up.
  OfferedPsks psks;
  psks.identities = {{Bytes{1}, 0}};
  psks.binders = {Bytes(32, 0), Bytes(32, 0)};
  auto psk_bytes = encode_offered_psks(psks);
  ASSERT_TRUE(psk_bytes.ok());
  EXPECT_EQ(decode_offered_psks(*psk_bytes).error().code(), Errc::illegal_parameter);
}

TEST(Messages, GreaseValues) {
  EXPECT_TRUE(is_grease(0x0A0A));
  EXPECT_TRUE(is_grease(0xFAFA));
  EXPECT_FALSE(is_grease(0x0A1A));
  EXPECT_FALSE(is_grease(0x1301));
}

}  // namespace
}  // namespace keel::msg
