// keel's own certificates (x509/issue.hpp): a local CA and a server certificate that keel's
// validator (and, in tests/cli/tls_peers.py, OpenSSL and curl) accept.
#include "x509/issue.hpp"

#include <chrono>

#include <gtest/gtest.h>

#include "x509/certificate_verifier.hpp"
#include "x509/der_writer.hpp"
#include "x509/hostname.hpp"

namespace keel::x509 {
namespace {

using std::chrono::days;

der::Seconds at(int year) {
  return std::chrono::sys_days(std::chrono::year(year) / 1 / 1);
}

TEST(DerWriter, TimesFollowRfc5280) {
  // UTCTime through 2049, GeneralizedTime from 2050 (§4.1.2.5).
  const Bytes utc = der::write::time(at(2049) + std::chrono::hours(13));
  EXPECT_EQ(utc,
            (Bytes{0x17, 13, '4', '9', '0', '1', '0', '1', '1', '3', '0', '0', '0', '0', 'Z'}));
  const Bytes generalized = der::write::time(at(2050));
  EXPECT_EQ(generalized[0], 0x18);
  EXPECT_EQ(generalized.size(), 17U);
  auto parsed = der::parse_single(generalized);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*der::time(*parsed), at(2050));
}

TEST(DerWriter, IntegersAreMinimal) {
  EXPECT_EQ(der::write::small_integer(0), (Bytes{0x02, 0x01, 0x00}));
  EXPECT_EQ(der::write::small_integer(128), (Bytes{0x02, 0x02, 0x00, 0x80}));
  EXPECT_EQ(der::write::unsigned_integer(Bytes{0x00, 0x00, 0x7F}), (Bytes{0x02, 0x01, 0x7F}));
  const Bytes long_value(200, 0x11);
  const Bytes encoded = der::write::octet_string(long_value);
  EXPECT_EQ(encoded[1], 0x81);  // long form, one length octet
  EXPECT_EQ(encoded[2], 200);
}

TEST(Issue, LocalCaAndServerCertificateValidate) {
  auto& provider = crypto::default_provider();
  auto ca_key = provider.generate_private_key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(ca_key.ok()) << ca_key.error().message();
  CertificateProfile ca_profile;
  ca_profile.common_name = "test local CA";
  ca_profile.ca = true;
  ca_profile.not_before = at(2025);
  ca_profile.not_after = at(2035);
  ca_profile.serial = {0x01, 0x02};
  auto ca_der =
      issue_certificate(ca_profile, *(*ca_key)->public_key_spki(), **ca_key, nullptr, provider);
  ASSERT_TRUE(ca_der.ok()) << ca_der.error().message();
  auto ca = Certificate::parse(*ca_der);
  ASSERT_TRUE(ca.ok()) << ca.error().message();

  auto leaf_key = provider.generate_private_key(crypto::KeyType::ed25519);
  ASSERT_TRUE(leaf_key.ok());
  CertificateProfile leaf_profile;
  leaf_profile.common_name = "localhost";
  leaf_profile.dns_names = {"localhost"};
  leaf_profile.ip_addresses = {*parse_ip_address("127.0.0.1"), *parse_ip_address("::1")};
  leaf_profile.not_before = at(2025);
  leaf_profile.not_after = at(2030);
  leaf_profile.serial = {0x7F, 0xFF, 0x00};
  auto leaf_der =
      issue_certificate(leaf_profile, *(*leaf_key)->public_key_spki(), **ca_key, &*ca, provider);
  ASSERT_TRUE(leaf_der.ok()) << leaf_der.error().message();

  auto store = std::make_shared<TrustStore>();
  store->add(*ca);
  const X509CertificateVerifier verifier(store);
  const std::array<ByteView, 1> chain = {ByteView(*leaf_der)};
  for (const bool by_address : {false, true}) {
    PeerCertificates peer;
    peer.chain = chain;
    peer.time = at(2026);
    if (by_address) {
      peer.ip_address = parse_ip_address("::1");
    } else {
      peer.dns_name = "localhost";
    }
    auto verified = verifier.verify(peer);
    ASSERT_TRUE(verified.ok()) << verified.error().message();
    EXPECT_EQ(verified->path().size(), 2U);
  }
  PeerCertificates wrong;
  wrong.chain = chain;
  wrong.dns_name = "example.com";
  wrong.time = at(2026);
  EXPECT_EQ(verifier.verify(wrong).error().code(), Errc::name_mismatch);
  PeerCertificates late;
  late.chain = chain;
  late.dns_name = "localhost";
  late.time = at(2031);
  EXPECT_EQ(verifier.verify(late).error().code(), Errc::certificate_expired);

  // The generated key round-trips through PKCS#8.
  auto pkcs8 = (*leaf_key)->pkcs8();
  ASSERT_TRUE(pkcs8.ok());
  auto reloaded = provider.load_private_key(pkcs8->view());
  ASSERT_TRUE(reloaded.ok()) << reloaded.error().message();
  EXPECT_EQ(*(*reloaded)->public_key_spki(), *(*leaf_key)->public_key_spki());
}

TEST(Issue, RefusesWhatItCannotSign) {
  auto& provider = crypto::default_provider();
  EXPECT_EQ(provider.generate_private_key(crypto::KeyType::rsa).error().code(),
            Errc::unsupported_algorithm);
  auto key = provider.generate_private_key(crypto::KeyType::ec_p256);
  ASSERT_TRUE(key.ok());
  CertificateProfile no_serial;
  no_serial.common_name = "x";
  EXPECT_EQ(issue_certificate(no_serial, *(*key)->public_key_spki(), **key, nullptr, provider)
                .error()
                .code(),
            Errc::invalid_argument);
}

}  // namespace
}  // namespace keel::x509
