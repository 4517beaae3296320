// A million orders (fewer under sanitizers) from several threads, with a
// canceller racing the workers: every order ends in exactly one terminal
// state, the counters add up and the stock balances to the unit.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"

namespace orderd {
namespace {

TEST(EngineSoakTest, MillionOrdersEachReachExactlyOneTerminalState) {
  constexpr int kThreads = 4;
  constexpr int kOrders = 1'000'000 / ORDERD_TEST_SCALE_DIVISOR;
  constexpr int kPerThread = kOrders / kThreads;
  constexpr ProductId kProducts = 100;

  EngineConfig config;
  config.workers = 2;
  config.capacity = 100'000;
  config.max_order_total = 5'000;  // some orders are rejected while processing
  Engine engine(config);
  for (ProductId id = 1; id <= kProducts; ++id) {
    engine.catalog().add(id, "p", static_cast<Cents>(id * 10), 1'000'000'000);
  }
  engine.start();

  std::atomic<std::int64_t> submitted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto producer = engine.make_producer();
      std::uint64_t rng = 0x1234567 + t;
      ItemRequest items[4];
      for (int i = 0; i < kPerThread; ++i) {
        rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
        std::size_t n = 1 + (rng >> 60) % 4;
        for (std::size_t k = 0; k < n; ++k) {
          items[k] = {1 + ((rng >> (8 * k)) % kProducts), static_cast<std::uint32_t>(1 + k)};
        }
        std::string id = std::to_string(t) + ":" + std::to_string(i);
        // At capacity, retry until the workers have made room.
        SubmitResult r;
        ASSERT_TRUE(testing::wait_until(
            [&] {
              r = engine.submit({id, static_cast<UserId>(i), {items, n}, 100}, &producer);
              return r.ok() || r.error != SubmitError::kAtCapacity;
            },
            testing::kDefaultWaitTimeout, std::chrono::milliseconds::zero()))
            << "still at capacity";
        ASSERT_TRUE(r.ok()) << r.message;
        submitted.fetch_add(1, std::memory_order_relaxed);
        if (i % 97 == 0) engine.cancel(id, "soak");
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(testing::wait_until([&] { return engine.counters().in_flight == 0; },
                                  std::chrono::seconds(120)));

  auto c = engine.counters();
  EXPECT_EQ(c.accepted, kThreads * kPerThread);
  EXPECT_GT(c.completed, 0);
  EXPECT_GT(c.rejected, 0);
  EXPECT_GT(c.cancelled, 0);
  testing::expect_counters_add_up(c);

  // Walk every order: out of flight, and its stock went where its path says
  // (a cancel may come after the order completed, giving its units back).
  std::map<ProductId, std::int64_t> consumed, returned;
  std::int64_t settled = 0, cancelled_after_completion = 0;
  engine.for_each_order([&](const Order& order) {
    OrderSnapshot s = order.snapshot();
    EXPECT_TRUE(s.status == OrderStatus::kCompleted || is_terminal(s.status)) << s.client_id;
    ++settled;
    const bool did_complete = s.timestamp(OrderTimestamp::kCompleted) != 0;
    if (did_complete && s.status == OrderStatus::kCancelled) ++cancelled_after_completion;
    for (const auto& item : s.items) {
      if (did_complete) consumed[item.product_id] += item.quantity;
      if (did_complete && s.status == OrderStatus::kCancelled) {
        returned[item.product_id] += item.quantity;
      }
    }
    return true;
  });
  EXPECT_EQ(settled, c.accepted);
  EXPECT_EQ(c.completed + c.rejected + c.cancelled, c.accepted + cancelled_after_completion);
  for (ProductId id = 1; id <= kProducts; ++id) {
    auto p = *engine.catalog().get(id);
    EXPECT_EQ(p.consumed, consumed[id]) << id;
    EXPECT_EQ(p.returned, returned[id]) << id;
    EXPECT_EQ(p.held, 0) << id;
  }
  testing::expect_stock_invariant(engine.catalog());
}

}  // namespace
}  // namespace orderd
