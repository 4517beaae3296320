// The engine's stage latency histograms: what each one measures, which
// orders it counts, and that state replayed by recovery never shows up as
// live latency.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"

namespace orderd {
namespace {

using testing::wait_until;

EngineConfig config_with_delay(Micros delay) {
  EngineConfig c;
  c.workers = 2;
  c.capacity = 10'000;
  c.max_products = 16;
  c.processing_delay = {delay, delay};
  return c;
}

std::unique_ptr<Engine> stocked_engine(EngineConfig config) {
  auto engine = std::make_unique<Engine>(config);
  for (ProductId id = 1; id <= 4; ++id) engine->catalog().add(id, "p", 100, 1'000'000);
  return engine;
}

SubmitResult submit(Engine& engine, const std::string& id) {
  const std::vector<ItemRequest> items = {{1, 1}, {2, 3}};
  return engine.submit({id, 7, items, 0});
}

// Observations at or below `bound` microseconds.
std::uint64_t at_most(const LatencySnapshot& s, Micros bound) {
  std::uint64_t n = 0;
  for (std::size_t i = 0; i < kLatencyBucketBounds.size() && kLatencyBucketBounds[i] <= bound; ++i)
    n += s.counts[i];
  return n;
}

TEST(EngineHistograms, EmptyBeforeAnyOrder) {
  auto engine = stocked_engine(config_with_delay(0));
  EngineHistograms h = engine->histograms();
  EXPECT_EQ(h.pending.count, 0u);
  EXPECT_EQ(h.processing.count, 0u);
  EXPECT_EQ(h.completion.count, 0u);
}

TEST(EngineHistograms, CompletedOrdersAreCountedInEveryStage) {
  auto engine = stocked_engine(config_with_delay(5'000));
  engine->start();
  constexpr int kOrders = 50;
  for (int i = 0; i < kOrders; ++i) ASSERT_TRUE(submit(*engine, "o" + std::to_string(i)).ok());
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == kOrders; }));

  EngineHistograms h = engine->histograms();
  EXPECT_EQ(h.pending.count, std::uint64_t{kOrders});
  EXPECT_EQ(h.processing.count, std::uint64_t{kOrders});
  EXPECT_EQ(h.completion.count, std::uint64_t{kOrders});
  // Every order sat out the 5 ms processing delay, so none is in a bucket
  // at or below 2.5 ms, in Processing or overall.
  EXPECT_EQ(at_most(h.processing, 2'500), 0u);
  EXPECT_EQ(at_most(h.completion, 2'500), 0u);
  // The stages share their boundary timestamp, so they add up exactly.
  EXPECT_EQ(h.completion.sum, h.pending.sum + h.processing.sum);
  // The histograms and the counters behind /orders/metrics' averages agree.
  EngineCounters c = engine->counters();
  EXPECT_EQ(h.processing.sum, c.processing_micros_sum);
  EXPECT_EQ(h.completion.sum, c.from_creation_micros_sum);
}

TEST(EngineHistograms, CountIsTheSumOfTheBuckets) {
  auto engine = stocked_engine(config_with_delay(0));
  engine->start();
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(submit(*engine, "o" + std::to_string(i)).ok());
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 200; }));
  EngineHistograms h = engine->histograms();
  for (const LatencySnapshot* s : {&h.pending, &h.processing, &h.completion}) {
    std::uint64_t total = 0;
    for (auto c : s->counts) total += c;
    EXPECT_EQ(total, s->count);
    EXPECT_EQ(s->count, 200u);
  }
}

TEST(EngineHistograms, CancelledWhilePendingRecordsNothing) {
  auto engine = stocked_engine(config_with_delay(0));
  engine->start();
  engine->pause_workers();
  ASSERT_TRUE(submit(*engine, "c1").ok());
  ASSERT_EQ(engine->cancel("c1", "changed my mind").error, CancelError::kNone);
  engine->resume_workers();
  // c1 must stay unrecorded whenever a worker takes it; a later order shows
  // that the workers are recording at all.
  ASSERT_TRUE(submit(*engine, "after").ok());
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 1; }));

  EngineHistograms h = engine->histograms();
  EXPECT_EQ(h.pending.count, 1u);
  EXPECT_EQ(h.completion.count, 1u);
}

