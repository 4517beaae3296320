#include "engine/order.h"

#include <algorithm>

#include "base/mutex.h"

namespace orderd {
namespace {

std::uint32_t version_of(const std::array<Micros, kOrderTimestampCount>& at,
                         const std::vector<OrderNote>& notes) {
  // Every state is reached at most once (the lifecycle has no cycles), so
  // the set timestamps count the creation and every status move.
  auto reached = std::count_if(at.begin(), at.end(), [](Micros t) { return t != 0; });
  auto updates = std::count_if(notes.begin(), notes.end(), [](const OrderNote& n) {
    return n.change == OrderChange::kUpdated;
  });
  return static_cast<std::uint32_t>(reached + updates);
}

Micros latest_change(const std::array<Micros, kOrderTimestampCount>& at,
                     const std::vector<OrderNote>& notes) {
  Micros latest = 0;
  for (std::size_t i = 0; i < at.size(); ++i) {
    if (i != timestamp_index(OrderTimestamp::kCreated)) latest = std::max(latest, at[i]);
  }
  for (const OrderNote& n : notes) latest = std::max(latest, n.at);
  return latest;
}

const std::vector<OrderNote> kNoNotes;

}  // namespace

std::uint32_t OrderSnapshot::version() const { return version_of(at, notes); }

Micros OrderSnapshot::updated_at() const { return latest_change(at, notes); }

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
      at(recorded.at) {
  if (recorded.details || !recorded.notes.empty() || !recorded.reason.empty()) {
    extras = std::make_unique<OrderExtras>();
    extras->details = std::move(recorded.details);
    extras->notes = std::move(recorded.notes);
    extras->reason = std::move(recorded.reason);
  }
}

OrderExtras& Order::extras_locked() {
  if (!extras) extras = std::make_unique<OrderExtras>();
  return *extras;
}

std::uint32_t Order::version_locked() const {
  return version_of(at, extras ? extras->notes : kNoNotes);
}

OrderSnapshot Order::snapshot() const {
  MutexLock guard(lock);
  return snapshot_locked();
}

OrderSnapshot Order::snapshot_locked() const {
  OrderSnapshot s;
  s.seq = seq;
  s.client_id = client_id;
  s.user_id = user_id;
  s.client_total = client_total;
  s.items = items;
  s.catalog_subtotal = catalog_subtotal;
  s.discount = discount;
  s.status = status.load(std::memory_order_relaxed);
  s.at = at;
  if (extras) {
    s.details = extras->details;
    s.notes = extras->notes;
    s.reason = extras->reason;
  }
  return s;
}

}  // namespace orderd
