// The order record and the immutable snapshot the engine hands out.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/thread_annotations.h"
#include "engine/order_details.h"
#include "engine/order_status.h"
#include "engine/spin_lock.h"
#include "engine/types.h"

namespace orderd {

struct OrderItem {
  ProductId product_id = 0;
  std::uint32_t quantity = 0;
  Cents unit_price = 0;  // catalog price, fixed when the order is priced

  friend bool operator==(const OrderItem&, const OrderItem&) = default;
};

// Instants an order may pass through; 0 means "not reached".
enum class OrderTimestamp : std::uint8_t {
  kCreated,
  kProcessingStarted,
  kCompleted,
  kRejected,
  kCancelled,
  kShipped,
  kDelivered,
  kReturned,
};
// The journal stores which timestamps are set as a bit mask of one byte.
inline constexpr std::size_t kOrderTimestampCount = 8;

// The instant recorded when an order reaches `s` (kCreated for Pending).
inline constexpr OrderTimestamp reached_at(OrderStatus s) {
  switch (s) {
    case OrderStatus::kPending:
      return OrderTimestamp::kCreated;
    case OrderStatus::kProcessing:
      return OrderTimestamp::kProcessingStarted;
    case OrderStatus::kCompleted:
      return OrderTimestamp::kCompleted;
    case OrderStatus::kRejected:
      return OrderTimestamp::kRejected;
    case OrderStatus::kCancelled:
      return OrderTimestamp::kCancelled;
    case OrderStatus::kShipped:
      return OrderTimestamp::kShipped;
    case OrderStatus::kDelivered:
      return OrderTimestamp::kDelivered;
    case OrderStatus::kReturned:
      return OrderTimestamp::kReturned;
  }
  return OrderTimestamp::kCreated;
}
inline constexpr std::size_t timestamp_index(OrderTimestamp t) {
  return static_cast<std::size_t>(t);
}

// A consistent copy of one order, safe to keep and read from any thread.
struct OrderSnapshot {
  OrderSeq seq = 0;
  std::string client_id;
  UserId user_id = 0;
  std::vector<OrderItem> items;  // product ids ascending, one entry per product
  Cents client_total = 0;        // the amount the client sent, kept as sent
  Cents catalog_subtotal = 0;    // sum of unit_price * quantity (0 until priced)
  Cents discount = 0;
  OrderStatus status = OrderStatus::kPending;
  std::array<Micros, kOrderTimestampCount> at{};
  std::string reason;                   // why it was rejected, cancelled or returned
  std::optional<OrderDetails> details;  // a managed order's; none for a plain one
  std::vector<OrderNote> notes;         // the client changes, oldest first

  Micros timestamp(OrderTimestamp t) const { return at[static_cast<std::size_t>(t)]; }
  // Items at catalog prices less the volume discount.
  Cents catalog_total() const { return catalog_subtotal - discount; }
  // What the customer pays: catalog_total() plus tax and shipping.
  Cents grand_total() const {
    return catalog_total() + (details ? details->tax + details->shipping : 0);
  }
  // Grows by one with every change: 1 at creation, then each status reached
  // and each update. Derived from the timestamps and notes, so it costs no
  // memory and replays exactly.
  std::uint32_t version() const;
  // The instant of the latest change; 0 while the order is as created.
  Micros updated_at() const;
  std::uint64_t unit_count() const {
    std::uint64_t n = 0;
    for (const auto& item : items) n += item.quantity;
    return n;
  }
};

// What only some orders need, allocated on first use.
struct OrderExtras {
  std::optional<OrderDetails> details;
  std::vector<OrderNote> notes;
  std::string reason;  // why it was rejected, cancelled or returned
};

// The live order. `client_id`, `seq`, `user_id` and `client_total` never
// change after acceptance; everything else is read and written under
// `lock`, `items` too (their product ids and quantities are fixed, but the
// unit prices are filled in when the order is priced). `status` is also
// readable without the lock (for counting).
struct Order {
  Order() = default;
  // A new order with all its fields, before any other thread can see it:
  // constructors need no lock.
  Order(OrderSeq seq, std::string_view client_id, UserId user_id, Cents client_total,
        std::span<const OrderItem> items, Micros created_at);
  // A recovered order, in its recorded state.
  explicit Order(OrderSnapshot recorded);

  OrderSeq seq = 0;
  std::string client_id;
  UserId user_id = 0;
  Cents client_total = 0;
  std::vector<OrderItem> items GUARDED_BY(lock);

  mutable SpinLock lock;
  std::atomic<OrderStatus> status{OrderStatus::kPending};
  Cents catalog_subtotal GUARDED_BY(lock) = 0;
  Cents discount GUARDED_BY(lock) = 0;
  std::array<Micros, kOrderTimestampCount> at GUARDED_BY(lock){};
  // Rare fields (details, notes, reason) out of line: a plain order that is
  // never cancelled, rejected or changed by a client pays one null pointer.
  std::unique_ptr<OrderExtras> extras GUARDED_BY(lock);

  OrderSnapshot snapshot() const EXCLUDES(lock);
  // The same, by a caller that holds the lock (the order as its change left it).
  OrderSnapshot snapshot_locked() const REQUIRES(lock);
  bool has_details() const REQUIRES(lock) { return extras && extras->details; }
  std::string_view reason() const REQUIRES(lock) {
    return extras ? std::string_view(extras->reason) : std::string_view();
  }
  void set_reason(std::string_view why) REQUIRES(lock) { extras_locked().reason.assign(why); }
  // See OrderSnapshot::version.
  std::uint32_t version_locked() const REQUIRES(lock);
  OrderExtras& extras_locked() REQUIRES(lock);
};

}  // namespace orderd
