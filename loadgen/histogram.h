// A log-linear latency histogram in the manner of HdrHistogram: values below
// 2 * kSubBuckets are counted exactly, and every power-of-two range above is
// split into kSubBuckets equal buckets. A percentile is reported as the
// midpoint of its bucket (clamped to the exact min and max), so it is within
// kMaxRelativeError (0.4%) of the true value at that rank.
//
// Memory is fixed at construction (about 35 KiB for the default range);
// record() never allocates. Not thread-safe: keep one per thread and merge.
#pragma once

#include <cstdint>
#include <vector>

namespace orderd::loadgen {

class Histogram {
 public:
  static constexpr unsigned kSubBucketBits = 7;
  static constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;
  static constexpr double kMaxRelativeError = 1.0 / (2 * kSubBuckets);
  // In nanoseconds, about 18 minutes: far beyond any request timeout.
  static constexpr std::uint64_t kDefaultHighestTrackable = (std::uint64_t{1} << 40) - 1;

  explicit Histogram(std::uint64_t highest_trackable = kDefaultHighestTrackable);

  // Values above highest_trackable() are recorded as that value and counted
  // by saturated_count().
  void record(std::uint64_t value) { record(value, 1); }
  void record(std::uint64_t value, std::uint64_t times);

  // Adds `other`'s counts. Both must have the same highest_trackable().
  void merge(const Histogram& other);
  void reset();

  std::uint64_t count() const { return count_; }
  std::uint64_t saturated_count() const { return saturated_; }
  std::uint64_t highest_trackable() const { return highest_trackable_; }
  // Exact, 0 when empty.
  std::uint64_t min() const { return count_ == 0 ? 0 : min_; }
  std::uint64_t max() const { return max_; }
  double mean() const;

  // The value at rank ceil(percentile / 100 * count()) (nearest rank), for
  // percentile in [0, 100]: 0 gives min(), 100 gives max(). 0 when empty.
  std::uint64_t percentile(double percentile) const;

 private:
  std::size_t bucket_index(std::uint64_t value) const;
  std::uint64_t bucket_midpoint(std::size_t index) const;

  std::uint64_t highest_trackable_;
  std::vector<std::uint64_t> buckets_;
  std::uint64_t count_ = 0;
  std::uint64_t saturated_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
  long double sum_ = 0;  // for mean(); long double keeps nanosecond sums exact for hours
};

}  // namespace orderd::loadgen
