// The verifier the TLS engine calls (x509/certificate_verifier.hpp), on the reject-test
// fixtures of tests/data/x509 (one root and intermediate shared by every case).
#include "x509/certificate_verifier.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "support/test_util.hpp"
#include "x509/pem.hpp"

namespace keel::x509 {
namespace {

std::vector<Bytes> der_blocks(const std::string& relative) {
  const Bytes text = test::read_data("x509/" + relative);
  auto blocks = pem::parse(std::string(text.begin(), text.end()));
  EXPECT_TRUE(blocks.ok());
  std::vector<Bytes> out;
  for (auto& block : *blocks) {
    out.push_back(std::move(block.der));
  }
  return out;
}

class Verifier : public ::testing::Test {
 protected:
  /// Verifies `chain` (DER) for example.com at the fixtures' time.
  [[nodiscard]] Result<VerifiedPeer> verify(const std::vector<Bytes>& chain,
                                            const std::vector<Bytes>& ocsp = {}) const {
    std::vector<ByteView> chain_views(chain.begin(), chain.end());
    std::vector<ByteView> ocsp_views(ocsp.begin(), ocsp.end());
    PeerCertificates peer;
    peer.chain = chain_views;
    peer.ocsp_responses = ocsp_views;
    peer.dns_name = "example.com";
    peer.time = der::Seconds(std::chrono::seconds(1735689600));
    return verifier_.verify(peer);
  }

 private:
  static std::shared_ptr<const TrustStore> store() {
    auto store = std::make_shared<TrustStore>();
    for (const auto& der : der_blocks("ok-p256/roots.pem")) {
      store->add(*Certificate::parse(der));
    }
    return store;
  }

  X509CertificateVerifier verifier_{store()};
};

TEST_F(Verifier, ReturnsTheOwnedPathAndTheLeafKey) {
  auto chain = der_blocks("ok-p256/chain.pem");
  auto peer = verify(chain);
  ASSERT_TRUE(peer.ok()) << peer.error().message();
  ASSERT_EQ(peer->path().size(), 3U);
  chain.clear();  // the result owns what it points to
  EXPECT_EQ(peer->leaf().subject().to_string(), "CN=example.com");
  EXPECT_EQ(peer->path().back().subject().to_string(), "CN=Keel Test Root, O=Keel Tests");
  EXPECT_FALSE(peer->leaf_spki().empty());
}

TEST_F(Verifier, GivesPreciseReasonsAndAlerts) {
  auto wrong_name = verify(der_blocks("wildcard-under-tld/chain.pem"));  // only *.com
  ASSERT_FALSE(wrong_name.ok());
  EXPECT_EQ(wrong_name.error().code(), Errc::name_mismatch);
  EXPECT_EQ(alert_for(wrong_name.error()), Alert::bad_certificate);
  auto expired = verify(der_blocks("leaf-expired/chain.pem"));
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.error().code(), Errc::certificate_expired);
  EXPECT_EQ(alert_for(expired.error()), Alert::certificate_expired);

  auto revoked = verify(der_blocks("ocsp-revoked/chain.pem"),
                        {test::read_data("x509/ocsp-revoked/ocsp0.der")});
  ASSERT_FALSE(revoked.ok());
  EXPECT_EQ(alert_for(revoked.error()), Alert::certificate_revoked);
  EXPECT_TRUE(
      verify(der_blocks("ocsp-good/chain.pem"), {test::read_data("x509/ocsp-good/ocsp0.der")})
          .ok());
}

TEST_F(Verifier, RejectsBrokenOrTooManyCertificates) {
  auto chain = der_blocks("ok-p256/chain.pem");
  chain.push_back(test::hex("3000"));
  auto broken = verify(chain);
  ASSERT_FALSE(broken.ok());
  EXPECT_EQ(alert_for(broken.error()), Alert::bad_certificate);
  EXPECT_NE(broken.error().message().find("peer certificate 3"), std::string::npos)
      << broken.error().message();

  std::vector<Bytes> flood(17, der_blocks("ok-p256/chain.pem")[1]);
  flood.insert(flood.begin(), der_blocks("ok-p256/chain.pem")[0]);
  auto too_many = verify(flood);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.error().code(), Errc::limit_exceeded);

  EXPECT_FALSE(verify({}).ok());
  auto garbage_ocsp = verify(der_blocks("ok-p256/chain.pem"), {test::hex("3000")});
  ASSERT_FALSE(garbage_ocsp.ok());
  EXPECT_NE(garbage_ocsp.error().message().find("stapled OCSP response"), std::string::npos);
}

}  // namespace
}  // namespace keel::x509
