// The client's ClientHello (tls13/client_hello.hpp): what it offers, GREASE, and that a
// server's negotiation reads it as intended.
#include "tls13/client_hello.hpp"

#include <gtest/gtest.h>

#include "handshake/negotiation.hpp"
#include "msg/types.hpp"

namespace keel::tls13 {
namespace {

ClientOffer offer() {
  ClientOffer o;
  o.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256, CipherSuite::TLS_AES_256_GCM_SHA384};
  o.groups = {NamedGroup::x25519, NamedGroup::secp256r1};
  o.signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256,
                         SignatureScheme::rsa_pss_rsae_sha256};
  o.server_name = "example.com";
  o.alpn = {"h2", "http/1.1"};
  o.record_size_limit = 16385;
  return o;
}

/// The ClientHello as a server receives it: encoded, then decoded.
msg::ClientHello round_trip(const msg::ClientHello& hello) {
  auto encoded = hello.encode();
  EXPECT_TRUE(encoded.ok());
  auto decoded = msg::ClientHello::decode(ByteView(*encoded).subspan(4));
  EXPECT_TRUE(decoded.ok()) << decoded.error().message();
  return *decoded;
}

TEST(ClientHelloBuilder, OffersWhatItIsToldWithGrease) {
  ClientHelloRandoms randoms;
  randoms.random.fill(7);
  randoms.session_id.fill(9);
  randoms.grease = {0x13, 0x37, 0x42, 0x99};
  const std::vector<msg::KeyShareEntry> shares = {{NamedGroup::x25519, Bytes(32, 5)}};
  auto built = build_client_hello(offer(), randoms, shares);
  ASSERT_TRUE(built.ok()) << built.error().message();
  const msg::ClientHello hello = round_trip(*built);

  EXPECT_EQ(hello.random, randoms.random);
  EXPECT_EQ(hello.legacy_session_id, Bytes(32, 9));
  ASSERT_EQ(hello.cipher_suites.size(), 3U);
  EXPECT_TRUE(msg::is_grease(static_cast<std::uint16_t>(hello.cipher_suites[0])));
  EXPECT_TRUE(msg::is_grease(hello.extensions[0].type));

  auto versions = msg::decode_version_list(
      *msg::find(hello.extensions, msg::ExtensionType::supported_versions));
  ASSERT_TRUE(versions.ok());
  ASSERT_EQ(versions->size(), 2U);
  EXPECT_TRUE(msg::is_grease((*versions)[0]));
  EXPECT_EQ((*versions)[1], msg::kTls13);

  auto groups =
      msg::decode_named_groups(*msg::find(hello.extensions, msg::ExtensionType::supported_groups));
  auto client_shares =
      msg::decode_client_shares(*msg::find(hello.extensions, msg::ExtensionType::key_share));
  ASSERT_TRUE(groups.ok() && client_shares.ok());
  ASSERT_EQ(client_shares->size(), 2U);
  EXPECT_EQ((*client_shares)[1], shares[0]);

  // A server ignores the GREASE values and settles on real ones.
  const std::vector server_suites = {CipherSuite::TLS_AES_256_GCM_SHA384,
                                     CipherSuite::TLS_AES_128_GCM_SHA256};
  EXPECT_EQ(*handshake::choose_suite(hello.cipher_suites, server_suites),
            CipherSuite::TLS_AES_256_GCM_SHA384);
  const std::vector server_groups = {NamedGroup::secp256r1, NamedGroup::x25519};
  auto group = handshake::choose_group(*groups, *client_shares, server_groups);
  ASSERT_TRUE(group.ok()) << group.error().message();
  EXPECT_EQ(group->group, NamedGroup::x25519);
  EXPECT_EQ(group->share, 1U);

  auto name =
      msg::decode_server_name(*msg::find(hello.extensions, msg::ExtensionType::server_name));
  ASSERT_TRUE(name.ok() && *name);
  EXPECT_EQ(**name, "example.com");
  auto alpn = msg::decode_alpn(
      *msg::find(hello.extensions, msg::ExtensionType::application_layer_protocol_negotiation));
  ASSERT_TRUE(alpn.ok());
  EXPECT_EQ(*alpn, (std::vector<std::string>{"h2", "http/1.1"}));
  EXPECT_NE(msg::find(hello.extensions, msg::ExtensionType::status_request), nullptr);
  EXPECT_EQ(*msg::decode_psk_modes(
                *msg::find(hello.extensions, msg::ExtensionType::psk_key_exchange_modes)),
            std::vector<std::uint8_t>{msg::kPskDheKe});
  EXPECT_EQ(msg::find(hello.extensions, msg::ExtensionType::cookie), nullptr);
}

TEST(ClientHelloBuilder, WithoutGreaseOrOptionsAndWithACookie) {
  ClientOffer minimal = offer();
  minimal.server_name.reset();
  minimal.alpn.clear();
  minimal.request_ocsp = false;
  minimal.record_size_limit.reset();
  const Bytes cookie = {1, 2, 3};
  auto built = build_client_hello(minimal, ClientHelloRandoms{}, {}, RetryAnswer{ByteView(cookie)});
  ASSERT_TRUE(built.ok());
  const msg::ClientHello hello = round_trip(*built);
  EXPECT_EQ(hello.cipher_suites, minimal.cipher_suites);
  for (const auto& extension : hello.extensions) {
    EXPECT_FALSE(msg::is_grease(extension.type));
  }
  EXPECT_EQ(msg::find(hello.extensions, msg::ExtensionType::server_name), nullptr);
  EXPECT_EQ(msg::find(hello.extensions, msg::ExtensionType::status_request), nullptr);
  EXPECT_EQ(*msg::decode_cookie(*msg::find(hello.extensions, msg::ExtensionType::cookie)), cookie);
}

TEST(ClientHelloBuilder, SecondHelloHasOnlyTheNewShare) {
  // §4.2.8: after a HelloRetryRequest, "only a new KeyShareEntry for the group indicated in
  // the selected_group field" — no GREASE share beside it (OpenSSL refuses one:
  // illegal_parameter), though GREASE stays elsewhere.
  ClientHelloRandoms randoms;
  randoms.grease = {0x13, 0x37, 0x42, 0x99};
  const std::vector<msg::KeyShareEntry> shares = {{NamedGroup::secp384r1, Bytes(97, 4)}};
  auto built = build_client_hello(offer(), randoms, shares, RetryAnswer{});
  ASSERT_TRUE(built.ok());
  const msg::ClientHello hello = round_trip(*built);
  auto client_shares =
      msg::decode_client_shares(*msg::find(hello.extensions, msg::ExtensionType::key_share));
  ASSERT_TRUE(client_shares.ok());
  EXPECT_EQ(*client_shares, shares);
  EXPECT_TRUE(msg::is_grease(static_cast<std::uint16_t>(hello.cipher_suites[0])));
  EXPECT_EQ(msg::find(hello.extensions, msg::ExtensionType::cookie), nullptr);
}

TEST(ClientHelloBuilder, RefusesWhatCannotBeEncoded) {
  ClientOffer bad = offer();
  bad.alpn = {std::string(300, 'x')};  // ProtocolName is at most 255 bytes
  EXPECT_FALSE(build_client_hello(bad, ClientHelloRandoms{}, {}).ok());
}

}  // namespace
}  // namespace keel::tls13
