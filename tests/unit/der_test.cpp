#include "x509/der.hpp"

#include <deque>

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace keel::der {
namespace {

using test::hex;

/// Parses `hex_text` as one element whose bytes stay alive for the whole test program
/// (Elements are views, and der::parse_single refuses temporaries).
Result<Element> single(std::string_view hex_text) {
  static std::deque<Bytes> storage;
  storage.push_back(hex(hex_text));
  return parse_single(storage.back());
}

Errc code_of(ByteView data) {
  auto e = parse_single(data);
  return e.ok() ? static_cast<Errc>(0xFFFF) : e.error().code();
}

TEST(Der, ReadsNestedElements) {
  // SEQUENCE { INTEGER 5, OCTET STRING 'ab', [0] { NULL } }
  const Bytes data = hex("300b 020105 04026162 a0020500");
  Reader outer(data);
  auto seq = outer.enter();
  ASSERT_TRUE(seq.ok());
  auto integer_element = seq->read(tag::kInteger);
  ASSERT_TRUE(integer_element.ok());
  EXPECT_EQ(*small_unsigned(*integer_element), 5U);
  EXPECT_TRUE(seq->peek(tag::kOctetString));
  EXPECT_FALSE(seq->peek(tag::kNull));
  auto missing = seq->read_optional(tag::kBoolean);
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
  auto octets = seq->read(tag::kOctetString);
  ASSERT_TRUE(octets.ok());
  EXPECT_EQ(octets->body.size(), 2U);
  EXPECT_EQ(octets->encoding.size(), 4U);
  auto explicit0 = seq->enter(tag::context_constructed(0));
  ASSERT_TRUE(explicit0.ok());
  EXPECT_TRUE(null(*explicit0->next()).ok());
  EXPECT_TRUE(explicit0->expect_empty().ok());
  EXPECT_TRUE(seq->expect_empty().ok());
  EXPECT_TRUE(outer.expect_empty().ok());
}

TEST(Der, AcceptsLongFormLengths) {
  Bytes data = hex("0481c8");
  data.resize(3 + 200, 0x41);
  auto e = parse_single(data);
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(e->body.size(), 200U);
}

TEST(Der, RejectsIndefiniteLength) {
  EXPECT_EQ(code_of(hex("30800000")), Errc::malformed);
}

TEST(Der, RejectsLongFormForShortLength) {
  EXPECT_EQ(code_of(hex("04810141")), Errc::malformed);
}

TEST(Der, RejectsLengthWithLeadingZeroOctet) {
  Bytes data = hex("04820080");
  data.resize(4 + 128, 0);
  EXPECT_EQ(code_of(data), Errc::malformed);
}

TEST(Der, RejectsTooManyLengthOctets) {
  EXPECT_EQ(code_of(hex("0485010000000000")), Errc::malformed);
}

TEST(Der, RejectsHighTagNumbers) {
  EXPECT_EQ(code_of(hex("1f2100")), Errc::malformed);
}

TEST(Der, RejectsTruncation) {
  EXPECT_EQ(code_of(hex("")), Errc::truncated);
  EXPECT_EQ(code_of(hex("30")), Errc::truncated);
  EXPECT_EQ(code_of(hex("3005020101")), Errc::truncated);
  EXPECT_EQ(code_of(hex("0482")), Errc::truncated);
}

TEST(Der, RejectsChildRunningPastParent) {
  // The SEQUENCE says 3 bytes, the INTEGER inside claims 5.
  const Bytes data = hex("3003020501020304");
  auto outer = parse_single(data);
  EXPECT_FALSE(outer.ok());
  const Bytes inner_too_long = hex("3003 020501");
  Reader r(inner_too_long);
  auto seq = r.enter();
  ASSERT_TRUE(seq.ok());
  EXPECT_EQ(seq->next().error().code(), Errc::truncated);
}

TEST(Der, RejectsTrailingData) {
  EXPECT_EQ(code_of(hex("05000500")), Errc::trailing_data);
}

TEST(Der, RejectsWrongTagWithBothNames) {
  const Bytes data = hex("020100");
  Reader r(data);
  auto e = r.read(tag::kSequence);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().detail(), "expected SEQUENCE, found INTEGER");
}

TEST(Der, Booleans) {
  EXPECT_TRUE(*boolean(*single("0101ff")));
  EXPECT_FALSE(*boolean(*single("010100")));
  EXPECT_FALSE(boolean(*single("010101")).ok());  // BER's "any non-zero"
  EXPECT_FALSE(boolean(*single("0102ffff")).ok());
  EXPECT_FALSE(boolean(*single("0100")).ok());
}

TEST(Der, IntegersMustBeMinimal) {
  EXPECT_TRUE(integer(*single("020100")).ok());
  EXPECT_TRUE(integer(*single("02020080")).ok());  // 128 needs the zero
  EXPECT_TRUE(integer(*single("0201ff")).ok());    // -1
  EXPECT_FALSE(integer(*single("02020001")).ok());
  EXPECT_FALSE(integer(*single("0202ff80")).ok());
  EXPECT_FALSE(integer(*single("0200")).ok());
}

TEST(Der, SmallUnsigned) {
  EXPECT_EQ(*small_unsigned(*single("02020080")), 128U);
  EXPECT_FALSE(small_unsigned(*single("0201ff")).ok());  // negative
  EXPECT_FALSE(small_unsigned(*single("0209010000000000000000")).ok());
  EXPECT_EQ(*small_unsigned(*single("020900ffffffffffffffff")), UINT64_MAX);
}

TEST(Der, BitStrings) {
  auto bits = bit_string(*single("03020780"));  // one bit set, 7 unused
  ASSERT_TRUE(bits.ok());
  EXPECT_TRUE(bits->bit(0));
  EXPECT_FALSE(bits->bit(1));
  EXPECT_FALSE(bits->bit(100));
  EXPECT_TRUE(bit_string(*single("030100")).ok());     // empty
  EXPECT_FALSE(bit_string(*single("0300")).ok());      // no unused octet
  EXPECT_FALSE(bit_string(*single("030108")).ok());    // 8 unused bits
  EXPECT_FALSE(bit_string(*single("030101")).ok());    // unused bits, no data
  EXPECT_FALSE(bit_string(*single("03020781")).ok());  // unused bit set
}

TEST(Der, ObjectIdentifiers) {
  const Bytes ecdsa_sha256_der = hex("06082a8648ce3d040302");  // outlives the views into it
  auto ecdsa_sha256 = oid(*parse_single(ecdsa_sha256_der));
  ASSERT_TRUE(ecdsa_sha256.ok());
  EXPECT_EQ(oid_to_string(*ecdsa_sha256), "1.2.840.10045.4.3.2");
  EXPECT_EQ(oid_to_string(*oid(*single("0603550403"))), "2.5.4.3");
  // 2.25.<128-bit UUID> has a sub-identifier far beyond 64 bits.
  const Bytes uuid_der = hex("0614 6983 ffffffffffffffffffffffffffffffffff7f");
  auto uuid = oid(*parse_single(uuid_der));
  ASSERT_TRUE(uuid.ok());
  EXPECT_EQ(oid_to_string(*uuid).substr(0, 5), "2.25.");
  EXPECT_EQ(oid_to_string(*oid(*single("06028837"))), "2.999");
  EXPECT_FALSE(oid(*single("0600")).ok());        // empty
  EXPECT_FALSE(oid(*single("0603558003")).ok());  // leading 0x80
  EXPECT_FALSE(oid(*single("06025583")).ok());    // ends mid sub-identifier
}

/// A primitive element of `tag` with `text` as its contents, kept alive like single()'s.
Result<Element> tlv(std::uint8_t tag, std::string_view text) {
  static std::deque<Bytes> storage;
  Bytes& data = storage.emplace_back(Bytes{tag, static_cast<std::uint8_t>(text.size())});
  data.insert(data.end(), text.begin(), text.end());
  return parse_single(data);
}

TEST(Der, Times) {
  using namespace std::chrono;
  auto t = time(*tlv(tag::kUtcTime, "491231235959Z"));
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, sys_days{2049y / December / 31} + 23h + 59min + 59s);
  auto nineteen = time(*tlv(tag::kUtcTime, "500101000000Z"));
  ASSERT_TRUE(nineteen.ok());
  EXPECT_EQ(*nineteen, sys_days{1950y / January / 1});
  auto general = time(*tlv(tag::kGeneralizedTime, "20500229120000Z"));
  EXPECT_FALSE(general.ok());  // 2050 is not a leap year
  auto leap = time(*tlv(tag::kGeneralizedTime, "20480229120000Z"));
  ASSERT_TRUE(leap.ok());
  EXPECT_EQ(*leap, sys_days{2048y / February / 29} + 12h);
}

TEST(Der, RejectsTimesRfc5280Forbids) {
  for (const auto* bad : {"4912312359Z", "491231235959", "491231235959+0000", "4912312359590Z",
                          "491331235959Z", "491232235959Z", "491231245959Z", "491231236059Z",
                          "491231235960Z", "4912312359a9Z", "491231235959z"}) {
    EXPECT_FALSE(time(*tlv(tag::kUtcTime, bad)).ok()) << bad;
  }
  for (const auto* bad :
       {"20491231235959.5Z", "204912312359Z", "20491231235959", "2049123123595Z"}) {
    EXPECT_FALSE(time(*tlv(tag::kGeneralizedTime, bad)).ok()) << bad;
  }
  EXPECT_FALSE(time(*tlv(tag::kUtf8String, "491231235959Z")).ok());
}

}  // namespace
}  // namespace keel::der
