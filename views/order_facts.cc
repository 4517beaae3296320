#include "views/order_facts.h"

#include <algorithm>

#include "views/currency_table.h"

namespace orderd::views {

OrderFacts facts_of(const Order& order, CurrencyTable& currencies) {
  OrderFacts f;
  f.seq = order.seq;
  f.customer = order.user_id;
  f.status = order.status.load(std::memory_order_relaxed);
  for (const auto& item : order.items) f.units += item.quantity;
  f.created_at = order.at[timestamp_index(OrderTimestamp::kCreated)];
  f.delivered_at = order.at[timestamp_index(OrderTimestamp::kDelivered)];
  for (std::size_t i = 0; i < order.at.size(); ++i) {
    if (i != timestamp_index(OrderTimestamp::kCreated))
      f.updated_at = std::max(f.updated_at, order.at[i]);
  }
  const OrderDetails* details = order.has_details() ? &*order.extras->details : nullptr;
  if (order.extras) {
    for (const auto& note : order.extras->notes) f.updated_at = std::max(f.updated_at, note.at);
  }
  if (details != nullptr) {
    f.amount = order.catalog_subtotal - order.discount + details->tax + details->shipping;
    f.currency = currencies.slot_of(details->currency);
    f.city = details->shipping_address.city;
  } else {
    f.amount = order.client_total;
  }
  return f;
}

}  // namespace orderd::views
