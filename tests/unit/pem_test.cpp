#include "x509/pem.hpp"

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace keel::pem {
namespace {

TEST(Pem, ParsesBlocksAmongText) {
  const std::string text =
      "Subject: the first one\n"
      "-----BEGIN CERTIFICATE-----\n"
      "AQID\n"
      "-----END CERTIFICATE-----\n"
      "\n"
      "   -----BEGIN X509 CRL-----  \r\n"
      "  BAUG\r\n"
      "Bw==\r\n"
      "-----END X509 CRL-----\r\n"
      "trailing words";
  auto blocks = parse(text);
  ASSERT_TRUE(blocks.ok()) << blocks.error().message();
  ASSERT_EQ(blocks->size(), 2U);
  EXPECT_EQ((*blocks)[0].label, "CERTIFICATE");
  EXPECT_EQ((*blocks)[0].der, (Bytes{1, 2, 3}));
  EXPECT_EQ((*blocks)[0].begin_line, 2U);
  EXPECT_EQ((*blocks)[1].label, "X509 CRL");
  EXPECT_EQ((*blocks)[1].der, (Bytes{4, 5, 6, 7}));
  auto crls = parse(text, "X509 CRL");
  ASSERT_TRUE(crls.ok());
  EXPECT_EQ(crls->size(), 1U);
}

TEST(Pem, NoBlocksIsAnEmptyList) {
  auto blocks = parse("just text\n");
  ASSERT_TRUE(blocks.ok());
  EXPECT_TRUE(blocks->empty());
}

TEST(Pem, GarbageInsideABlockNamesTheLine) {
  const std::string text =
      "-----BEGIN CERTIFICATE-----\n"
      "AQID\n"
      "AQ!D\n"
      "-----END CERTIFICATE-----\n";
  auto blocks = parse(text);
  ASSERT_FALSE(blocks.ok());
  EXPECT_EQ(blocks.error().code(), Errc::malformed);
  EXPECT_NE(blocks.error().detail().find("line 3"), std::string::npos) << blocks.error().detail();
}

TEST(Pem, RejectsMissingEnd) {
  auto blocks = parse("x\n-----BEGIN CERTIFICATE-----\nAQID\n");
  ASSERT_FALSE(blocks.ok());
  EXPECT_NE(blocks.error().detail().find("line 2"), std::string::npos);
  EXPECT_NE(blocks.error().detail().find("without a matching END"), std::string::npos);
}

TEST(Pem, RejectsMismatchedEnd) {
  auto blocks = parse("-----BEGIN CERTIFICATE-----\nAQID\n-----END X509 CRL-----\n");
  ASSERT_FALSE(blocks.ok());
  EXPECT_NE(blocks.error().detail().find("does not match"), std::string::npos);
}

TEST(Pem, RejectsNestedBegin) {
  EXPECT_FALSE(parse("-----BEGIN A-----\n-----BEGIN B-----\nAQID\n-----END B-----\n").ok());
}

TEST(Pem, RejectsHeaders) {
  auto blocks = parse(
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAQID\n-----END RSA PRIVATE "
      "KEY-----\n");
  ASSERT_FALSE(blocks.ok());
  EXPECT_NE(blocks.error().detail().find("headers"), std::string::npos);
}

TEST(Pem, RejectsBadBase64) {
  EXPECT_FALSE(parse("-----BEGIN A-----\nAQI\n-----END A-----\n").ok());   // length
  EXPECT_FALSE(parse("-----BEGIN A-----\nAQ=D\n-----END A-----\n").ok());  // '=' inside
  EXPECT_FALSE(parse("-----BEGIN A-----\nAR==\n-----END A-----\n").ok());  // pad bits
  EXPECT_FALSE(parse("-----BEGIN A-----\nAQJ=\n-----END A-----\n").ok());  // pad bits
  EXPECT_TRUE(parse("-----BEGIN A-----\nAQ==\n-----END A-----\n").ok());
  EXPECT_TRUE(parse("-----BEGIN A-----\n-----END A-----\n").ok());  // empty
}

TEST(Pem, EnforcesLimits) {
  Limits limits;
  limits.max_blocks = 1;
  const std::string two =
      "-----BEGIN A-----\nAQ==\n-----END A-----\n-----BEGIN A-----\nAQ==\n-----END A-----\n";
  auto blocks = parse(two, limits);
  ASSERT_FALSE(blocks.ok());
  EXPECT_EQ(blocks.error().code(), Errc::limit_exceeded);
  limits = {};
  limits.max_block_bytes = 2;
  EXPECT_FALSE(parse("-----BEGIN A-----\nAQIDBA==\n-----END A-----\n", limits).ok());
}

TEST(Pem, EncodeRoundTrips) {
  for (std::size_t n = 0; n < 100; ++n) {
    Bytes der(n);
    for (std::size_t i = 0; i < n; ++i) {
      der[i] = static_cast<std::uint8_t>(i * 37 + n);
    }
    const std::string text = encode("CERTIFICATE", der);
    auto blocks = parse(text);
    ASSERT_TRUE(blocks.ok()) << n;
    ASSERT_EQ(blocks->size(), 1U);
    EXPECT_EQ((*blocks)[0].der, der) << n;
  }
}

TEST(Pem, DecodesWhatOpensslWrote) {
  // A key made by the openssl command line decodes to a DER SEQUENCE.
  const Bytes file = test::read_data("keys/p256-pkcs8.pem");
  auto blocks = parse(std::string_view(reinterpret_cast<const char*>(file.data()), file.size()));
  ASSERT_TRUE(blocks.ok());
  ASSERT_EQ(blocks->size(), 1U);
  EXPECT_EQ((*blocks)[0].label, "PRIVATE KEY");
  EXPECT_EQ((*blocks)[0].der, test::read_data("keys/p256-pkcs8.der"));
}

}  // namespace
}  // namespace keel::pem
