#include "net/rate_limiter.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <unordered_map>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "engine/spin_lock.h"

namespace orderd::net {

namespace {

struct Bucket {
  double tokens = 0;
  Micros refilled_at = 0;  // when `tokens` was last brought up to date
};

// Looks clients up by view, without building a string per request.
struct ClientHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

}  // namespace

struct RateLimiter::Shard {
  mutable SpinLock lock;
  std::unordered_map<std::string, Bucket, ClientHash, std::equal_to<>> buckets GUARDED_BY(lock);
};

RateLimiter::RateLimiter(RateLimitOptions options)
    : options_(options), shards_(new Shard[kShards]) {}

RateLimiter::~RateLimiter() = default;

RateLimiter::Shard& RateLimiter::shard_for(std::string_view client) const {
  // The high bits: the map inside the shard uses the low ones.
  return shards_[(ClientHash{}(client) >> 32) % kShards];
}

RateDecision RateLimiter::admit(std::string_view client, Micros now) {
  const double capacity = options_.capacity();
  const double rate = options_.per_second;
  const std::size_t per_shard = std::max<std::size_t>(1, options_.max_clients / kShards);
  auto refill = [&](Bucket& b) {
    const double seconds = static_cast<double>(std::max<Micros>(0, now - b.refilled_at)) / 1e6;
    b.tokens = std::min(capacity, b.tokens + seconds * rate);
    b.refilled_at = now;
  };
  Shard& shard = shard_for(client);
  MutexLock lock(shard.lock);
  auto it = shard.buckets.find(client);
  if (it == shard.buckets.end()) {
    if (shard.buckets.size() >= per_shard) {
      // Full buckets are as good as none; else the longest unseen goes.
      auto oldest = shard.buckets.begin();
      bool dropped = false;
      for (auto b = shard.buckets.begin(); b != shard.buckets.end();) {
        refill(b->second);
        if (b->second.tokens >= capacity) {
          b = shard.buckets.erase(b);
          dropped = true;
        } else {
          if (b->second.refilled_at < oldest->second.refilled_at) oldest = b;
          ++b;
        }
      }
      if (!dropped) shard.buckets.erase(oldest);
    }
    it = shard.buckets.emplace(std::string(client), Bucket{capacity, now}).first;
  }
  Bucket& b = it->second;
  refill(b);
  RateDecision d;
  d.limit = static_cast<std::uint64_t>(capacity);
  d.allowed = b.tokens >= 1;
  if (d.allowed) b.tokens -= 1;
  d.remaining = static_cast<std::uint64_t>(std::floor(b.tokens));
  d.reset_seconds = static_cast<std::uint64_t>(std::ceil((capacity - b.tokens) / rate));
  if (!d.allowed) {
    d.retry_after_seconds =
        std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::ceil((1 - b.tokens) / rate)));
  }
  return d;
}

std::size_t RateLimiter::clients() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < kShards; ++i) {
    MutexLock lock(shards_[i].lock);
    n += shards_[i].buckets.size();
  }
  return n;
}

}  // namespace orderd::net
