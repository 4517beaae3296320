// The recovery side of the engine: restoring products, orders and status
// changes (idempotently), resuming in-flight orders, and the state digest
// that tells whether two engines hold the same state.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"
#include "tests/engine/recording_sink.h"

namespace orderd {
namespace {

using testing::expect_counters_add_up;
using testing::expect_stock_invariant;
using testing::wait_until;

EngineConfig small_config() {
  EngineConfig c;
  c.workers = 2;
  c.capacity = 100'000;
  c.max_products = 64;
  return c;
}

// Copies `from`'s state into a new engine through the restore API, the way
// recovery from a snapshot does: products with only initial and restocked
// stock, then every order with its stock effect.
std::unique_ptr<Engine> copy_through_restore(const Engine& from, EngineConfig config) {
  auto to = std::make_unique<Engine>(config);
  for (ProductInfo p : from.catalog().list(0, from.catalog().capacity())) {
    p.available = p.initial + p.restocked;
    p.held = 0;
    p.consumed = 0;
    p.returned = 0;
    EXPECT_EQ(to->restore_product(p), RestoreResult::kApplied);
  }
  from.for_each_order([&](const Order& order) {
    EXPECT_EQ(to->restore_order(order.snapshot()), RestoreResult::kApplied);
    return true;
  });
  return to;
}

// A product with 1000 initial and 1000 restocked units, all available.
ProductInfo stocked_product(ProductId id) {
  ProductInfo p;
  p.id = id;
  p.name = "p";
  p.price = 100;
  p.initial = 1000;
  p.restocked = 1000;
  p.available = 2000;
  return p;
}

OrderTransition transition(std::string_view id, OrderStatus to, Micros at,
                           std::string_view reason = {}) {
  OrderTransition t;
  t.client_id = id;
  t.to = to;
  t.at = at;
  t.reason = reason;
  return t;
}

OrderSnapshot make_order(std::string id, OrderStatus status, Micros created) {
  OrderSnapshot o;
  o.seq = 100;
  o.client_id = std::move(id);
  o.user_id = 3;
  o.items = {{1, 2, 0}, {2, 1, 0}};
  o.client_total = 500;
  o.status = status;
  o.at[timestamp_index(OrderTimestamp::kCreated)] = created;
  if (status != OrderStatus::kPending) {
    o.at[timestamp_index(OrderTimestamp::kProcessingStarted)] = created + 10;
  }
  return o;
}

struct EngineRestoreTest : ::testing::Test {
  void SetUp() override {
    engine = std::make_unique<Engine>(small_config());
    for (ProductId id = 1; id <= 3; ++id) {
      ASSERT_EQ(engine->restore_product(stocked_product(id)), RestoreResult::kApplied);
    }
  }
  std::unique_ptr<Engine> engine;
};

TEST_F(EngineRestoreTest, RestoredStateHasTheLiveStatesDigest) {
  auto config = small_config();
  config.max_order_total = 2000;  // some orders are rejected
  Engine live(config);
  for (ProductId id = 1; id <= 5; ++id)
    live.catalog().add(id, "p" + std::to_string(id), 150 * id, 500);
  live.catalog().restock(2, 40);
  live.start();
  for (int i = 0; i < 300; ++i) {
    std::vector<ItemRequest> items = {
        {1 + static_cast<ProductId>(i % 5), 1 + static_cast<std::uint32_t>(i % 3)}};
    live.submit({"O" + std::to_string(i), static_cast<UserId>(i), items, 100});
    if (i % 7 == 0) live.cancel("O" + std::to_string(i), "changed mind");
  }
  ASSERT_TRUE(wait_until([&] { return live.counters().in_flight == 0; }));
  live.stop();

  auto restored = copy_through_restore(live, config);
  EXPECT_EQ(restored->state_digest(), live.state_digest());
  expect_stock_invariant(restored->catalog());
  expect_counters_add_up(restored->counters());
  auto a = live.counters(), b = restored->counters();
  EXPECT_EQ(a.completed, b.completed);
  EXPECT_EQ(a.rejected, b.rejected);
  EXPECT_EQ(a.cancelled, b.cancelled);
  EXPECT_EQ(a.processing_micros_sum, b.processing_micros_sum);
  EXPECT_EQ(b.queued, 0);
}

TEST(RestoreResultTest, ResultsHaveNames) {
  EXPECT_EQ(restore_result_name(RestoreResult::kApplied), "applied");
  EXPECT_EQ(restore_result_name(RestoreResult::kAlreadyApplied), "already applied");
  EXPECT_EQ(restore_result_name(RestoreResult::kInconsistent), "inconsistent with the state");
}

TEST_F(EngineRestoreTest, RestoringAnOrderTwiceAppliesItOnce) {
  ASSERT_EQ(engine->restore_order(make_order("A", OrderStatus::kPending, 1000)),
            RestoreResult::kApplied);
  EXPECT_EQ(engine->restore_order(make_order("A", OrderStatus::kPending, 1000)),
            RestoreResult::kAlreadyApplied);
  EXPECT_EQ(engine->catalog().get(1)->held, 2);
  EXPECT_EQ(engine->catalog().get(1)->available, 1998);
  EXPECT_EQ(engine->counters().accepted, 1);
  EXPECT_EQ(engine->counters().in_flight, 1);
}

TEST_F(EngineRestoreTest, RefusesOrdersNamingUnknownProductsOrUnsortedItems) {
  auto o = make_order("U", OrderStatus::kPending, 1);
  o.items = {{1, 1, 0}, {42, 1, 0}};
  EXPECT_EQ(engine->restore_order(o), RestoreResult::kUnknownProduct);
  o.items = {{2, 1, 0}, {1, 1, 0}};
  EXPECT_EQ(engine->restore_order(o), RestoreResult::kInvalid);
  EXPECT_FALSE(engine->get("U"));
  EXPECT_EQ(engine->catalog().get(1)->held, 0);
}

TEST_F(EngineRestoreTest, TransitionsApplyOnceAndContradictionsAreRefused) {
  ASSERT_EQ(engine->restore_order(make_order("T", OrderStatus::kPending, 1000)),
            RestoreResult::kApplied);
  OrderTransition processing = transition("T", OrderStatus::kProcessing, 2000);
  EXPECT_EQ(engine->restore_transition(processing), RestoreResult::kApplied);
  EXPECT_EQ(engine->restore_transition(processing), RestoreResult::kAlreadyApplied);
  OrderTransition other_time = transition("T", OrderStatus::kProcessing, 2001);
  EXPECT_EQ(engine->restore_transition(other_time), RestoreResult::kInconsistent);

  std::vector<Cents> prices = {150, 300};
  OrderTransition completed = transition("T", OrderStatus::kCompleted, 3000);
  completed.priced = true;
  completed.catalog_subtotal = 600;
  completed.unit_prices = prices;
  EXPECT_EQ(engine->restore_transition(completed), RestoreResult::kApplied);
  EXPECT_EQ(engine->restore_transition(completed), RestoreResult::kAlreadyApplied);
  OrderTransition pending = transition("T", OrderStatus::kRejected, 4000, "late");
  EXPECT_EQ(engine->restore_transition(pending), RestoreResult::kInconsistent);
  EXPECT_EQ(engine->restore_transition(transition("nobody", OrderStatus::kProcessing, 1)),
            RestoreResult::kUnknownOrder);

  auto s = *engine->get("T");
  EXPECT_EQ(s.status, OrderStatus::kCompleted);
  EXPECT_EQ(s.items[0].unit_price, 150);
  EXPECT_EQ(s.items[1].unit_price, 300);
  EXPECT_EQ(s.catalog_subtotal, 600);
  EXPECT_EQ(s.timestamp(OrderTimestamp::kCompleted), 3000);
  EXPECT_EQ(engine->catalog().get(1)->consumed, 2);
  EXPECT_EQ(engine->catalog().get(1)->held, 0);
  auto c = engine->counters();
  EXPECT_EQ(c.completed, 1);
  EXPECT_EQ(c.in_flight, 0);
  EXPECT_EQ(c.processing_micros_sum, 1000);
  EXPECT_EQ(c.from_creation_micros_sum, 2000);
  expect_counters_add_up(c);
  expect_stock_invariant(engine->catalog());
}

TEST_F(EngineRestoreTest, CancellationReleasesRestoredStock) {
  ASSERT_EQ(engine->restore_order(make_order("X", OrderStatus::kProcessing, 1000)),
            RestoreResult::kApplied);
  EXPECT_EQ(engine->catalog().get(2)->held, 1);
  EXPECT_EQ(engine->restore_transition(transition("X", OrderStatus::kCancelled, 5000, "why not")),
            RestoreResult::kApplied);
  auto s = *engine->get("X");
  EXPECT_EQ(s.reason, "why not");
  EXPECT_EQ(engine->catalog().get(2)->held, 0);
  EXPECT_EQ(engine->catalog().get(2)->available, 2000);
  expect_stock_invariant(engine->catalog());
}

// An order restored in `status` after it completed, with every timestamp
// of the path that leads there.
OrderSnapshot completed_order(std::string id, OrderStatus status,
                              std::initializer_list<OrderTimestamp> later) {
  OrderSnapshot o = make_order(std::move(id), status, 1000);
  o.at[timestamp_index(OrderTimestamp::kCompleted)] = 2000;
  Micros at = 3000;
  for (OrderTimestamp t : later) o.at[timestamp_index(t)] = at++;
  return o;
}

TEST_F(EngineRestoreTest, RestoredOrdersPastCompletionConsumeAndGiveBackAsTheirPathSays) {
  using T = OrderTimestamp;
  ASSERT_EQ(engine->restore_order(completed_order("S", OrderStatus::kShipped, {T::kShipped})),
            RestoreResult::kApplied);
  ASSERT_EQ(engine->restore_order(completed_order("R", OrderStatus::kReturned,
                                                  {T::kShipped, T::kDelivered, T::kReturned})),
            RestoreResult::kApplied);
  ASSERT_EQ(engine->restore_order(completed_order("C", OrderStatus::kCancelled, {T::kCancelled})),
            RestoreResult::kApplied);
  // Each order holds 2 units of product 1: S keeps them consumed, R and C
  // consumed them and gave them back.
  auto p = *engine->catalog().get(1);
  EXPECT_EQ(p.consumed, 6);
  EXPECT_EQ(p.returned, 4);
  EXPECT_EQ(p.held, 0);
  EXPECT_EQ(p.available, 2000 - 2);
  expect_stock_invariant(engine->catalog());
  auto c = engine->counters();
  EXPECT_EQ(c.completed, 3);
  EXPECT_EQ(c.cancelled, 1);
  EXPECT_EQ(c.in_flight, 0);
  expect_counters_add_up(c);
}

TEST_F(EngineRestoreTest, ReplayedReturnGivesTheUnitsBackOnce) {
  OrderSnapshot o = completed_order("D", OrderStatus::kDelivered,
                                    {OrderTimestamp::kShipped, OrderTimestamp::kDelivered});
  ASSERT_EQ(engine->restore_order(o), RestoreResult::kApplied);
  OrderTransition ret = transition("D", OrderStatus::kReturned, 9000, "did not fit");
  EXPECT_EQ(engine->restore_transition(ret), RestoreResult::kApplied);
  EXPECT_EQ(engine->restore_transition(ret), RestoreResult::kAlreadyApplied);
  auto p = *engine->catalog().get(1);
  EXPECT_EQ(p.returned, 2);
  EXPECT_EQ(p.available, 2000);
  auto s = *engine->get("D");
  EXPECT_EQ(s.status, OrderStatus::kReturned);
  EXPECT_EQ(s.reason, "did not fit");
  EXPECT_EQ(s.timestamp(OrderTimestamp::kReturned), 9000);
  expect_stock_invariant(engine->catalog());
}

TEST_F(EngineRestoreTest, RestocksReplayOnceByTheirRunningTotal) {
  // The product's 1000 restocked units came from restocks of 400 and 600,
  // both already in the state (a snapshot taken after them) and both replayed.
  EXPECT_EQ(engine->restore_restock(3, 400, 400), RestoreResult::kAlreadyApplied);
  EXPECT_EQ(engine->restore_restock(3, 600, 1000), RestoreResult::kAlreadyApplied);
  EXPECT_EQ(engine->restore_restock(3, 60, 1060), RestoreResult::kApplied);
  EXPECT_EQ(engine->restore_restock(3, 60, 1060), RestoreResult::kAlreadyApplied);
  EXPECT_EQ(engine->restore_restock(3, 50, 1200), RestoreResult::kInconsistent)
      << "a restock whose total skips records is refused";
  EXPECT_EQ(engine->restore_restock(99, 1, 1), RestoreResult::kUnknownProduct);
  auto p = *engine->catalog().get(3);
  EXPECT_EQ(p.restocked, 1060);
  EXPECT_EQ(p.available, 2060);
}

TEST_F(EngineRestoreTest, ResumedOrdersCompleteOnceAndKeepTheirTimestamps) {
  testing::RecordingSink sink;
  ASSERT_EQ(engine->restore_order(make_order("pending", OrderStatus::kPending, 1000)),
            RestoreResult::kApplied);
  ASSERT_EQ(engine->restore_order(make_order("processing", OrderStatus::kProcessing, 2000)),
            RestoreResult::kApplied);
  auto done = make_order("done", OrderStatus::kCompleted, 3000);
  done.at[timestamp_index(OrderTimestamp::kCompleted)] = 3050;
  ASSERT_EQ(engine->restore_order(done), RestoreResult::kApplied);
  EXPECT_EQ(engine->counters().queued, 2) << "only in-flight orders wait for a worker";
  engine->set_event_sink(&sink);
  engine->start();
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 3; }));
  engine->stop();

  auto pending = *engine->get("pending");
  EXPECT_EQ(pending.timestamp(OrderTimestamp::kCreated), 1000);
  EXPECT_GT(pending.timestamp(OrderTimestamp::kProcessingStarted), 1000);
  auto processing = *engine->get("processing");
  EXPECT_EQ(processing.timestamp(OrderTimestamp::kCreated), 2000);
  EXPECT_EQ(processing.timestamp(OrderTimestamp::kProcessingStarted), 2010)
      << "a resumed Processing order keeps its start";
  EXPECT_GT(processing.timestamp(OrderTimestamp::kCompleted), 2010);
  EXPECT_EQ(processing.catalog_subtotal, 300);

  auto events = sink.events_of("processing");
  ASSERT_EQ(events.size(), 1u) << "only its completion is new";
  EXPECT_EQ(events[0].to, OrderStatus::kCompleted);
  EXPECT_EQ(sink.events_of("pending").size(), 2u);
  EXPECT_TRUE(sink.events_of("done").empty());
  auto c = engine->counters();
  EXPECT_EQ(c.completed, 3);
  EXPECT_EQ(c.queued, 0);
  expect_counters_add_up(c);
  expect_stock_invariant(engine->catalog());
  EXPECT_EQ(engine->catalog().get(1)->consumed, 6);
}

