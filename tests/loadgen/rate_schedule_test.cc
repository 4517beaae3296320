#include "loadgen/rate_schedule.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

namespace orderd::loadgen {
namespace {

using std::chrono::nanoseconds;

TEST(RateScheduleTest, OneConnectionIsEvenlySpaced) {
  const Clock::time_point start{};
  RateSchedule schedule(1000, 0, 1, start);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(schedule.next() - start, nanoseconds(i * 1'000'000));
}

TEST(RateScheduleTest, ConnectionsInterleaveIntoTheAggregateRate) {
  // Three connections at 300/s together send one request every 1/300 s.
  const Clock::time_point start{};
  std::vector<RateSchedule> schedules;
  for (std::uint32_t c = 0; c < 3; ++c) schedules.emplace_back(300, c, 3, start);
  std::vector<Clock::duration> times;
  for (auto& s : schedules) {
    for (int i = 0; i < 100; ++i) times.push_back(s.next() - start);
  }
  std::sort(times.begin(), times.end());
  for (std::size_t i = 0; i < times.size(); ++i) {
    EXPECT_NEAR(static_cast<double>(nanoseconds(times[i]).count()), i * 1e9 / 300, 1.0) << i;
  }
}

TEST(RateScheduleTest, PeekDoesNotConsume) {
  RateSchedule schedule(10, 1, 2, Clock::time_point{});
  const auto first = schedule.peek();
  EXPECT_EQ(schedule.next(), first);
  EXPECT_EQ(schedule.peek() - first, std::chrono::milliseconds(200));
}

TEST(RateScheduleTest, NoDriftOverManyRequests) {
  // 1/3 ms is not a whole number of nanoseconds; adding periods would drift.
  const Clock::time_point start{};
  RateSchedule schedule(3000, 0, 1, start);
  Clock::time_point last;
  constexpr int kRequests = 3'000'000 / ORDERD_TEST_SCALE_DIVISOR;
  for (int i = 0; i < kRequests; ++i) last = schedule.next();
  EXPECT_NEAR(static_cast<double>(nanoseconds(last - start).count()), (kRequests - 1) * 1e9 / 3000,
              1.0);
}

TEST(RateScheduleTest, DueWithinCountsRequestsStrictlyBeforeTheEnd) {
  using namespace std::chrono_literals;
  EXPECT_EQ(RateSchedule::due_within(1000, 1s), 1000u);  // i = 0 .. 999
  EXPECT_EQ(RateSchedule::due_within(1000, 1s + 1ns), 1001u);
  EXPECT_EQ(RateSchedule::due_within(3, 1s), 3u);
  EXPECT_EQ(RateSchedule::due_within(1000, 0s), 0u);
  EXPECT_EQ(RateSchedule::due_within(0, 1s), 0u);
}

TEST(RateScheduleTest, RejectsBadArguments) {
  EXPECT_THROW(RateSchedule(0, 0, 1, Clock::time_point{}), std::invalid_argument);
  EXPECT_THROW(RateSchedule(10, 2, 2, Clock::time_point{}), std::invalid_argument);
  EXPECT_THROW(RateSchedule(10, 0, 0, Clock::time_point{}), std::invalid_argument);
}

}  // namespace
}  // namespace orderd::loadgen
