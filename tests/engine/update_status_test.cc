// Engine::update_status: every client move of the lifecycle with its stock
// effect, the refusals, and moves racing the workers.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "tests/engine/engine_test_util.h"
#include "tests/engine/recording_sink.h"

namespace orderd {
namespace {

using S = OrderStatus;
using testing::expect_counters_add_up;
using testing::expect_stock_invariant;
using testing::wait_until;

const S kAll[] = {S::kPending,   S::kProcessing, S::kCompleted, S::kRejected,
                  S::kCancelled, S::kShipped,    S::kDelivered, S::kReturned};

constexpr ProductId kProduct = 1;
constexpr std::uint32_t kUnits = 3;
constexpr std::int64_t kStock = 100;

// An engine with one product and one order "O" of kUnits units brought to
// `status` along the lifecycle, with a sink recording every event.
struct OrderInStatus {
  explicit OrderInStatus(S status) {
    EngineConfig config;
    config.workers = 1;
    config.max_products = 8;
    if (status == S::kPending || status == S::kProcessing) {
      config.processing_delay = {60'000'000, 60'000'000};  // stays Processing during the test
    }
    if (status == S::kRejected) config.max_order_total = 1;
    engine = std::make_unique<Engine>(config);
    engine->set_event_sink(&sink);
    engine->catalog().add(kProduct, "widget", 100, kStock);
    engine->start();
    if (status == S::kPending) engine->pause_workers();
    std::vector<ItemRequest> items = {{kProduct, kUnits}};
    EXPECT_TRUE(engine->submit({"O", 7, items, 300}).ok());
    const S reached_by_worker = status == S::kPending      ? S::kPending
                                : status == S::kProcessing ? S::kProcessing
                                : status == S::kRejected   ? S::kRejected
                                                           : S::kCompleted;
    EXPECT_TRUE(wait_until([&] { return engine->get("O")->status == reached_by_worker; }));
    for (S next : client_path_to(status)) {
      EXPECT_TRUE(engine->update_status("O", next, "").ok()) << status_name(next);
    }
    EXPECT_EQ(engine->get("O")->status, status);
  }
  ~OrderInStatus() {
    engine->resume_workers();
    engine->stop();
  }

  // The client moves after Completed that lead to `status`.
  static std::vector<S> client_path_to(S status) {
    switch (status) {
      case S::kShipped:
        return {S::kShipped};
      case S::kDelivered:
        return {S::kShipped, S::kDelivered};
      case S::kReturned:
        return {S::kShipped, S::kDelivered, S::kReturned};
      case S::kCancelled:
        return {S::kCancelled};
      default:
        return {};
    }
  }

  ProductInfo product() const { return *engine->catalog().get(kProduct); }

