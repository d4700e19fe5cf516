// The client's checks of the server's first reply (tls13/server_hello_check.hpp), on RFC 8448's
// hellos and on variants of them that break one rule each.
#include <gtest/gtest.h>

#include "handshake/negotiation.hpp"
#include "msg/extensions.hpp"
#include "msg/types.hpp"
#include "support/rfc8448.hpp"
#include "tls13/server_hello_check.hpp"

namespace keel::tls13 {
namespace {

using msg::ExtensionType;
using test::rfc8448::step;

msg::ClientHello client_hello(const std::string& section, int nth = 1) {
  const Bytes whole = step(section, "client", "construct a ClientHello", nth)["ClientHello"];
  return *msg::ClientHello::decode(ByteView(whole).subspan(4));
}

msg::ServerHello server_hello(const std::string& section, int nth = 1) {
  const Bytes whole = step(section, "server", "construct a ServerHello", nth)["ServerHello"];
  return *msg::ServerHello::decode(ByteView(whole).subspan(4));
}

void set_extension(msg::ServerHello& hello, ExtensionType type, Bytes data) {
  for (auto& extension : hello.extensions) {
    if (extension.is(type)) {
      extension.data = std::move(data);
      return;
    }
  }
  hello.extensions.push_back({static_cast<std::uint16_t>(type), std::move(data)});
}

void remove_extension(msg::ServerHello& hello, ExtensionType type) {
  std::erase_if(hello.extensions, [&](const msg::Extension& e) { return e.is(type); });
}

Errc code_of(const Result<AcceptedServerHello>& result) {
  return result.ok() ? Errc::internal : result.error().code();
}

TEST(ServerHelloCheck, AcceptsSection3) {
  auto accepted = check_server_hello(client_hello("3"), server_hello("3"));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message();
  EXPECT_EQ(accepted->suite.id, CipherSuite::TLS_AES_128_GCM_SHA256);
  EXPECT_EQ(accepted->group, NamedGroup::x25519);
  EXPECT_EQ(accepted->server_share,
            step("3", "server", "create an ephemeral x25519")["public key"]);
  EXPECT_FALSE(accepted->psk_identity);
}

TEST(ServerHelloCheck, AcceptsTheResumedHandshakeOfSection4) {
  const Bytes whole = step("4", "client", "send handshake record")["payload"];
  const auto hello = *msg::ClientHello::decode(ByteView(whole).subspan(4));
  auto accepted = check_server_hello(hello, server_hello("4"));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message();
  EXPECT_EQ(accepted->psk_identity, 0U);
}

TEST(ServerHelloCheck, RefusesEachBrokenRule) {
  const msg::ClientHello sent = client_hello("3");
  msg::ServerHello hello = server_hello("3");

  auto changed = hello;
  changed.legacy_session_id_echo = {1};
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::illegal_parameter);

  changed = hello;
  changed.cipher_suite = CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256;
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::illegal_parameter);

  changed = hello;
  changed.legacy_compression_method = 1;
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::illegal_parameter);

  changed = hello;
  set_extension(changed, ExtensionType::supported_versions, Bytes{0x03, 0x03});
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::illegal_parameter);

  // Without supported_versions the server speaks TLS 1.2; with the sentinel, it was forced to.
  changed = hello;
  remove_extension(changed, ExtensionType::supported_versions);
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::protocol_version);
  std::copy(handshake::kDowngradeTls12.begin(), handshake::kDowngradeTls12.end(),
            changed.random.end() - 8);
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::illegal_parameter);

  // An extension the client never sent, and one that belongs elsewhere.
  changed = hello;
  set_extension(changed, ExtensionType::application_layer_protocol_negotiation,
                Bytes{0, 3, 2, 'h', '2'});
  auto unsolicited = check_server_hello(sent, changed);
  EXPECT_EQ(code_of(unsolicited), Errc::unsupported_extension);
  EXPECT_EQ(alert_for(unsolicited.error()), Alert::unsupported_extension);
  changed = hello;
  set_extension(changed, ExtensionType::server_name, Bytes{});
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::illegal_parameter);

  // A key share for a group the client sent none for; none at all.
  changed = hello;
  set_extension(changed, ExtensionType::key_share, Bytes{0x00, 0x17, 0x00, 0x01, 0x04});
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::illegal_parameter);
  changed = hello;
  remove_extension(changed, ExtensionType::key_share);
  auto missing = check_server_hello(sent, changed);
  EXPECT_EQ(code_of(missing), Errc::missing_extension);
  EXPECT_EQ(alert_for(missing.error()), Alert::missing_extension);

  // A PSK the client never offered.
  changed = hello;
  set_extension(changed, ExtensionType::pre_shared_key, Bytes{0, 0});
  EXPECT_EQ(code_of(check_server_hello(sent, changed)), Errc::unsupported_extension);
}

TEST(ServerHelloCheck, Section5HelloRetryRequest) {
  const msg::ClientHello first = client_hello("5", 1);
  const msg::ServerHello retry = server_hello("5", 1);
  ASSERT_TRUE(retry.is_hello_retry_request());
  auto request = check_hello_retry_request(first, retry);
  ASSERT_TRUE(request.ok()) << request.error().message();
  EXPECT_EQ(request->suite.id, CipherSuite::TLS_AES_128_GCM_SHA256);
  EXPECT_EQ(request->group, NamedGroup::secp256r1);
  ASSERT_TRUE(request->cookie);
  EXPECT_EQ(request->cookie->size(), 114U);

  // The second ClientHello and the real ServerHello.
  auto accepted = check_server_hello(client_hello("5", 2), server_hello("5", 2));
  ASSERT_TRUE(accepted.ok()) << accepted.error().message();
  EXPECT_EQ(accepted->group, NamedGroup::secp256r1);
}

TEST(ServerHelloCheck, HelloRetryRequestMustAskForAChange) {
  const msg::ClientHello first = client_hello("5", 1);
  const msg::ServerHello retry = server_hello("5", 1);
  const auto code = [&](const msg::ServerHello& hrr) {
    auto result = check_hello_retry_request(first, hrr);
    return result.ok() ? Errc::internal : result.error().code();
  };
  auto changed = retry;
  remove_extension(changed, ExtensionType::key_share);
  remove_extension(changed, ExtensionType::cookie);
  EXPECT_EQ(code(changed), Errc::illegal_parameter);  // asks for nothing
  // A group the client already sent a share for, or never listed.
  changed = retry;
  set_extension(changed, ExtensionType::key_share, Bytes{0x00, 0x1d});
  EXPECT_EQ(code(changed), Errc::illegal_parameter);
  changed = retry;
  set_extension(changed, ExtensionType::key_share, Bytes{0x00, 0x1e});
  EXPECT_EQ(code(changed), Errc::illegal_parameter);
  // A ServerHello extension that has no place in a HelloRetryRequest.
  changed = retry;
  set_extension(changed, ExtensionType::pre_shared_key, Bytes{0, 0});
  EXPECT_EQ(code(changed), Errc::unsupported_extension);  // and the client sent no PSK
}

}  // namespace
}  // namespace keel::tls13
