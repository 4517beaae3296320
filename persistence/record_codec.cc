#include "persistence/record_codec.h"

#include "persistence/coding.h"

namespace orderd::persistence {
namespace {

// Flags byte of an order and of a status change.
constexpr std::uint8_t kPriced = 0x01;  // unit prices, subtotal and discount follow

OrderStatus status_of(const Order& order) { return order.status.load(std::memory_order_relaxed); }
OrderStatus status_of(const OrderSnapshot& order) { return order.status; }

// The helpers below serve Order and OrderSnapshot alike, so they cannot name
// an Order's lock; the entry points taking an Order require it instead.
template <typename OrderLike>
bool is_priced(const OrderLike& order) NO_THREAD_SAFETY_ANALYSIS {
  if (order.catalog_subtotal != 0 || order.discount != 0) return true;
  for (const auto& item : order.items) {
    if (item.unit_price != 0) return true;
  }
  return false;
}

// Layout:
//   u64 seq, string client_id, u64 user_id, i64 client_total, u8 status,
//   u8 timestamp mask (bit i: at[i] follows), i64 per set bit,
//   u8 flags, u32 item count, per item u64 product id, u32 quantity
//   [, i64 unit price if priced], [i64 subtotal, i64 discount if priced],
//   string reason
template <typename OrderLike>
void encode_order_fields(const OrderLike& order, std::string* out) NO_THREAD_SAFETY_ANALYSIS {
  put_u64(out, order.seq);
  put_string(out, order.client_id);
  put_u64(out, order.user_id);
  put_i64(out, order.client_total);
  put_u8(out, static_cast<std::uint8_t>(status_of(order)));
  std::uint8_t mask = 0;
  for (std::size_t i = 0; i < kOrderTimestampCount; ++i) {
    if (order.at[i] != 0) mask |= static_cast<std::uint8_t>(1u << i);
  }
  put_u8(out, mask);
  for (std::size_t i = 0; i < kOrderTimestampCount; ++i) {
    if (order.at[i] != 0) put_i64(out, order.at[i]);
  }
  const bool priced = is_priced(order);
  put_u8(out, priced ? kPriced : 0);
  put_u32(out, static_cast<std::uint32_t>(order.items.size()));
  for (const auto& item : order.items) {
    put_u64(out, item.product_id);
    put_u32(out, item.quantity);
    if (priced) put_i64(out, item.unit_price);
  }
  if (priced) {
    put_i64(out, order.catalog_subtotal);
    put_i64(out, order.discount);
  }
  put_string(out, order.reason);
}

// The timestamps set are stored as a one-byte mask.
static_assert(kOrderTimestampCount <= 8);

// Whether a status change into `to` records the order's reason.
bool records_reason(OrderStatus to) {
  return to == OrderStatus::kRejected || to == OrderStatus::kCancelled ||
         to == OrderStatus::kReturned;
}

bool decode_status(std::uint8_t raw, OrderStatus* status) {
  if (raw >= kOrderStatusCount) return false;
  *status = static_cast<OrderStatus>(raw);
  return true;
}

}  // namespace

void encode_order(const Order& order, std::string* out) { encode_order_fields(order, out); }

void encode_order(const OrderSnapshot& order, std::string* out) { encode_order_fields(order, out); }

bool decode_order(std::string_view payload, OrderSnapshot* order) {
  Decoder in(payload);
  std::string_view client_id;
  std::uint8_t status = 0, mask = 0, flags = 0;
  std::uint32_t item_count = 0;
  if (!in.get_u64(&order->seq) || !in.get_string(&client_id) || !in.get_u64(&order->user_id) ||
      !in.get_i64(&order->client_total) || !in.get_u8(&status) || !in.get_u8(&mask)) {
    return false;
  }
  if (!decode_status(status, &order->status) || (mask >> kOrderTimestampCount) != 0) return false;
  order->client_id.assign(client_id);
  for (std::size_t i = 0; i < kOrderTimestampCount; ++i) {
    order->at[i] = 0;
    if ((mask & (1u << i)) && !in.get_i64(&order->at[i])) return false;
  }
  if (!in.get_u8(&flags) || (flags & ~kPriced) != 0 || !in.get_u32(&item_count)) return false;
  const bool priced = flags & kPriced;
  // Each item takes at least 12 bytes: refuse counts the payload cannot hold
  // before allocating for them.
  if (item_count > in.remaining() / 12) return false;
  order->items.resize(item_count);
  for (auto& item : order->items) {
    item.unit_price = 0;
    if (!in.get_u64(&item.product_id) || !in.get_u32(&item.quantity)) return false;
    if (priced && !in.get_i64(&item.unit_price)) return false;
  }
  order->catalog_subtotal = 0;
  order->discount = 0;
  if (priced && (!in.get_i64(&order->catalog_subtotal) || !in.get_i64(&order->discount))) {
    return false;
  }
  std::string_view reason;
  if (!in.get_string(&reason)) return false;
  order->reason.assign(reason);
  return in.done();
}

// Layout:
//   string client_id, u8 new status, i64 at, u8 flags,
//   [u32 count, i64 unit price per item, i64 subtotal, i64 discount if priced],
//   string reason (Rejected, Cancelled and Returned; else empty)
void encode_status_change(const Order& order, std::string* out) {
  const OrderStatus to = status_of(order);
  put_string(out, order.client_id);
  put_u8(out, static_cast<std::uint8_t>(to));
  put_i64(out, order.at[timestamp_index(reached_at(to))]);
  const bool priced =
      (to == OrderStatus::kCompleted || to == OrderStatus::kRejected) && is_priced(order);
  put_u8(out, priced ? kPriced : 0);
  if (priced) {
    put_u32(out, static_cast<std::uint32_t>(order.items.size()));
    for (const auto& item : order.items) put_i64(out, item.unit_price);
    put_i64(out, order.catalog_subtotal);
    put_i64(out, order.discount);
  }
  put_string(out, records_reason(to) ? std::string_view(order.reason) : std::string_view());
}

bool decode_status_change(std::string_view payload, OrderTransition* t,
                          std::vector<Cents>* unit_prices) {
  Decoder in(payload);
  std::uint8_t to = 0, flags = 0;
  if (!in.get_string(&t->client_id) || !in.get_u8(&to) || !in.get_i64(&t->at) ||
      !in.get_u8(&flags)) {
    return false;
  }
  if (!decode_status(to, &t->to) || t->to == OrderStatus::kPending) return false;
  if ((flags & ~kPriced) != 0) return false;
  t->priced = flags & kPriced;
  unit_prices->clear();
  t->catalog_subtotal = 0;
  t->discount = 0;
  if (t->priced) {
    std::uint32_t count = 0;
    if (!in.get_u32(&count) || count > in.remaining() / 8) return false;
    unit_prices->resize(count);
    for (auto& price : *unit_prices) {
      if (!in.get_i64(&price)) return false;
    }
    if (!in.get_i64(&t->catalog_subtotal) || !in.get_i64(&t->discount)) return false;
  }
  t->unit_prices = *unit_prices;
  if (!in.get_string(&t->reason)) return false;
  return in.done();
}

// Layout: u64 id, string name, i64 price, i64 initial, i64 restocked
void encode_product(const ProductInfo& p, std::string* out) {
  put_u64(out, p.id);
  put_string(out, p.name);
  put_i64(out, p.price);
  put_i64(out, p.initial);
  put_i64(out, p.restocked);
}

bool decode_product(std::string_view payload, ProductInfo* p) {
  Decoder in(payload);
  std::string_view name;
  if (!in.get_u64(&p->id) || !in.get_string(&name) || !in.get_i64(&p->price) ||
      !in.get_i64(&p->initial) || !in.get_i64(&p->restocked)) {
    return false;
  }
  if (p->price < 0 || p->initial < 0 || p->restocked < 0) return false;
  p->name.assign(name);
  // Only initial and restocked stock are stored; until orders are restored
  // all of it is available.
  p->available = p->initial + p->restocked;
  p->held = 0;
  p->consumed = 0;
  p->returned = 0;
  return in.done();
}

// Layout: u64 product id, i64 quantity, i64 restocked total
void encode_restock(const RestockRecord& r, std::string* out) {
  put_u64(out, r.product_id);
  put_i64(out, r.quantity);
  put_i64(out, r.restocked_total);
}

bool decode_restock(std::string_view payload, RestockRecord* r) {
  Decoder in(payload);
  if (!in.get_u64(&r->product_id) || !in.get_i64(&r->quantity) ||
      !in.get_i64(&r->restocked_total)) {
    return false;
  }
  return in.done() && r->quantity > 0 && r->restocked_total >= r->quantity;
}

// Layout: u64 replay from, i64 started at
void encode_snapshot_begin(const SnapshotBeginRecord& b, std::string* out) {
  put_u64(out, b.replay_from_seq);
  put_i64(out, b.started_at);
}

bool decode_snapshot_begin(std::string_view payload, SnapshotBeginRecord* b) {
  Decoder in(payload);
  if (!in.get_u64(&b->replay_from_seq) || !in.get_i64(&b->started_at)) return false;
  return in.done();
}

// Layout: u64 orders, u64 products, u64 captured through
void encode_snapshot_end(const SnapshotEndRecord& e, std::string* out) {
  put_u64(out, e.orders);
  put_u64(out, e.products);
  put_u64(out, e.captured_through_seq);
}

bool decode_snapshot_end(std::string_view payload, SnapshotEndRecord* e) {
  Decoder in(payload);
  if (!in.get_u64(&e->orders) || !in.get_u64(&e->products) ||
      !in.get_u64(&e->captured_through_seq)) {
    return false;
  }
  return in.done();
}

}  // namespace orderd::persistence
