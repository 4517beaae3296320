#include "engine/types.h"

#include <gtest/gtest.h>

namespace orderd {
namespace {

TEST(TypesTest, WallClockIsMicrosecondsSinceEpoch) {
  Micros now = wall_clock_micros();
  EXPECT_GT(now, Micros{1'600'000'000} * 1'000'000);  // after 2020
  EXPECT_LT(now, Micros{4'000'000'000} * 1'000'000);  // before 2096
}

TEST(TypesTest, SteadyClockNeverGoesBack) {
  Micros a = steady_clock_micros();
  Micros b = steady_clock_micros();
  EXPECT_LE(a, b);
}

}  // namespace
}  // namespace orderd
