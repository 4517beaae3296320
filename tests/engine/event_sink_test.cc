// The engine's durability hooks: what it reports to its EventSink, in what
// order, and the write refusal the durability layer switches on.
#include "engine/event_sink.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"
#include "tests/engine/recording_sink.h"

namespace orderd {
namespace {

using testing::RecordingSink;
using testing::wait_until;
using Kind = RecordingSink::Kind;

EngineConfig small_config() {
  EngineConfig c;
  c.workers = 2;
  c.capacity = 100'000;
  c.max_products = 64;
  return c;
}

struct EventSinkTest : ::testing::Test {
  void start(EngineConfig config = small_config()) {
    engine = std::make_unique<Engine>(config);
    engine->set_event_sink(&sink);
    for (ProductId id = 1; id <= 5; ++id) engine->catalog().add(id, "p", 100 * id, 1'000'000);
    engine->start();
  }
  SubmitResult submit(const std::string& id, std::vector<ItemRequest> items = {{1, 1}}) {
    return engine->submit({id, 7, items, 100});
  }
  RecordingSink sink;
  std::unique_ptr<Engine> engine;
};

TEST_F(EventSinkTest, EachOrderIsReportedAcceptedThenProcessingThenCompleted) {
  start();
  constexpr int kThreads = 4, kPerThread = 500 / (ORDERD_TEST_SCALE_DIVISOR > 1 ? 5 : 1);
  std::vector<std::thread> threads;
  std::map<std::string, DurableToken> tokens;
  std::mutex tokens_mutex;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        std::string id = std::to_string(t) + "-" + std::to_string(i);
        auto r = submit(id, {{1 + static_cast<ProductId>(i % 5), 1}});
        ASSERT_TRUE(r.ok());
        std::lock_guard guard(tokens_mutex);
        tokens[id] = r.durable_token;
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(wait_until(
      [&] { return engine->counters().completed == std::int64_t{kThreads} * kPerThread; }));
  engine->stop();

  std::map<std::string, std::vector<RecordingSink::Event>> by_order;
  for (auto& e : sink.events()) {
    if (e.kind == Kind::kAccepted || e.kind == Kind::kStatusChanged)
      by_order[e.client_id].push_back(e);
  }
  ASSERT_EQ(by_order.size(), tokens.size());
  for (auto& [id, events] : by_order) {
    ASSERT_EQ(events.size(), 3u) << id;
    EXPECT_EQ(events[0].kind, Kind::kAccepted);
    EXPECT_EQ(events[0].token, tokens[id]) << "submit reports its acceptance record's token";
    EXPECT_EQ(events[1].from, OrderStatus::kPending);
    EXPECT_EQ(events[1].to, OrderStatus::kProcessing);
    EXPECT_EQ(events[2].from, OrderStatus::kProcessing);
    EXPECT_EQ(events[2].to, OrderStatus::kCompleted);
    EXPECT_GT(events[2].catalog_subtotal, 0) << "completion is reported with its prices";
    EXPECT_LT(events[0].token, events[1].token);
    EXPECT_LT(events[1].token, events[2].token);
    EXPECT_LE(events[0].at, events[1].at);
    EXPECT_LE(events[1].at, events[2].at);
  }
}

TEST_F(EventSinkTest, ACancelRacingTheSubmitIsNeverReportedBeforeTheAcceptance) {
  start();
  constexpr int kOrders = 2000 / (ORDERD_TEST_SCALE_DIVISOR > 1 ? 4 : 1);
  std::thread submitter([&] {
    for (int i = 0; i < kOrders; ++i) submit("R" + std::to_string(i));
  });
  std::thread canceller([&] {
    // Cancels each order as soon as it exists: spins (a zero poll interval)
    // so that many cancels land right after their submit.
    for (int i = 0; i < kOrders; ++i) {
      const std::string id = "R" + std::to_string(i);
      EXPECT_TRUE(
          wait_until([&] { return engine->cancel(id, "race").error != CancelError::kNotFound; },
                     testing::kDefaultWaitTimeout, std::chrono::milliseconds::zero()))
          << id << " never appeared";
    }
  });
  submitter.join();
  canceller.join();
  ASSERT_TRUE(wait_until([&] { return engine->counters().in_flight == 0; }));
  engine->stop();
  std::map<std::string, std::vector<RecordingSink::Event>> by_order;
  for (auto& e : sink.events()) by_order[e.client_id].push_back(e);
  for (int i = 0; i < kOrders; ++i) {
    const auto& events = by_order["R" + std::to_string(i)];
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.front().kind, Kind::kAccepted) << i;
    EXPECT_TRUE(is_terminal(events.back().to)) << i;
    for (std::size_t k = 1; k < events.size(); ++k) {
      EXPECT_LT(events[k - 1].token, events[k].token);
    }
  }
}

TEST_F(EventSinkTest, CancellationAndRejectionAreReportedWithReasonAndTimestamp) {
  auto config = small_config();
  config.max_order_total = 1000;
  config.processing_delay = {5'000'000, 5'000'000};
  start(config);
  ASSERT_TRUE(submit("C").ok());
  auto cancelled = engine->cancel("C", "customer asked");
  ASSERT_EQ(cancelled.error, CancelError::kNone);
  auto events = sink.events_of("C");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.back().to, OrderStatus::kCancelled);
  EXPECT_EQ(events.back().reason, "customer asked");
  EXPECT_GT(events.back().at, 0);
  EXPECT_EQ(events.back().token, cancelled.durable_token);

