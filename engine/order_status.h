// The order lifecycle: its states and the one table of legal transitions.
//
//   Pending ──> Processing ──> Completed ──> Shipped ──> Delivered ──> Returned
//      │             │             │
//      ├─────────────┴─────────────┴──> Cancelled
//      └─────────────┴──> Rejected
//
// Workers make the moves into Processing, Completed and Rejected; clients
// make the others (Shipped, Delivered, Returned, Cancelled), and may also
// confirm an order (move it to Completed) while it is Pending or Processing.
// Every state reached stamps its own timestamp (engine/order.h, reached_at).
//
// Stock follows the lifecycle (see StockEffect):
//   Pending, Processing  hold the order's units (reserved at acceptance)
//   → Completed          consumes the held units
//   → Rejected, or → Cancelled from Pending or Processing
//                        releases the held units to available
//   → Returned, or → Cancelled from Completed
//                        gives the consumed units back to available, counted
//                        in the product's `returned` total
//   → Shipped, → Delivered change no stock.
//
// To extend the lifecycle add the state to OrderStatus (at the end: the
// values are stored in the journal), its timestamp in order.h and its edges
// to kLegalTransitions in order_status.cc; everything else derives from them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace orderd {

// The values are journaled: never renumber, only append.
enum class OrderStatus : std::uint8_t {
  kPending,
  kProcessing,
  kCompleted,
  kRejected,
  kCancelled,
  kShipped,
  kDelivered,
  kReturned,
};

inline constexpr std::size_t kOrderStatusCount = 8;

inline constexpr std::size_t status_index(OrderStatus s) { return static_cast<std::size_t>(s); }

// "Pending", "Processing", "Shipped", ... as shown to API clients.
std::string_view status_name(OrderStatus s);

// Accepts the names above case-insensitively, and the other spellings the
// seed APIs use: "canceled" for Cancelled and "confirmed" for Completed.
std::optional<OrderStatus> parse_status(std::string_view name);

// Legal for anyone: a worker or a client.
bool is_legal_transition(OrderStatus from, OrderStatus to);

// Legal for a client (Engine::update_status); the moves into Processing
// and Rejected are the workers' alone.
bool is_client_transition(OrderStatus from, OrderStatus to);

// The statuses a client may move an order in `from` to, in enum order.
std::vector<OrderStatus> client_next_statuses(OrderStatus from);

// A state with no outgoing transition.
bool is_terminal(OrderStatus s);

// States whose orders still hold reserved stock and count against capacity.
inline constexpr bool is_in_flight(OrderStatus s) {
  return s == OrderStatus::kPending || s == OrderStatus::kProcessing;
}

// What a legal move does to the order's stock (see the table above).
enum class StockEffect : std::uint8_t {
  kNone,
  kConsume,   // held → consumed
  kRelease,   // held → available
  kGiveBack,  // consumed units back to available, counted as returned
};
StockEffect stock_effect(OrderStatus from, OrderStatus to);

}  // namespace orderd
