#include "engine/order_history.h"

#include <algorithm>

namespace orderd {
namespace {

// The states in the order any path through the lifecycle reaches them
// (order_status.h): each path is a chain in this order.
constexpr OrderStatus kPathOrder[] = {
    OrderStatus::kPending,  OrderStatus::kProcessing, OrderStatus::kCompleted,
    OrderStatus::kShipped,  OrderStatus::kDelivered,  OrderStatus::kReturned,
    OrderStatus::kRejected, OrderStatus::kCancelled,
};

}  // namespace

std::vector<OrderEvent> order_history(const OrderSnapshot& order) {
  std::vector<OrderEvent> status_events;
  OrderStatus previous = OrderStatus::kPending;
  for (OrderStatus s : kPathOrder) {
    const Micros at = order.timestamp(reached_at(s));
    if (at == 0) continue;
    OrderEvent e;
    e.at = at;
    e.status = s;
    if (s == OrderStatus::kPending) {
      e.kind = OrderEventKind::kCreated;
    } else {
      e.kind = OrderEventKind::kStatusChanged;
      e.from = previous;
      if (s == OrderStatus::kRejected) e.note = order.reason;
    }
    previous = s;
    status_events.push_back(e);
  }
  std::vector<OrderEvent> updates;
  for (const OrderNote& n : order.notes) {
    if (n.change == OrderChange::kUpdated) {
      updates.push_back(
          {n.version, n.at, OrderEventKind::kUpdated, n.status, n.status, true, n.note});
      continue;
    }
    for (OrderEvent& e : status_events) {
      if (e.status == n.status && e.at == n.at) {
        e.by_client = true;
        e.note = n.note;
      }
    }
  }
  // Updates hold the versions they were logged with; the status events take
  // the others, in path order.
  std::vector<OrderEvent> history;
  history.reserve(status_events.size() + updates.size());
  std::size_t next_status = 0;
  std::size_t next_update = 0;
  for (std::uint32_t v = 1; next_status < status_events.size() || next_update < updates.size();
       ++v) {
    if (next_update < updates.size() && updates[next_update].version == v) {
      history.push_back(updates[next_update++]);
    } else if (next_status < status_events.size()) {
      history.push_back(status_events[next_status++]);
      history.back().version = v;
    } else {
      history.push_back(updates[next_update++]);  // a gap: keep the update's own version
    }
  }
  return history;
}

std::string_view order_event_kind_name(OrderEventKind kind) {
  switch (kind) {
    case OrderEventKind::kCreated:
      return "created";
    case OrderEventKind::kStatusChanged:
      return "status_changed";
    case OrderEventKind::kUpdated:
      return "updated";
  }
  return "unknown";
}

}  // namespace orderd
