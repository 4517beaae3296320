// Timestamps as API clients see them. Pure functions; nothing allocates.
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/types.h"

namespace orderd::net {

// "2025-02-21T15:00:24.758685Z": ISO 8601, UTC, always six fraction digits.
inline constexpr std::size_t kIso8601Chars = 27;

// Writes `at` (microseconds since the Unix epoch, >= 0) into `out`, which
// must hold kIso8601Chars; returns kIso8601Chars.
std::size_t format_iso8601(Micros at, char* out);

// "Sun, 06 Nov 1994 08:49:37 GMT": the HTTP Date header (RFC 9110 IMF-fixdate).
inline constexpr std::size_t kHttpDateChars = 29;

// Writes `unix_seconds` (>= 0) into `out`, which must hold kHttpDateChars;
// returns kHttpDateChars.
std::size_t format_http_date(std::int64_t unix_seconds, char* out);

// The proleptic Gregorian calendar, by days since 1970-01-01.
struct CivilDate {
  int year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
};
CivilDate civil_from_days(std::int64_t days);
// The day number of a date; the date must be valid (see valid_civil_date).
std::int64_t days_from_civil(const CivilDate& date);
bool valid_civil_date(const CivilDate& date);

}  // namespace orderd::net
