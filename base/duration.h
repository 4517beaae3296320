// Durations written as text: the one grammar of every duration that orderd
// and orderload read from a flag or an environment variable.
//
//   duration := "0" | number unit
//   number   := digits ["." digits]        ("1.5"; also ".5" and "5.")
//   unit     := "us" | "ms" | "s" | "m" | "h"   ("min" is accepted for "m")
//
// Examples: 0, 800us, 250ms, 1.5s, 10m, 2h. Zero needs no unit; any other
// number does (callers that documented a bare number before they took units
// say how to read one, in DurationLimits). No sign, exponent or spaces.
// The value is exact, never binary floating point: it must come out a whole
// number of microseconds ("0.5us" is refused, not rounded) and is at most
// kLongestDuration. Each caller narrows that with DurationLimits, and the
// error text then names the bounds.
//
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace orderd {

// About 31 years: longer is surely a typo, and even this added to a clock
// reading fits std::chrono::nanoseconds.
inline constexpr std::chrono::microseconds kLongestDuration{1'000'000'000'000'000};

struct DurationLimits {
  std::chrono::microseconds min{0};
  std::chrono::microseconds max = kLongestDuration;
  // The finest step the caller keeps (positive): 1ms for a setting held in
  // milliseconds, so that "1500us" is refused instead of truncated.
  std::chrono::microseconds step{1};
  // What a number without a unit counts, for a flag that took bare numbers
  // before it took units (orderload's seconds, the fsync interval's
  // milliseconds). Zero, the default, refuses such a number.
  std::chrono::microseconds bare_number_unit{0};
};

// Parses `text` by the grammar above within `limits`. On failure returns
// nullopt and, when `error` is not null, sets it to a sentence saying what
// was expected and quoting `text`.
std::optional<std::chrono::microseconds> parse_duration(std::string_view text, std::string* error,
                                                        const DurationLimits& limits = {});

// `duration` in the grammar, in the largest unit that keeps it exact:
// "0", "800us", "250ms", "1500ms", "90s", "10m", "2h". Parses back to itself.
std::string format_duration(std::chrono::microseconds duration);

}  // namespace orderd
