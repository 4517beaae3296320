#include "engine/order.h"

#include "base/mutex.h"

namespace orderd {

Order::Order(OrderSeq seq, std::string_view client_id, UserId user_id, Cents client_total,
             std::span<const OrderItem> items, Micros created_at)
    : seq(seq),
      client_id(client_id),
      user_id(user_id),
      client_total(client_total),
      items(items.begin(), items.end()) {
  at[timestamp_index(OrderTimestamp::kCreated)] = created_at;
}

Order::Order(OrderSnapshot recorded)
    : seq(recorded.seq),
      client_id(std::move(recorded.client_id)),
      user_id(recorded.user_id),
      client_total(recorded.client_total),
      items(std::move(recorded.items)),
      status(recorded.status),
      catalog_subtotal(recorded.catalog_subtotal),
      discount(recorded.discount),
      at(recorded.at),
      reason(std::move(recorded.reason)) {}

OrderSnapshot Order::snapshot() const {
  OrderSnapshot s;
  s.seq = seq;
  s.client_id = client_id;
  s.user_id = user_id;
  s.client_total = client_total;
  MutexLock guard(lock);
  s.items = items;
  s.catalog_subtotal = catalog_subtotal;
  s.discount = discount;
  s.status = status.load(std::memory_order_relaxed);
  s.at = at;
  s.reason = reason;
  return s;
}

}  // namespace orderd
