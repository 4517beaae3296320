// Engine::Handoff::kAcceptingThread: orders held by their Producer and
// finished on the thread that accepted them (engine.h).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"
#include "tests/engine/recording_sink.h"

namespace orderd {
namespace {

using testing::expect_counters_add_up;
using testing::expect_stock_invariant;
using testing::RecordingSink;
using testing::wait_until;

struct HandoffTest : ::testing::Test {
  void start(EngineConfig config = {}) {
    if (config.workers == 0) config.workers = 1;
    config.max_products = 16;
    engine = std::make_unique<Engine>(config);
    engine->catalog().add(1, "widget", 100, 10'000'000);
    engine->start();
  }
  SubmitResult submit(Engine::Producer& producer, std::string id = {}) {
    ItemRequest item{1, 1};
    return engine->submit({id, 7, {&item, 1}, 100}, &producer);
  }
  OrderStatus status(const std::string& id) { return engine->get(id)->status; }
  std::unique_ptr<Engine> engine;
};

TEST_F(HandoffTest, HeldOrderStaysPendingUntilFinishAccepted) {
  start();
  auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
  ASSERT_TRUE(submit(producer, "A").ok());
  // The worker runs, but the order was never queued for it.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(status("A"), OrderStatus::kPending);
  engine->finish_accepted(producer);
  // Finished by the call itself: no waiting for a worker.
  EXPECT_EQ(status("A"), OrderStatus::kCompleted);
  auto s = *engine->get("A");
  EXPECT_GE(s.timestamp(OrderTimestamp::kProcessingStarted), s.timestamp(OrderTimestamp::kCreated));
  EXPECT_GE(s.timestamp(OrderTimestamp::kCompleted),
            s.timestamp(OrderTimestamp::kProcessingStarted));
  EXPECT_EQ(s.catalog_subtotal, 100);
  auto c = engine->counters();
  EXPECT_EQ(c.completed, 1);
  EXPECT_EQ(c.queued, 0);
  EXPECT_EQ(c.in_flight, 0);
  expect_counters_add_up(c);
  expect_stock_invariant(*engine->catalog().get(1));
}

TEST_F(HandoffTest, FinishAcceptedWithNothingHeldChangesNothing) {
  start();
  auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
  engine->finish_accepted(producer);
  EXPECT_EQ(engine->counters().accepted, 0);
  auto queued = engine->make_producer();  // Handoff::kWorkers holds nothing either
  ASSERT_TRUE(submit(queued, "Q").ok());
  engine->finish_accepted(queued);
  EXPECT_TRUE(wait_until([&] { return status("Q") == OrderStatus::kCompleted; }));
}

TEST_F(HandoffTest, AProducerFinishesWhatItHoldsOnceFull) {
  start();
  auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
  for (int i = 0; i < 255; ++i) ASSERT_TRUE(submit(producer).ok());
  EXPECT_EQ(engine->counters().count(OrderStatus::kPending), 255);
  ASSERT_TRUE(submit(producer).ok());  // the 256th
  auto c = engine->counters();
  EXPECT_EQ(c.count(OrderStatus::kCompleted), 256);
  EXPECT_EQ(c.in_flight, 0);
  expect_counters_add_up(c);
}

TEST_F(HandoffTest, DestroyingAProducerFinishesWhatItHolds) {
  start();
  {
    auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
    ASSERT_TRUE(submit(producer, "A").ok());
    Engine::Producer moved = std::move(producer);
    ASSERT_TRUE(submit(moved, "B").ok());
  }
  EXPECT_EQ(status("A"), OrderStatus::kCompleted);
  EXPECT_EQ(status("B"), OrderStatus::kCompleted);
}

TEST_F(HandoffTest, AnOrderCancelledWhileHeldStaysCancelled) {
  start();
  auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
  ASSERT_TRUE(submit(producer, "A").ok());
  ASSERT_EQ(engine->cancel("A", "changed my mind").error, CancelError::kNone);
  engine->finish_accepted(producer);
  EXPECT_EQ(status("A"), OrderStatus::kCancelled);
  auto p = *engine->catalog().get(1);
  EXPECT_EQ(p.held, 0);
  EXPECT_EQ(p.consumed, 0);
  expect_stock_invariant(p);
  expect_counters_add_up(engine->counters());
}

TEST_F(HandoffTest, AtCapacityHeldOrdersAreFinishedToMakeRoom) {
  EngineConfig config;
  config.capacity = 2;
  start(config);
  auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
  ASSERT_TRUE(submit(producer, "A").ok());
  ASSERT_TRUE(submit(producer, "B").ok());
  // Both held count as in flight; this producer can free the room itself.
  auto r = submit(producer, "C");
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(status("A"), OrderStatus::kCompleted);
  EXPECT_EQ(status("B"), OrderStatus::kCompleted);
  EXPECT_EQ(status("C"), OrderStatus::kPending);
  // Another producer holding nothing is refused while the engine is full.
  auto other = engine->make_producer(Engine::Handoff::kAcceptingThread);
  ASSERT_TRUE(submit(producer, "D").ok());
  EXPECT_EQ(submit(other, "E").error, SubmitError::kAtCapacity);
  engine->finish_accepted(producer);
  EXPECT_EQ(engine->counters().in_flight, 0);
}

TEST_F(HandoffTest, WhilePausedHeldOrdersGoToTheWorkers) {
  start();
  auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
  engine->pause_workers();
  ASSERT_TRUE(submit(producer, "A").ok());
  engine->finish_accepted(producer);
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(status("A"), OrderStatus::kPending);
  EXPECT_EQ(engine->counters().queued, 1);
  engine->resume_workers();
  EXPECT_TRUE(wait_until([&] { return status("A") == OrderStatus::kCompleted; }));
}

TEST_F(HandoffTest, WithASimulatedDelayHeldOrdersGoToTheWorkers) {
  EngineConfig config;
  config.processing_delay = {30'000, 30'000};
  start(config);
  auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
  ASSERT_TRUE(submit(producer, "A").ok());
  engine->finish_accepted(producer);
  EXPECT_NE(status("A"), OrderStatus::kCompleted);  // the delay is the worker's
  ASSERT_TRUE(wait_until([&] { return status("A") == OrderStatus::kCompleted; }));
  auto s = *engine->get("A");
  EXPECT_GE(
      s.timestamp(OrderTimestamp::kCompleted) - s.timestamp(OrderTimestamp::kProcessingStarted),
      30'000);
}

TEST_F(HandoffTest, FinishedOrdersAreReportedToTheSinkInLifecycleOrder) {
  EngineConfig config;
  config.workers = 1;
  config.max_products = 16;
  engine = std::make_unique<Engine>(config);
  RecordingSink sink;
  engine->set_event_sink(&sink);
  engine->catalog().add(1, "widget", 100, 1000);
  engine->start();
  auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
  ASSERT_TRUE(submit(producer, "A").ok());
  engine->finish_accepted(producer);
  auto events = sink.events_of("A");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].kind, RecordingSink::Kind::kAccepted);
  EXPECT_EQ(events[1].to, OrderStatus::kProcessing);
  EXPECT_EQ(events[2].to, OrderStatus::kCompleted);
  EXPECT_LT(events[0].token, events[1].token);
  EXPECT_LT(events[1].token, events[2].token);
  engine->stop();
  engine->set_event_sink(nullptr);
}

// pause_workers() must leave no order moving, even while another thread is
// in the middle of finishing what it accepted.
TEST_F(HandoffTest, NoOrderMovesWhilePausedEvenAsAcceptingThreadsFinish) {
  start();
  std::atomic<bool> done{false};
  std::thread accepting([&] {
    auto producer = engine->make_producer(Engine::Handoff::kAcceptingThread);
    while (!done.load()) {
      for (int i = 0; i < 8; ++i) submit(producer);
      engine->finish_accepted(producer);
    }
  });
  for (int round = 0; round < 20; ++round) {
    engine->pause_workers();
    const auto before = engine->counters();
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    const auto after = engine->counters();
    EXPECT_EQ(after.completed, before.completed) << "round " << round;
    EXPECT_EQ(after.count(OrderStatus::kProcessing), 0) << "round " << round;
    engine->resume_workers();
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  done.store(true);
  accepting.join();
  EXPECT_TRUE(wait_until([&] { return engine->counters().in_flight == 0; }));
  expect_counters_add_up(engine->counters());
  expect_stock_invariant(*engine->catalog().get(1));
}

}  // namespace
}  // namespace orderd
