#include "net/time_format.h"

#include <gtest/gtest.h>

#include <ctime>
#include <string>

namespace orderd::net {
namespace {

std::string iso(Micros at) {
  char buf[kIso8601Chars];
  return std::string(buf, format_iso8601(at, buf));
}

std::string http_date(std::int64_t seconds) {
  char buf[kHttpDateChars];
  return std::string(buf, format_http_date(seconds, buf));
}

TEST(TimeFormatTest, Iso8601HasMicrosecondsAndUtcMarker) {
  EXPECT_EQ(iso(0), "1970-01-01T00:00:00.000000Z");
  // 2025-02-21T15:00:24.758685Z, the seed's completed_at.
  EXPECT_EQ(iso(1740150024758685), "2025-02-21T15:00:24.758685Z");
  EXPECT_EQ(iso(951782400000001), "2000-02-29T00:00:00.000001Z");  // leap day
  EXPECT_EQ(iso(4102444799999999), "2099-12-31T23:59:59.999999Z");
}

TEST(TimeFormatTest, HttpDateIsImfFixdate) {
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");  // RFC 9110's example
  EXPECT_EQ(http_date(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(TimeFormatTest, AgreesWithGmtimeOverManyDays) {
  char expected[64];
  for (std::int64_t s = 0; s < 4'200'000'000; s += 86'400 * 37 + 3'599) {
    std::time_t t = static_cast<std::time_t>(s);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(expected, sizeof expected, "%a, %d %b %Y %H:%M:%S GMT", &tm);
    ASSERT_EQ(http_date(s), expected) << s;
    std::strftime(expected, sizeof expected, "%Y-%m-%dT%H:%M:%S.000000Z", &tm);
    ASSERT_EQ(iso(s * 1'000'000), expected) << s;
  }
}

}  // namespace
}  // namespace orderd::net
