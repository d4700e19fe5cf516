// The server's reading of a ClientHello and its replies (tls13/client_hello_check.hpp): from
// RFC 8448's ClientHellos, keel's server makes the RFC's choices and its ServerHello and
// HelloRetryRequest come out byte for byte.
#include <gtest/gtest.h>

#include "msg/extensions.hpp"
#include "msg/types.hpp"
#include "support/rfc8448.hpp"
#include "tls13/client_hello_check.hpp"

namespace keel::tls13 {
namespace {

using msg::ExtensionType;
using test::rfc8448::step;

msg::ClientHello client_hello(const Bytes& whole) {
  return *msg::ClientHello::decode(ByteView(whole).subspan(4));
}

msg::ServerHello server_hello(const std::string& section, int nth = 1) {
  const Bytes whole = step(section, "server", "construct a ServerHello", nth)["ServerHello"];
  return *msg::ServerHello::decode(ByteView(whole).subspan(4));
}

ServerPreferences preferences(std::vector<NamedGroup> groups) {
  return ServerPreferences{
      {CipherSuite::TLS_AES_128_GCM_SHA256, CipherSuite::TLS_AES_256_GCM_SHA384,
       CipherSuite::TLS_CHACHA20_POLY1305_SHA256},
      std::move(groups)};
}

TEST(ClientHelloCheck, Section3ChoicesAndServerHello) {
  const msg::ClientHello hello =
      client_hello(step("3", "client", "construct a ClientHello")["ClientHello"]);
  auto choice = check_client_hello(hello, preferences({NamedGroup::x25519, NamedGroup::secp256r1}));
  ASSERT_TRUE(choice.ok()) << choice.error().message();
  EXPECT_EQ(choice->suite.id, CipherSuite::TLS_AES_128_GCM_SHA256);
  EXPECT_EQ(choice->group.group, NamedGroup::x25519);
  EXPECT_EQ(choice->group.share, 0U);
  EXPECT_EQ(choice->server_name, "server");
  EXPECT_EQ(choice->record_size_limit, 0x4001);
  EXPECT_EQ(choice->psk_modes, std::vector<std::uint8_t>{msg::kPskDheKe});
  EXPECT_FALSE(choice->psks);
  EXPECT_TRUE(choice->alpn.empty());

  const msg::ServerHello expected = server_hello("3");
  const msg::KeyShareEntry share{NamedGroup::x25519,
                                 step("3", "server", "create an ephemeral x25519")["public key"]};
  auto built = build_server_hello(hello, expected.random, choice->suite.id, share, std::nullopt);
  ASSERT_TRUE(built.ok());
  EXPECT_EQ(*built->encode(), step("3", "server", "construct a ServerHello")["ServerHello"]);
}

TEST(ClientHelloCheck, Section5HelloRetryRequestByteForByte) {
  const msg::ClientHello first =
      client_hello(step("5", "client", "construct a ClientHello", 1)["ClientHello"]);
  // The RFC's server wants P-256; the client sent only an X25519 share.
  auto choice = check_client_hello(first, preferences({NamedGroup::secp256r1}));
  ASSERT_TRUE(choice.ok()) << choice.error().message();
  EXPECT_EQ(choice->group.group, NamedGroup::secp256r1);
  EXPECT_FALSE(choice->group.share);

  const msg::ServerHello expected = server_hello("5", 1);
  const Bytes cookie = *msg::decode_cookie(*msg::find(expected.extensions, ExtensionType::cookie));
  auto retry =
      build_hello_retry_request(first, choice->suite.id, NamedGroup::secp256r1, ByteView(cookie));
  ASSERT_TRUE(retry.ok());
  EXPECT_EQ(*retry->encode(), step("5", "server", "construct a ServerHello", 1)["ServerHello"]);

  const msg::ClientHello second =
      client_hello(step("5", "client", "construct a ClientHello", 2)["ClientHello"]);
  auto second_choice = check_client_hello(second, preferences({NamedGroup::secp256r1}));
  ASSERT_TRUE(second_choice.ok());
  EXPECT_EQ(second_choice->group.share, 0U);
  EXPECT_EQ(second_choice->cookie, cookie);
}

TEST(ClientHelloCheck, Section4OfferedPsk) {
  const msg::ClientHello hello =
      client_hello(step("4", "client", "send handshake record")["payload"]);
  auto choice = check_client_hello(hello, preferences({NamedGroup::x25519}));
  ASSERT_TRUE(choice.ok()) << choice.error().message();
  ASSERT_TRUE(choice->psks);
  EXPECT_EQ(choice->psks->identities.size(), 1U);
}

TEST(ClientHelloCheck, RefusesEachBrokenRule) {
  const msg::ClientHello hello =
      client_hello(step("3", "client", "construct a ClientHello")["ClientHello"]);
  const auto prefs = preferences({NamedGroup::x25519});
  const auto code = [&](const msg::ClientHello& h, const ServerPreferences& p) {
    auto result = check_client_hello(h, p);
    return result.ok() ? Errc::internal : result.error().code();
  };
  const auto without = [&](ExtensionType type) {
    msg::ClientHello h = hello;
    std::erase_if(h.extensions, [&](const msg::Extension& e) { return e.is(type); });
    return h;
  };
  EXPECT_EQ(code(without(ExtensionType::supported_versions), prefs), Errc::protocol_version);
  EXPECT_EQ(code(without(ExtensionType::signature_algorithms), prefs), Errc::missing_extension);
  EXPECT_EQ(code(without(ExtensionType::supported_groups), prefs), Errc::missing_extension);
  EXPECT_EQ(code(without(ExtensionType::key_share), prefs), Errc::missing_extension);

  msg::ClientHello compressed = hello;
  compressed.legacy_compression_methods = {1, 0};
  EXPECT_EQ(code(compressed, prefs), Errc::illegal_parameter);

  msg::ClientHello tls12_only = hello;
  for (auto& e : tls12_only.extensions) {
    if (e.is(ExtensionType::supported_versions)) {
      e.data = {2, 0x03, 0x03};
    }
  }
  EXPECT_EQ(code(tls12_only, prefs), Errc::protocol_version);

  ServerPreferences no_suite{{}, {NamedGroup::x25519}};
  EXPECT_EQ(code(hello, no_suite), Errc::handshake_failure);
  // The RFC's client lists x25519, the NIST curves and the ffdhe groups, not x448.
  ServerPreferences no_group = preferences({NamedGroup::x448});
  EXPECT_EQ(code(hello, no_group), Errc::handshake_failure);
  ServerPreferences tls12_suite{{CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256},
                                {NamedGroup::x25519}};
  EXPECT_EQ(code(hello, tls12_suite), Errc::handshake_failure);  // not offered by this client
}

}  // namespace
}  // namespace keel::tls13
