// Requests per client, limited by token buckets: each client (its address)
// may send `burst` requests at once and `per_second` more every second
// after that; a request beyond is refused with how long to wait.
//
// Memory is bounded whatever the number of clients: at most `max_clients`
// buckets, in 64 shards. A bucket that has refilled completely is the same
// as none, so a full shard first drops those; if every client in it is
// still limited, it drops the one seen longest ago (which then starts again
// with a full burst: the bound costs that client's history, never memory).
//
// Thread safety: every method may be called from any thread; a request
// takes one shard's lock.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "engine/types.h"

namespace orderd::net {

struct RateLimitOptions {
  double per_second = 0;     // 0: no limit
  double burst = 0;          // requests at once; 0: per_second (one second's worth)
  bool on_loopback = false;  // also limit clients on 127.0.0.0/8 and ::1
  std::size_t max_clients = 100'000;

  bool enabled() const { return per_second > 0; }
  double capacity() const { return burst > 0 ? burst : per_second; }
};

struct RateDecision {
  bool allowed = true;
  std::uint64_t limit = 0;                // the burst: RateLimit-Limit
  std::uint64_t remaining = 0;            // whole requests left now: RateLimit-Remaining
  std::uint64_t reset_seconds = 0;        // until the bucket is full again: RateLimit-Reset
  std::uint64_t retry_after_seconds = 0;  // refused: until one request is allowed (>= 1)
};

class RateLimiter {
 public:
  explicit RateLimiter(RateLimitOptions options);
  ~RateLimiter();
  RateLimiter(const RateLimiter&) = delete;
  RateLimiter& operator=(const RateLimiter&) = delete;

  const RateLimitOptions& options() const { return options_; }
  // Takes one request's token from `client`'s bucket at `now` (a steady
  // clock, microseconds) if it has one.
  RateDecision admit(std::string_view client, Micros now);
  // Buckets held.
  std::size_t clients() const;

 private:
  struct Shard;
  static constexpr std::size_t kShards = 64;
  Shard& shard_for(std::string_view client) const;
  const RateLimitOptions options_;
  std::unique_ptr<Shard[]> shards_;
};

}  // namespace orderd::net
