#include "persistence/record_codec.h"

#include <gtest/gtest.h>

#include <limits>

#include "persistence/coding.h"

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
  EXPECT_EQ(a.details, b.details);
  EXPECT_EQ(a.notes, b.notes);
}

OrderDetails full_details() {
  OrderDetails d;
  d.customer_email = "ada@example.com";
  d.currency = "EUR";
  d.tax = 123;
  d.shipping = 450;
  d.shipping_address = {"1 Main St", "Apt 4", "Springfield", "IL", "62704", "US"};
  d.billing_address = {"PO Box 9", "", "Shelbyville", "", "62565", "US"};
  d.payment = {"credit_card", "paid", "4242"};
  d.metadata = R"({"gift":true})";
  return d;
}

// A managed order that clients moved on: Shipped, its details updated.
OrderSnapshot managed_order() {
  OrderSnapshot o = full_order();
  o.status = OrderStatus::kShipped;
  o.at = {1000, 2000, 3000, 0, 0, 5000, 0, 0};
  o.reason.clear();
  o.details = full_details();
  o.notes = {{4000, 4, OrderChange::kUpdated, OrderStatus::kCompleted, "new billing address"},
             {5000, 5, OrderChange::kStatus, OrderStatus::kShipped, "left the warehouse"}};
  return o;
}

// A live order in the state of `s`, as the engine hands it to a sink.
void fill_live(const OrderSnapshot& s, Order* live) {
  live->seq = s.seq;
  live->client_id = s.client_id;
  live->user_id = s.user_id;
  live->items = s.items;
  live->client_total = s.client_total;
  live->catalog_subtotal = s.catalog_subtotal;
  live->discount = s.discount;
  live->status = s.status;
  live->at = s.at;
  live->set_reason(s.reason);
  if (s.details || !s.notes.empty()) {
    live->extras = std::make_unique<OrderExtras>();
    live->extras->details = s.details;
    live->extras->notes = s.notes;
  }
}

// A client's move of `order` to `to` at `at`, logged as the engine does.
void client_move(Order& order, OrderStatus to, Micros at, std::string note) {
  order.status = to;
  order.at[timestamp_index(reached_at(to))] = at;
  if (!order.extras) order.extras = std::make_unique<OrderExtras>();
  order.extras->notes.push_back({at, 0, OrderChange::kStatus, to, std::move(note)});
}

