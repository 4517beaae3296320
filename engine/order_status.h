// The order lifecycle: its states and the one table of legal transitions.
//
//   Pending ──> Processing ──> Completed
//      │             │
//      ├──> Cancelled <┤
//      └──> Rejected  <┘
//
// To extend the lifecycle (Shipped, Delivered, Returned after Completed) add
// the state to OrderStatus and its edges to kLegalTransitions in
// order_status.cc; everything else derives from the table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

namespace orderd {

enum class OrderStatus : std::uint8_t {
  kPending,
  kProcessing,
  kCompleted,
  kRejected,
  kCancelled,
};

inline constexpr std::size_t kOrderStatusCount = 5;

inline constexpr std::size_t status_index(OrderStatus s) { return static_cast<std::size_t>(s); }

// "Pending", "Processing", ... as shown to API clients.
std::string_view status_name(OrderStatus s);

// Accepts the names above, case-insensitively.
std::optional<OrderStatus> parse_status(std::string_view name);

bool is_legal_transition(OrderStatus from, OrderStatus to);

// A state with no outgoing transition.
bool is_terminal(OrderStatus s);

// States whose orders still hold reserved stock and count against capacity.
inline constexpr bool is_in_flight(OrderStatus s) {
  return s == OrderStatus::kPending || s == OrderStatus::kProcessing;
}

}  // namespace orderd
