#include "persistence/log2_histogram.h"

#include <gtest/gtest.h>

namespace orderd::persistence {
namespace {

TEST(Log2HistogramTest, BucketsArePowersOfTwo) {
  EXPECT_EQ(Log2Histogram::bucket_of(0), 0u);
  EXPECT_EQ(Log2Histogram::bucket_of(1), 1u);
  EXPECT_EQ(Log2Histogram::bucket_of(2), 2u);
  EXPECT_EQ(Log2Histogram::bucket_of(3), 2u);
  EXPECT_EQ(Log2Histogram::bucket_of(4), 3u);
  EXPECT_EQ(Log2Histogram::bucket_of(~0ull), kLog2Buckets - 1);
}

TEST(Log2HistogramTest, CountsSumsAndBoundsQuantiles) {
  Log2Histogram h;
  for (std::uint64_t v = 1; v <= 100; ++v) h.record(v);
  auto d = h.read();
  EXPECT_EQ(d.count, 100u);
  EXPECT_EQ(d.sum, 5050u);
  EXPECT_EQ(d.max, 100u);
  EXPECT_DOUBLE_EQ(d.mean(), 50.5);
  EXPECT_GE(d.quantile_upper_bound(0.5), 50u);
  EXPECT_LE(d.quantile_upper_bound(0.5), 64u);
  EXPECT_EQ(d.quantile_upper_bound(1.0), 100u) << "capped by the maximum";
  EXPECT_EQ(Log2HistogramData{}.quantile_upper_bound(0.99), 0u);
}

}  // namespace
}  // namespace orderd::persistence
