// A histogram with power-of-two buckets, cheap enough to record from a hot
// loop: one relaxed atomic add per value. Bucket 0 holds 0; bucket i > 0
// holds values in [2^(i-1), 2^i); the last bucket also holds everything
// larger. Used for fsync latency (microseconds) and records per batch.
//
// Thread safety: record() and read() may be called from any thread; a read
// racing with records sees each bucket at some moment during the read.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <cstddef>
#include <cstdint>

namespace orderd::persistence {

inline constexpr std::size_t kLog2Buckets = 40;

struct Log2HistogramData {
  std::array<std::uint64_t, kLog2Buckets> buckets{};
  std::uint64_t count = 0;
  std::uint64_t sum = 0;
  std::uint64_t max = 0;

  // Smallest value that lands in bucket i + 1 (the upper bound of bucket i).
  static constexpr std::uint64_t bucket_limit(std::size_t i) { return std::uint64_t{1} << i; }
  double mean() const { return count == 0 ? 0.0 : static_cast<double>(sum) / count; }
  // An upper bound for the q-quantile (0 < q <= 1): the limit of the bucket
  // that holds it, capped by the maximum seen.
  std::uint64_t quantile_upper_bound(double q) const;
};

class Log2Histogram {
 public:
  static std::size_t bucket_of(std::uint64_t value) {
    std::size_t b = static_cast<std::size_t>(std::bit_width(value));
    return b < kLog2Buckets ? b : kLog2Buckets - 1;
  }

  void record(std::uint64_t value) {
    buckets_[bucket_of(value)].fetch_add(1, std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
    sum_.fetch_add(value, std::memory_order_relaxed);
    std::uint64_t seen = max_.load(std::memory_order_relaxed);
    while (value > seen && !max_.compare_exchange_weak(seen, value, std::memory_order_relaxed)) {
    }
  }

  Log2HistogramData read() const {
    Log2HistogramData d;
    for (std::size_t i = 0; i < kLog2Buckets; ++i) {
      d.buckets[i] = buckets_[i].load(std::memory_order_relaxed);
    }
    d.count = count_.load(std::memory_order_relaxed);
    d.sum = sum_.load(std::memory_order_relaxed);
    d.max = max_.load(std::memory_order_relaxed);
    return d;
  }

 private:
  std::array<std::atomic<std::uint64_t>, kLog2Buckets> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_{0};
  std::atomic<std::uint64_t> max_{0};
};

inline std::uint64_t Log2HistogramData::quantile_upper_bound(double q) const {
  if (count == 0) return 0;
  auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count) + 0.999999);
  if (rank == 0) rank = 1;
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kLog2Buckets; ++i) {
    seen += buckets[i];
    if (seen >= rank) return bucket_limit(i) < max ? bucket_limit(i) : max;
  }
  return max;
}

}  // namespace orderd::persistence