TEST_F(EngineRestoreTest, NewOrdersAfterRestoreGetLaterInternalIds) {
  auto o = make_order("old", OrderStatus::kCompleted, 1);
  o.seq = 5000;
  ASSERT_EQ(engine->restore_order(o), RestoreResult::kApplied);
  engine->start();
  std::vector<ItemRequest> items = {{1, 1}};
  auto r = engine->submit({"new", 1, items, 100});
  ASSERT_TRUE(r.ok());
  EXPECT_GT(r.seq, 5000u);
}

TEST_F(EngineRestoreTest, DigestDependsOnEveryOrderFieldButNotOnLayout) {
  auto base = make_order("D", OrderStatus::kPending, 1000);
  auto digest_with = [&](OrderSnapshot o, std::size_t shards) {
    auto config = small_config();
    config.order_shards = shards;
    Engine e(config);
    for (ProductId id = 1; id <= 3; ++id) e.restore_product(stocked_product(id));
    e.restore_order(make_order("other", OrderStatus::kPending, 5));
    e.restore_order(std::move(o));
    return e.state_digest();
  };
  const std::uint64_t reference = digest_with(base, 256);
  EXPECT_EQ(digest_with(base, 1), reference);
  EXPECT_EQ(digest_with(base, 16), reference);
  auto changed = base;
  changed.user_id = 4;
  EXPECT_NE(digest_with(changed, 256), reference);
  changed = base;
  changed.client_total = 501;
  EXPECT_NE(digest_with(changed, 256), reference);
  changed = base;
  changed.items[1].quantity = 2;
  EXPECT_NE(digest_with(changed, 256), reference);
  changed = base;
  changed.at[timestamp_index(OrderTimestamp::kCreated)] = 1001;
  EXPECT_NE(digest_with(changed, 256), reference);
  changed = base;
  changed.reason = "x";
  EXPECT_NE(digest_with(changed, 256), reference);
  changed = base;
  changed.client_id = "E";
  EXPECT_NE(digest_with(changed, 256), reference);
}

}  // namespace
}  // namespace orderd
