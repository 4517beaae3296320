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

TEST(ProcessingDelayTest, EachEndTakesTheSharedDurationGrammar) {
  EXPECT_EQ(parse("2m")->min, 120'000'000);
  EXPECT_EQ(parse("1h")->min, 3'600'000'000);
  auto d = parse("0-1.5s");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->min, 0);
  EXPECT_EQ(d->max, 1'500'000);
  EXPECT_EQ(d->to_string(), "0-1500ms");
}

TEST(ProcessingDelayTest, RejectsMalformedText) {
  for (auto bad : {"", "abc", "5", "-1s", "7s-3s", "25h", "3s-", "-", "nan", "1e30s", "2 s",
                   "1s-2s-3s", "0.5us"}) {
    EXPECT_FALSE(parse(bad)) << bad;
  }
}

TEST(ProcessingDelayTest, ErrorsSayWhatWasWrongAndWhatIsExpected) {
  std::string error;
  EXPECT_FALSE(ProcessingDelay::parse("soon", &error));
  EXPECT_NE(error.find("'soon'"), std::string::npos) << error;
  EXPECT_NE(error.find("250ms"), std::string::npos) << error;
  EXPECT_NE(error.find("range such as 3s-7s"), std::string::npos) << error;
  EXPECT_FALSE(ProcessingDelay::parse("3s-7x", &error));
  EXPECT_NE(error.find("'3s-7x'"), std::string::npos) << error;
  EXPECT_NE(error.find("'7x'"), std::string::npos) << error;
  EXPECT_FALSE(ProcessingDelay::parse("7s-3s", &error));
  EXPECT_NE(error.find("start is above its end"), std::string::npos) << error;
  EXPECT_FALSE(ProcessingDelay::parse("25h", &error));
  EXPECT_NE(error.find("at most 24h"), std::string::npos) << error;
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

TEST(ProcessingDelayTest, TheSameSeedDrawsTheSameDelays) {
  ProcessingDelay d{0, 1'000'000};
  std::uint64_t a = 42, b = 42, c = 43;
  bool differs = false;
  for (int i = 0; i < 100; ++i) {
    const Micros s = d.sample(a);
    EXPECT_EQ(s, d.sample(b));
    differs |= s != d.sample(c);
  }
  EXPECT_TRUE(differs);
}

TEST(ProcessingDelayTest, SamplesAreUniformOverTheRange) {
  ProcessingDelay d{0, 9};
  std::uint64_t state = 0;  // any seed, zero included
  int counts[10] = {};
  constexpr int kDraws = 100'000;
  for (int i = 0; i < kDraws; ++i) ++counts[d.sample(state)];
  constexpr int kExpected = kDraws / 10;
  constexpr int kTolerance = kDraws / 100;
  for (int n : counts) EXPECT_NEAR(n, kExpected, kTolerance);
}

TEST(ProcessingDelayTest, FixedDelayAlwaysSamplesItself) {
  ProcessingDelay d{5000, 5000};
  std::uint64_t state = 7;
  for (int i = 0; i < 100; ++i) EXPECT_EQ(d.sample(state), 5000);
}

}  // namespace
}  // namespace orderd
