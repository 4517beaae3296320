// Counters that many threads bump without sharing a cache line: each thread
// writes to its own stripe and readers add the stripes up.
//
// Reads are a sum of relaxed loads: exact once writers are quiet, otherwise
// a value each stripe held at some moment during the read.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace orderd {

inline constexpr std::size_t kCounterStripes = 16;

// A small per-thread index, handed out round-robin on a thread's first use.
std::size_t this_thread_stripe();

template <std::size_t N>
class StripedCounters {
 public:
  void add(std::size_t counter, std::int64_t delta) {
    stripes_[this_thread_stripe()].values[counter].fetch_add(delta, std::memory_order_relaxed);
  }
  std::int64_t read(std::size_t counter) const {
    std::int64_t sum = 0;
    for (const auto& stripe : stripes_)
      sum += stripe.values[counter].load(std::memory_order_relaxed);
    return sum;
  }
  std::array<std::int64_t, N> read_all() const {
    std::array<std::int64_t, N> out{};
    for (const auto& stripe : stripes_) {
      for (std::size_t i = 0; i < N; ++i)
        out[i] += stripe.values[i].load(std::memory_order_relaxed);
    }
    return out;
  }

 private:
  struct alignas(64) Stripe {
    std::array<std::atomic<std::int64_t>, N> values{};
  };
  std::array<Stripe, kCounterStripes> stripes_{};
};

}  // namespace orderd
