// Managed orders through the engine: pricing at acceptance, expected prices,
// assigned ids, lookups by sequence and number, versions, confirmations,
// detail updates and their history.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "engine/engine.h"
#include "engine/order_history.h"
#include "engine/order_number.h"
#include "tests/engine/engine_test_util.h"
#include "tests/engine/recording_sink.h"

namespace orderd {
namespace {

using testing::expect_counters_add_up;
using testing::expect_stock_invariant;
using testing::wait_until;

struct ManagedOrderTest : ::testing::Test {
  void SetUp() override {
    EngineConfig c;
    c.workers = 1;
    c.max_products = 16;
    engine = std::make_unique<Engine>(c);
    engine->set_event_sink(&sink);
    engine->catalog().add(1, "widget", 2999, 100, "prod_456");
    engine->catalog().add(2, "gadget", 500, 100);
    engine->start();
    details.customer_email = "ada@example.com";
    details.tax = 599;
    details.shipping = 999;
    details.billing_address.line1 = "123 Main St";
    details.billing_address.city = "Seattle";
    details.payment = {"credit_card", "pending", "1234"};
  }
  void TearDown() override {
    engine->resume_workers();
    engine->stop();
  }
  SubmitResult place(std::vector<ItemRequest> items, std::string_view id = {}) {
    return engine->submit({id, 7, items, 0, &details});
  }

  testing::RecordingSink sink;
  std::unique_ptr<Engine> engine;
  OrderDetails details;
};

TEST_F(ManagedOrderTest, IsPricedWhenAcceptedWithTaxAndShippingInItsTotal) {
  engine->pause_workers();
  SubmitResult r = place({{1, 2, 2999}});
  ASSERT_TRUE(r.ok()) << r.message;
  EXPECT_EQ(r.client_id, "order_" + std::to_string(r.seq));
  OrderSnapshot s = *engine->get(r.client_id);
  EXPECT_EQ(s.status, OrderStatus::kPending);
  EXPECT_EQ(s.items[0].unit_price, 2999);
  EXPECT_EQ(s.catalog_subtotal, 5998);
  EXPECT_EQ(s.grand_total(), 5998 + 599 + 999);
  ASSERT_TRUE(s.details);
  EXPECT_EQ(s.details->currency, "USD");
  EXPECT_EQ(s.details->payment.last_four, "1234");
  EXPECT_EQ(s.version(), 1u);
}

TEST_F(ManagedOrderTest, KeepsItsAcceptedPricesThroughACatalogPriceChange) {
  SubmitResult r = place({{2, 11}});
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(
      wait_until([&] { return engine->get(r.client_id)->status == OrderStatus::kCompleted; }));
  OrderSnapshot s = *engine->get(r.client_id);
  EXPECT_EQ(s.catalog_subtotal, 5500);
  EXPECT_EQ(s.discount, 550);  // more than 10 units: 10% off
}

TEST_F(ManagedOrderTest, AnExpectedPriceThatIsNotTheCatalogsRefusesTheOrderAndLeavesNothing) {
  SubmitResult r = place({{1, 2, 2899}, {2, 1, 500}});
  EXPECT_EQ(r.error, SubmitError::kPriceMismatch);
  ASSERT_EQ(r.price_issues.size(), 1u);
  EXPECT_EQ(r.price_issues[0].product_id, 1u);
  EXPECT_EQ(r.price_issues[0].expected, 2899);
  EXPECT_EQ(r.price_issues[0].catalog, 2999);
  EXPECT_EQ(engine->catalog().get(1)->available, 100);
  EXPECT_EQ(engine->counters().accepted, 0);
  EXPECT_EQ(engine->counters().in_flight, 0);
}

TEST_F(ManagedOrderTest, IsFoundBySequenceAndByItsOrderNumber) {
  SubmitResult r = place({{1, 1}});
  ASSERT_TRUE(r.ok());
  auto by_seq = engine->get(OrderKey::by_seq(r.seq));
  ASSERT_TRUE(by_seq);
  EXPECT_EQ(by_seq->client_id, r.client_id);
  const std::string number = format_order_number(r.seq, r.created_at);
  auto by_number = engine->find_by_number(number);
  ASSERT_TRUE(by_number);
  EXPECT_EQ(by_number->seq, r.seq);
  EXPECT_FALSE(engine->find_by_number(format_order_number(r.seq, r.created_at - 86'400'000'000)));
  EXPECT_FALSE(engine->get(OrderKey::by_seq(r.seq + 1000)));
}

TEST_F(ManagedOrderTest, AnAssignedIdSkipsOneAClientAlreadyChose) {
  ASSERT_TRUE(place({{2, 1}}, "order_2").ok());
  SubmitResult r = place({{2, 1}});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.client_id, "order_2");
}

TEST_F(ManagedOrderTest, ConfirmingAPendingOrderCompletesItThroughProcessing) {
  engine->pause_workers();
  SubmitResult r = place({{1, 3}});
  StatusUpdateResult u = engine->update_status(r.client_id, OrderStatus::kCompleted, "by phone");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.status, OrderStatus::kCompleted);
  EXPECT_EQ(u.version, 3u);
  OrderSnapshot s = *engine->get(r.client_id);
  EXPECT_GT(s.timestamp(OrderTimestamp::kProcessingStarted), 0);
  EXPECT_EQ(engine->catalog().get(1)->consumed, 3);
  auto h = order_history(s);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_FALSE(h[1].by_client);
  EXPECT_TRUE(h[2].by_client);
  EXPECT_EQ(h[2].note, "by phone");
  engine->resume_workers();
  expect_stock_invariant(engine->catalog());
  expect_counters_add_up(engine->counters());
}

TEST_F(ManagedOrderTest, AnExpectedVersionThatIsNotTheOrdersChangesNothing) {
  engine->pause_workers();
  SubmitResult r = place({{1, 1}});
  StatusChange cancel{OrderStatus::kCancelled, "", 2, std::nullopt};
  StatusUpdateResult u = engine->update_status(r.client_id, cancel);
  EXPECT_EQ(u.error, StatusUpdateError::kVersionMismatch);
  EXPECT_EQ(u.version, 1u);
  cancel.expected_version = 1;
  EXPECT_TRUE(engine->update_status(r.client_id, cancel).ok());
}

TEST_F(ManagedOrderTest, ARequiredCurrentStatusRefusesAMoveFromAnyOther) {
  SubmitResult r = place({{1, 1}});
  ASSERT_TRUE(
      wait_until([&] { return engine->get(r.client_id)->status == OrderStatus::kCompleted; }));
  StatusChange del{OrderStatus::kCancelled, "deleted", 0, OrderStatus::kPending};
  StatusUpdateResult u = engine->update_status(r.client_id, del);
  EXPECT_EQ(u.error, StatusUpdateError::kIllegalTransition);
  EXPECT_EQ(engine->get(r.client_id)->status, OrderStatus::kCompleted);
}

TEST_F(ManagedOrderTest, UpdatingDetailsBumpsTheVersionAndIsLoggedButTaxAndShippingStay) {
  engine->pause_workers();
  SubmitResult r = place({{1, 1}});
  OrderDetails changed = details;
  changed.billing_address.city = "Portland";
  StatusUpdateResult u = engine->update_details(r.client_id, changed, "moved", 1);
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u.version, 2u);
  EXPECT_EQ(engine->update_details(r.client_id, changed, "again").error,
            StatusUpdateError::kUnchanged);
  OrderDetails taxed = changed;
  taxed.tax = 1;
  EXPECT_EQ(engine->update_details(r.client_id, taxed, "").error, StatusUpdateError::kNotEditable);
  EXPECT_EQ(engine->update_details(r.client_id, changed, "", 1).error,
            StatusUpdateError::kVersionMismatch);
  OrderSnapshot s = *engine->get(r.client_id);
  EXPECT_EQ(s.details->billing_address.city, "Portland");
  EXPECT_GT(s.updated_at(), 0);
  auto h = order_history(s);
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].kind, OrderEventKind::kUpdated);
  EXPECT_EQ(h[1].note, "moved");
  EXPECT_EQ(sink.events().back().kind, testing::RecordingSink::Kind::kUpdated);
}

