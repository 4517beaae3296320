#include "persistence/record_codec.h"

#include <gtest/gtest.h>

namespace orderd::persistence {
namespace {

OrderSnapshot full_order() {
  OrderSnapshot o;
  o.seq = 123;
  o.client_id = "order-ü-1";
  o.user_id = 99;
  o.items = {{5, 2, 150}, {9, 1, 300}};
  o.client_total = 600;
  o.catalog_subtotal = 600;
  o.discount = 60;
  o.status = OrderStatus::kRejected;
  o.at = {1000, 2000, 0, 3000, 0};
  o.reason = "too expensive";
  return o;
}

void expect_same(const OrderSnapshot& a, const OrderSnapshot& b) {
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.client_id, b.client_id);
  EXPECT_EQ(a.user_id, b.user_id);
  EXPECT_EQ(a.items, b.items);
  EXPECT_EQ(a.client_total, b.client_total);
  EXPECT_EQ(a.catalog_subtotal, b.catalog_subtotal);
  EXPECT_EQ(a.discount, b.discount);
  EXPECT_EQ(a.status, b.status);
  EXPECT_EQ(a.at, b.at);
  EXPECT_EQ(a.reason, b.reason);
}

TEST(RecordCodecTest, OrderRoundTripsWithEveryField) {
  std::string payload;
  encode_order(full_order(), &payload);
  OrderSnapshot decoded;
  ASSERT_TRUE(decode_order(payload, &decoded));
  expect_same(decoded, full_order());
}

TEST(RecordCodecTest, ReturnedOrderRoundTripsWithEveryLifecycleTimestamp) {
  OrderSnapshot o = full_order();
  o.status = OrderStatus::kReturned;
  o.at = {1000, 2000, 3000, 0, 0, 4000, 5000, 6000};
  o.reason = "did not fit";
  std::string payload;
  encode_order(o, &payload);
  OrderSnapshot decoded;
  ASSERT_TRUE(decode_order(payload, &decoded));
  expect_same(decoded, o);
}

TEST(RecordCodecTest, StatusChangesAfterCompletionCarryTheirStatusAndTimestamp) {
  Order order;
  order.client_id = "late";
  order.items = {{1, 2, 111}};
  order.catalog_subtotal = 222;
  order.reason = "did not fit";
  const std::pair<OrderStatus, const char*> kMoves[] = {
      {OrderStatus::kShipped, ""},
      {OrderStatus::kDelivered, ""},
      {OrderStatus::kReturned, "did not fit"},
  };
  Micros at = 100;
  for (auto [status, reason] : kMoves) {
    order.status = status;
    order.at[timestamp_index(reached_at(status))] = ++at;
    std::string payload;
    encode_status_change(order, &payload);
    OrderTransition t;
    std::vector<Cents> prices;
    ASSERT_TRUE(decode_status_change(payload, &t, &prices)) << status_name(status);
    EXPECT_EQ(t.to, status);
    EXPECT_EQ(t.at, at);
    EXPECT_FALSE(t.priced) << "prices are fixed at completion";
    EXPECT_EQ(t.reason, reason);
  }
}

TEST(RecordCodecTest, UnpricedPendingOrderRoundTripsCompactly) {
  OrderSnapshot o;
  o.seq = 1;
  o.client_id = "p";
  o.items = {{1, 1, 0}};
  o.at[0] = 42;
  std::string payload;
  encode_order(o, &payload);
  OrderSnapshot decoded = full_order();  // decoding overwrites every field
  ASSERT_TRUE(decode_order(payload, &decoded));
  expect_same(decoded, o);
  std::string priced_payload;
  encode_order(full_order(), &priced_payload);
  EXPECT_LT(payload.size(), priced_payload.size());
}

TEST(RecordCodecTest, LiveOrderEncodesLikeItsSnapshot) {
  Order live;
  OrderSnapshot s = full_order();
  live.seq = s.seq;
  live.client_id = s.client_id;
  live.user_id = s.user_id;
  live.items = s.items;
  live.client_total = s.client_total;
  live.catalog_subtotal = s.catalog_subtotal;
  live.discount = s.discount;
  live.status = s.status;
  live.at = s.at;
  live.reason = s.reason;
  std::string from_live, from_snapshot;
  encode_order(live, &from_live);
  encode_order(s, &from_snapshot);
  EXPECT_EQ(from_live, from_snapshot);
}

TEST(RecordCodecTest, EveryTruncationOfAnOrderFailsToDecode) {
  std::string payload;
  encode_order(full_order(), &payload);
  for (std::size_t n = 0; n < payload.size(); ++n) {
    OrderSnapshot o;
    EXPECT_FALSE(decode_order(payload.substr(0, n), &o)) << n;
  }
  OrderSnapshot o;
  EXPECT_FALSE(decode_order(payload + "x", &o)) << "trailing bytes";
}

TEST(RecordCodecTest, OutOfRangeValuesFailToDecode) {
  std::string payload;
  encode_order(full_order(), &payload);
  const std::size_t status_at = 8 + 4 + full_order().client_id.size() + 8 + 8;
  std::string bad = payload;
  bad[status_at] = 9;  // no such status
  OrderSnapshot o;
  EXPECT_FALSE(decode_order(bad, &o));
  bad = payload;
  bad[status_at + 1] = static_cast<char>(0xFF);  // more timestamps than the payload holds
  EXPECT_FALSE(decode_order(bad, &o));
}

TEST(RecordCodecTest, StatusChangeRoundTripsWithPricesAndReason) {
  Order order;
  order.client_id = "c-7";
  order.items = {{1, 2, 111}, {2, 1, 222}};
  order.catalog_subtotal = 444;
  order.discount = 4;
  order.status = OrderStatus::kCompleted;
  order.at[timestamp_index(OrderTimestamp::kCompleted)] = 777;
  order.reason = "ignored unless rejected or cancelled";
  std::string payload;
  encode_status_change(order, &payload);
  OrderTransition t;
  std::vector<Cents> prices;
  ASSERT_TRUE(decode_status_change(payload, &t, &prices));
  EXPECT_EQ(t.client_id, "c-7");
  EXPECT_EQ(t.to, OrderStatus::kCompleted);
  EXPECT_EQ(t.at, 777);
  EXPECT_TRUE(t.priced);
  EXPECT_EQ(std::vector<Cents>(t.unit_prices.begin(), t.unit_prices.end()),
            (std::vector<Cents>{111, 222}));
  EXPECT_EQ(t.catalog_subtotal, 444);
  EXPECT_EQ(t.discount, 4);
  EXPECT_EQ(t.reason, "");

  order.status = OrderStatus::kCancelled;
  order.at[timestamp_index(OrderTimestamp::kCancelled)] = 888;
  order.reason = "changed mind";
  payload.clear();
  encode_status_change(order, &payload);
  ASSERT_TRUE(decode_status_change(payload, &t, &prices));
  EXPECT_EQ(t.to, OrderStatus::kCancelled);
  EXPECT_EQ(t.at, 888);
  EXPECT_FALSE(t.priced) << "a cancellation fixes no prices";
  EXPECT_EQ(t.reason, "changed mind");
  for (std::size_t n = 0; n < payload.size(); ++n) {
    EXPECT_FALSE(decode_status_change(payload.substr(0, n), &t, &prices)) << n;
  }
}

TEST(RecordCodecTest, ProductKeepsOnlyWhatRecoveryCannotDerive) {
  ProductInfo p{7, "widget", 1999, 3, 10, 5, 9, 3, 0, {}};
  std::string payload;
  encode_product(p, &payload);
  ProductInfo d;
  ASSERT_TRUE(decode_product(payload, &d));
  EXPECT_EQ(d.id, 7u);
  EXPECT_EQ(d.name, "widget");
  EXPECT_EQ(d.price, 1999);
  EXPECT_EQ(d.initial, 10);
  EXPECT_EQ(d.restocked, 5);
  EXPECT_EQ(d.available, 15) << "until orders are restored, all stock is available";
  EXPECT_EQ(d.held, 0);
  EXPECT_EQ(d.consumed, 0);
}

TEST(RecordCodecTest, RestockAndSnapshotMarkersRoundTrip) {
  std::string payload;
  encode_restock({3, 40, 140}, &payload);
  RestockRecord r;
  ASSERT_TRUE(decode_restock(payload, &r));
  EXPECT_EQ(r.product_id, 3u);
  EXPECT_EQ(r.quantity, 40);
  EXPECT_EQ(r.restocked_total, 140);
  payload.clear();
  encode_restock({3, 0, 140}, &payload);
  EXPECT_FALSE(decode_restock(payload, &r)) << "a restock adds something";

  payload.clear();
  encode_snapshot_begin({55, 1234}, &payload);
  SnapshotBeginRecord b;
  ASSERT_TRUE(decode_snapshot_begin(payload, &b));
  EXPECT_EQ(b.replay_from_seq, 55u);
  EXPECT_EQ(b.started_at, 1234);
  payload.clear();
  encode_snapshot_end({10, 2, 60}, &payload);
  SnapshotEndRecord e;
  ASSERT_TRUE(decode_snapshot_end(payload, &e));
  EXPECT_EQ(e.orders, 10u);
  EXPECT_EQ(e.products, 2u);
  EXPECT_EQ(e.captured_through_seq, 60u);
}

}  // namespace
}  // namespace orderd::persistence
