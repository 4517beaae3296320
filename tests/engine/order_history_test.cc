#include "engine/order_history.h"

#include <gtest/gtest.h>

namespace orderd {
namespace {

OrderSnapshot order_at(std::initializer_list<std::pair<OrderStatus, Micros>> reached) {
  OrderSnapshot s;
  for (auto [status, at] : reached) s.at[timestamp_index(reached_at(status))] = at;
  return s;
}

TEST(OrderHistoryTest, AWorkerProcessedOrderHasItsThreeEngineEvents) {
  OrderSnapshot s = order_at(
      {{OrderStatus::kPending, 10}, {OrderStatus::kProcessing, 20}, {OrderStatus::kCompleted, 30}});
  s.status = OrderStatus::kCompleted;
  auto h = order_history(s);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[0].kind, OrderEventKind::kCreated);
  EXPECT_EQ(h[1].kind, OrderEventKind::kStatusChanged);
  EXPECT_EQ(h[1].from, OrderStatus::kPending);
  EXPECT_EQ(h[2].status, OrderStatus::kCompleted);
  for (std::size_t i = 0; i < h.size(); ++i) {
    EXPECT_EQ(h[i].version, i + 1);
    EXPECT_FALSE(h[i].by_client);
  }
  EXPECT_EQ(s.version(), 3u);
}

TEST(OrderHistoryTest, ClientMovesAndUpdatesKeepTheirNotesAndVersions) {
  OrderSnapshot s = order_at({{OrderStatus::kPending, 10},
                              {OrderStatus::kProcessing, 20},
                              {OrderStatus::kCompleted, 30},
                              {OrderStatus::kShipped, 50}});
  s.status = OrderStatus::kShipped;
  s.notes.push_back({40, 4, OrderChange::kUpdated, OrderStatus::kCompleted, "new address"});
  s.notes.push_back({50, 5, OrderChange::kStatus, OrderStatus::kShipped, "tracking 1Z999"});
  EXPECT_EQ(s.version(), 5u);
  EXPECT_EQ(s.updated_at(), 50);
  auto h = order_history(s);
  ASSERT_EQ(h.size(), 5u);
  EXPECT_EQ(h[3].kind, OrderEventKind::kUpdated);
  EXPECT_EQ(h[3].version, 4u);
  EXPECT_EQ(h[3].note, "new address");
  EXPECT_EQ(h[4].status, OrderStatus::kShipped);
  EXPECT_EQ(h[4].from, OrderStatus::kCompleted);
  EXPECT_EQ(h[4].version, 5u);
  EXPECT_TRUE(h[4].by_client);
  EXPECT_EQ(h[4].note, "tracking 1Z999");
}

TEST(OrderHistoryTest, ARejectionCarriesItsReason) {
  OrderSnapshot s = order_at(
      {{OrderStatus::kPending, 10}, {OrderStatus::kProcessing, 20}, {OrderStatus::kRejected, 30}});
  s.reason = "order total exceeds the limit per order";
  auto h = order_history(s);
  ASSERT_EQ(h.size(), 3u);
  EXPECT_EQ(h[2].note, s.reason);
  EXPECT_EQ(h[2].from, OrderStatus::kProcessing);
}

TEST(OrderHistoryTest, AnUntouchedOrderHasNoUpdateTime) {
  OrderSnapshot s = order_at({{OrderStatus::kPending, 10}});
  EXPECT_EQ(s.version(), 1u);
  EXPECT_EQ(s.updated_at(), 0);
}

}  // namespace
}  // namespace orderd
