#include "engine/order.h"

#include <mutex>

namespace orderd {

OrderSnapshot Order::snapshot() const {
  OrderSnapshot s;
  s.seq = seq;
  s.client_id = client_id;
  s.user_id = user_id;
  s.client_total = client_total;
  std::lock_guard guard(lock);
  s.items = items;
  s.catalog_subtotal = catalog_subtotal;
  s.discount = discount;
  s.status = status.load(std::memory_order_relaxed);
  s.at = at;
  s.reason = reason;
  return s;
}

}  // namespace orderd
