#include "net/http_metrics.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace orderd::net {
namespace {

TEST(HttpMetricsTest, StatusSlotsAreExactOrOther) {
  EXPECT_EQ(kCountedStatuses[status_slot(201)], 201u);
  EXPECT_EQ(kCountedStatuses[status_slot(503)], 503u);
  EXPECT_EQ(status_slot(418), kOtherStatus);
  EXPECT_EQ(status_slot(0), kOtherStatus);
}

TEST(HttpMetricsTest, CountsByRouteAndStatus) {
  HttpMetrics m;
  m.record(Route::kCreateOrder, 201, 120);
  m.record(Route::kCreateOrder, 201, 80);
  m.record(Route::kCreateOrder, 409, 30);
  m.record(Route::kGetOrder, 404, 5);
  m.record(Route::kGetOrder, 418, 5);
  const HttpMetricsSnapshot s = m.snapshot();
  const auto create = route_index(Route::kCreateOrder);
  EXPECT_EQ(s.requests[create][status_slot(201)], 2u);
  EXPECT_EQ(s.requests[create][status_slot(409)], 1u);
  EXPECT_EQ(s.requests[route_index(Route::kGetOrder)][kOtherStatus], 1u);
  EXPECT_EQ(s.durations[create].count, 3u);
  EXPECT_EQ(s.durations[create].sum, 230);
  EXPECT_EQ(s.durations[route_index(Route::kHealth)].count, 0u);
}

TEST(HttpMetricsTest, ConnectionGauge) {
  HttpMetrics m;
  EXPECT_TRUE(m.admit_connection(2));
  EXPECT_TRUE(m.admit_connection(2));
  m.connection_closed();
  EXPECT_FALSE(m.admit_connection(1));  // one is open: the limit is reached
  const HttpMetricsSnapshot s = m.snapshot();
  EXPECT_EQ(s.connections, 1);
  EXPECT_EQ(s.connections_accepted, 2u);
  EXPECT_EQ(s.connections_refused, 1u);
}

TEST(HttpMetricsTest, FailedTlsHandshakesAreCounted) {
  HttpMetrics m;
  EXPECT_EQ(m.snapshot().tls_handshake_failures, 0u);
  m.tls_handshake_failed();
  m.tls_handshake_failed();
  EXPECT_EQ(m.snapshot().tls_handshake_failures, 2u);
}

TEST(HttpMetricsTest, ConcurrentRecordsAllCount) {
  HttpMetrics m;
  constexpr int kThreads = 4;
  constexpr int kEach = 20'000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&m] {
      for (int i = 0; i < kEach; ++i) m.record(Route::kCreateOrder, 201, i % 1000);
    });
  }
  for (auto& t : threads) t.join();
  const HttpMetricsSnapshot s = m.snapshot();
  EXPECT_EQ(s.requests[route_index(Route::kCreateOrder)][status_slot(201)],
            std::uint64_t{kThreads} * kEach);
  EXPECT_EQ(s.durations[route_index(Route::kCreateOrder)].count, std::uint64_t{kThreads} * kEach);
}

}  // namespace
}  // namespace orderd::net
