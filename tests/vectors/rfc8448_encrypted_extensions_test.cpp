// EncryptedExtensions (tls13/encrypted_extensions.hpp): the RFC 8448 §3 reply accepted, ALPN
// selection, and the rules a server's reply must keep.
#include <gtest/gtest.h>

#include "msg/extensions.hpp"
#include "msg/types.hpp"
#include "support/rfc8448.hpp"
#include "tls13/client_hello.hpp"
#include "tls13/encrypted_extensions.hpp"

namespace keel::tls13 {
namespace {

using msg::ExtensionType;
using test::rfc8448::step;

TEST(EncryptedExtensionsCheck, AcceptsSection3) {
  const Bytes hello = step("3", "client", "construct a ClientHello")["ClientHello"];
  const Bytes ee = step("3", "server", "construct an EncryptedExtensions")["EncryptedExtensions"];
  auto sent = msg::ClientHello::decode(ByteView(hello).subspan(4));
  auto received = msg::EncryptedExtensions::decode(ByteView(ee).subspan(4));
  ASSERT_TRUE(sent.ok() && received.ok());
  auto accepted = check_encrypted_extensions(*sent, *received);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message();
  EXPECT_TRUE(accepted->server_name_used);
  EXPECT_EQ(accepted->record_size_limit, 0x4001);
  EXPECT_FALSE(accepted->alpn);
}

TEST(EncryptedExtensionsCheck, AlpnSelection) {
  const std::vector<std::string> offered = {"h2", "http/1.1"};
  const std::vector<std::string> server = {"http/1.1", "h2"};
  EXPECT_EQ(*select_alpn(offered, server), "http/1.1");  // the server's preference
  EXPECT_FALSE(*select_alpn({}, server));                // the client asked for nothing
  EXPECT_FALSE(*select_alpn(offered, {}));               // the server does not do ALPN
  const std::vector<std::string> other = {"spdy/3"};
  auto none = select_alpn(offered, other);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(alert_for(none.error()), Alert::no_application_protocol);
}

class ServerReply : public ::testing::Test {
 protected:
  static msg::ClientHello sent() {
    ClientOffer offer;
    offer.cipher_suites = {CipherSuite::TLS_AES_128_GCM_SHA256};
    offer.groups = {NamedGroup::x25519};
    offer.signature_schemes = {SignatureScheme::ed25519};
    offer.server_name = "example.com";
    offer.alpn = {"h2", "http/1.1"};
    offer.record_size_limit = 16385;
    return *build_client_hello(offer, ClientHelloRandoms{}, {});
  }

  static Errc check(const msg::EncryptedExtensions& ee) {
    auto result = check_encrypted_extensions(sent(), ee);
    return result.ok() ? Errc::internal : result.error().code();
  }
};

TEST_F(ServerReply, BuiltRepliesAreAccepted) {
  ServerExtensions extensions;
  extensions.alpn = "h2";
  extensions.server_name_used = true;
  extensions.record_size_limit = 4096;
  auto built = build_encrypted_extensions(extensions);
  ASSERT_TRUE(built.ok());
  auto accepted = check_encrypted_extensions(sent(), *built);
  ASSERT_TRUE(accepted.ok()) << accepted.error().message();
  EXPECT_EQ(accepted->alpn, "h2");
  EXPECT_TRUE(accepted->server_name_used);
  EXPECT_EQ(accepted->record_size_limit, 4096);
}

TEST_F(ServerReply, RefusesUnsolicitedMisplacedAndWrongExtensions) {
  ServerExtensions early;
  early.early_data_accepted = true;  // the client offered no early data
  EXPECT_EQ(check(*build_encrypted_extensions(early)), Errc::unsupported_extension);

  ServerExtensions unknown_protocol;
  unknown_protocol.alpn = "spdy/3";
  EXPECT_EQ(check(*build_encrypted_extensions(unknown_protocol)), Errc::illegal_parameter);

  msg::EncryptedExtensions two_protocols;
  two_protocols.extensions = {
      {static_cast<std::uint16_t>(ExtensionType::application_layer_protocol_negotiation),
       {0, 12, 2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'}}};
  EXPECT_EQ(check(two_protocols), Errc::illegal_parameter);

  msg::EncryptedExtensions key_share;  // belongs in a ServerHello
  key_share.extensions = {{static_cast<std::uint16_t>(ExtensionType::key_share), {}}};
  EXPECT_EQ(check(key_share), Errc::illegal_parameter);

  msg::EncryptedExtensions named;  // server_name must be empty in a reply
  named.extensions = {{static_cast<std::uint16_t>(ExtensionType::server_name), {0}}};
  EXPECT_NE(check(named), Errc::internal);
}

}  // namespace
}  // namespace keel::tls13
