// A fixed-bucket latency histogram for dashboards (Prometheus-style
// cumulative buckets from 10 µs to 10 s). Each recording thread writes its
// own stripe, so record() is two relaxed atomic adds on a line no other
// thread writes; readers add the stripes up.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "engine/striped_counter.h"
#include "engine/types.h"

namespace orderd {

// Upper bounds (inclusive) of the finite buckets, in microseconds.
inline constexpr std::array<Micros, 19> kLatencyBucketBounds = {
    10,     25,     50,      100,     250,     500,     1'000,   2'500,     5'000,     10'000,
    25'000, 50'000, 100'000, 250'000, 500'000, 1000000, 2500000, 5'000'000, 10'000'000};
inline constexpr std::size_t kLatencyBucketCount = kLatencyBucketBounds.size() + 1;  // + overflow

struct LatencySnapshot {
  // counts[i]: observations in bucket i alone (not cumulative); the last is
  // everything above the largest bound.
  std::array<std::uint64_t, kLatencyBucketCount> counts{};
  std::uint64_t count = 0;
  Micros sum = 0;
};

class LatencyHistogram {
 public:
  // Thread-safe, lock-free, allocation-free. Negative values count as 0.
  void record(Micros value) {
    Stripe& s = stripes_[this_thread_stripe()];
    s.buckets[bucket_of(value)].fetch_add(1, std::memory_order_relaxed);
    s.sum.fetch_add(value < 0 ? 0 : value, std::memory_order_relaxed);
  }

  LatencySnapshot snapshot() const {
    LatencySnapshot out;
    for (const Stripe& s : stripes_) {
      for (std::size_t i = 0; i < kLatencyBucketCount; ++i) {
        out.counts[i] += s.buckets[i].load(std::memory_order_relaxed);
      }
      out.sum += s.sum.load(std::memory_order_relaxed);
    }
    for (auto c : out.counts) out.count += c;
    return out;
  }

  static std::size_t bucket_of(Micros value) {
    std::size_t i = 0;
    while (i < kLatencyBucketBounds.size() && value > kLatencyBucketBounds[i]) ++i;
    return i;
  }

 private:
  struct alignas(64) Stripe {
    std::array<std::atomic<std::uint64_t>, kLatencyBucketCount> buckets{};
    std::atomic<Micros> sum{0};
  };
  std::array<Stripe, kCounterStripes> stripes_{};
};

}  // namespace orderd
