#include "loadgen/histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <stdexcept>

namespace orderd::loadgen {

// Index layout: values v < 2 * kSubBuckets map to index v. Above that, v has
// e = floor(log2(v)) >= kSubBucketBits + 1; with shift = e - kSubBucketBits its
// top kSubBucketBits + 1 bits, v >> shift, lie in [kSubBuckets, 2 * kSubBuckets)
// and the index is shift * kSubBuckets + (v >> shift). Indices are contiguous
// and each bucket spans 2^shift values starting at a multiple of it, so a
// bucket's width is at most 1/kSubBuckets of its lower bound.

std::size_t Histogram::bucket_index(std::uint64_t value) const {
  if (value < 2 * kSubBuckets) return static_cast<std::size_t>(value);
  const unsigned shift = static_cast<unsigned>(std::bit_width(value)) - 1 - kSubBucketBits;
  return static_cast<std::size_t>(shift * kSubBuckets + (value >> shift));
}

std::uint64_t Histogram::bucket_midpoint(std::size_t index) const {
  if (index < 2 * kSubBuckets) return index;
  const std::uint64_t shift = index / kSubBuckets - 1;
  const std::uint64_t mantissa = index - shift * kSubBuckets;
  const std::uint64_t lower = mantissa << shift;
  return lower + (std::uint64_t{1} << shift) / 2;
}

Histogram::Histogram(std::uint64_t highest_trackable)
    : highest_trackable_(std::max<std::uint64_t>(highest_trackable, 2 * kSubBuckets)) {
  buckets_.assign(bucket_index(highest_trackable_) + 1, 0);
}

void Histogram::record(std::uint64_t value, std::uint64_t times) {
  if (times == 0) return;
  if (value > highest_trackable_) {
    value = highest_trackable_;
    saturated_ += times;
  }
  buckets_[bucket_index(value)] += times;
  count_ += times;
  min_ = std::min(min_, value);
  max_ = std::max(max_, value);
  sum_ += static_cast<long double>(value) * times;
}

void Histogram::merge(const Histogram& other) {
  if (other.highest_trackable_ != highest_trackable_) {
    throw std::invalid_argument("Histogram::merge: different ranges");
  }
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  saturated_ += other.saturated_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
  sum_ += other.sum_;
}

void Histogram::reset() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  saturated_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
  sum_ = 0;
}

double Histogram::mean() const {
  return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::uint64_t Histogram::percentile(double percentile) const {
  if (count_ == 0) return 0;
  if (!(percentile > 0)) return min();
  if (percentile >= 100) return max_;
  const double exact_rank = percentile / 100.0 * static_cast<double>(count_);
  // The epsilon keeps e.g. 99.9% of 1000 at rank 999 despite rounding in the product.
  auto rank = static_cast<std::uint64_t>(std::ceil(exact_rank - 1e-9));
  rank = std::clamp<std::uint64_t>(rank, 1, count_);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < buckets_.size(); ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::clamp(bucket_midpoint(i), min(), max_);
  }
  return max_;
}

}  // namespace orderd::loadgen