TEST_F(ManagedOrderTest, TheShippingAddressIsFixedOnceShipped) {
  SubmitResult r = place({{1, 1}});
  ASSERT_TRUE(
      wait_until([&] { return engine->get(r.client_id)->status == OrderStatus::kCompleted; }));
  ASSERT_TRUE(engine->update_status(r.client_id, OrderStatus::kShipped, "").ok());
  OrderDetails moved = details;
  moved.shipping_address.city = "Elsewhere";
  EXPECT_EQ(engine->update_details(r.client_id, moved, "").error, StatusUpdateError::kNotEditable);
  OrderDetails paid = details;
  paid.payment.status = "paid";
  EXPECT_TRUE(engine->update_details(r.client_id, paid, "").ok());
}

TEST_F(ManagedOrderTest, ConcurrentUpdatesOfOneOrderApplyOnceEachWithStrictlyIncreasingVersions) {
  engine->pause_workers();
  SubmitResult r = place({{1, 1}});
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::vector<std::vector<std::uint32_t>> versions(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        OrderDetails d = details;
        d.metadata = "{\"n\":" + std::to_string(t * 1000 + i) + "}";
        StatusUpdateResult u = engine->update_details(r.client_id, d, "");
        if (u.ok()) versions[t].push_back(u.version);
      }
    });
  }
  for (auto& t : threads) t.join();
  std::vector<std::uint32_t> all;
  for (auto& v : versions) {
    for (std::size_t i = 1; i < v.size(); ++i) EXPECT_LT(v[i - 1], v[i]);
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  EXPECT_EQ(std::adjacent_find(all.begin(), all.end()), all.end());  // no version twice
  EXPECT_EQ(engine->get(r.client_id)->version(), 1 + all.size());
}

TEST_F(ManagedOrderTest, APlainOrdersUserBecomesAnImplicitCustomer) {
  std::vector<ItemRequest> items = {{2, 1}};
  ASSERT_TRUE(engine->submit({"plain", 4242, items, 500}).ok());
  auto c = engine->customers().get(4242);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->implicit);
}

}  // namespace
}  // namespace orderd
