// What the read models know of one order: the handful of figures every
// listing, history and analytics answer is computed from. A pure function
// of the order's current state, so a read model fed the live changes and one
// rebuilt from the recovered orders hold the same facts.
#pragma once

#include <cstdint>
#include <string_view>

#include "base/thread_annotations.h"
#include "engine/order.h"
#include "engine/order_status.h"
#include "engine/types.h"

namespace orderd::views {

// Revenue is what orders still standing are worth: every status but
// Cancelled, Rejected and Returned counts (Pending and Processing too: the
// order is booked and its stock held).
inline constexpr bool counts_as_revenue(OrderStatus s) {
  return s != OrderStatus::kCancelled && s != OrderStatus::kRejected && s != OrderStatus::kReturned;
}

// Microseconds per UTC day: analytics buckets are UTC days and months.
inline constexpr Micros kMicrosPerDay = 86'400'000'000;
// Days since 1970-01-01 (UTC) of an instant; instants before 1970 are day 0.
inline constexpr std::uint32_t day_of(Micros at) {
  return at <= 0 ? 0 : static_cast<std::uint32_t>(at / kMicrosPerDay);
}

struct OrderFacts {
  OrderSeq seq = 0;
  UserId customer = 0;
  OrderStatus status = OrderStatus::kPending;
  std::uint8_t currency = 0;  // a CurrencyTable slot
  std::uint32_t units = 0;    // items' quantities summed
  Cents amount = 0;           // total_amount as the API shows it
  Micros created_at = 0;
  Micros updated_at = 0;    // the latest change; 0 while the order is as created
  Micros delivered_at = 0;  // 0 until Delivered
  std::string_view city;    // the shipping address's; empty for plain orders

  Cents revenue() const { return counts_as_revenue(status) ? amount : 0; }
};

class CurrencyTable;

// The facts of `order` now. `city` points into the order: use it only while
// the lock is held.
OrderFacts facts_of(const Order& order, CurrencyTable& currencies) REQUIRES(order.lock);

}  // namespace orderd::views
