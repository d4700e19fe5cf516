// Revocation policy (x509/revocation.hpp) beyond what one `keel verify` case shows: several
// CRLs from one issuer, and revocation information required for every certificate. The
// fixtures share one root and intermediate (tests/data/x509/make.py).
#include "x509/revocation.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/file.hpp"
#include "x509/pem.hpp"
#include "x509/verify.hpp"

namespace keel::x509 {
namespace {

std::string fixture(const std::string& relative) {
  auto text = read_file(std::string(KEEL_TEST_DATA_DIR) + "/x509/" + relative);
  EXPECT_TRUE(text.ok()) << relative;
  return text.ok() ? *text : std::string();
}

std::vector<Certificate> certificates(const std::string& relative) {
  std::vector<Certificate> out;
  auto blocks = pem::parse(fixture(relative), "CERTIFICATE");
  EXPECT_TRUE(blocks.ok());
  for (const auto& block : *blocks) {
    auto cert = Certificate::parse(block.der);
    EXPECT_TRUE(cert.ok());
    out.push_back(std::move(cert).value());
  }
  return out;
}

std::vector<Crl> crls(std::initializer_list<const char*> folders) {
  std::vector<Crl> out;
  for (const char* folder : folders) {
    auto parsed = parse_pem_crls(fixture(std::string(folder) + "/crls.pem"), folder);
    EXPECT_TRUE(parsed.ok());
    out.insert(out.end(), parsed->begin(), parsed->end());
  }
  return out;
}

class Revocation : public ::testing::Test {
 protected:
  Result<VerifiedChain> verify(const std::vector<Crl>& list, bool required = false) {
    options_.crls = list;
    options_.require_revocation_info = required;
    return verify_chain(chain_[0], std::span(chain_).subspan(1), store_, options_,
                        crypto::default_provider());
  }

  void SetUp() override {
    chain_ = certificates("ok-p256/chain.pem");
    ASSERT_EQ(chain_.size(), 2U);
    for (auto& root : certificates("ok-p256/roots.pem")) {
      store_.add(std::move(root));
    }
    options_.time = der::Seconds(std::chrono::seconds(1735689600));
    options_.purposes = {Purpose::server_auth};
  }

 private:
  std::vector<Certificate> chain_;
  TrustStore store_;
  VerifyOptions options_;
};

TEST_F(Revocation, OneUsableCrlIsEnough) {
  // A stale CRL from the intermediate next to a current one: the current one decides.
  const auto list = crls({"crl-stale", "crl-not-revoked"});
  EXPECT_TRUE(verify(list).ok());
  // The stale one alone fails closed.
  const auto stale = crls({"crl-stale"});
  auto result = verify(stale);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), Errc::revocation_unusable);
}

TEST_F(Revocation, AnyUsableCrlThatListsTheCertificateRevokesIt) {
  const auto list = crls({"crl-not-revoked", "crl-leaf-revoked"});
  auto result = verify(list);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error().code(), Errc::certificate_revoked);
  EXPECT_EQ(alert_for(result.error()), Alert::certificate_revoked);
}

TEST_F(Revocation, RequiredInformationCoversEveryCertificateBelowTheAnchor) {
  EXPECT_TRUE(verify(crls({"crl-not-revoked"}), /*required=*/true).ok());  // root's and CA's
  // Only the intermediate's CRL: nothing says whether the intermediate itself is revoked.
  const auto only_leaf_crl = crls({"crl-stale", "crl-without-number"});
  auto missing = verify({}, /*required=*/true);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code(), Errc::revocation_unusable);
  EXPECT_NE(missing.error().message().find("no CRL or OCSP response from"), std::string::npos)
      << missing.error().message();
  EXPECT_FALSE(verify(only_leaf_crl, /*required=*/true).ok());
  // Not required: a certificate no CRL speaks for goes unchecked.
  EXPECT_TRUE(verify(crls({"crl-other-issuer"})).ok());
}

}  // namespace
}  // namespace keel::x509
