#include "wire/writer.hpp"

#include <gtest/gtest.h>

#include "wire/reader.hpp"

namespace keel::wire {
namespace {

TEST(Writer, WritesBigEndianIntegers) {
  Writer w;
  w.u8(0x01);
  w.u16(0x0203);
  w.u24(0x040506);
  w.u32(0x0708090a);
  w.bytes(Bytes{0xff});
  EXPECT_EQ(*std::move(w).finish(),
            (Bytes{0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0xff}));
}

TEST(Writer, PatchesNestedLengthPrefixes) {
  Writer w;
  {
    auto outer = w.prefixed(Width::u16);
    w.u8(0xaa);
    {
      auto inner = w.prefixed(Width::u24);
      w.bytes(Bytes{1, 2, 3});
    }
  }
  const Bytes out = *std::move(w).finish();
  EXPECT_EQ(out, (Bytes{0x00, 0x07, 0xaa, 0x00, 0x00, 0x03, 1, 2, 3}));
  // And it reads back.
  Reader r(out);
  auto outer = r.sub(Width::u16);
  ASSERT_TRUE(outer.ok());
  EXPECT_EQ(*outer->u8(), 0xaa);
  EXPECT_EQ(outer->prefixed(Width::u24)->size(), 3U);
}

TEST(Writer, EmptyPrefixedBodyIsZeroLength) {
  Writer w;
  { auto p = w.prefixed(Width::u8); }
  EXPECT_EQ(*std::move(w).finish(), (Bytes{0x00}));
}

TEST(Writer, OverflowingPrefixFailsAndLeavesAllOnes) {
  Writer w;
  {
    auto p = w.prefixed(Width::u8);
    w.bytes(Bytes(256, 0x00));
  }
  auto r = std::move(w).finish();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Errc::length_overflow);
}

TEST(Writer, ExplicitMaximumIsEnforced) {
  Writer w;
  {
    auto p = w.prefixed(Width::u16, 3);
    w.bytes(Bytes(4, 0x00));
  }
  EXPECT_EQ(std::move(w).finish().error().code(), Errc::length_overflow);
}

TEST(Writer, PlaceholderIsAllOnesWhileOpen) {
  Writer w;
  auto p = w.prefixed(Width::u16);
  w.u8(0);
  EXPECT_EQ(w.size(), 3U);
  // Finishing with the prefix still open is a programming error, reported as such.
  // (Moving out of w while p refers to it is what this guards against.)
  p.close();
  EXPECT_EQ(*std::move(w).finish(), (Bytes{0x00, 0x01, 0x00}));
}

TEST(Writer, FinishWithOpenPrefixFails) {
  Writer w;
  auto p = w.prefixed(Width::u16);
  auto r = std::move(w).finish();
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code(), Errc::internal);
}

TEST(Writer, U24RejectsLargeValues) {
  Writer w;
  w.u24(0x01000000);
  EXPECT_EQ(std::move(w).finish().error().code(), Errc::length_overflow);
}

}  // namespace
}  // namespace keel::wire
