#include "x509/hostname.hpp"

#include <gtest/gtest.h>

namespace keel::x509 {
namespace {

TEST(Hostname, NormalizesReferenceNames) {
  EXPECT_EQ(*normalize_dns_name("WWW.Example.COM."), "www.example.com");
  EXPECT_EQ(*normalize_dns_name("xn--bcher-kva.example"), "xn--bcher-kva.example");
  EXPECT_FALSE(normalize_dns_name("").ok());
  EXPECT_FALSE(normalize_dns_name("a..b").ok());
  EXPECT_FALSE(normalize_dns_name(".a").ok());
  EXPECT_FALSE(normalize_dns_name("under_score.example").ok());
  EXPECT_FALSE(normalize_dns_name("b\xc3\xbc"
                                  "cher.example")
                   .ok());  // U-label: give A-labels
  EXPECT_FALSE(normalize_dns_name(std::string(64, 'a') + ".example").ok());
  EXPECT_FALSE(normalize_dns_name(std::string(254, 'a')).ok());
}

TEST(Hostname, ExactNamesMatchIgnoringCase) {
  EXPECT_TRUE(dns_name_matches("Example.COM", "example.com"));
  EXPECT_TRUE(dns_name_matches("example.com.", "example.com"));
  EXPECT_FALSE(dns_name_matches("example.com", "www.example.com"));
  EXPECT_FALSE(dns_name_matches("", "example.com"));
}

TEST(Hostname, WildcardIsOneWholeLeftmostLabel) {
  EXPECT_TRUE(dns_name_matches("*.example.com", "www.example.com"));
  EXPECT_FALSE(dns_name_matches("*.example.com", "example.com"));
  EXPECT_FALSE(dns_name_matches("*.example.com", "a.b.example.com"));   // one label only
  EXPECT_FALSE(dns_name_matches("f*.example.com", "foo.example.com"));  // partial
  EXPECT_FALSE(dns_name_matches("*oo.example.com", "foo.example.com"));
  EXPECT_FALSE(dns_name_matches("www.*.com", "www.example.com"));  // not left-most
  EXPECT_FALSE(dns_name_matches("*.*.example.com", "a.b.example.com"));
  EXPECT_FALSE(dns_name_matches("*.com", "example.com"));  // directly under a TLD
  EXPECT_FALSE(dns_name_matches("*", "example"));
}

TEST(Hostname, ParsesAddresses) {
  EXPECT_EQ(parse_ip_address("127.0.0.1"), (Bytes{127, 0, 0, 1}));
  auto v6 = parse_ip_address("::1");
  ASSERT_TRUE(v6.has_value());
  EXPECT_EQ(v6->size(), 16U);
  EXPECT_EQ((*v6)[15], 1);
  EXPECT_FALSE(parse_ip_address("127.0.0.256").has_value());
  EXPECT_FALSE(parse_ip_address("example.com").has_value());
  EXPECT_EQ(ip_address_text(Bytes{192, 168, 1, 1}), "192.168.1.1");
  EXPECT_EQ(ip_address_text(*parse_ip_address("2001:DB8:0:0:0:0:0:1")), "2001:db8::1");
}

}  // namespace
}  // namespace keel::x509