TEST(EngineHistograms, CancelledWhileProcessingCountsOnlyItsPendingTime) {
  auto engine = stocked_engine(config_with_delay(60'000'000));  // never finishes in the test
  engine->start();
  ASSERT_TRUE(submit(*engine, "slow").ok());
  ASSERT_TRUE(wait_until([&] { return engine->counters().count(OrderStatus::kProcessing) == 1; }));
  ASSERT_EQ(engine->cancel("slow", "").error, CancelError::kNone);

  EngineHistograms h = engine->histograms();
  EXPECT_EQ(h.pending.count, 1u);
  EXPECT_EQ(h.processing.count, 0u);
  EXPECT_EQ(h.completion.count, 0u);
}

TEST(EngineHistograms, RejectedInProcessingCountsOnlyItsPendingTime) {
  EngineConfig config = config_with_delay(0);
  config.max_order_total = 1;  // every priced order is over the limit
  auto engine = stocked_engine(config);
  engine->start();
  ASSERT_TRUE(submit(*engine, "r1").ok());
  ASSERT_TRUE(wait_until([&] { return engine->counters().rejected == 1; }));

  EngineHistograms h = engine->histograms();
  EXPECT_EQ(h.pending.count, 1u);
  EXPECT_EQ(h.processing.count, 0u);
  EXPECT_EQ(h.completion.count, 0u);
}

TEST(EngineHistograms, RefusedSubmissionsRecordNothing) {
  auto engine = stocked_engine(config_with_delay(0));
  engine->start();
  const std::vector<ItemRequest> unknown = {{99, 1}};
  EXPECT_FALSE(engine->submit({"x", 7, unknown, 0}).ok());
  EngineHistograms h = engine->histograms();
  EXPECT_EQ(h.pending.count + h.processing.count + h.completion.count, 0u);
}

OrderSnapshot recovered_order(std::string id, OrderStatus status, Micros created) {
  OrderSnapshot o;
  o.seq = 1;
  o.client_id = std::move(id);
  o.items = {{1, 1, 100}};
  o.status = status;
  o.at[timestamp_index(OrderTimestamp::kCreated)] = created;
  if (status != OrderStatus::kPending) {
    o.at[timestamp_index(OrderTimestamp::kProcessingStarted)] = created + 10;
  }
  if (status == OrderStatus::kCompleted) {
    o.at[timestamp_index(OrderTimestamp::kCompleted)] = created + 20;
  }
  return o;
}

OrderTransition replayed(std::string_view id, OrderStatus to, Micros at) {
  OrderTransition t;
  t.client_id = id;
  t.to = to;
  t.at = at;
  return t;
}

TEST(EngineHistograms, RecoveryReplayRecordsNothing) {
  auto engine = stocked_engine(config_with_delay(0));
  ASSERT_EQ(engine->restore_order(recovered_order("done", OrderStatus::kCompleted, 1'000)),
            RestoreResult::kApplied);
  ASSERT_EQ(engine->restore_order(recovered_order("replayed", OrderStatus::kPending, 2'000)),
            RestoreResult::kApplied);
  ASSERT_EQ(engine->restore_transition(replayed("replayed", OrderStatus::kProcessing, 2'010)),
            RestoreResult::kApplied);
  ASSERT_EQ(engine->restore_transition(replayed("replayed", OrderStatus::kCompleted, 2'020)),
            RestoreResult::kApplied);

  EngineHistograms h = engine->histograms();
  EXPECT_EQ(h.pending.count, 0u);
  EXPECT_EQ(h.processing.count, 0u);
  EXPECT_EQ(h.completion.count, 0u);
}

TEST(EngineHistograms, OrderRecoveredPendingIsRecordedWhenAWorkerMovesIt) {
  auto engine = stocked_engine(config_with_delay(0));
  const Micros created = wall_clock_micros() - 1'000'000;  // a second before the "restart"
  ASSERT_EQ(engine->restore_order(recovered_order("waiting", OrderStatus::kPending, created)),
            RestoreResult::kApplied);
  engine->start();
  ASSERT_TRUE(wait_until([&] { return engine->counters().completed == 1; }));

  EngineHistograms h = engine->histograms();
  EXPECT_EQ(h.pending.count, 1u);
  EXPECT_EQ(h.completion.count, 1u);
  EXPECT_GE(h.pending.sum, 1'000'000);  // the time across the restart is real waiting
}

}  // namespace
}  // namespace orderd