  testing::RecordingSink sink;
  std::unique_ptr<Engine> engine;
};

void expect_stock_moved(const ProductInfo& before, const ProductInfo& after, StockEffect effect) {
  std::int64_t available = 0, held = 0, returned = 0, consumed = 0;
  if (effect == StockEffect::kConsume) {
    held = -std::int64_t{kUnits};
    consumed = kUnits;
  } else if (effect == StockEffect::kRelease) {
    available = kUnits;
    held = -std::int64_t{kUnits};
  } else if (effect == StockEffect::kGiveBack) {
    available = kUnits;
    returned = kUnits;
  }
  EXPECT_EQ(after.available - before.available, available);
  EXPECT_EQ(after.held - before.held, held);
  EXPECT_EQ(after.returned - before.returned, returned);
  EXPECT_EQ(after.consumed - before.consumed, consumed);
}

TEST(UpdateStatusTest, EveryPairOfStatusesMovesExactlyWhenAClientMayWithItsStockEffect) {
  for (S from : kAll) {
    for (S to : kAll) {
      SCOPED_TRACE(std::string(status_name(from)) + " -> " + std::string(status_name(to)));
      OrderInStatus order(from);
      const ProductInfo before = order.product();
      const std::size_t events_before = order.sink.events().size();
      StatusUpdateResult r = order.engine->update_status("O", to, "because");
      const ProductInfo after = order.product();
      const OrderSnapshot s = *order.engine->get("O");
      if (is_client_transition(from, to)) {
        ASSERT_EQ(r.error, StatusUpdateError::kNone);
        EXPECT_EQ(r.status, to);
        EXPECT_EQ(s.status, to);
        EXPECT_GT(s.timestamp(reached_at(to)), 0);
        EXPECT_GT(r.durable_token, 0u);
        expect_stock_moved(before, after, stock_effect(from, to));
        // Confirming a Pending order passes through Processing: two records.
        const bool through_processing = from == S::kPending && to == S::kCompleted;
        auto events = order.sink.events();
        ASSERT_EQ(events.size(), events_before + (through_processing ? 2 : 1));
        EXPECT_EQ(events.back().from, through_processing ? S::kProcessing : from);
        EXPECT_EQ(events.back().to, to);
        EXPECT_TRUE(events.back().by_client);
        EXPECT_EQ(events.back().token, r.durable_token);
        EXPECT_EQ(r.version, s.version());
        ASSERT_FALSE(s.notes.empty());
        EXPECT_EQ(s.notes.back().note, "because");
        EXPECT_EQ(s.notes.back().version, s.version());
      } else {
        EXPECT_EQ(r.error, from == to ? StatusUpdateError::kUnchanged
                                      : StatusUpdateError::kIllegalTransition);
        EXPECT_EQ(r.status, from);
        EXPECT_EQ(s.status, from);
        if (from != to) {
          EXPECT_EQ(r.allowed, client_next_statuses(from));
        }
        EXPECT_EQ(r.durable_token, 0u);
        expect_stock_moved(before, after, StockEffect::kNone);
        EXPECT_EQ(order.sink.events().size(), events_before);
      }
      expect_stock_invariant(order.engine->catalog());
      expect_counters_add_up(order.engine->counters());
    }
  }
}

TEST(UpdateStatusTest, EachStatusReachedKeepsItsOwnTimestamp) {
  OrderInStatus order(S::kReturned);
  const OrderSnapshot s = *order.engine->get("O");
  const Micros completed = s.timestamp(OrderTimestamp::kCompleted);
  const Micros shipped = s.timestamp(OrderTimestamp::kShipped);
  const Micros delivered = s.timestamp(OrderTimestamp::kDelivered);
  const Micros returned = s.timestamp(OrderTimestamp::kReturned);
  EXPECT_GT(completed, 0);
  EXPECT_GE(shipped, completed);
  EXPECT_GE(delivered, shipped);
  EXPECT_GE(returned, delivered);
  EXPECT_EQ(s.timestamp(OrderTimestamp::kCancelled), 0);
  EXPECT_EQ(s.reason, "returned");
}

TEST(UpdateStatusTest, AReturnKeepsItsReason) {
  OrderInStatus order(S::kDelivered);
  ASSERT_TRUE(order.engine->update_status("O", S::kReturned, "arrived broken").ok());
  EXPECT_EQ(order.engine->get("O")->reason, "arrived broken");
}

TEST(UpdateStatusTest, AfterReceivesTheOrderAsTheChangeLeftItAndNothingWhenRefused) {
  OrderInStatus order(S::kCompleted);
  OrderSnapshot after;
  StatusChange ship{S::kShipped, "on its way", 0, std::nullopt, &after};
  const StatusUpdateResult r = order.engine->update_status("O", ship);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(after.status, S::kShipped);
  EXPECT_EQ(after.version(), r.version);
  EXPECT_NE(after.timestamp(OrderTimestamp::kShipped), 0);
  // A later change does not reach a snapshot already taken.
  ASSERT_TRUE(order.engine->update_status("O", S::kDelivered, "").ok());
  EXPECT_EQ(after.status, S::kShipped);
  OrderSnapshot untouched;
  StatusChange again{S::kDelivered, "", 0, std::nullopt, &untouched};
  EXPECT_EQ(order.engine->update_status("O", again).error, StatusUpdateError::kUnchanged);
  EXPECT_EQ(untouched.seq, 0u);
  OrderDetails details;
  details.customer_email = "later@example.com";
  OrderSnapshot updated;
  ASSERT_TRUE(order.engine->update_details("O", details, "email", 0, &updated).ok());
  ASSERT_TRUE(updated.details.has_value());
  EXPECT_EQ(updated.details->customer_email, "later@example.com");
  EXPECT_EQ(updated.status, S::kDelivered);
}

TEST(UpdateStatusTest, AnUnknownOrderIsNotFound) {
  OrderInStatus order(S::kCompleted);
  EXPECT_EQ(order.engine->update_status("nope", S::kShipped, "").error,
            StatusUpdateError::kNotFound);
}

TEST(UpdateStatusTest, RefusedWritesChangeNothing) {
  OrderInStatus order(S::kCompleted);
  order.engine->refuse_writes("disk gone");
  EXPECT_EQ(order.engine->update_status("O", S::kShipped, "").error,
            StatusUpdateError::kUnavailable);
  EXPECT_EQ(order.engine->get("O")->status, S::kCompleted);
}

TEST(UpdateStatusTest, ManyClientsShippingOneOrderShipItOnce) {
  OrderInStatus order(S::kCompleted);
  std::atomic<int> shipped{0}, unchanged{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&] {
      auto r = order.engine->update_status("O", S::kShipped, "");
      if (r.ok()) ++shipped;
      if (r.error == StatusUpdateError::kUnchanged) ++unchanged;
    });
  }
  for (auto& c : clients) c.join();
  EXPECT_EQ(shipped.load(), 1);
  EXPECT_EQ(unchanged.load(), 7);
  EXPECT_EQ(order.sink.events_of("O").size(), 4u);  // accepted, processing, completed, shipped
}

