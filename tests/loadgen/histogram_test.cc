#include "loadgen/histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace orderd::loadgen {
namespace {

constexpr double kPercentiles[] = {0.1, 1, 10, 25, 50, 75, 90, 99, 99.9, 99.99};

// The exact nearest-rank percentile of sorted values.
std::uint64_t exact_percentile(const std::vector<std::uint64_t>& sorted, double percentile) {
  auto rank = static_cast<std::size_t>(std::ceil(percentile / 100.0 * sorted.size() - 1e-9));
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

void expect_within_one_percent(std::vector<std::uint64_t> values) {
  Histogram histogram;
  for (auto v : values) histogram.record(v);
  std::sort(values.begin(), values.end());
  for (double p : kPercentiles) {
    const double exact = static_cast<double>(exact_percentile(values, p));
    const double reported = static_cast<double>(histogram.percentile(p));
    EXPECT_LE(std::abs(reported - exact), exact * 0.01) << "p" << p;
    EXPECT_LE(std::abs(reported - exact), exact * Histogram::kMaxRelativeError + 1) << "p" << p;
  }
  EXPECT_EQ(histogram.min(), values.front());
  EXPECT_EQ(histogram.max(), values.back());
  EXPECT_EQ(histogram.count(), values.size());
}

TEST(HistogramTest, UniformLatenciesAreWithinOnePercent) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<std::uint64_t> latency_ns(1'000, 100'000'000);  // 1 µs to 100 ms
  std::vector<std::uint64_t> values(200'000 / ORDERD_TEST_SCALE_DIVISOR);
  for (auto& v : values) v = latency_ns(rng);
  expect_within_one_percent(std::move(values));
}

TEST(HistogramTest, ExponentialLatenciesAreWithinOnePercent) {
  std::mt19937_64 rng(2);
  std::exponential_distribution<double> latency_ns(1.0 / 250'000);  // mean 250 µs
  std::vector<std::uint64_t> values(200'000 / ORDERD_TEST_SCALE_DIVISOR);
  for (auto& v : values) v = 1 + static_cast<std::uint64_t>(latency_ns(rng));
  expect_within_one_percent(std::move(values));
}

TEST(HistogramTest, EveryValueUpToTheRangeIsWithinTheBound) {
  // Walk through bucket boundaries of every magnitude, not just random draws.
  Histogram histogram;
  for (std::uint64_t v = 1; v < Histogram::kDefaultHighestTrackable; v = v * 3 / 2 + 1) {
    histogram.reset();
    histogram.record(1);  // keeps the clamp to min/max from hiding bucket errors
    histogram.record(v);
    histogram.record(Histogram::kDefaultHighestTrackable);
    const double reported = static_cast<double>(histogram.percentile(50));
    EXPECT_LE(std::abs(reported - static_cast<double>(v)),
              static_cast<double>(v) * Histogram::kMaxRelativeError + 0.5)
        << v;
  }
}

TEST(HistogramTest, EmptyReportsZeroes) {
  const Histogram histogram;
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.min(), 0u);
  EXPECT_EQ(histogram.max(), 0u);
  EXPECT_EQ(histogram.mean(), 0.0);
  EXPECT_EQ(histogram.percentile(0), 0u);
  EXPECT_EQ(histogram.percentile(50), 0u);
  EXPECT_EQ(histogram.percentile(100), 0u);
}

TEST(HistogramTest, OneValueIsEveryPercentileExactly) {
  Histogram histogram;
  histogram.record(123'457);
  for (double p : {0.0, 1.0, 50.0, 99.0, 99.99, 100.0})
    EXPECT_EQ(histogram.percentile(p), 123'457u);
  EXPECT_EQ(histogram.mean(), 123'457.0);
}

TEST(HistogramTest, HighestTrackableValueIsExactAndLargerOnesSaturate) {
  Histogram histogram(1'000'000);
  histogram.record(1'000'000);
  EXPECT_EQ(histogram.max(), 1'000'000u);
  EXPECT_EQ(histogram.percentile(100), 1'000'000u);
  EXPECT_EQ(histogram.saturated_count(), 0u);
  histogram.record(5'000'000);
  EXPECT_EQ(histogram.max(), 1'000'000u);
  EXPECT_EQ(histogram.saturated_count(), 1u);
  EXPECT_EQ(histogram.count(), 2u);
}

TEST(HistogramTest, MaxIsExactAndTopPercentileFindsTheOutlier) {
  Histogram histogram;
  for (int i = 0; i < 9'999; ++i) histogram.record(1'000);
  histogram.record(987'654'321);
  EXPECT_EQ(histogram.max(), 987'654'321u);
  EXPECT_NEAR(histogram.percentile(99.99), 1'000,
              1'000 * Histogram::kMaxRelativeError);  // rank 9999
  EXPECT_EQ(histogram.percentile(99.995), 987'654'321u);
  EXPECT_EQ(histogram.percentile(100), 987'654'321u);
}

TEST(HistogramTest, PercentileUsesNearestRank) {
  Histogram histogram;
  for (std::uint64_t v = 1; v <= 100; ++v) histogram.record(v);  // exact below 256
  EXPECT_EQ(histogram.percentile(1), 1u);
  EXPECT_EQ(histogram.percentile(50), 50u);
  EXPECT_EQ(histogram.percentile(50.5), 51u);
  EXPECT_EQ(histogram.percentile(99), 99u);
  EXPECT_EQ(histogram.percentile(99.9), 100u);
}

TEST(HistogramTest, MergeEqualsRecordingEverythingInOne) {
  Histogram a, b, both;
  std::mt19937_64 rng(3);
  for (int i = 0; i < 10'000; ++i) {
    const std::uint64_t v = rng() % 50'000'000;
    (i % 2 ? a : b).record(v);
    both.record(v);
  }
  a.merge(b);
  EXPECT_EQ(a.count(), both.count());
  EXPECT_EQ(a.min(), both.min());
  EXPECT_EQ(a.max(), both.max());
  EXPECT_DOUBLE_EQ(a.mean(), both.mean());
  for (double p : kPercentiles) EXPECT_EQ(a.percentile(p), both.percentile(p)) << p;
}

TEST(HistogramTest, MergeRejectsDifferentRanges) {
  Histogram a(1'000'000), b(2'000'000);
  EXPECT_THROW(a.merge(b), std::invalid_argument);
}

TEST(HistogramTest, RecordManyTimesCountsEach) {
  Histogram histogram;
  histogram.record(10, 3);
  histogram.record(20, 1);
  histogram.record(30, 0);
  EXPECT_EQ(histogram.count(), 4u);
  EXPECT_EQ(histogram.percentile(75), 10u);
  EXPECT_EQ(histogram.max(), 20u);
  EXPECT_DOUBLE_EQ(histogram.mean(), 12.5);
}

TEST(HistogramTest, ResetEmptiesIt) {
  Histogram histogram;
  histogram.record(5);
  histogram.reset();
  EXPECT_EQ(histogram.count(), 0u);
  EXPECT_EQ(histogram.max(), 0u);
  EXPECT_EQ(histogram.percentile(50), 0u);
}

}  // namespace
}  // namespace orderd::loadgen
