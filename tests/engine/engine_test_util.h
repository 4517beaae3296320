// Helpers shared by the engine tests.
#pragma once

#include <gtest/gtest.h>

#include "engine/engine.h"
#include "tests/support/wait_until.h"

namespace orderd::testing {

// initial + restocked + returned == available + held + consumed, nothing is
// negative, and no more was returned than consumed.
inline void expect_stock_invariant(const ProductInfo& p) {
  EXPECT_EQ(p.initial + p.restocked + p.returned, p.available + p.held + p.consumed)
      << "product " << p.id;
  EXPECT_GE(p.available, 0) << "product " << p.id;
  EXPECT_GE(p.held, 0) << "product " << p.id;
  EXPECT_GE(p.returned, 0) << "product " << p.id;
  EXPECT_LE(p.returned, p.consumed) << "product " << p.id;
}

inline void expect_stock_invariant(const Catalog& catalog) {
  for (const auto& p : catalog.list(0, catalog.capacity())) expect_stock_invariant(p);
}

// Every accepted order is in exactly one status and the gauges agree.
inline void expect_counters_add_up(const EngineCounters& c) {
  std::int64_t by_status = 0;
  for (auto n : c.by_status) by_status += n;
  EXPECT_EQ(by_status, c.accepted);
  // `completed` counts every order that ever completed: those still Completed,
  // those that moved on after it, and some of the Cancelled ones.
  const std::int64_t after_completion =
      c.count(OrderStatus::kCompleted) + c.count(OrderStatus::kShipped) +
      c.count(OrderStatus::kDelivered) + c.count(OrderStatus::kReturned);
  EXPECT_GE(c.completed, after_completion);
  EXPECT_LE(c.completed, after_completion + c.cancelled);
  EXPECT_EQ(c.count(OrderStatus::kCancelled), c.cancelled);
  EXPECT_EQ(c.count(OrderStatus::kRejected), c.rejected);
  EXPECT_EQ(c.in_flight, c.count(OrderStatus::kPending) + c.count(OrderStatus::kProcessing));
}

}  // namespace orderd::testing
