// TLS 1.2's own handshake messages (RFC 5246 §7.4, RFC 8422 §5): each round-trips byte for
// byte, and every malformed form is refused with the error its alert follows from.
#include "msg/tls12_messages.hpp"

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace keel::msg {
namespace {

using test::hex;

/// The body of an encoded message (after its 4-byte header), checking the header.
Bytes body_of(const Bytes& message, HandshakeType type) {
  EXPECT_GE(message.size(), 4U);
  EXPECT_EQ(message[0], static_cast<std::uint8_t>(type));
  const std::size_t length =
      (std::size_t{message[1]} << 16U) | (std::size_t{message[2]} << 8U) | message[3];
  EXPECT_EQ(length, message.size() - 4);
  return {message.begin() + 4, message.end()};
}

TEST(Tls12Messages, ServerKeyExchangeRoundTripsAndSignsTheParams) {
  const ServerKeyExchange12 ske{NamedGroup::x25519, Bytes(32, 0x11),
                                SignatureScheme::ecdsa_secp256r1_sha256, Bytes{0x30, 0x02, 1, 2}};
  const Bytes encoded = ske.encode().value();
  const Bytes body = body_of(encoded, HandshakeType::server_key_exchange);
  // curve_type 3, x25519, a 32-byte point, the scheme, a 4-byte signature.
  EXPECT_EQ(Bytes(body.begin(), body.begin() + 4), hex("03 001d 20"));
  EXPECT_EQ(ServerKeyExchange12::decode(body).value(), ske);

  const Bytes signed_content = ServerKeyExchange12::signed_content(Bytes(32, 0xC1), Bytes(32, 0x5E),
                                                                   ske.group, ske.public_key);
  Bytes expected(32, 0xC1);
  const Bytes server(32, 0x5E);
  expected.insert(expected.end(), server.begin(), server.end());
  const Bytes params(body.begin(), body.begin() + 4 + 32);  // ServerECDHParams
  expected.insert(expected.end(), params.begin(), params.end());
  EXPECT_EQ(signed_content, expected);
}

TEST(Tls12Messages, ServerKeyExchangeRejects) {
  // An explicit curve (curve_type 1) is illegal_parameter.
  EXPECT_EQ(ServerKeyExchange12::decode(hex("01 0017 01 04 0403 0000")).error().code(),
            Errc::illegal_parameter);
  // An empty point, a truncated signature, a trailing byte.
  EXPECT_FALSE(ServerKeyExchange12::decode(hex("03 001d 00 0403 0000")).ok());
  EXPECT_FALSE(ServerKeyExchange12::decode(hex("03 001d 01 09 0403 0002 01")).ok());
  EXPECT_FALSE(ServerKeyExchange12::decode(hex("03 001d 01 09 0403 0000 00")).ok());
  EXPECT_FALSE(ServerKeyExchange12::decode(Bytes{}).ok());
}

TEST(Tls12Messages, ClientKeyExchangeRoundTripsAndRejects) {
  const ClientKeyExchange12 cke{Bytes(65, 0x04)};
  const Bytes body = body_of(cke.encode().value(), HandshakeType::client_key_exchange);
  EXPECT_EQ(body[0], 65);
  EXPECT_EQ(ClientKeyExchange12::decode(body).value(), cke);
  EXPECT_FALSE(ClientKeyExchange12::decode(hex("00")).ok());        // empty point
  EXPECT_FALSE(ClientKeyExchange12::decode(hex("02 01")).ok());     // short
  EXPECT_FALSE(ClientKeyExchange12::decode(hex("01 01 00")).ok());  // trailing
}

TEST(Tls12Messages, CertificateRoundTripsAndRejects) {
  const Certificate12 certificate{{Bytes(300, 0x30), Bytes(5, 0x31)}};
  const Bytes body = body_of(certificate.encode().value(), HandshakeType::certificate);
  EXPECT_EQ(Bytes(body.begin(), body.begin() + 6), hex("000137 00012c"));
  EXPECT_EQ(Certificate12::decode(body).value(), certificate);
  EXPECT_EQ(Certificate12::decode(hex("000000")).value().certificate_list.size(), 0U);
  EXPECT_FALSE(Certificate12::decode(hex("000003 000000")).ok());     // an empty certificate
  EXPECT_FALSE(Certificate12::decode(hex("000005 000001 30")).ok());  // list length wrong
  EXPECT_FALSE(Certificate12::decode(hex("000004 000002 30")).ok());  // entry length wrong
  Certificate12 many;
  many.certificate_list.assign(Certificate12::kMaxEntries + 1, Bytes{0x30});
  const Bytes too_many = body_of(many.encode().value(), HandshakeType::certificate);
  EXPECT_EQ(Certificate12::decode(too_many).error().code(), Errc::limit_exceeded);
}

TEST(Tls12Messages, CertificateRequestRoundTripsAndRejects) {
  const CertificateRequest12 request{
      Bytes{CertificateRequest12::kEcdsaSign, CertificateRequest12::kRsaSign},
      {SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::rsa_pss_rsae_sha256},
      {Bytes{0x30, 0x00}}};
  const Bytes body = body_of(request.encode().value(), HandshakeType::certificate_request);
  EXPECT_EQ(body, hex("02 40 01 0004 0403 0804 0004 0002 3000"));
  EXPECT_EQ(CertificateRequest12::decode(body).value(), request);
  EXPECT_FALSE(CertificateRequest12::decode(hex("00 0002 0403 0000")).ok());          // no types
  EXPECT_FALSE(CertificateRequest12::decode(hex("01 40 0000 0000")).ok());            // no schemes
  EXPECT_FALSE(CertificateRequest12::decode(hex("01 40 0003 040304 0000")).ok());     // odd
  EXPECT_FALSE(CertificateRequest12::decode(hex("01 40 0002 0403 0002 0000")).ok());  // empty DN
}

TEST(Tls12Messages, EmptyMessages) {
  EXPECT_EQ(encode_empty(HandshakeType::server_hello_done).value(), hex("0e000000"));
  EXPECT_EQ(encode_empty(HandshakeType::hello_request).value(), hex("00000000"));
  EXPECT_TRUE(decode_empty(HandshakeType::server_hello_done, Bytes{}).ok());
  const auto refused = decode_empty(HandshakeType::server_hello_done, Bytes{0});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code(), Errc::malformed);
  EXPECT_NE(refused.error().message().find("ServerHelloDone"), std::string::npos);
}

}  // namespace
}  // namespace keel::msg
