#include "base/decimal.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace orderd {
namespace {

constexpr std::int64_t kMax = std::int64_t{1} << 50;

std::int64_t cents(std::string_view text) {
  ScaledDecimal d = parse_scaled_decimal(text, 2, kMax);
  EXPECT_EQ(d.error, DecimalError::kNone) << text;
  return d.value;
}

DecimalError cents_error(std::string_view text) {
  return parse_scaled_decimal(text, 2, kMax).error;
}

std::string format(std::int64_t value, int scale) {
  char buf[kMaxScaledDecimalChars];
  return std::string(buf, format_scaled_decimal(value, scale, buf));
}

TEST(FixedPointTest, ParsesPlainDecimalsExactly) {
  EXPECT_EQ(cents("59.99"), 5999);
  EXPECT_EQ(cents("0.1"), 10);
  EXPECT_EQ(cents("0.29"), 29);  // 0.29 * 100 is 28.999... in binary floating point
  EXPECT_EQ(cents("60"), 6000);
  EXPECT_EQ(cents("0"), 0);
  EXPECT_EQ(cents("-0"), 0);
  EXPECT_EQ(cents("-0.00"), 0);
  EXPECT_EQ(cents("1234567.89"), 123456789);
}

TEST(FixedPointTest, ParsesExponents) {
  EXPECT_EQ(cents("5.999e1"), 5999);
  EXPECT_EQ(cents("1E-2"), 1);
  EXPECT_EQ(cents("1e+2"), 10000);
  EXPECT_EQ(cents("0.5999E2"), 5999);
  EXPECT_EQ(cents("1e-400"), 0);
}

TEST(FixedPointTest, RoundsToNearestCentWithHalvesAwayFromZero) {
  EXPECT_EQ(cents("0.005"), 1);
  EXPECT_EQ(cents("0.0049999"), 0);
  EXPECT_EQ(cents("1.005"), 101);  // a double would read 1.00499999...
  EXPECT_EQ(cents("2.675"), 268);
  EXPECT_EQ(cents("59.994"), 5999);
  EXPECT_EQ(cents("59.995"), 6000);
  EXPECT_EQ(cents("0.00000000000000000000000001"), 0);
}

TEST(FixedPointTest, RefusesNegativeAmounts) {
  EXPECT_EQ(cents_error("-1"), DecimalError::kNegative);
  EXPECT_EQ(cents_error("-0.001"), DecimalError::kNegative);
}

TEST(FixedPointTest, RefusesAmountsAboveTheMaximum) {
  EXPECT_EQ(parse_scaled_decimal("10.00", 2, 1000).error, DecimalError::kNone);
  EXPECT_EQ(parse_scaled_decimal("10.01", 2, 1000).error, DecimalError::kTooLarge);
  EXPECT_EQ(parse_scaled_decimal("9.995", 2, 999).error, DecimalError::kTooLarge);
  EXPECT_EQ(cents_error("1e300"), DecimalError::kTooLarge);
  EXPECT_EQ(cents_error("99999999999999999999999999"), DecimalError::kTooLarge);
  EXPECT_EQ(cents_error("1e99999999999999999999"), DecimalError::kTooLarge);
}

TEST(FixedPointTest, RefusesWhatIsNotAJsonNumber) {
  for (const char* bad : {"", "-", "+1", "01", "1.", ".5", "1e", "1e+", "0x10", "1,5", " 1", "NaN",
                          "Infinity", "1.2.3"}) {
    EXPECT_EQ(cents_error(bad), DecimalError::kSyntax) << bad;
  }
}

TEST(FixedPointTest, FormatsWithTrailingZerosDropped) {
  EXPECT_EQ(format(5999, 2), "59.99");
  EXPECT_EQ(format(6000, 2), "60.0");
  EXPECT_EQ(format(6050, 2), "60.5");
  EXPECT_EQ(format(1, 2), "0.01");
  EXPECT_EQ(format(0, 2), "0.0");
  EXPECT_EQ(format(-250, 2), "-2.5");
  EXPECT_EQ(format(2747467, 6), "2.747467");
  EXPECT_EQ(format(5, 6), "0.000005");
  EXPECT_EQ(format(5000000, 6), "5.0");
  EXPECT_EQ(format(42, 0), "42.0");
  EXPECT_EQ(format(std::numeric_limits<std::int64_t>::max(), 2), "92233720368547758.07");
  EXPECT_EQ(format(std::numeric_limits<std::int64_t>::min(), 2), "-92233720368547758.08");
}

TEST(FixedPointTest, FormatThenParseRoundTrips) {
  for (std::int64_t v : {0L, 1L, 99L, 100L, 5999L, 123456789L, kMax}) {
    EXPECT_EQ(cents(format(v, 2)), v);
  }
}

}  // namespace
}  // namespace orderd
