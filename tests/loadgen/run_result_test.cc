#include "loadgen/run_result.h"

#include <gtest/gtest.h>

namespace orderd::loadgen {
namespace {

TEST(RunResultTest, RatesArePerMeasuredSecond) {
  RunResult result;
  result.measured_seconds = 2;
  result.stats.responses = 1000;
  result.stats.ok = 900;
  EXPECT_DOUBLE_EQ(result.achieved_rate(), 500);
  EXPECT_DOUBLE_EQ(result.ok_rate(), 450);
}

TEST(RunResultTest, NothingMeasuredMeansZeroRates) {
  RunResult result;
  result.stats.responses = 5;
  EXPECT_EQ(result.achieved_rate(), 0);
}

TEST(RunResultTest, UnsentIsWhatWasDueButNeverSent) {
  RunResult result;
  result.offered_requests = 100;
  result.stats.sent = 90;
  EXPECT_EQ(result.unsent(), 10u);
  result.stats.sent = 100;
  EXPECT_EQ(result.unsent(), 0u);
  result.stats.sent = 120;  // closed loop offers what it sends; never negative
  EXPECT_EQ(result.unsent(), 0u);
}

}  // namespace
}  // namespace orderd::loadgen
