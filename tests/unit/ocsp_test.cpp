// The OCSP response parser and checker (x509/ocsp.hpp), on responses made by
// tests/data/x509/make.py with python3-cryptography and with `openssl ocsp`.
#include "x509/ocsp.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_util.hpp"
#include "x509/pem.hpp"

namespace keel::x509 {
namespace {

Result<OcspResponse> parse_fixture(const std::string& relative) {
  const Bytes der = test::read_data("x509/" + relative);
  return OcspResponse::parse(der);
}

/// The leaf and the intermediate that issued it (the chain every OCSP fixture uses).
std::vector<Certificate> leaf_and_issuer() {
  const Bytes text = test::read_data("x509/ocsp-good/chain.pem");
  auto blocks = pem::parse(std::string(text.begin(), text.end()), "CERTIFICATE");
  std::vector<Certificate> out;
  for (const auto& block : *blocks) {
    out.push_back(*Certificate::parse(block.der));
  }
  return out;
}

der::Seconds at(std::int64_t unix_seconds) {
  return der::Seconds(std::chrono::seconds(unix_seconds));
}

constexpr std::int64_t kNow = 1735689600;  // 2025-01-01, the fixtures' validation time

TEST(Ocsp, ParsesAResponseByKeyHash) {
  auto response = parse_fixture("ocsp-good/ocsp0.der");
  ASSERT_TRUE(response.ok()) << response.error().message();
  ASSERT_TRUE(response->responder_key_hash());
  EXPECT_EQ(response->responder_key_hash()->size(), 20U);
  EXPECT_FALSE(response->responder_name());
  ASSERT_EQ(response->responses().size(), 1U);
  const auto& single = response->responses()[0];
  EXPECT_EQ(single.hash, OcspHash::sha1);
  EXPECT_EQ(single.status, OcspCertStatus::good);
  EXPECT_EQ(der::format_time(single.this_update), "2024-12-31 00:00:00 UTC");
  ASSERT_TRUE(single.next_update);
  EXPECT_EQ(der::format_time(*single.next_update), "2025-01-07 00:00:00 UTC");
  EXPECT_EQ(response->signature_algorithm(), SignatureAlgorithmId::ecdsa_sha256);
  EXPECT_TRUE(response->certificates().empty());
}

TEST(Ocsp, ParsesNamesRevocationsAndResponderCertificates) {
  auto by_name = parse_fixture("ocsp-good-by-name-sha256/ocsp0.der");
  ASSERT_TRUE(by_name.ok()) << by_name.error().message();
  ASSERT_TRUE(by_name->responder_name());
  EXPECT_EQ(by_name->responses()[0].hash, OcspHash::sha256);

  auto revoked = parse_fixture("ocsp-revoked/ocsp0.der");
  ASSERT_TRUE(revoked.ok()) << revoked.error().message();
  const auto& single = revoked->responses()[0];
  EXPECT_EQ(single.status, OcspCertStatus::revoked);
  ASSERT_TRUE(single.revocation_time);
  EXPECT_EQ(der::format_time(*single.revocation_time), "2024-06-01 00:00:00 UTC");
  EXPECT_EQ(single.revocation_reason, RevocationReason::key_compromise);

  auto delegated = parse_fixture("ocsp-delegated-responder/ocsp0.der");
  ASSERT_TRUE(delegated.ok()) << delegated.error().message();
  ASSERT_EQ(delegated->certificates().size(), 1U);
  EXPECT_EQ(delegated->certificates()[0].subject().to_string(), "CN=OCSP Responder, O=Keel Tests");

  auto from_openssl = parse_fixture("ocsp-openssl-revoked/ocsp.der");
  ASSERT_TRUE(from_openssl.ok()) << from_openssl.error().message();
  EXPECT_EQ(from_openssl->responses()[0].status, OcspCertStatus::revoked);
}

TEST(Ocsp, AnUnsuccessfulResponseNamesItsStatus) {
  auto response = parse_fixture("ocsp-try-later/ocsp0.der");
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code(), Errc::revocation_unusable);
  EXPECT_NE(response.error().message().find("tryLater"), std::string::npos);
}

TEST(Ocsp, RejectsEveryTruncationAndTrailingData) {
  Bytes der = test::read_data("x509/ocsp-delegated-responder/ocsp0.der");
  ASSERT_TRUE(OcspResponse::parse(der).ok());
  for (std::size_t size = 0; size < der.size(); ++size) {
    EXPECT_FALSE(OcspResponse::parse(ByteView(der.data(), size)).ok()) << size;
  }
  der.push_back(0);
  EXPECT_FALSE(OcspResponse::parse(der).ok());
}

TEST(Ocsp, ChecksTheCertificateItIsAbout) {
  const auto chain = leaf_and_issuer();
  ASSERT_EQ(chain.size(), 2U);
  const auto& leaf = chain[0];
  const auto& issuer = chain[1];
  const OcspCheck check{at(kNow)};
  auto good = parse_fixture("ocsp-good/ocsp0.der");
  auto status = check_ocsp_response(*good, leaf, issuer, check, crypto::default_provider());
  ASSERT_TRUE(status.ok()) << status.error().message();
  ASSERT_TRUE(*status);
  EXPECT_EQ((*status)->status, OcspCertStatus::good);

  // Not about the leaf: nothing, not an error.
  auto other = parse_fixture("ocsp-about-another-certificate/ocsp0.der");
  status = check_ocsp_response(*other, leaf, issuer, check, crypto::default_provider());
  ASSERT_TRUE(status.ok()) << status.error().message();
  EXPECT_FALSE(*status);

  // About the leaf, but checked against the wrong issuer: the CertID does not match.
  status = check_ocsp_response(*good, leaf, leaf, check, crypto::default_provider());
  ASSERT_TRUE(status.ok());
  EXPECT_FALSE(*status);
}

TEST(Ocsp, TimeWindowIsInclusive) {
  const auto chain = leaf_and_issuer();
  auto good = parse_fixture("ocsp-good/ocsp0.der");
  const auto check_at = [&](std::int64_t t) {
    return check_ocsp_response(*good, chain[0], chain[1], OcspCheck{at(t)},
                               crypto::default_provider())
        .ok();
  };
  constexpr std::int64_t kThisUpdate = 1735603200;  // 2024-12-31
  constexpr std::int64_t kNextUpdate = 1736208000;  // 2025-01-07
  EXPECT_FALSE(check_at(kThisUpdate - 1));
  EXPECT_TRUE(check_at(kThisUpdate));
  EXPECT_TRUE(check_at(kNextUpdate));
  EXPECT_FALSE(check_at(kNextUpdate + 1));

  auto open_ended = parse_fixture("ocsp-without-next-update-fresh/ocsp0.der");
  const auto open_at = [&](std::int64_t t) {
    return check_ocsp_response(*open_ended, chain[0], chain[1], OcspCheck{at(t)},
                               crypto::default_provider())
        .ok();
  };
  constexpr std::int64_t kWeek = std::int64_t{7} * 24 * 3600;  // OcspCheck::max_age
  EXPECT_TRUE(open_at(kThisUpdate + kWeek));
  EXPECT_FALSE(open_at(kThisUpdate + kWeek + 1));
}

}  // namespace
}  // namespace keel::x509
