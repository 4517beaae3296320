// Exact conversion between decimal text and scaled integers: money in cents
// (scale 2) and durations in microseconds shown as seconds (scale 6).
// Binary floating point never touches these values, so 59.99 stays 5999.
//
// Pure functions; thread-safe; nothing allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace orderd {

enum class DecimalError {
  kNone,
  kSyntax,    // not a JSON number
  kNegative,  // below zero (-0 is zero)
  kTooLarge,  // above the caller's maximum
};

struct ScaledDecimal {
  DecimalError error = DecimalError::kNone;
  std::int64_t value = 0;  // the number times 10^scale, when error == kNone
};

// Parses a JSON number ("59.99", "60", "5.999e1", "1E-2") into
// value * 10^scale, rounding to the nearest unit with halves away from zero
// (0.005 -> 1 cent, 1.005 -> 101 cents), judged on the exact decimal text.
// Only non-negative results up to `max` are accepted. `scale` is 0..9.
ScaledDecimal parse_scaled_decimal(std::string_view text, int scale, std::int64_t max);

// Longest text format_scaled_decimal writes (sign, 19 digits, point, zero).
inline constexpr std::size_t kMaxScaledDecimalChars = 24;

// Writes value / 10^scale as a JSON number with at least one and at most
// `scale` fraction digits, trailing zeros dropped: 5999 -> "59.99",
// 6000 -> "60.0", 5 (scale 6) -> "0.000005". Returns the length written;
// `out` must hold kMaxScaledDecimalChars.
std::size_t format_scaled_decimal(std::int64_t value, int scale, char* out);

}  // namespace orderd
