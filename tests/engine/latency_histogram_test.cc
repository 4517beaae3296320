#include "engine/latency_histogram.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace orderd {
namespace {

TEST(LatencyHistogramTest, EmptyHistogramHasNothing) {
  LatencyHistogram h;
  auto s = h.snapshot();
  EXPECT_EQ(s.count, 0u);
  EXPECT_EQ(s.sum, 0);
  for (auto c : s.counts) EXPECT_EQ(c, 0u);
}

TEST(LatencyHistogramTest, BoundsAreInclusiveUpperLimits) {
  EXPECT_EQ(LatencyHistogram::bucket_of(0), 0u);
  EXPECT_EQ(LatencyHistogram::bucket_of(10), 0u);
  EXPECT_EQ(LatencyHistogram::bucket_of(11), 1u);
  EXPECT_EQ(LatencyHistogram::bucket_of(1'000), 6u);
  EXPECT_EQ(LatencyHistogram::bucket_of(10'000'000), kLatencyBucketBounds.size() - 1);
  EXPECT_EQ(LatencyHistogram::bucket_of(10'000'001), kLatencyBucketBounds.size());
  EXPECT_EQ(LatencyHistogram::bucket_of(-5), 0u);
}

TEST(LatencyHistogramTest, CountsAndSumsAcrossThreads) {
  LatencyHistogram h;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 1000; ++i) {
        h.record(5);           // first bucket
        h.record(20'000'000);  // overflow
      }
    });
  }
  for (auto& t : threads) t.join();
  auto s = h.snapshot();
  EXPECT_EQ(s.count, 8000u);
  EXPECT_EQ(s.counts[0], 4000u);
  EXPECT_EQ(s.counts.back(), 4000u);
  EXPECT_EQ(s.sum, Micros{4000} * 5 + Micros{4000} * 20'000'000);
}

}  // namespace
}  // namespace orderd