std::string encoded(const OrderSnapshot& o) {
  std::string payload;
  encode_order(o, &payload);
  return payload;
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
  order.set_reason("did not fit");
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
    encode_status_change(order, /*by_client=*/false, &payload);
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
  live.set_reason(s.reason);
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
  order.set_reason("ignored unless rejected or cancelled");
  std::string payload;
  encode_status_change(order, /*by_client=*/false, &payload);
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
  order.set_reason("changed mind");
  payload.clear();
  encode_status_change(order, /*by_client=*/false, &payload);
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

TEST(RecordCodecTest, RefusesInstantsBeforeTheEpochOrAfterTheYear10000) {
  // The engine subtracts and adds them while restoring (found by fuzzing).
  for (const Micros at :
       {Micros{-1}, Micros{253'402'300'800'000'001}, std::numeric_limits<Micros>::min()}) {
    OrderSnapshot o = full_order();
    o.at[timestamp_index(OrderTimestamp::kCreated)] = at;
    OrderSnapshot d;
    EXPECT_FALSE(decode_order(encoded(o), &d)) << at;
  }
  OrderSnapshot o = full_order();
  o.at[timestamp_index(OrderTimestamp::kCreated)] = 253'402'300'800'000'000;
  OrderSnapshot d;
  EXPECT_TRUE(decode_order(encoded(o), &d));
}

TEST(RecordCodecTest, RefusesStockAndPricesBeyondTheCatalogsLimits) {
  // Checksums that match do not make values sane: such sums would overflow.
  const auto decodes = [](std::int64_t price, std::int64_t initial, std::int64_t restocked) {
    ProductInfo p;
    p.id = 7;
    p.name = "widget";
    p.price = price;
    p.initial = initial;
    p.restocked = restocked;
    std::string payload;
    encode_product(p, &payload);
    ProductInfo d;
    return decode_product(payload, &d);
  };
  const std::int64_t huge = (std::int64_t{1} << 62) + 1;  // past the most restocked over a life
  EXPECT_TRUE(decodes(Catalog::kMaxPrice, Catalog::kMaxStock, 1000));
  EXPECT_FALSE(decodes(Catalog::kMaxPrice + 1, 10, 0));
  EXPECT_FALSE(decodes(1, Catalog::kMaxStock + 1, 0));
  EXPECT_FALSE(decodes(1, huge, huge));
  EXPECT_FALSE(decodes(1, 10, huge));

  std::string payload;
  RestockRecord r;
  encode_restock({3, Catalog::kMaxStock + 1, Catalog::kMaxStock + 1}, &payload);
  EXPECT_FALSE(decode_restock(payload, &r));
  payload.clear();
  encode_restock({3, 5, huge}, &payload);
  EXPECT_FALSE(decode_restock(payload, &r));
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

TEST(RecordCodecTest, ManagedOrderRoundTripsWithDetailsAndNotes) {
  OrderSnapshot decoded;
  ASSERT_TRUE(decode_order(encoded(managed_order()), &decoded));
  expect_same(decoded, managed_order());
  // Decoding into a reused snapshot clears what the record does not hold.
  ASSERT_TRUE(decode_order(encoded(full_order()), &decoded));
  EXPECT_FALSE(decoded.details.has_value());
  EXPECT_TRUE(decoded.notes.empty());
}

TEST(RecordCodecTest, DetailsAndNotesAreEachOptional) {
  OrderSnapshot details_only = managed_order();
  details_only.notes.clear();
  OrderSnapshot notes_only = managed_order();  // a plain order a client moved on
  notes_only.details.reset();
  for (const OrderSnapshot& o : {details_only, notes_only}) {
    OrderSnapshot decoded;
    ASSERT_TRUE(decode_order(encoded(o), &decoded));
    expect_same(decoded, o);
  }
  OrderSnapshot empty_details = full_order();
  empty_details.details.emplace();  // managed, every field at its default
  OrderSnapshot decoded;
  ASSERT_TRUE(decode_order(encoded(empty_details), &decoded));
  ASSERT_TRUE(decoded.details.has_value());
  EXPECT_EQ(*decoded.details, OrderDetails{});
}

TEST(RecordCodecTest, LiveManagedOrderEncodesLikeItsSnapshot) {
  Order live;
  fill_live(managed_order(), &live);
  std::string from_live;
  encode_order(live, &from_live);
  EXPECT_EQ(from_live, encoded(managed_order()));
}

// The version 2 layout of an order, written out field by field: a plain
// order without notes must still encode exactly so (no cost for what it
// does not have), and such a record must decode as a plain order.
TEST(RecordCodecTest, PlainOrderIsEncodedByteForByteAsInVersionTwo) {
  const OrderSnapshot o = full_order();
  std::string v2;
  put_u64(&v2, o.seq);
  put_string(&v2, o.client_id);
  put_u64(&v2, o.user_id);
  put_i64(&v2, o.client_total);
  put_u8(&v2, static_cast<std::uint8_t>(o.status));
  put_u8(&v2, 0b1011);  // created, processing started, rejected
  for (Micros t : {1000, 2000, 3000}) put_i64(&v2, t);
  put_u8(&v2, 0x01);  // priced
  put_u32(&v2, 2);
  for (const auto& item : o.items) {
    put_u64(&v2, item.product_id);
    put_u32(&v2, item.quantity);
    put_i64(&v2, item.unit_price);
  }
  put_i64(&v2, o.catalog_subtotal);
  put_i64(&v2, o.discount);
  put_string(&v2, o.reason);
  EXPECT_EQ(encoded(o), v2);

  Order live;
  fill_live(o, &live);
  ASSERT_TRUE(live.extras);  // allocated for the reason, with no details or notes
  std::string from_live;
  encode_order(live, &from_live);
  EXPECT_EQ(from_live, v2);

  OrderSnapshot decoded = managed_order();
  ASSERT_TRUE(decode_order(v2, &decoded));
  expect_same(decoded, o);
}

TEST(RecordCodecTest, EveryTruncationOfAManagedOrderFailsToDecode) {
  const std::string payload = encoded(managed_order());
  for (std::size_t n = 0; n < payload.size(); ++n) {
    OrderSnapshot o;
    EXPECT_FALSE(decode_order(payload.substr(0, n), &o)) << n;
  }
  OrderSnapshot o;
  EXPECT_FALSE(decode_order(payload + "x", &o)) << "trailing bytes";
}

TEST(RecordCodecTest, MalformedDetailsAndNotesFailToDecode) {
  const OrderSnapshot base = managed_order();
  // The flags byte: after seq, client id, user id, total, status, mask and
  // the four timestamps set.
  const std::size_t flags_at = 8 + 4 + base.client_id.size() + 8 + 8 + 1 + 1 + 4 * sizeof(Micros);
  const std::string payload = encoded(base);
  ASSERT_EQ(payload[flags_at], 0x07) << "priced, details, notes";
  std::string bad = payload;
  bad[flags_at] = 0x0F;  // a flag no version defines
  OrderSnapshot o;
  EXPECT_FALSE(decode_order(bad, &o));
  bad = payload;
  bad[flags_at] = 0x03;  // notes present but not flagged: trailing bytes
  EXPECT_FALSE(decode_order(bad, &o));

  OrderSnapshot negative = base;
  negative.details->tax = -1;
  EXPECT_FALSE(decode_order(encoded(negative), &o)) << "negative tax";
  negative = base;
  negative.details->shipping = -5;
  EXPECT_FALSE(decode_order(encoded(negative), &o)) << "negative shipping";

  OrderSnapshot bad_note = base;
  bad_note.notes[0].change = static_cast<OrderChange>(2);
  EXPECT_FALSE(decode_order(encoded(bad_note), &o)) << "no such change";
  bad_note = base;
  bad_note.notes[0].status = static_cast<OrderStatus>(kOrderStatusCount);
  EXPECT_FALSE(decode_order(encoded(bad_note), &o)) << "no such status";

  // A note count of zero (never written: the flag says there are notes),
  // and one larger than the payload could hold.
  OrderSnapshot one_note = base;
  one_note.notes.resize(1);
  const std::string with_one = encoded(one_note);
  const std::size_t count_at =
      with_one.size() - (8 + 4 + 1 + 1 + 4 + one_note.notes[0].note.size()) - 4;
  ASSERT_EQ(decode_u32(with_one.data() + count_at), 1u);
  for (std::uint32_t count : {0u, 2u, 0xFFFFFFFFu}) {
    bad = with_one;
    encode_u32(bad.data() + count_at, count);
    EXPECT_FALSE(decode_order(bad, &o)) << count;
  }
}

TEST(RecordCodecTest, ClientMovesCarryTheirNoteAsTheReason) {
  Order order;
  fill_live(full_order(), &order);
  order.status = OrderStatus::kCompleted;
  order.set_reason("");
  order.at = {1000, 2000, 3000, 0, 0, 0, 0, 0};
  const std::pair<OrderStatus, const char*> kMoves[] = {
      {OrderStatus::kShipped, "left the warehouse"},
      {OrderStatus::kDelivered, ""},
      {OrderStatus::kReturned, "damaged"},
  };
  Micros at = 5000;
  for (auto [to, note] : kMoves) {
    client_move(order, to, ++at, note);
    if (to == OrderStatus::kReturned) order.set_reason(note);  // the engine keeps them equal
    std::string payload;
    encode_status_change(order, /*by_client=*/true, &payload);
    OrderTransition t;
    std::vector<Cents> prices;
    ASSERT_TRUE(decode_status_change(payload, &t, &prices)) << status_name(to);
    EXPECT_EQ(t.to, to);
    EXPECT_EQ(t.at, at);
    EXPECT_TRUE(t.by_client);
    EXPECT_EQ(t.reason, note);
    EXPECT_FALSE(t.note.has_value()) << "the reason is the note";
    for (std::size_t n = 0; n < payload.size(); ++n) {
      EXPECT_FALSE(decode_status_change(payload.substr(0, n), &t, &prices)) << n;
    }
  }
}

TEST(RecordCodecTest, AConfirmationTheLimitRejectsKeepsReasonAndNoteApart) {
  Order order;
  fill_live(full_order(), &order);  // Rejected, priced
  order.set_reason("order total exceeds the limit per order");
  order.extras->notes.push_back({3000, 3, OrderChange::kStatus, OrderStatus::kRejected, "ok"});
  std::string payload;
  encode_status_change(order, /*by_client=*/true, &payload);
  OrderTransition t;
  std::vector<Cents> prices;
  ASSERT_TRUE(decode_status_change(payload, &t, &prices));
  EXPECT_EQ(t.to, OrderStatus::kRejected);
  EXPECT_TRUE(t.by_client);
  EXPECT_TRUE(t.priced);
  EXPECT_EQ(t.reason, "order total exceeds the limit per order");
  ASSERT_TRUE(t.note.has_value());
  EXPECT_EQ(*t.note, "ok");
  for (std::size_t n = 0; n < payload.size(); ++n) {
    EXPECT_FALSE(decode_status_change(payload.substr(0, n), &t, &prices)) << n;
  }
  EXPECT_FALSE(decode_status_change(payload + "x", &t, &prices)) << "trailing bytes";

  // A worker's move records no note, whatever the order's notes hold.
  payload.clear();
  encode_status_change(order, /*by_client=*/false, &payload);
  ASSERT_TRUE(decode_status_change(payload, &t, &prices));
  EXPECT_FALSE(t.by_client);
  EXPECT_FALSE(t.note.has_value());
  EXPECT_EQ(t.reason, "order total exceeds the limit per order");
}

TEST(RecordCodecTest, StatusChangeFlagsOutsideTheFormatFailToDecode) {
  Order order;
  fill_live(full_order(), &order);
  order.status = OrderStatus::kCancelled;
  order.at[timestamp_index(OrderTimestamp::kCancelled)] = 4000;
  order.set_reason("cancelled");
  std::string payload;
  encode_status_change(order, /*by_client=*/false, &payload);
  const std::size_t flags_at = 4 + order.client_id.size() + 1 + 8;
  ASSERT_EQ(payload[flags_at], 0x00);
  OrderTransition t;
  std::vector<Cents> prices;
  for (char flags : {0x04, 0x08, 0x80}) {  // a separate note without by_client; unknown bits
    std::string bad = payload;
    bad[flags_at] = flags;
    EXPECT_FALSE(decode_status_change(bad, &t, &prices)) << int(flags);
  }
  std::string by_client = payload;
  by_client[flags_at] = 0x02;
  ASSERT_TRUE(decode_status_change(by_client, &t, &prices));
  EXPECT_TRUE(t.by_client);
  EXPECT_EQ(t.reason, "cancelled");
}

// A version 2 status change is a version 3 one without the new flags: a
// move that no client is known to have made, logging no note.
TEST(RecordCodecTest, VersionTwoStatusChangeDecodesAsAMoveWithoutANote) {
  std::string v2;
  put_string(&v2, "v2-order");
  put_u8(&v2, static_cast<std::uint8_t>(OrderStatus::kCancelled));
  put_i64(&v2, 4000);
  put_u8(&v2, 0);
  put_string(&v2, "changed my mind");
  OrderTransition t;
  t.by_client = true;
  t.note = "stale";
  std::vector<Cents> prices;
  ASSERT_TRUE(decode_status_change(v2, &t, &prices));
  EXPECT_EQ(t.client_id, "v2-order");
  EXPECT_EQ(t.to, OrderStatus::kCancelled);
  EXPECT_EQ(t.at, 4000);
  EXPECT_EQ(t.reason, "changed my mind");
  EXPECT_FALSE(t.by_client);
  EXPECT_FALSE(t.note.has_value());
}

TEST(RecordCodecTest, OrderUpdateRoundTripsWithItsNoteAndInstant) {
  Order order;
  fill_live(managed_order(), &order);
  order.extras->notes.push_back(
      {6000, 6, OrderChange::kUpdated, OrderStatus::kShipped, "payment received"});
  order.extras->details->payment.status = "refunded";
  std::string payload;
  encode_order_update(order, &payload);
  OrderUpdateRecord u;
  ASSERT_TRUE(decode_order_update(payload, &u));
  EXPECT_EQ(u.client_id, order.client_id);
  EXPECT_EQ(u.at, 6000);
  EXPECT_EQ(u.note, "payment received");
  EXPECT_EQ(u.details, *order.extras->details);
  for (std::size_t n = 0; n < payload.size(); ++n) {
    EXPECT_FALSE(decode_order_update(payload.substr(0, n), &u)) << n;
  }
  EXPECT_FALSE(decode_order_update(payload + "x", &u)) << "trailing bytes";

  order.extras->details->tax = -1;
  payload.clear();
  encode_order_update(order, &payload);
  EXPECT_FALSE(decode_order_update(payload, &u)) << "negative tax";
}

CustomerInfo full_customer() {
  CustomerInfo c;
  c.id = 42;
  c.external_ref = "cust_123";
  c.name = "Ada Lovelace";
  c.first_name = "Ada";
  c.last_name = "Lovelace";
  c.email = "Ada@Example.com";
  c.phone = "+44 20 7946 0000";
  c.city = "London";
  c.member_since = 1'700'000'000'000'000;
  return c;
}

TEST(RecordCodecTest, CustomerRoundTripsWithEveryField) {
  std::string payload;
  encode_customer(full_customer(), &payload);
  CustomerInfo d;
  d.implicit = true;
  ASSERT_TRUE(decode_customer(payload, &d));
  EXPECT_EQ(d, full_customer()) << "every field, and registered (not implicit)";
  for (std::size_t n = 0; n < payload.size(); ++n) {
    EXPECT_FALSE(decode_customer(payload.substr(0, n), &d)) << n;
  }
  EXPECT_FALSE(decode_customer(payload + "x", &d)) << "trailing bytes";
  CustomerInfo no_id = full_customer();
  no_id.id = 0;
  payload.clear();
  encode_customer(no_id, &payload);
  EXPECT_FALSE(decode_customer(payload, &d)) << "customer ids start at 1";
}

TEST(RecordCodecTest, PasswordHashRoundTripsAndACustomerWithoutOneIsAsInVersionThree) {
  CustomerInfo c = full_customer();
  c.password_hash = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$qLml5cbNqNz3eP4YbSUsLQ";
  std::string payload;
  encode_customer(c, &payload);
  CustomerInfo d;
  ASSERT_TRUE(decode_customer(payload, &d));
  EXPECT_EQ(d, c) << "the hash too";
  const std::size_t version_three_size = payload.size() - 4 - c.password_hash.size();
  for (std::size_t n = 0; n < payload.size(); ++n) {
    if (n == version_three_size) continue;  // the record without the hash, below
    EXPECT_FALSE(decode_customer(payload.substr(0, n), &d)) << n;
  }
  EXPECT_FALSE(decode_customer(payload + "x", &d)) << "trailing bytes";

  // What version 3 wrote for the same customer: every field but the hash,
  // spelled out here rather than by encode_customer.
  std::string v3;
  put_u64(&v3, 42);
  for (const char* field : {"cust_123", "Ada Lovelace", "Ada", "Lovelace", "Ada@Example.com",
                            "+44 20 7946 0000", "London"}) {
    put_string(&v3, field);
  }
  put_i64(&v3, 1'700'000'000'000'000);
  EXPECT_EQ(payload.substr(0, version_three_size), v3);
  d.password_hash = "stale";
  ASSERT_TRUE(decode_customer(v3, &d));
  EXPECT_EQ(d, full_customer()) << "decodes with no password";
  EXPECT_EQ(d.password_hash, "");
  payload.clear();
  encode_customer(full_customer(), &payload);
  EXPECT_EQ(payload, v3) << "a customer without a password costs nothing new";

  std::string empty_hash = v3;
  put_string(&empty_hash, "");
  EXPECT_FALSE(decode_customer(empty_hash, &d)) << "a hash is written only when there is one";
}

TEST(RecordCodecTest, ProductSkuRoundTripsAndAProductWithoutOneIsAsInVersionTwo) {
  ProductInfo p{7, "widget", 1999, 3, 10, 5, 9, 3, 0, "prod_456"};
  std::string payload;
  encode_product(p, &payload);
  ProductInfo d;
  ASSERT_TRUE(decode_product(payload, &d));
  EXPECT_EQ(d.sku, "prod_456");
  EXPECT_EQ(d.name, "widget");
  EXPECT_EQ(d.restocked, 5);
  for (std::size_t n = 0; n < payload.size(); ++n) {
    if (n == payload.size() - 4 - p.sku.size()) continue;  // the version 2 record, below
    EXPECT_FALSE(decode_product(payload.substr(0, n), &d)) << n;
  }
  EXPECT_FALSE(decode_product(payload + "x", &d)) << "trailing bytes";

  std::string v2;  // u64 id, string name, i64 price, i64 initial, i64 restocked
  put_u64(&v2, 7);
  put_string(&v2, "widget");
  put_i64(&v2, 1999);
  put_i64(&v2, 10);
  put_i64(&v2, 5);
  p.sku.clear();
  payload.clear();
  encode_product(p, &payload);
  EXPECT_EQ(payload, v2);
  d.sku = "stale";
  ASSERT_TRUE(decode_product(v2, &d));
  EXPECT_EQ(d.sku, "");

  std::string empty_sku = v2;
  put_string(&empty_sku, "");
  EXPECT_FALSE(decode_product(empty_sku, &d)) << "an SKU is written only when there is one";
}

TEST(RecordCodecTest, SnapshotEndCountsCustomersAndRevocationsAndOlderEndsHaveNone) {
  std::string payload;
  encode_snapshot_end({10, 2, 60, 7, 5}, &payload);
  SnapshotEndRecord e;
  ASSERT_TRUE(decode_snapshot_end(payload, &e));
  EXPECT_EQ(e.orders, 10u);
  EXPECT_EQ(e.products, 2u);
  EXPECT_EQ(e.captured_through_seq, 60u);
  EXPECT_EQ(e.customers, 7u);
  EXPECT_EQ(e.revocations, 5u);
  EXPECT_FALSE(decode_snapshot_end(payload + "x", &e));
  for (std::size_t n = 0; n < payload.size(); ++n) {
    if (n == 24 || n == 32) continue;  // the version 2 and 3 records, below
    EXPECT_FALSE(decode_snapshot_end(payload.substr(0, n), &e)) << n;
  }
  ASSERT_TRUE(decode_snapshot_end(payload.substr(0, 32), &e));
  EXPECT_EQ(e.customers, 7u);
  EXPECT_EQ(e.revocations, 0u) << "version 3 had no revocations";
  ASSERT_TRUE(decode_snapshot_end(payload.substr(0, 24), &e));
  EXPECT_EQ(e.captured_through_seq, 60u);
  EXPECT_EQ(e.customers, 0u);
  EXPECT_EQ(e.revocations, 0u);
}

TEST(RecordCodecTest, IdempotencyReplyRoundTripsWithEveryField) {
  const std::string key(255, 'k');  // the longest key
  const std::string body = R"({"order_id":"ORD-1","status":"Pending"})";
  std::string payload;
  encode_idempotency_reply({key, 0xFEDCBA9876543210ULL, 201, body, "\"3\"", 1'700'000'000'000'000},
                           &payload);
  EXPECT_EQ(payload.size(), 1 + key.size() + 8 + 2 + 4 + 3 + 4 + body.size() + 8);
  IdempotencyRecord r;
  ASSERT_TRUE(decode_idempotency_reply(payload, &r));
  EXPECT_EQ(r.key, key);
  EXPECT_EQ(r.fingerprint, 0xFEDCBA9876543210ULL);
  EXPECT_EQ(r.status, 201u);
  EXPECT_EQ(r.body, body);
  EXPECT_EQ(r.etag, "\"3\"");
  EXPECT_EQ(r.created_at, 1'700'000'000'000'000);

  payload.clear();
  encode_idempotency_reply({"k", 0, 599, "", "", 0}, &payload);  // empty body and tag
  ASSERT_TRUE(decode_idempotency_reply(payload, &r));
  EXPECT_EQ(r.key, "k");
  EXPECT_EQ(r.status, 599u);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(r.etag, "");
}

TEST(RecordCodecTest, EveryTruncationOfAnIdempotencyReplyFailsToDecode) {
  std::string payload;
  encode_idempotency_reply({"key-1", 7, 409, R"({"error":"duplicate"})", "", 99}, &payload);
  IdempotencyRecord r;
  for (std::size_t n = 0; n < payload.size(); ++n) {
    EXPECT_FALSE(decode_idempotency_reply(payload.substr(0, n), &r)) << n;
  }
  EXPECT_FALSE(decode_idempotency_reply(payload + "x", &r)) << "trailing bytes";
}

TEST(RecordCodecTest, IdempotencyReplyOutsideWhatTheStoreRestoresFailsToDecode) {
  IdempotencyRecord r;
  std::string payload;
  encode_idempotency_reply({"", 1, 200, "b", "", 5}, &payload);
  EXPECT_FALSE(decode_idempotency_reply(payload, &r)) << "empty key";
  for (unsigned status : {0u, 99u, 600u, 65535u}) {
    payload.clear();
    encode_idempotency_reply({"key", 1, status, "b", "", 5}, &payload);
    EXPECT_FALSE(decode_idempotency_reply(payload, &r)) << status;
  }
  // A key size beyond the payload.
  payload.clear();
  encode_idempotency_reply({"key", 1, 200, "b", "", 5}, &payload);
  payload[0] = static_cast<char>(200);
  EXPECT_FALSE(decode_idempotency_reply(payload, &r));
  // A body size beyond the payload.
  payload.clear();
  encode_idempotency_reply({"key", 1, 200, "b", "", 5}, &payload);
  const std::size_t body_size_at = 1 + 3 + 8 + 2 + 4;
  payload[body_size_at] = static_cast<char>(0x7F);
  EXPECT_FALSE(decode_idempotency_reply(payload, &r));
}

TEST(RecordCodecTest, TokenRevocationRoundTripsCompactly) {
  const std::string longest(kMaxTokenIdBytes, '~');
  for (const std::string& id :
       {longest, std::string("a"), std::string("9f1c1b2e-jti with spaces")}) {
    std::string payload;
    encode_revocation({id, 1'700'000'003'600'000'000}, &payload);
    EXPECT_EQ(payload.size(), 1 + id.size() + 8) << "u8 size, id, i64 expiry";
    RevokedToken t;
    ASSERT_TRUE(decode_revocation(payload, &t)) << id;
    EXPECT_EQ(t.id, id);
    EXPECT_EQ(t.expires_at, 1'700'000'003'600'000'000);
    for (std::size_t n = 0; n < payload.size(); ++n) {
      EXPECT_FALSE(decode_revocation(payload.substr(0, n), &t)) << n;
    }
    EXPECT_FALSE(decode_revocation(payload + "x", &t)) << "trailing bytes";
  }
}

TEST(RecordCodecTest, TokenRevocationOutsideWhatTheSetRestoresFailsToDecode) {
  RevokedToken t;
  for (const std::string& id :
       {std::string(), std::string("new\nline"), std::string("tab\t"), std::string("caf\xc3\xa9"),
        std::string(kMaxTokenIdBytes + 1, 'x')}) {
    std::string payload;
    encode_revocation({id, 5}, &payload);
    EXPECT_FALSE(decode_revocation(payload, &t)) << id;
  }
  for (Micros expires_at : {Micros{0}, Micros{-1}}) {
    std::string payload;
    encode_revocation({"jti", expires_at}, &payload);
    EXPECT_FALSE(decode_revocation(payload, &t)) << expires_at;
  }
  // An id size beyond the payload.
  std::string payload;
  encode_revocation({"jti", 5}, &payload);
  payload[0] = static_cast<char>(200);
  EXPECT_FALSE(decode_revocation(payload, &t));
}

}  // namespace
}  // namespace orderd::persistence
