#include "engine/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "tests/engine/engine_test_util.h"

namespace orderd {
namespace {

using testing::expect_counters_add_up;
using testing::expect_stock_invariant;
using testing::wait_until;

EngineConfig small_config(unsigned workers = 2) {
  EngineConfig c;
  c.workers = workers;
  c.capacity = 10'000;
  c.max_products = 64;
  return c;
}

struct EngineTest : ::testing::Test {
  void start(EngineConfig config) {
    engine = std::make_unique<Engine>(config);
    for (ProductId id = 1; id <= 10; ++id) {
      engine->catalog().add(id, "product " + std::to_string(id), 100 * id, 1000);
    }
    engine->start();
  }
  SubmitResult submit(std::string id, std::vector<ItemRequest> items, Cents total = 1000) {
    return engine->submit({id, 42, items, total});
  }
  bool completed(const std::string& id) {
    auto s = engine->get(id);
    return s && s->status == OrderStatus::kCompleted;
  }
  std::unique_ptr<Engine> engine;
};

TEST_F(EngineTest, AcceptedOrderCompletesWithPricesAndTimestamps) {
  start(small_config());
  auto r = submit("A1", {{1, 2}, {3, 1}}, 599);
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_GT(r.seq, 0u);
  ASSERT_TRUE(wait_until([&] { return completed("A1"); }));
  auto s = *engine->get("A1");
  EXPECT_EQ(s.client_id, "A1");
  EXPECT_EQ(s.user_id, 42u);
  EXPECT_EQ(s.client_total, 599);
  EXPECT_EQ(s.catalog_subtotal, 2 * 100 + 300);
  EXPECT_EQ(s.discount, 0);
  ASSERT_EQ(s.items.size(), 2u);
  EXPECT_EQ(s.items[0].unit_price, 100);
  Micros created = s.timestamp(OrderTimestamp::kCreated);
  Micros started = s.timestamp(OrderTimestamp::kProcessingStarted);
  Micros done = s.timestamp(OrderTimestamp::kCompleted);
  EXPECT_GT(created, 0);
  EXPECT_LE(created, started);
  EXPECT_LE(started, done);
  auto p1 = *engine->catalog().get(1);
  EXPECT_EQ(p1.consumed, 2);
  EXPECT_EQ(p1.available, 998);
  expect_counters_add_up(engine->counters());
}

TEST_F(EngineTest, RepeatedItemIdsAddUpAndEarnTheVolumeDiscount) {
  start(small_config());
  std::vector<ItemRequest> items(11, ItemRequest{2, 1});  // 11 units of product 2
  ASSERT_TRUE(submit("BULK", items).ok());
  ASSERT_TRUE(wait_until([&] { return completed("BULK"); }));
  auto s = *engine->get("BULK");
  ASSERT_EQ(s.items.size(), 1u);
  EXPECT_EQ(s.items[0].quantity, 11u);
  EXPECT_EQ(s.catalog_subtotal, 11 * 200);
  EXPECT_EQ(s.discount, 220);
  EXPECT_EQ(s.catalog_total(), 1980);
}

TEST_F(EngineTest, InvalidRequestsAreRefusedAndLeaveNothing) {
  start(small_config());
  EXPECT_EQ(submit(std::string(200, 'x'), {{1, 1}}).error, SubmitError::kInvalid);
  std::vector<ItemRequest> priced = {{1, 1, 100}};
  EXPECT_EQ(submit("plain-with-price", priced).error, SubmitError::kInvalid);
  EXPECT_EQ(submit("no-items", {}).error, SubmitError::kInvalid);
  EXPECT_EQ(submit("zero-qty", {{1, 0}}).error, SubmitError::kInvalid);
  EXPECT_EQ(submit("negative", {{1, 1}}, -1).error, SubmitError::kInvalid);
  std::vector<ItemRequest> huge(2, ItemRequest{1, kMaxQuantityPerItem});
  EXPECT_EQ(submit("merged-too-large", huge).error, SubmitError::kInvalid);
  std::vector<ItemRequest> many(2000, ItemRequest{1, 1});
  EXPECT_EQ(submit("too-many", many).error, SubmitError::kInvalid);
  auto c = engine->counters();
  EXPECT_EQ(c.accepted, 0);
  EXPECT_EQ(c.refused_invalid, 7);
  EXPECT_EQ(c.in_flight, 0);
  EXPECT_FALSE(engine->get("no-items"));
  EXPECT_EQ(engine->catalog().get(1)->available, 1000);
}

TEST_F(EngineTest, DuplicateIdIsRefused) {
  start(small_config());
  ASSERT_TRUE(submit("D", {{1, 1}}).ok());
  auto again = submit("D", {{2, 1}});
  EXPECT_EQ(again.error, SubmitError::kDuplicate);
  EXPECT_EQ(engine->catalog().get(2)->held + engine->catalog().get(2)->consumed, 0);
  EXPECT_EQ(engine->counters().refused_duplicate, 1);
}

TEST_F(EngineTest, StockShortageReportsEveryShortProduct) {
  start(small_config());
  auto r = submit("S", {{1, 5}, {2, 5000}, {77, 1}});
  EXPECT_EQ(r.error, SubmitError::kStock);
  ASSERT_EQ(r.stock_issues.size(), 1u);  // unknown products are reported first, alone
  EXPECT_EQ(r.stock_issues[0].product_id, 77u);
  EXPECT_TRUE(r.stock_issues[0].unknown_product);
  r = submit("S", {{1, 5}, {2, 5000}});
  EXPECT_EQ(r.error, SubmitError::kStock);
  ASSERT_EQ(r.stock_issues.size(), 1u);
  EXPECT_EQ(r.stock_issues[0].product_id, 2u);
  EXPECT_EQ(r.stock_issues[0].requested, 5000);
  EXPECT_EQ(r.stock_issues[0].available, 1000);
  EXPECT_FALSE(engine->get("S"));
  EXPECT_EQ(engine->catalog().get(1)->available, 1000);
  EXPECT_EQ(engine->counters().refused_stock, 2);
}

TEST_F(EngineTest, CancelReleasesStockAndIsFinal) {
  auto config = small_config();
  config.processing_delay = {10'000'000, 10'000'000};  // stays Processing during the test
  start(config);
  ASSERT_TRUE(submit("C", {{1, 7}}).ok());
  EXPECT_EQ(engine->catalog().get(1)->held, 7);
  auto r = engine->cancel("C", "customer changed their mind");
  EXPECT_EQ(r.error, CancelError::kNone);
  auto s = *engine->get("C");
  EXPECT_EQ(s.status, OrderStatus::kCancelled);
  EXPECT_EQ(s.reason, "customer changed their mind");
  EXPECT_GT(s.timestamp(OrderTimestamp::kCancelled), 0);
  EXPECT_EQ(engine->catalog().get(1)->available, 1000);
  EXPECT_EQ(engine->catalog().get(1)->held, 0);
  auto again = engine->cancel("C", "");
  EXPECT_EQ(again.error, CancelError::kIllegalTransition);
  EXPECT_EQ(again.status, OrderStatus::kCancelled);
  EXPECT_EQ(engine->cancel("nope", "").error, CancelError::kNotFound);
  expect_counters_add_up(engine->counters());
  expect_stock_invariant(engine->catalog());
}

TEST_F(EngineTest, CancellingACompletedOrderGivesItsUnitsBack) {
  start(small_config());
  ASSERT_TRUE(submit("X", {{1, 1}}).ok());
  ASSERT_TRUE(wait_until([&] { return completed("X"); }));
  auto r = engine->cancel("X", "");
  EXPECT_EQ(r.error, CancelError::kNone);
  EXPECT_EQ(r.status, OrderStatus::kCancelled);
  EXPECT_EQ(engine->get("X")->reason, "cancelled");
  auto p = *engine->catalog().get(1);
  EXPECT_EQ(p.consumed, 1);
  EXPECT_EQ(p.returned, 1);
  EXPECT_EQ(p.available, 1000);
  expect_stock_invariant(engine->catalog());
  expect_counters_add_up(engine->counters());
}

TEST_F(EngineTest, ShippedOrderCannotBeCancelled) {
  start(small_config());
  ASSERT_TRUE(submit("X", {{1, 1}}).ok());
  ASSERT_TRUE(wait_until([&] { return completed("X"); }));
  ASSERT_TRUE(engine->update_status("X", OrderStatus::kShipped, "").ok());
  auto r = engine->cancel("X", "");
  EXPECT_EQ(r.error, CancelError::kIllegalTransition);
  EXPECT_EQ(r.status, OrderStatus::kShipped);
  EXPECT_EQ(engine->catalog().get(1)->consumed, 1);
  EXPECT_EQ(engine->catalog().get(1)->returned, 0);
}

TEST_F(EngineTest, OrdersOverTheLimitAreRejectedAndReleaseStock) {
  auto config = small_config();
  config.max_order_total = 1000;
  start(config);
  ASSERT_TRUE(submit("BIG", {{10, 2}}).ok());  // 2 x 1000 cents
  ASSERT_TRUE(wait_until([&] { return engine->get("BIG")->status == OrderStatus::kRejected; }));
  auto s = *engine->get("BIG");
  EXPECT_FALSE(s.reason.empty());
  EXPECT_GT(s.timestamp(OrderTimestamp::kRejected), 0);
  EXPECT_EQ(engine->catalog().get(10)->available, 1000);
  EXPECT_EQ(engine->counters().rejected, 1);
  expect_stock_invariant(engine->catalog());
}

TEST_F(EngineTest, BackpressureRefusesBeyondCapacityWithoutLeaking) {
  auto config = small_config();
  config.capacity = 50;
  start(config);
  engine->pause_workers();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(submit("B" + std::to_string(i), {{1, 1}}).ok()) << i;
  }
  auto r = submit("B50", {{1, 1}});
  EXPECT_EQ(r.error, SubmitError::kAtCapacity);
  EXPECT_FALSE(engine->get("B50"));
  auto c = engine->counters();
  EXPECT_EQ(c.in_flight, 50);
  EXPECT_EQ(c.refused_capacity, 1);
  EXPECT_EQ(engine->catalog().get(1)->held, 50);  // the refused order holds nothing
  engine->resume_workers();
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 50; }));
  EXPECT_EQ(engine->counters().in_flight, 0);
  EXPECT_TRUE(submit("B50", {{1, 1}}).ok());
}

