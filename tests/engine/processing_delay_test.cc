#include "engine/processing_delay.h"

#include <gtest/gtest.h>

namespace orderd {
namespace {

std::optional<ProcessingDelay> parse(std::string_view s) {
  std::string error;
  auto d = ProcessingDelay::parse(s, &error);
  if (!d) {
    EXPECT_FALSE(error.empty());
  }
  return d;
}

TEST(ProcessingDelayTest, ZeroMeansNoDelay) {
  auto d = parse("0");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->none());
  EXPECT_EQ(d->to_string(), "0");
}

TEST(ProcessingDelayTest, ParsesUnits) {
  EXPECT_EQ(parse("250ms")->min, 250'000);
  EXPECT_EQ(parse("2s")->max, 2'000'000);
  EXPECT_EQ(parse("1.5s")->min, 1'500'000);
  EXPECT_EQ(parse("800us")->min, 800);
}

TEST(ProcessingDelayTest, ParsesUniformRange) {
  auto d = parse("3s-7s");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->min, 3'000'000);
  EXPECT_EQ(d->max, 7'000'000);
  EXPECT_EQ(d->to_string(), "3s-7s");
  EXPECT_EQ(parse("100ms-1s")->to_string(), "100ms-1s");
}

TEST(ProcessingDelayTest, RejectsMalformedText) {
  for (auto bad : {"", "abc", "5", "-1s", "7s-3s", "1h", "3s-", "-", "nan", "1e30s", "2 s"}) {
    EXPECT_FALSE(parse(bad)) << bad;
  }
}

TEST(ProcessingDelayTest, SamplesStayInsideTheRange) {
  ProcessingDelay d{1000, 2000};
  std::uint64_t state = 42;
  Micros lo = d.max, hi = d.min;
  for (int i = 0; i < 10000; ++i) {
    Micros s = d.sample(state);
    ASSERT_GE(s, d.min);
    ASSERT_LE(s, d.max);
    lo = std::min(lo, s);
    hi = std::max(hi, s);
  }
  EXPECT_LT(lo, 1100);  // spread over the range, not stuck
  EXPECT_GT(hi, 1900);
}

TEST(ProcessingDelayTest, FixedDelayAlwaysSamplesItself) {
  ProcessingDelay d{5000, 5000};
  std::uint64_t state = 7;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(d.sample(state), 5000);
}

}  // namespace
}  // namespace orderd
