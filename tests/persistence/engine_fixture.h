// Engines with traffic, for the persistence tests: a small catalog and a
// mix of orders that end Completed, Rejected and Cancelled, with restocks,
// and completed orders moved on through the rest of the lifecycle.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"
#include "tests/support/wait_until.h"

namespace orderd::persistence::testing {

using orderd::testing::expect_stock_invariant;
using orderd::testing::wait_until;

inline EngineConfig small_engine_config() {
  EngineConfig c;
  c.workers = 2;
  c.capacity = 200'000;
  c.max_products = 64;
  c.max_order_total = 20'000;  // large orders are rejected while processing
  return c;
}

// For tests that build thousands of engines: a small queue is quick to make.
inline EngineConfig tiny_engine_config() {
  EngineConfig c = small_engine_config();
  c.capacity = 1000;
  c.order_shards = 4;
  return c;
}

inline constexpr ProductId kProducts = 8;

inline void add_products(Engine& engine, std::int64_t stock = 1'000'000) {
  for (ProductId id = 1; id <= kProducts; ++id) {
    ASSERT_EQ(engine.catalog().add(id, "product " + std::to_string(id), 100 * id, stock),
              AddProductResult::kAdded);
  }
}

// Submits `count` orders named prefix<first>, prefix<first + 1>, ...: one
// to three items, every 5th cancelled right away, every 11th restocking a
// product first. Returns the accepted ones' durable tokens (0 for refused
// orders).
inline std::vector<DurableToken> submit_orders(Engine& engine, const std::string& prefix, int count,
                                               std::uint64_t seed = 1, int first = 0) {
  std::vector<DurableToken> tokens;
  auto producer = engine.make_producer();
  std::uint64_t rng = seed * 0x9E3779B97F4A7C15ULL + 1;
  for (int i = first; i < first + count; ++i) {
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    std::vector<ItemRequest> items;
    std::size_t n = 1 + (rng >> 61) % 3;
    for (std::size_t k = 0; k < n; ++k) {
      items.push_back({1 + (rng >> (8 * k + 3)) % kProducts,
                       static_cast<std::uint32_t>(1 + (rng >> (8 * k)) % 20)});
    }
    if (i % 11 == 0) engine.catalog().restock(1 + i % kProducts, 5);
    std::string id = prefix + std::to_string(i);
    auto r = engine.submit({id, static_cast<UserId>(i % 97), items, 1000 + i}, &producer);
    tokens.push_back(r.ok() ? r.durable_token : 0);
    if (r.ok() && i % 5 == 0) engine.cancel(id, "changed my mind");
  }
  return tokens;
}

// Moves the Completed orders among prefix<first> ... prefix<first + count - 1>
// on by turns: Shipped; Shipped and Delivered; through to Returned;
// Cancelled after completing. Returns the moves' durable tokens.
inline std::vector<DurableToken> move_completed_orders_on(Engine& engine, const std::string& prefix,
                                                          int count, int first = 0) {
  using S = OrderStatus;
  static const std::vector<S> kPaths[] = {
      {S::kShipped},
      {S::kShipped, S::kDelivered},
      {S::kShipped, S::kDelivered, S::kReturned},
      {S::kCancelled},
  };
  std::vector<DurableToken> tokens;
  for (int i = first; i < first + count; ++i) {
    const std::string id = prefix + std::to_string(i);
    auto order = engine.get(id);
    if (!order || order->status != S::kCompleted) continue;
    for (S to : kPaths[i % 4]) {
      auto r = engine.update_status(id, to, to == S::kReturned ? "did not fit" : "");
      EXPECT_TRUE(r.ok()) << id << " -> " << status_name(to);
      tokens.push_back(r.durable_token);
    }
  }
  return tokens;
}

// Waits until no order is Pending or Processing; returns whether that happened
// within `timeout`.
[[nodiscard]] inline bool wait_until_quiet(
    const Engine& engine, std::chrono::seconds timeout = std::chrono::seconds(60)) {
  return wait_until([&] { return engine.counters().in_flight == 0; }, timeout);
}

}  // namespace orderd::persistence::testing
