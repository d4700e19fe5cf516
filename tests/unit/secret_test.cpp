#include "core/secret.hpp"

#include <sstream>
#include <type_traits>

#include <gtest/gtest.h>

namespace keel {
namespace {

static_assert(!std::is_copy_constructible_v<Secret>);
static_assert(!std::is_copy_assignable_v<Secret>);
static_assert(std::is_nothrow_move_constructible_v<Secret>);

TEST(Secret, HoldsACopyOfTheBytes) {
  Bytes source = {1, 2, 3};
  const Secret s = Secret::copy_of(source);
  source[0] = 9;
  ASSERT_EQ(s.size(), 3U);
  EXPECT_EQ(s.view()[0], 1);
}

TEST(Secret, MoveLeavesTheSourceEmpty) {
  Secret a = Secret::copy_of(Bytes{1, 2, 3});
  Secret b = std::move(a);
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): checking the moved-from state
  EXPECT_EQ(b.size(), 3U);
}

TEST(Secret, ComparesByContent) {
  EXPECT_TRUE(Secret::copy_of(Bytes{1, 2}) == Secret::copy_of(Bytes{1, 2}));
  EXPECT_FALSE(Secret::copy_of(Bytes{1, 2}) == Secret::copy_of(Bytes{1, 3}));
  EXPECT_FALSE(Secret::copy_of(Bytes{1, 2}) == Secret::copy_of(Bytes{1, 2, 3}));
}

TEST(Secret, PrintsNoBytes) {
  const Secret s = Secret::copy_of(Bytes{0xde, 0xad});
  std::ostringstream out;
  PrintTo(s, &out);
  EXPECT_EQ(out.str(), "Secret(2 bytes)");
  EXPECT_EQ(testing::PrintToString(s), "Secret(2 bytes)");
}

TEST(Secret, SecureWipeZeroes) {
  Bytes data = {1, 2, 3, 4};
  secure_wipe(data);
  EXPECT_EQ(data, Bytes(4, 0));
}

TEST(Secret, StackSecretHoldsItsSizeAndNeverMore) {
  StackSecret<8> small(5);
  EXPECT_EQ(small.size(), 5U);
  EXPECT_EQ(Bytes(small.view().begin(), small.view().end()), Bytes(5, 0));
  small.mutable_view()[4] = 7;
  EXPECT_EQ(small.view()[4], 7);
  const StackSecret<8> clamped(9);  // callers check first; a larger size is cut to N
  EXPECT_EQ(clamped.size(), 8U);
}

TEST(Secret, ConstantTimeEqual) {
  EXPECT_TRUE(constant_time_equal(Bytes{}, Bytes{}));
  EXPECT_TRUE(constant_time_equal(Bytes{5, 6}, Bytes{5, 6}));
  EXPECT_FALSE(constant_time_equal(Bytes{5, 6}, Bytes{5, 7}));
  EXPECT_FALSE(constant_time_equal(Bytes{5}, Bytes{5, 6}));
}

}  // namespace
}  // namespace keel
