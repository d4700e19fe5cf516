#include "core/byte_buffer.hpp"

#include <gtest/gtest.h>

#include "support/test_util.hpp"

namespace keel {
namespace {

TEST(ByteBuffer, GrowsAppendsTruncatesAndReleases) {
  ByteBuffer buffer;
  EXPECT_TRUE(buffer.empty());
  const MutableByteView first = buffer.grow(3);
  first[0] = 1;
  first[1] = 2;
  first[2] = 3;
  buffer.append(Bytes{4, 5});
  EXPECT_EQ(test::to_bytes(buffer.view()), (Bytes{1, 2, 3, 4, 5}));
  buffer.append(Bytes(1000, 9));  // moves to a larger block, keeping the contents
  EXPECT_EQ(buffer.size(), 1005U);
  EXPECT_EQ(test::to_bytes(buffer.view().first(5)), (Bytes{1, 2, 3, 4, 5}));
  buffer.truncate(2);
  EXPECT_EQ(test::to_bytes(buffer.view()), (Bytes{1, 2}));
  buffer.truncate(10);  // never grows
  EXPECT_EQ(buffer.size(), 2U);
  buffer.release();
  EXPECT_TRUE(buffer.empty());
  EXPECT_EQ(buffer.capacity(), 0U);
}

TEST(ByteBuffer, ReserveKeepsLaterGrowthInPlace) {
  ByteBuffer buffer;
  buffer.reserve(100);
  const std::uint8_t* start = buffer.grow(60).data();
  EXPECT_EQ(buffer.grow(40).data(), start + 60);
  EXPECT_EQ(buffer.capacity(), 100U);
}

}  // namespace
}  // namespace keel
