#include "net/time_format.h"

namespace orderd::net {
namespace {

struct CivilTime {
  int year;
  unsigned month;  // 1..12
  unsigned day;    // 1..31
  unsigned hour, minute, second;
  unsigned weekday;  // 0 = Sunday
};

// Howard Hinnant's days-to-civil algorithm: exact for the proleptic
// Gregorian calendar, no tables, no locale, no time zone database.
CivilTime to_civil(std::int64_t unix_seconds) {
  std::int64_t days = unix_seconds / 86'400;
  std::int64_t rest = unix_seconds % 86'400;
  CivilTime t{};
  t.hour = static_cast<unsigned>(rest / 3600);
  t.minute = static_cast<unsigned>(rest % 3600 / 60);
  t.second = static_cast<unsigned>(rest % 60);
  t.weekday = static_cast<unsigned>((days + 4) % 7);  // 1970-01-01 was a Thursday
  days += 719'468;
  const std::int64_t era = days / 146'097;
  const auto day_of_era = static_cast<unsigned>(days - era * 146'097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned shifted_month = (5 * day_of_year + 2) / 153;
  t.day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
  t.month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
  t.year = static_cast<int>(year_of_era + era * 400 + (t.month <= 2 ? 1 : 0));
  return t;
}

char* put_digits(char* out, unsigned value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
  return out + width;
}

}  // namespace

std::size_t format_iso8601(Micros at, char* out) {
  if (at < 0) at = 0;
  const CivilTime t = to_civil(at / 1'000'000);
  char* p = out;
  p = put_digits(p, static_cast<unsigned>(t.year), 4);
  *p++ = '-';
  p = put_digits(p, t.month, 2);
  *p++ = '-';
  p = put_digits(p, t.day, 2);
  *p++ = 'T';
  p = put_digits(p, t.hour, 2);
  *p++ = ':';
  p = put_digits(p, t.minute, 2);
  *p++ = ':';
  p = put_digits(p, t.second, 2);
  *p++ = '.';
  p = put_digits(p, static_cast<unsigned>(at % 1'000'000), 6);
  *p++ = 'Z';
  return static_cast<std::size_t>(p - out);
}

std::size_t format_http_date(std::int64_t unix_seconds, char* out) {
  static constexpr char kWeekdays[] = "SunMonTueWedThuFriSat";
  static constexpr char kMonths[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
  if (unix_seconds < 0) unix_seconds = 0;
  const CivilTime t = to_civil(unix_seconds);
  char* p = out;
  for (int i = 0; i < 3; ++i) *p++ = kWeekdays[t.weekday * 3 + static_cast<unsigned>(i)];
  *p++ = ',';
  *p++ = ' ';
  p = put_digits(p, t.day, 2);
  *p++ = ' ';
  for (int i = 0; i < 3; ++i) *p++ = kMonths[(t.month - 1) * 3 + static_cast<unsigned>(i)];
  *p++ = ' ';
  p = put_digits(p, static_cast<unsigned>(t.year), 4);
  *p++ = ' ';
  p = put_digits(p, t.hour, 2);
  *p++ = ':';
  p = put_digits(p, t.minute, 2);
  *p++ = ':';
  p = put_digits(p, t.second, 2);
  for (char c : {' ', 'G', 'M', 'T'}) *p++ = c;
  return static_cast<std::size_t>(p - out);
}

CivilDate civil_from_days(std::int64_t days) {
  const CivilTime t = to_civil(days * 86'400);
  return {t.year, t.month, t.day};
}

// Howard Hinnant's days-from-civil, the inverse of to_civil's date part.
std::int64_t days_from_civil(const CivilDate& date) {
  const std::int64_t y = date.year - (date.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto year_of_era = static_cast<unsigned>(y - era * 400);
  const unsigned m = date.month;
  const unsigned day_of_year = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + date.day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146'097 + static_cast<std::int64_t>(day_of_era) - 719'468;
}

bool valid_civil_date(const CivilDate& date) {
  if (date.year < 1970 || date.year > 9999 || date.month < 1 || date.month > 12 || date.day < 1) {
    return false;
  }
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (date.year % 4 == 0 && date.year % 100 != 0) || date.year % 400 == 0;
  const unsigned last = date.month == 2 && leap ? 29 : kDays[date.month - 1];
  return date.day <= last;
}

}  // namespace orderd::net