  engine->stop();
  config.processing_delay = {};
  engine = std::make_unique<Engine>(config);
  engine->set_event_sink(&sink);
  engine->catalog().add(9, "expensive", 2000, 10);
  engine->start();
  ASSERT_TRUE(submit("BIG", {{9, 1}}).ok());
  ASSERT_TRUE(wait_until([&] { return engine->get("BIG")->status == OrderStatus::kRejected; }));
  events = sink.events_of("BIG");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[2].to, OrderStatus::kRejected);
  EXPECT_FALSE(events[2].reason.empty());
  EXPECT_EQ(events[2].catalog_subtotal, 2000);
}

TEST_F(EventSinkTest, CatalogChangesAreReportedWithTheRunningRestockTotal) {
  Engine engine(small_config());
  engine.set_event_sink(&sink);
  ASSERT_EQ(engine.catalog().add(1, "a", 100, 10), AddProductResult::kAdded);
  ASSERT_EQ(engine.catalog().add(1, "again", 100, 10), AddProductResult::kAlreadyExists);
  ASSERT_EQ(engine.catalog().restock(1, 5), RestockResult::kRestocked);
  ASSERT_EQ(engine.catalog().restock(1, 7), RestockResult::kRestocked);
  ASSERT_EQ(engine.catalog().restock(2, 7), RestockResult::kUnknownProduct);
  auto events = sink.events();
  ASSERT_EQ(events.size(), 3u) << "refused changes are not reported";
  EXPECT_EQ(events[0].kind, Kind::kProductAdded);
  EXPECT_EQ(events[0].quantity, 10);
  EXPECT_EQ(events[1].kind, Kind::kRestocked);
  EXPECT_EQ(events[1].restocked_total, 5);
  EXPECT_EQ(events[2].restocked_total, 12);
}

TEST_F(EventSinkTest, WithoutASinkTokensAreZero) {
  Engine engine(small_config());
  engine.catalog().add(1, "a", 100, 10);
  engine.start();
  auto r = engine.submit({"Z", 1, std::vector<ItemRequest>{{1, 1}}, 100});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.durable_token, 0u);
}

