#include "wire/reader.hpp"

#include <gtest/gtest.h>

namespace keel::wire {
namespace {

TEST(Reader, ReadsBigEndianIntegers) {
  const Bytes data = {0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a};
  Reader r(data);
  EXPECT_EQ(*r.u8(), 0x01);
  EXPECT_EQ(*r.u16(), 0x0203);
  EXPECT_EQ(*r.u24(), 0x040506U);
  EXPECT_EQ(*r.u32(), 0x0708090aU);
  EXPECT_TRUE(r.empty());
  EXPECT_TRUE(r.expect_empty().ok());
}

TEST(Reader, RejectsTruncatedIntegersAndKeepsPosition) {
  const Bytes data = {0xaa, 0xbb};
  Reader r(data);
  EXPECT_EQ(r.u24().error().code(), Errc::truncated);
  EXPECT_EQ(r.u32().error().code(), Errc::truncated);
  EXPECT_EQ(r.remaining(), 2U);  // a failed read consumes nothing
  EXPECT_EQ(*r.u16(), 0xaabb);
  EXPECT_EQ(r.u8().error().code(), Errc::truncated);
  EXPECT_EQ(r.u16().error().code(), Errc::truncated);
}

TEST(Reader, RejectsEmptyInput) {
  Reader r(ByteView{});
  EXPECT_EQ(r.u8().error().code(), Errc::truncated);
  EXPECT_EQ(r.bytes(1).error().code(), Errc::truncated);
  EXPECT_TRUE(r.bytes(0).ok());
}

TEST(Reader, RejectsBytesPastTheEnd) {
  const Bytes data = {1, 2, 3};
  Reader r(data);
  auto e = r.bytes(4);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Errc::truncated);
  EXPECT_EQ(e.error().detail(), "need 4 bytes, 3 left");
  EXPECT_EQ(r.bytes(3)->size(), 3U);
}

TEST(Reader, ReadsLengthPrefixedVectors) {
  const Bytes data = {0x00, 0x02, 0xaa, 0xbb, 0x01, 0xcc};
  Reader r(data);
  auto body = r.prefixed(Width::u16);
  ASSERT_TRUE(body.ok());
  EXPECT_EQ(Bytes(body->begin(), body->end()), (Bytes{0xaa, 0xbb}));
  auto sub = r.sub(Width::u8);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(*sub->u8(), 0xcc);
  EXPECT_TRUE(sub->expect_empty().ok());
  EXPECT_TRUE(r.expect_empty().ok());
}

TEST(Reader, RejectsTruncatedLengthPrefix) {
  const Bytes data = {0x00};
  Reader r(data);
  EXPECT_EQ(r.prefixed(Width::u16).error().code(), Errc::truncated);
  EXPECT_EQ(r.remaining(), 1U);
}

TEST(Reader, RejectsBodyShorterThanItsPrefix) {
  const Bytes data = {0x00, 0x00, 0x05, 1, 2, 3, 4};
  Reader r(data);
  EXPECT_EQ(r.prefixed(Width::u24).error().code(), Errc::truncated);
  EXPECT_EQ(r.remaining(), data.size());  // the prefix is not consumed either
  Reader s(data);
  EXPECT_EQ(s.sub(Width::u24).error().code(), Errc::truncated);
}

TEST(Reader, EnforcesVectorBounds) {
  // opaque label<7..255> with a 6-byte body
  const Bytes short_body = {6, 't', 'l', 's', '1', '3', ' '};
  Reader r(short_body);
  EXPECT_EQ(r.prefixed(Width::u8, 7, 255).error().code(), Errc::length_out_of_range);
  // <1..2^16-1> with an empty body
  const Bytes empty_body = {0, 0};
  Reader s(empty_body);
  EXPECT_EQ(s.prefixed(Width::u16, 1).error().code(), Errc::length_out_of_range);
  // above the maximum
  const Bytes long_body = {3, 1, 2, 3};
  Reader t(long_body);
  EXPECT_EQ(t.sub(Width::u8, 0, 2).error().code(), Errc::length_out_of_range);
  EXPECT_EQ(t.remaining(), 4U);
}

TEST(Reader, RejectsTrailingData) {
  const Bytes data = {1, 2};
  Reader r(data);
  ASSERT_TRUE(r.u8().ok());
  auto e = r.expect_empty();
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code(), Errc::trailing_data);
  EXPECT_EQ(alert_for(e.error()), Alert::decode_error);
}

TEST(Reader, SubReaderCannotReadPastItsBody) {
  const Bytes data = {0x01, 0xaa, 0xbb};
  Reader r(data);
  auto sub = r.sub(Width::u8);
  ASSERT_TRUE(sub.ok());
  EXPECT_EQ(sub->u16().error().code(), Errc::truncated);
  EXPECT_EQ(sub->rest().size(), 1U);
}

}  // namespace
}  // namespace keel::wire
