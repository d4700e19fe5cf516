// The CRL parser (RFC 5280 §5.1), on CertificateLists that tests/data/x509/make.py builds
// field by field (crl-structure/*.der), and on real CRLs it makes with python3-cryptography.
#include "x509/crl.hpp"

#include <map>
#include <string>

#include <gtest/gtest.h>

#include "core/file.hpp"
#include "support/test_util.hpp"

namespace keel::x509 {
namespace {

Result<Crl> parse_structure(const std::string& name) {
  const Bytes der = test::read_data("x509/crl-structure/" + name + ".der");
  return Crl::parse(der);
}

TEST(Crl, ParsesAV2CrlWithEntries) {
  auto crl = parse_structure("good-v2");
  ASSERT_TRUE(crl.ok()) << crl.error().message();
  EXPECT_EQ(crl->version(), 2);
  EXPECT_EQ(crl->issuer().to_string(), "CN=Keel Test CA");
  EXPECT_EQ(crl->signature_algorithm(), SignatureAlgorithmId::ecdsa_sha256);
  EXPECT_EQ(der::format_time(crl->this_update()), "2024-01-01 00:00:00 UTC");
  ASSERT_TRUE(crl->next_update());
  EXPECT_EQ(der::format_time(*crl->next_update()), "2034-01-01 00:00:00 UTC");
  ASSERT_TRUE(crl->crl_number());
  EXPECT_EQ(test::to_bytes(*crl->crl_number()), test::hex("07"));
  EXPECT_FALSE(crl->unsupported());
  EXPECT_EQ(crl->describe(), "CRL of CN=Keel Test CA (number 07)");

  // Entries are listed 0x10, 0x05, 0x0080; lookups find each (whatever the order) and only
  // those.
  ASSERT_EQ(crl->size(), 3U);
  const auto* entry = crl->find(test::hex("10"));
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->reason, RevocationReason::key_compromise);
  EXPECT_EQ(der::format_time(entry->revocation_date), "2024-06-01 00:00:00 UTC");
  ASSERT_NE(crl->find(test::hex("05")), nullptr);
  EXPECT_FALSE(crl->find(test::hex("05"))->reason);
  EXPECT_NE(crl->find(test::hex("0080")), nullptr);
  EXPECT_EQ(crl->find(test::hex("80")), nullptr);  // a different INTEGER encoding
  EXPECT_EQ(crl->find(test::hex("06")), nullptr);
  EXPECT_EQ(crl->find(test::hex("1000")), nullptr);
}

TEST(Crl, ParsesAMinimalV1Crl) {
  auto crl = parse_structure("good-v1-empty");
  ASSERT_TRUE(crl.ok()) << crl.error().message();
  EXPECT_EQ(crl->version(), 1);
  EXPECT_EQ(crl->size(), 0U);
  EXPECT_FALSE(crl->crl_number());
  EXPECT_EQ(crl->find(test::hex("01")), nullptr);
}

TEST(Crl, RecordsWhatItCannotProcess) {
  auto crl = parse_structure("indirect-entry");
  ASSERT_TRUE(crl.ok()) << crl.error().message();
  ASSERT_TRUE(crl->unsupported());
  EXPECT_NE(crl->unsupported()->find("certificateIssuer"), std::string::npos);
}

// Each file breaks one rule of RFC 5280 §5.1; the error must say which.
TEST(Crl, RejectsStructuralErrors) {
  const std::map<std::string, std::string> rejects = {
      {"version-3", "CRL version 3"},
      {"version-1-encoded", "CRL version 1"},
      {"v1-with-extensions", "extensions in a v1 CRL"},
      {"v1-with-entry-extensions", "CRL entry extensions in a v1 CRL"},
      {"empty-revoked-list", "revokedCertificates is present but empty"},
      {"algorithms-differ", "signatureAlgorithm differs"},
      {"undefined-reason", "CRLReason 7 is not defined"},
      {"duplicate-extension", "extension 2.5.29.20"},
      {"negative-crl-number", "cRLNumber is negative"},
      {"empty-issuer", "CRL issuer is empty"},
      {"trailing-field", ""},
      {"signature-unused-bits", "signatureValue has unused bits"},
      {"bad-time", ""},
  };
  for (const auto& [name, reason] : rejects) {
    auto crl = parse_structure(name);
    ASSERT_FALSE(crl.ok()) << name;
    EXPECT_NE(crl.error().message().find(reason), std::string::npos)
        << name << ": " << crl.error().message();
  }
}

TEST(Crl, RejectsEveryTruncation) {
  const Bytes der = test::read_data("x509/crl-structure/good-v2.der");
  for (std::size_t size = 0; size < der.size(); ++size) {
    EXPECT_FALSE(Crl::parse(ByteView(der.data(), size)).ok()) << size;
  }
}

TEST(Crl, ReadsPemFilesAndNamesTheBlock) {
  auto text = read_file(std::string(KEEL_TEST_DATA_DIR) + "/x509/crl-leaf-revoked/crls.pem");
  ASSERT_TRUE(text.ok());
  auto crls = parse_pem_crls(*text, "crls.pem");
  ASSERT_TRUE(crls.ok()) << crls.error().message();
  ASSERT_EQ(crls->size(), 2U);
  EXPECT_EQ((*crls)[0].size(), 1U);

  const std::string broken = "-----BEGIN X509 CRL-----\nMAA=\n-----END X509 CRL-----\n";
  auto bad = parse_pem_crls(broken, "bad.pem");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message().find("bad.pem: CRL at line 1"), std::string::npos)
      << bad.error().message();
}

}  // namespace
}  // namespace keel::x509
