// Request counts by route and status code, request durations by route, the
// open connection gauge and failed TLS handshakes: what /metrics reports
// about HTTP.
//
// record() runs once per request on the I/O threads, so it is lock-free and
// allocation-free: each thread adds to its own stripe (relaxed atomics) and
// a scrape adds the stripes up.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/latency_histogram.h"
#include "engine/striped_counter.h"
#include "engine/types.h"
#include "net/route.h"

namespace orderd::net {

// The status codes the server sends, each counted on its own; any other
// code is counted under kOtherStatus.
inline constexpr std::array<unsigned, 17> kCountedStatuses = {
    200, 201, 202, 400, 404, 405, 408, 409, 413, 415, 422, 429, 431, 500, 503, 504, 505};
inline constexpr std::size_t kStatusSlots = kCountedStatuses.size() + 1;
inline constexpr std::size_t kOtherStatus = kCountedStatuses.size();

// The slot of `status` in kCountedStatuses, or kOtherStatus.
std::size_t status_slot(unsigned status);

struct HttpMetricsSnapshot {
  // requests[route][status slot]
  std::array<std::array<std::uint64_t, kStatusSlots>, kRouteCount> requests{};
  std::array<LatencySnapshot, kRouteCount> durations{};
  std::int64_t connections = 0;
  std::uint64_t connections_accepted = 0;
  std::uint64_t connections_refused = 0;  // over the connection limit
  std::uint64_t tls_handshake_failures = 0;
};

class HttpMetrics {
 public:
  void record(Route route, unsigned status, Micros duration) {
    Stripe& s = stripes_[this_thread_stripe()];
    s.requests[route_index(route)][status_slot(status)].fetch_add(1, std::memory_order_relaxed);
    durations_[route_index(route)].record(duration);
  }

  // The server's one count of open connections, which also enforces its
  // limit: counts a new connection unless `limit` are open already (then
  // it counts a refusal and returns false).
  bool admit_connection(std::size_t limit) {
    if (connections_.fetch_add(1, std::memory_order_acq_rel) >= static_cast<std::int64_t>(limit)) {
      connections_.fetch_sub(1, std::memory_order_acq_rel);
      refused_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    accepted_.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  void connection_closed() { connections_.fetch_sub(1, std::memory_order_acq_rel); }
  // A TLS handshake that failed or did not finish in time.
  void tls_handshake_failed() { tls_handshake_failures_.fetch_add(1, std::memory_order_relaxed); }
  std::int64_t open_connections() const { return connections_.load(std::memory_order_acquire); }

  HttpMetricsSnapshot snapshot() const;

 private:
  struct alignas(64) Stripe {
    std::array<std::array<std::atomic<std::uint64_t>, kStatusSlots>, kRouteCount> requests{};
  };
  std::array<Stripe, kCounterStripes> stripes_{};
  std::array<LatencyHistogram, kRouteCount> durations_{};
  std::atomic<std::int64_t> connections_{0};
  std::atomic<std::uint64_t> accepted_{0};
  std::atomic<std::uint64_t> refused_{0};
  std::atomic<std::uint64_t> tls_handshake_failures_{0};
};

}  // namespace orderd::net
