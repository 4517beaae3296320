#include "base/duration.h"

#include <gtest/gtest.h>

namespace orderd {
namespace {

using namespace std::chrono_literals;

std::optional<std::chrono::microseconds> parse(std::string_view text,
                                               const DurationLimits& limits = {}) {
  std::string error;
  auto parsed = parse_duration(text, &error, limits);
  if (!parsed) {
    EXPECT_NE(error.find("'" + std::string(text) + "'"), std::string::npos)
        << "the error quotes the text: " << error;
  }
  return parsed;
}

std::string error_of(std::string_view text, const DurationLimits& limits = {}) {
  std::string error;
  EXPECT_FALSE(parse_duration(text, &error, limits)) << text;
  return error;
}

TEST(DurationTest, ReadsEveryUnit) {
  EXPECT_EQ(parse("800us"), 800us);
  EXPECT_EQ(parse("250ms"), 250ms);
  EXPECT_EQ(parse("2s"), 2s);
  EXPECT_EQ(parse("10m"), 10min);
  EXPECT_EQ(parse("10min"), 10min);
  EXPECT_EQ(parse("2h"), 2h);
}

TEST(DurationTest, ReadsDecimalsExactly) {
  EXPECT_EQ(parse("1.5s"), 1500ms);
  EXPECT_EQ(parse("0.1s"), 100ms);
  EXPECT_EQ(parse(".5s"), 500ms);
  EXPECT_EQ(parse("5.s"), 5s);
  EXPECT_EQ(parse("1.25ms"), 1250us);
  EXPECT_EQ(parse("0.000001s"), 1us);
  EXPECT_EQ(parse("1.500000000000000000000000s"), 1500ms);  // trailing zeros cost nothing
  EXPECT_EQ(parse("0.5h"), 30min);
}

TEST(DurationTest, ZeroNeedsNoUnit) {
  EXPECT_EQ(parse("0"), 0us);
  EXPECT_EQ(parse("0.0"), 0us);
  EXPECT_EQ(parse("00"), 0us);
  EXPECT_EQ(parse("0s"), 0us);
}

TEST(DurationTest, RefusesMalformedTextSayingWhatWasExpected) {
  for (auto bad : {"", "abc", "s", ".", "-1s", "+1s", "1e3ms", "2 s", " 2s", "2s ", "10x", "nan",
                   "inf", "1.2.3s", "1,5s", "3s-7s", "1S", "1sec"}) {
    const std::string error = error_of(bad);
    EXPECT_NE(error.find("expected"), std::string::npos) << bad << ": " << error;
    EXPECT_NE(error.find("'" + std::string(bad) + "'"), std::string::npos) << error;
  }
  EXPECT_NE(error_of("10x").find("250ms"), std::string::npos);
}

TEST(DurationTest, ANumberWithoutUnitIsRefusedUnlessTheCallerSaysWhatItCounts) {
  EXPECT_NE(error_of("5").find("unit"), std::string::npos);
  EXPECT_EQ(parse("5", {.bare_number_unit = 1s}), 5s);
  EXPECT_EQ(parse("20", {.bare_number_unit = 1ms}), 20ms);
  EXPECT_EQ(parse("1.5", {.bare_number_unit = 1s}), 1500ms);
  EXPECT_EQ(parse("20ms", {.bare_number_unit = 1s}), 20ms);  // a unit still wins
}

TEST(DurationTest, RefusesWhatIsFinerThanTheStep) {
  EXPECT_NE(error_of("0.5us").find("multiple of 1us"), std::string::npos);
  EXPECT_NE(error_of("1.0000001s").find("multiple of 1us"), std::string::npos);
  const DurationLimits milliseconds{.step = 1ms};
  EXPECT_EQ(parse("1.5s", milliseconds), 1500ms);
  EXPECT_EQ(parse("3000us", milliseconds), 3ms);
  EXPECT_NE(error_of("1500us", milliseconds).find("multiple of 1ms"), std::string::npos);
}

TEST(DurationTest, RefusesWhatIsOutsideTheLimitsNamingThem) {
  const DurationLimits timeout{.min = 1ms, .max = 24h};
  EXPECT_EQ(parse("1ms", timeout), 1ms);
  EXPECT_EQ(parse("24h", timeout), 24h);
  EXPECT_NE(error_of("0", timeout).find("from 1ms to 24h"), std::string::npos);
  EXPECT_NE(error_of("999us", timeout).find("from 1ms to 24h"), std::string::npos);
  EXPECT_NE(error_of("25h", timeout).find("from 1ms to 24h"), std::string::npos);
  EXPECT_NE(error_of("2s", {.max = 1s}).find("at most 1s"), std::string::npos);
  EXPECT_NE(error_of("0", {.min = 1us}).find("at least 1us"), std::string::npos);
}

TEST(DurationTest, RefusesAbsurdlyLongDurations) {
  EXPECT_EQ(parse("1000000000s"), kLongestDuration);
  EXPECT_FALSE(parse("1000000001s"));
  EXPECT_FALSE(parse("99999999999999999999999999h"));
  EXPECT_FALSE(parse("1000000000000000000000000000000s"));
}

TEST(DurationTest, FormatsInTheLargestExactUnit) {
  EXPECT_EQ(format_duration(0us), "0");
  EXPECT_EQ(format_duration(800us), "800us");
  EXPECT_EQ(format_duration(250ms), "250ms");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
  EXPECT_EQ(format_duration(90s), "90s");
  EXPECT_EQ(format_duration(10min), "10m");
  EXPECT_EQ(format_duration(24h), "24h");
}

TEST(DurationTest, FormattedDurationsParseBackToThemselves) {
  const std::chrono::microseconds durations[] = {0us, 1us, 999us, 1ms, 1001ms,
                                                 59s, 60s, 61min, 2h,  kLongestDuration};
  for (auto d : durations) EXPECT_EQ(parse(format_duration(d)), d) << format_duration(d);
}

}  // namespace
}  // namespace orderd
