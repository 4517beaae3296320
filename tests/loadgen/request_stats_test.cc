#include "loadgen/request_stats.h"

#include <gtest/gtest.h>

#include <set>

namespace orderd::loadgen {
namespace {

TEST(RequestStatsTest, ResponsesCountByStatusAndFeedBothHistograms) {
  RequestStats stats;
  stats.sent = 3;
  stats.record_response(201, true, 2'000, 1'000);
  stats.record_response(201, true, 4'000, 1'000);
  stats.record_response(409, false, 1'000, 1'000);
  EXPECT_EQ(stats.responses, 3u);
  EXPECT_EQ(stats.ok, 2u);
  EXPECT_EQ(stats.status_counts[201], 2u);
  EXPECT_EQ(stats.status_counts[409], 1u);
  EXPECT_EQ(stats.corrected.max(), 4'000u);
  EXPECT_EQ(stats.uncorrected.max(), 1'000u);
}

TEST(RequestStatsTest, OutOfRangeStatusGoesToSlotZero) {
  RequestStats stats;
  stats.record_response(999, false, 1, 1);
  EXPECT_EQ(stats.status_counts[0], 1u);
}

TEST(RequestStatsTest, FailedRequestsAreThoseWithoutAnAnswer) {
  RequestStats stats;
  stats.record_error(ErrorKind::kConnect);
  stats.record_error(ErrorKind::kClosed);
  stats.record_error(ErrorKind::kIo);
  stats.record_error(ErrorKind::kTimeout);
  stats.record_error(ErrorKind::kUnexpectedStatus);
  stats.record_error(ErrorKind::kBadBody);
  EXPECT_EQ(stats.total_errors(), 6u);
  EXPECT_EQ(stats.failed_requests(), 3u);
}

TEST(RequestStatsTest, MergeAddsEverything) {
  RequestStats a, b;
  a.sent = 2;
  a.record_response(200, true, 10, 10);
  a.reconnects = 1;
  b.sent = 5;
  b.record_response(200, true, 30, 20);
  b.record_error(ErrorKind::kTimeout);
  a.merge(b);
  EXPECT_EQ(a.sent, 7u);
  EXPECT_EQ(a.responses, 2u);
  EXPECT_EQ(a.ok, 2u);
  EXPECT_EQ(a.status_counts[200], 2u);
  EXPECT_EQ(a.error_count(ErrorKind::kTimeout), 1u);
  EXPECT_EQ(a.reconnects, 1u);
  EXPECT_EQ(a.corrected.count(), 2u);
  EXPECT_EQ(a.corrected.max(), 30u);
  a.reset();
  EXPECT_EQ(a.sent, 0u);
  EXPECT_EQ(a.total_errors(), 0u);
  EXPECT_EQ(a.corrected.count(), 0u);
}

TEST(RequestStatsTest, ErrorKindsHaveDistinctNames) {
  std::set<std::string_view> names;
  for (std::size_t i = 0; i < kErrorKindCount; ++i) {
    names.insert(error_kind_name(static_cast<ErrorKind>(i)));
  }
  EXPECT_EQ(names.size(), kErrorKindCount);
  EXPECT_EQ(names.count("?"), 0u);
}

}  // namespace
}  // namespace orderd::loadgen