TEST_F(EngineTest, StoppedEngineRefusesOrders) {
  start(small_config());
  engine->stop();
  EXPECT_EQ(submit("late", {{1, 1}}).error, SubmitError::kStopped);
}

TEST_F(EngineTest, SimulatedDelayOverlapsInsteadOfQueueing) {
  // 100,000 orders of 2 s each on 2 workers (a sleeping worker would need
  // 100,000 s): all complete in about the delay, each after about the delay.
  auto config = small_config(2);
  config.capacity = 200'000;
  config.processing_delay = {2'000'000, 2'000'000};
  start(config);
  ASSERT_EQ(engine->catalog().restock(1, 1'000'000), RestockResult::kRestocked);
  constexpr int kOrders = 100'000 / ORDERD_TEST_SCALE_DIVISOR;
  auto begin = std::chrono::steady_clock::now();
  auto producer = engine->make_producer();
  ItemRequest item{1, 1};
  for (int i = 0; i < kOrders; ++i) {
    ASSERT_TRUE(engine->submit({"T" + std::to_string(i), 1, {&item, 1}, 100}, &producer).ok());
  }
  auto accepted = std::chrono::steady_clock::now() - begin;
  // Generous bounds: the machine may be loaded; sleeping workers would need
  // orders x delay / workers = 100,000 s.
  EXPECT_LT(accepted, std::chrono::seconds(10)) << "accepting must not wait for processing";
  EXPECT_GT(engine->counters().in_flight, 0);
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == kOrders; },
                         std::chrono::seconds(30)));
  auto elapsed = std::chrono::steady_clock::now() - begin;
  EXPECT_GE(elapsed, std::chrono::milliseconds(2000));
  EXPECT_LT(elapsed, std::chrono::seconds(30));
  for (int i : {0, kOrders / 2, kOrders - 1}) {
    auto s = *engine->get("T" + std::to_string(i));
    Micros processing =
        s.timestamp(OrderTimestamp::kCompleted) - s.timestamp(OrderTimestamp::kProcessingStarted);
    EXPECT_GE(processing, 1'999'000) << i;
    EXPECT_LT(processing, 10'000'000) << i;
  }
}

