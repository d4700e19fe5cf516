#include "core/hex.hpp"

#include <gtest/gtest.h>

namespace keel {
namespace {

TEST(Hex, RoundTrips) {
  const Bytes data = {0x00, 0x01, 0xab, 0xff};
  EXPECT_EQ(to_hex(data), "0001abff");
  auto parsed = from_hex("0001ABff");
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(*parsed, data);
  EXPECT_TRUE(from_hex("")->empty());
}

TEST(Hex, RejectsOddLength) {
  EXPECT_EQ(from_hex("abc").error().code(), Errc::malformed);
}

TEST(Hex, RejectsNonDigitAndNamesPosition) {
  auto r = from_hex("00g1");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message().find("position 2"), std::string::npos);
  EXPECT_FALSE(from_hex("0 01").ok());
}

}  // namespace
}  // namespace keel
