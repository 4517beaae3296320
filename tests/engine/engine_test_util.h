// Helpers shared by the engine tests.
#pragma once

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "tests/support/wait_until.h"

namespace orderd::testing {

// initial + restocked == available + held + consumed, and nothing negative.
inline void expect_stock_invariant(const Catalog& catalog) {
  for (const auto& p : catalog.list(0, catalog.capacity())) {
    EXPECT_EQ(p.initial + p.restocked, p.available + p.held + p.consumed) << "product " << p.id;
    EXPECT_GE(p.available, 0) << "product " << p.id;
    EXPECT_GE(p.held, 0) << "product " << p.id;
  }
}

// Every accepted order is in exactly one status and the gauges agree.
inline void expect_counters_add_up(const EngineCounters& c) {
  std::int64_t by_status = 0;
  for (auto n : c.by_status) by_status += n;
  EXPECT_EQ(by_status, c.accepted);
  EXPECT_EQ(c.count(OrderStatus::kCompleted), c.completed);
  EXPECT_EQ(c.count(OrderStatus::kCancelled), c.cancelled);
  EXPECT_EQ(c.count(OrderStatus::kRejected), c.rejected);
  EXPECT_EQ(c.in_flight, c.count(OrderStatus::kPending) + c.count(OrderStatus::kProcessing));
}

}  // namespace orderd::testing
