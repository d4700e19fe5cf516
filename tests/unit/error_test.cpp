#include <gtest/gtest.h>

#include <keel/error.hpp>
#include <keel/result.hpp>

#include "core/try.hpp"

namespace keel {
namespace {

TEST(Error, MessageIsSummaryThenDetail) {
  EXPECT_EQ(Error(Errc::bad_record_mac, "record 7").message(),
            "authentication tag does not verify: record 7");
  EXPECT_EQ(Error(Errc::truncated).message(), "input ends too early");
}

TEST(Error, PrependAddsContext) {
  Error e(Errc::truncated, "need 2 bytes, 1 left");
  e.prepend("ClientHello.cipher_suites");
  EXPECT_EQ(e.detail(), "ClientHello.cipher_suites: need 2 bytes, 1 left");
}

TEST(Error, EveryReasonHasANameAndAnAlert) {
  // The table drives both; spot-check the mappings RFC 8446 §6.2 dictates.
  EXPECT_EQ(alert_for(Errc::truncated), Alert::decode_error);
  EXPECT_EQ(alert_for(Errc::trailing_data), Alert::decode_error);
  EXPECT_EQ(alert_for(Errc::bad_record_mac), Alert::bad_record_mac);
  EXPECT_EQ(alert_for(Errc::bad_signature), Alert::decrypt_error);
  EXPECT_EQ(alert_for(Errc::unexpected_message), Alert::unexpected_message);
  EXPECT_EQ(alert_for(Errc::invalid_key_share), Alert::illegal_parameter);
  EXPECT_EQ(alert_for(Errc::record_overflow), Alert::record_overflow);
  EXPECT_EQ(alert_for(Errc::internal), Alert::internal_error);
  EXPECT_EQ(to_string(Errc::bad_record_mac), "bad_record_mac");
  EXPECT_EQ(to_string(Alert::decode_error), "decode_error");
  EXPECT_EQ(to_string(static_cast<Alert>(255)), "unknown");
  EXPECT_EQ(alert_for(static_cast<Errc>(9999)), Alert::internal_error);
}

Result<int> parse_positive(int x) {
  if (x <= 0) {
    return Error(Errc::illegal_parameter, "not positive");
  }
  return x;
}

Result<int> doubled(int x) {
  KEEL_TRY_ASSIGN(const int value, parse_positive(x));
  return value * 2;
}

Result<void> check(int x) {
  KEEL_TRY(parse_positive(x));
  return ok();
}

TEST(Result, CarriesValueOrError) {
  auto good = doubled(21);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 42);
  auto bad = doubled(-1);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code(), Errc::illegal_parameter);
  EXPECT_TRUE(check(1).ok());
  EXPECT_EQ(check(0).error().code(), Errc::illegal_parameter);
}

TEST(ResultDeathTest, ValueOfAFailureAbortsWithTheReason) {
  EXPECT_DEATH((void)doubled(-1).value(), "not positive");
}

}  // namespace
}  // namespace keel