TEST_F(EngineTest, UniformDelayRangeSpreadsCompletions) {
  auto config = small_config(1);
  config.processing_delay = {50'000, 250'000};
  start(config);
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(submit("U" + std::to_string(i), {{1, 1}}).ok());
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 200; }));
  Micros lo = INT64_MAX, hi = 0;
  for (int i = 0; i < 200; ++i) {
    auto s = *engine->get("U" + std::to_string(i));
    Micros d =
        s.timestamp(OrderTimestamp::kCompleted) - s.timestamp(OrderTimestamp::kProcessingStarted);
    lo = std::min(lo, d);
    hi = std::max(hi, d);
  }
  EXPECT_GE(lo, 49'000);
  EXPECT_LT(lo, 120'000);
  EXPECT_GT(hi, 180'000);
  EXPECT_LT(hi, 1'000'000);
}

TEST_F(EngineTest, OrdersAreVisibleAsPendingThenProcessing) {
  auto config = small_config(1);
  config.processing_delay = {300'000, 300'000};
  start(config);
  engine->pause_workers();
  ASSERT_TRUE(submit("V", {{1, 1}}).ok());
  EXPECT_EQ(engine->get("V")->status, OrderStatus::kPending);
  engine->resume_workers();
  ASSERT_TRUE(wait_until([&] { return engine->get("V")->status != OrderStatus::kPending; }));
  EXPECT_EQ(engine->get("V")->status, OrderStatus::kProcessing);
  ASSERT_TRUE(wait_until([&] { return completed("V"); }));
}

TEST_F(EngineTest, APendingTimeKeepsOrdersPendingThatLongWithoutHoldingTheWorker) {
  auto config = small_config(1);
  config.pending_delay = {200'000, 200'000};
  config.processing_delay = {100'000, 100'000};
  start(config);
  ASSERT_TRUE(submit("P1", {{1, 1}}).ok());
  ASSERT_TRUE(submit("P2", {{1, 1}}).ok());
  // The one worker waits out both orders' Pending time at once: a timer each.
  ASSERT_TRUE(wait_until([&] { return completed("P1") && completed("P2"); }));
  for (const char* id : {"P1", "P2"}) {
    OrderSnapshot s = *engine->get(id);
    const Micros pending =
        s.timestamp(OrderTimestamp::kProcessingStarted) - s.timestamp(OrderTimestamp::kCreated);
    const Micros processing =
        s.timestamp(OrderTimestamp::kCompleted) - s.timestamp(OrderTimestamp::kProcessingStarted);
    EXPECT_GE(pending, 200'000) << id;
    EXPECT_GE(processing, 100'000) << id;
  }
  const Micros p2_started = engine->get("P2")->timestamp(OrderTimestamp::kProcessingStarted);
  const Micros p1_done = engine->get("P1")->timestamp(OrderTimestamp::kCompleted);
  EXPECT_LT(p2_started, p1_done);  // P2 did not wait for P1's stages
}

TEST_F(EngineTest, HotProductRaceSellsExactlyTheAvailableQuantity) {
  // 8 threads race multi-item orders for a hot product's last units; every
  // order also takes a plentiful product, which must not leak when refused.
  auto config = small_config(2);
  config.capacity = 1'000'000;
  engine = std::make_unique<Engine>(config);
  constexpr std::int64_t kHotStock = 500;
  engine->catalog().add(1, "hot", 100, kHotStock);
  engine->catalog().add(2, "plenty", 100, 1'000'000);
  engine->catalog().add(3, "plenty too", 100, 1'000'000);
  engine->start();
  constexpr int kThreads = 8, kPerThread = 400 / (ORDERD_TEST_SCALE_DIVISOR > 1 ? 4 : 1);
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      auto producer = engine->make_producer();
      for (int i = 0; i < kPerThread; ++i) {
        std::vector<ItemRequest> items = {{3, 1}, {1, 1}, {2, 2}};
        std::string id = "H" + std::to_string(t) + "-" + std::to_string(i);
        auto r = engine->submit({id, 1, items, 500}, &producer);
        if (r.ok()) {
          accepted.fetch_add(1);
        } else {
          EXPECT_EQ(r.error, SubmitError::kStock);
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const int expected = std::min<int>(kHotStock, kThreads * kPerThread);
  EXPECT_EQ(accepted.load(), expected);
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == expected; }));
  auto hot = *engine->catalog().get(1);
  EXPECT_EQ(hot.consumed, expected);
  EXPECT_EQ(hot.available, kHotStock - expected);
  EXPECT_EQ(engine->catalog().get(2)->consumed, 2 * expected);
  EXPECT_EQ(engine->catalog().get(2)->held, 0);
  EXPECT_EQ(engine->catalog().get(3)->consumed, expected);
  expect_stock_invariant(engine->catalog());
  expect_counters_add_up(engine->counters());
}

TEST_F(EngineTest, ConcurrentCreatesOfOneIdHaveExactlyOneWinner) {
  start(small_config());
  constexpr int kThreads = 8;
  std::atomic<int> ok{0}, dup{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        auto r = submit("same-" + std::to_string(i), {{4, 1}});
        if (r.ok()) ok.fetch_add(1);
        if (r.error == SubmitError::kDuplicate) dup.fetch_add(1);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(dup.load(), 200 * (kThreads - 1));
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 200; }));
  EXPECT_EQ(engine->catalog().get(4)->consumed, 200);
  expect_stock_invariant(engine->catalog());
}

TEST_F(EngineTest, CancelRacingWithWorkersEndsInExactlyOneTerminalState) {
  start(small_config(2));
  engine->catalog().restock(5, 1'000'000);
  engine->catalog().restock(6, 1'000'000);
  constexpr int kOrders = 2000 / (ORDERD_TEST_SCALE_DIVISOR > 1 ? 4 : 1);
  std::thread submitter([&] {
    for (int i = 0; i < kOrders; ++i) submit("R" + std::to_string(i), {{5, 1}, {6, 1}});
  });
  std::thread canceller([&] {
    for (int i = 0; i < kOrders; ++i) engine->cancel("R" + std::to_string(i), "race");
  });
  submitter.join();
  canceller.join();
  ASSERT_TRUE(wait_until([&] { return engine->counters().in_flight == 0; }));
  auto c = engine->counters();
  EXPECT_EQ(c.count(OrderStatus::kCompleted) + c.count(OrderStatus::kCancelled), kOrders);
  // A cancel that came after the completion gave the consumed units back.
  EXPECT_EQ(engine->catalog().get(5)->consumed, c.completed);
  EXPECT_EQ(engine->catalog().get(5)->returned, c.completed - c.count(OrderStatus::kCompleted));
  expect_stock_invariant(engine->catalog());
  expect_counters_add_up(c);
}

}  // namespace
}  // namespace orderd
