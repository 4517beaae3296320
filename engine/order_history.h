// An order's event history: its creation, every status it reached and every
// update, each with the version it produced. Built from the order's
// timestamps and client notes alone (order_details.h), so it costs no memory
// beyond them and a replayed order has the same history.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "engine/order.h"

namespace orderd {

enum class OrderEventKind : std::uint8_t { kCreated, kStatusChanged, kUpdated };

struct OrderEvent {
  std::uint32_t version = 0;
  Micros at = 0;
  OrderEventKind kind = OrderEventKind::kCreated;
  OrderStatus from = OrderStatus::kPending;    // kStatusChanged only
  OrderStatus status = OrderStatus::kPending;  // the status after the event
  bool by_client = false;                      // a client's change (else the engine's)
  std::string_view note;                       // a view into the snapshot's notes or reason
};

// Oldest first; versions 1, 2, ... without gaps. The views point into
// `order`, which must outlive the result.
std::vector<OrderEvent> order_history(const OrderSnapshot& order);

std::string_view order_event_kind_name(OrderEventKind kind);

}  // namespace orderd
