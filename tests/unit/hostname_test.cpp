#include "x509/hostname.hpp"

#include <gtest/gtest.h>

#include "x509/idna.hpp"

namespace keel::x509 {
namespace {

TEST(Hostname, NormalizesReferenceNames) {
  EXPECT_EQ(*normalize_dns_name("WWW.Example.COM."), "www.example.com");
  EXPECT_EQ(*normalize_dns_name("xn--bcher-kva.example"), "xn--bcher-kva.example");
  EXPECT_FALSE(normalize_dns_name("").ok());
  EXPECT_FALSE(normalize_dns_name("a..b").ok());
  EXPECT_FALSE(normalize_dns_name(".a").ok());
  EXPECT_FALSE(normalize_dns_name("under_score.example").ok());
  // U-labels are compared as A-labels (RFC 9525 §6.3).
  EXPECT_EQ(*normalize_dns_name("B\xc3\xbc"
                                "cher.Example"),
            "xn--bcher-kva.example");
  EXPECT_FALSE(normalize_dns_name("b\xc3.example").ok());         // truncated UTF-8
  EXPECT_FALSE(normalize_dns_name("b\xc0\xbc.example").ok());     // overlong form
  EXPECT_FALSE(normalize_dns_name("\xed\xa0\x80.example").ok());  // a surrogate
  EXPECT_FALSE(normalize_dns_name(std::string(64, 'a') + ".example").ok());
  EXPECT_FALSE(normalize_dns_name(std::string(254, 'a')).ok());
}

// RFC 3492 §7.1 sample (B), and two common German names.
TEST(Idna, PunycodeEncodesULabels) {
  EXPECT_EQ(*to_a_label("m\xc3\xbcnchen"), "xn--mnchen-3ya");
  EXPECT_EQ(*to_a_label("b\xc3\xbc"
                        "cher"),
            "xn--bcher-kva");
  EXPECT_EQ(*to_a_label("\xe4\xbb\x96\xe4\xbb\xac\xe4\xb8\xba\xe4\xbb\x80\xe4\xb9\x88\xe4"
                        "\xb8\x8d\xe8\xaf\xb4\xe4\xb8\xad\xe6\x96\x87"),
            "xn--ihqwcrb4cv8a8dqg056pqjye");
  EXPECT_FALSE(to_a_label("ascii").ok());  // nothing to encode
  EXPECT_FALSE(to_a_label(std::string(30, 'a') + std::string(20, '\xc3') + "\xbc").ok());
  std::string long_label;  // 40 different CJK ideographs, each 3 octets of UTF-8
  for (unsigned i = 0; i < 40; ++i) {
    const unsigned cp = 0x4E00 + i * 97;
    long_label += static_cast<char>(0xE0 | (cp >> 12));
    long_label += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    long_label += static_cast<char>(0x80 | (cp & 0x3F));
  }
  EXPECT_FALSE(to_a_label(long_label).ok());  // A-label over 63 octets
}

TEST(Hostname, EmailAddresses) {
  const auto address = parse_email_address("Alice@Example.COM");
  ASSERT_TRUE(address.ok());
  EXPECT_EQ(address->local, "Alice");
  EXPECT_EQ(address->domain, "example.com");
  EXPECT_TRUE(email_matches("Alice@example.com", *address));
  EXPECT_TRUE(email_matches("Alice@EXAMPLE.com", *address));
  EXPECT_FALSE(email_matches("alice@example.com", *address));  // local parts are exact
  EXPECT_FALSE(email_matches("example.com", *address));
  EXPECT_FALSE(email_matches("Alice@other.example.com", *address));
  EXPECT_FALSE(parse_email_address("no-at-sign").ok());
  EXPECT_FALSE(parse_email_address("@example.com").ok());
  EXPECT_FALSE(parse_email_address("a b@example.com").ok());
  EXPECT_FALSE(parse_email_address("a@bad_domain").ok());
  EXPECT_EQ(parse_email_address("\xc3\xbc@example.com").error().code(), Errc::not_supported);
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