// Clients cancel and ship orders while the workers process them: each order
// ends in one consistent state and no unit is lost or counted twice.
TEST(UpdateStatusTest, ClientMovesRacingTheWorkersKeepStockConsistent) {
  EngineConfig config;
  config.workers = 2;
  config.max_products = 8;
  config.processing_delay = {0, 300};
  Engine engine(config);
  testing::RecordingSink sink;
  engine.set_event_sink(&sink);
  engine.catalog().add(1, "a", 100, 1'000'000);
  engine.catalog().add(2, "b", 250, 1'000'000);
  engine.start();
  constexpr int kOrders = 2000;
  std::atomic<int> submitted{0};
  std::thread submitter([&] {
    for (int i = 0; i < kOrders; ++i) {
      std::vector<ItemRequest> items = {{1, 1 + static_cast<std::uint32_t>(i % 4)}, {2, 2}};
      EXPECT_TRUE(engine.submit({"R" + std::to_string(i), 1, items, 0}).ok());
      submitted.store(i + 1, std::memory_order_release);
    }
  });
  std::vector<std::thread> clients;
  for (int t = 0; t < 2; ++t) {
    clients.emplace_back([&, t] {
      for (int i = t; i < kOrders; i += 2) {
        while (submitted.load(std::memory_order_acquire) <= i) std::this_thread::yield();
        const std::string id = "R" + std::to_string(i);
        if (i % 3 == 0) {
          engine.cancel(id, "race");
        } else if (i % 3 == 1) {
          while (engine.get(id)->status != S::kCompleted) std::this_thread::yield();
          EXPECT_TRUE(engine.update_status(id, S::kShipped, "").ok());
          EXPECT_TRUE(engine.update_status(id, S::kDelivered, "").ok());
          EXPECT_TRUE(engine.update_status(id, S::kReturned, "").ok());
        }
      }
    });
  }
  submitter.join();
  for (auto& c : clients) c.join();
  ASSERT_TRUE(wait_until([&] { return engine.counters().in_flight == 0; }));
  engine.stop();

  std::int64_t units_returned = 0;
  for (int i = 0; i < kOrders; ++i) {
    const OrderSnapshot s = *engine.get("R" + std::to_string(i));
    if (i % 3 == 0) {
      ASSERT_EQ(s.status, S::kCancelled) << s.client_id;
      if (s.timestamp(OrderTimestamp::kCompleted) != 0) units_returned += s.unit_count();
    } else if (i % 3 == 1) {
      ASSERT_EQ(s.status, S::kReturned) << s.client_id;
      units_returned += s.unit_count();
    } else {
      ASSERT_EQ(s.status, S::kCompleted) << s.client_id;
    }
    // The recorded moves of each order follow the lifecycle from Pending.
    S at = S::kPending;
    for (const auto& e : sink.events_of(s.client_id)) {
      if (e.kind != testing::RecordingSink::Kind::kStatusChanged) continue;
      EXPECT_EQ(e.from, at) << s.client_id;
      EXPECT_TRUE(is_legal_transition(e.from, e.to)) << s.client_id;
      at = e.to;
    }
    EXPECT_EQ(at, s.status) << s.client_id;
  }
  const auto a = *engine.catalog().get(1), b = *engine.catalog().get(2);
  EXPECT_EQ(a.held + b.held, 0);
  EXPECT_EQ(a.returned + b.returned, units_returned);
  expect_stock_invariant(engine.catalog());
  expect_counters_add_up(engine.counters());
}

}  // namespace
}  // namespace orderd
