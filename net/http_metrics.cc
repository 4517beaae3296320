#include "net/http_metrics.h"

namespace orderd::net {

std::size_t status_slot(unsigned status) {
  for (std::size_t i = 0; i < kCountedStatuses.size(); ++i) {
    if (kCountedStatuses[i] == status) return i;
  }
  return kOtherStatus;
}

HttpMetricsSnapshot HttpMetrics::snapshot() const {
  HttpMetricsSnapshot out;
  for (const Stripe& s : stripes_) {
    for (std::size_t r = 0; r < kRouteCount; ++r) {
      for (std::size_t c = 0; c < kStatusSlots; ++c) {
        out.requests[r][c] += s.requests[r][c].load(std::memory_order_relaxed);
      }
    }
  }
  for (std::size_t r = 0; r < kRouteCount; ++r) out.durations[r] = durations_[r].snapshot();
  out.connections = open_connections();
  out.connections_accepted = accepted_.load(std::memory_order_relaxed);
  out.connections_refused = refused_.load(std::memory_order_relaxed);
  out.tls_handshake_failures = tls_handshake_failures_.load(std::memory_order_relaxed);
  return out;
}

}  // namespace orderd::net