TEST_F(EventSinkTest, RefusingWritesFailsSubmitAndCancelButKeepsReads) {
  start();
  ASSERT_TRUE(submit("before").ok());
  engine->refuse_writes("disk full");
  engine->refuse_writes("a later reason is ignored");
  EXPECT_TRUE(engine->refusing_writes());
  auto r = submit("after");
  EXPECT_EQ(r.error, SubmitError::kUnavailable);
  EXPECT_EQ(r.message, "disk full");
  EXPECT_EQ(submit_error_name(r.error), "unavailable");
  EXPECT_EQ(engine->cancel("before", "").error, CancelError::kUnavailable);
  EXPECT_FALSE(engine->get("after"));
  ASSERT_TRUE(engine->get("before"));
  ASSERT_TRUE(wait_until([&] { return engine->get("before")->status == OrderStatus::kCompleted; }));
  EXPECT_EQ(engine->counters().accepted, 1);
  EXPECT_EQ(engine->counters().refused_capacity, 0)
      << "a refusal for unavailability is no capacity refusal";
}

TEST_F(EventSinkTest, ATokenRevocationIsReportedOnceWithTheTokenOfItsRecord) {
  Engine engine(small_config());
  engine.set_event_sink(&sink);
  const Micros expires_at = wall_clock_micros() + 3'600'000'000;
  const RevokeResult first = engine.revoke_token("jti-1", expires_at);
  ASSERT_EQ(first.outcome, RevokeOutcome::kRevoked);
  EXPECT_TRUE(engine.revocations().revoked("jti-1"));
  EXPECT_EQ(engine.revocations().epoch(), 1u);
  const RevokeResult again = engine.revoke_token("jti-1", expires_at);
  EXPECT_EQ(again.outcome, RevokeOutcome::kAlreadyRevoked);
  EXPECT_EQ(again.durable_token, first.durable_token);
  EXPECT_EQ(engine.revoke_token("jti-2", wall_clock_micros() - 1).outcome,
            RevokeOutcome::kAlreadyExpired);
  auto events = sink.events();
  ASSERT_EQ(events.size(), 1u) << "only the new revocation is recorded";
  EXPECT_EQ(events[0].kind, Kind::kTokenRevoked);
  EXPECT_EQ(events[0].token, first.durable_token);
  EXPECT_EQ(events[0].token_id, "jti-1");
  EXPECT_EQ(events[0].at, expires_at);

  EXPECT_EQ(engine.restore_revocation("jti-3", expires_at), RestoreResult::kApplied);
  EXPECT_TRUE(engine.revocations().revoked("jti-3"));
  EXPECT_EQ(sink.events().size(), 1u) << "restoring bypasses the sink";
}

TEST_F(EventSinkTest, RefusingWritesRefusesTokenRevocations) {
  Engine engine(small_config());
  engine.set_event_sink(&sink);
  engine.refuse_writes("disk full");
  const RevokeResult r = engine.revoke_token("jti-1", wall_clock_micros() + 3'600'000'000);
  EXPECT_EQ(r.outcome, RevokeOutcome::kUnavailable);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.durable_token, 0u);
  EXPECT_FALSE(engine.revocations().revoked("jti-1"));
  EXPECT_EQ(engine.revocations().epoch(), 0u);
  EXPECT_TRUE(sink.events().empty());
}

TEST_F(EventSinkTest, TheStateDigestCoversTheRevocationsLiveAtItsInstant) {
  constexpr Micros kHour = 3'600'000'000;
  Engine a(small_config()), b(small_config());
  const Micros now = wall_clock_micros();
  const std::uint64_t empty = a.state_digest(now);
  ASSERT_TRUE(a.revoke_token("jti-1", now + kHour).newly_revoked());
  EXPECT_NE(a.state_digest(now), empty);
  EXPECT_EQ(a.state_digest(now + kHour + 1), empty) << "an expired revocation is no state to keep";
  EXPECT_EQ(b.restore_revocation("jti-1", now + kHour), RestoreResult::kApplied);
  EXPECT_EQ(b.state_digest(now), a.state_digest(now));
  Engine c(small_config());
  EXPECT_EQ(c.restore_revocation("jti-1", now + 2 * kHour), RestoreResult::kApplied);
  EXPECT_NE(c.state_digest(now), a.state_digest(now)) << "the expiry counts";
  EXPECT_EQ(a.state_digest(), a.state_digest(now)) << "judged by the clock without an instant";
}

}  // namespace
}  // namespace orderd
