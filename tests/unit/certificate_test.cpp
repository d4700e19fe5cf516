#include "x509/certificate.hpp"

#include <fstream>
#include <map>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/test_util.hpp"
#include "x509/oids.hpp"
#include "x509/pem.hpp"

namespace keel::x509 {
namespace {

TEST(Certificate, ParsesEverySystemRoot) {
  std::ifstream in("/etc/ssl/certs/ca-certificates.crt");
  ASSERT_TRUE(in) << "the system trust store (Debian package ca-certificates) is missing";
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto blocks = pem::parse(text, "CERTIFICATE");
  ASSERT_TRUE(blocks.ok()) << blocks.error().message();
  ASSERT_GT(blocks->size(), 100U);
  int roots = 0;
  for (const auto& block : *blocks) {
    auto cert = Certificate::parse(block.der);
    ASSERT_TRUE(cert.ok()) << "root at line " << block.begin_line << ": " << cert.error().message();
    EXPECT_FALSE(cert->subject().empty());
    EXPECT_LT(cert->not_before(), cert->not_after()) << cert->describe();
    ++roots;
  }
  std::cout << "[ x509 ] parsed " << roots << " system roots\n";
}

/// The limbo cases whose certificates the parser itself rejects, with the reason it must give.
/// Every one is a case limbo expects to fail.
const std::map<std::string, std::string> kParserRejects = {
    {"rfc5280::eku::ee-eku-empty", "extKeyUsage is empty"},
    {"rfc5280::nc::invalid-ipv4-address", "name constraint iPAddress of 4 octets"},
    {"rfc5280::nc::invalid-ipv6-address", "name constraint iPAddress of 16 octets"},
    {"rfc5280::nc::nc-permits-invalid-ip-san", "subjectAltName: iPAddress of 8 octets"},
    {"rfc5280::san::malformed", "subjectAltName"},
    {"rfc5280::root-inconsistent-ca-extensions", "keyUsage has no bit set"},
    {"rfc5280::duplicate-extensions", "extension 2.5.29.17"},
    {"rfc5280::mismatching-signature-algorithm", "signatureAlgorithm differs"},
    {"webpki::aki::root-with-aki-authoritycertissuer", "only one of issuer and serial"},
    {"webpki::aki::root-with-aki-authoritycertserialnumber", "only one of issuer and serial"},
    {"webpki::nc::intermediate-permitted-excluded-subtrees-both-null", "nameConstraints is empty"},
    {"webpki::nc::intermediate-permitted-excluded-subtrees-both-empty-sequences",
     "empty GeneralSubtrees"},
    {"webpki::malformed-aia", "authorityInfoAccess"},
};

/// Every certificate in the x509-limbo corpus: each parses, except in the cases listed above,
/// where the parser must reject one with the listed reason.
TEST(Certificate, ParsesTheLimboCorpus) {
  std::ifstream in(std::string(KEEL_TEST_DATA_DIR) + "/limbo/limbo.json");
  ASSERT_TRUE(in);
  const auto limbo = nlohmann::json::parse(in);
  int parsed = 0;
  int rejected = 0;
  int unknown_critical = 0;
  std::set<std::string> rejected_cases;
  for (const auto& testcase : limbo["testcases"]) {
    std::vector<std::string> pems;
    for (const auto& c : testcase["trusted_certs"]) {
      pems.push_back(c);
    }
    for (const auto& c : testcase["untrusted_intermediates"]) {
      pems.push_back(c);
    }
    pems.push_back(testcase["peer_certificate"]);
    const std::string id = testcase["id"];
    for (const auto& text : pems) {
      auto blocks = pem::parse(text);
      ASSERT_TRUE(blocks.ok() && blocks->size() == 1) << testcase["id"];
      auto cert = Certificate::parse((*blocks)[0].der);
      if (cert.ok()) {
        ++parsed;
        if (id.starts_with("rfc5280::unknown-critical-extension") &&
            cert->extensions().unknown_critical) {
          EXPECT_EQ(der::oid_to_string(*cert->extensions().unknown_critical),
                    "1.3.6.1.4.1.55738.666.1");
          ++unknown_critical;
        }
      } else {
        ++rejected;
        const auto expected = kParserRejects.find(id);
        ASSERT_NE(expected, kParserRejects.end()) << id << ": " << cert.error().message();
        EXPECT_NE(cert.error().message().find(expected->second), std::string::npos)
            << id << ": " << cert.error().message();
        EXPECT_EQ(testcase["expected_result"], "FAILURE") << id;
        rejected_cases.insert(id);
      }
    }
  }
  std::cout << "[ x509 ] limbo certificates: " << parsed << " parsed, " << rejected
            << " rejected by the parser\n";
  EXPECT_GT(parsed, 400);
  EXPECT_EQ(rejected_cases.size(), kParserRejects.size()) << "a listed reject now parses";
  // The five unknown-critical-extension cases each carry one such certificate.
  EXPECT_EQ(unknown_critical, 5);
}

}  // namespace
}  // namespace keel::x509
