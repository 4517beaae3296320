#include "engine/order.h"

#include <gtest/gtest.h>

namespace orderd {
namespace {

TEST(OrderTest, SnapshotCopiesEveryField) {
  Order order;
  order.seq = 7;
  order.client_id = "ORD-1";
  order.user_id = 3;
  order.client_total = 5999;
  order.items = {{101, 1, 1000}, {102, 2, 250}};
  order.catalog_subtotal = 1500;
  order.discount = 0;
  order.status.store(OrderStatus::kCompleted);
  order.at[static_cast<std::size_t>(OrderTimestamp::kCreated)] = 100;
  order.at[static_cast<std::size_t>(OrderTimestamp::kCompleted)] = 300;
  order.set_reason("n/a");

  OrderSnapshot s = order.snapshot();
  EXPECT_EQ(s.seq, 7u);
  EXPECT_EQ(s.client_id, "ORD-1");
  EXPECT_EQ(s.user_id, 3u);
  EXPECT_EQ(s.client_total, 5999);
  EXPECT_EQ(s.items, order.items);
  EXPECT_EQ(s.status, OrderStatus::kCompleted);
  EXPECT_EQ(s.timestamp(OrderTimestamp::kCreated), 100);
  EXPECT_EQ(s.timestamp(OrderTimestamp::kCompleted), 300);
  EXPECT_EQ(s.timestamp(OrderTimestamp::kProcessingStarted), 0);
  EXPECT_EQ(s.reason, "n/a");
  EXPECT_EQ(s.unit_count(), 3u);
  EXPECT_EQ(s.catalog_total(), 1500);
}

}  // namespace
}  // namespace orderd
