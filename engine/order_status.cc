#include "engine/order_status.h"

#include <array>
#include <utility>

namespace orderd {
namespace {

using S = OrderStatus;

constexpr std::array<std::string_view, kOrderStatusCount> kNames = {
    "Pending",   "Processing", "Completed", "Rejected",
    "Cancelled", "Shipped",    "Delivered", "Returned"};

// Other spellings the seed APIs send for a status.
constexpr std::pair<std::string_view, S> kAliases[] = {
    {"canceled", S::kCancelled},
    {"confirmed", S::kCompleted},
};

enum class Mover : std::uint8_t { kWorker, kClient, kEither };

struct Transition {
  S from;
  S to;
  Mover mover;
};

constexpr Transition kLegalTransitions[] = {
    {S::kPending, S::kProcessing, Mover::kWorker},
    {S::kProcessing, S::kCompleted, Mover::kEither},
    // A client's confirmation of a Pending order, made (and recorded) as the
    // two moves through Processing.
    {S::kPending, S::kCompleted, Mover::kClient},
    {S::kPending, S::kRejected, Mover::kWorker},
    {S::kProcessing, S::kRejected, Mover::kWorker},
    {S::kPending, S::kCancelled, Mover::kClient},
    {S::kProcessing, S::kCancelled, Mover::kClient},
    {S::kCompleted, S::kCancelled, Mover::kClient},
    {S::kCompleted, S::kShipped, Mover::kClient},
    {S::kShipped, S::kDelivered, Mover::kClient},
    {S::kDelivered, S::kReturned, Mover::kClient},
};

struct Edge {
  bool legal = false;
  bool by_client = false;
};

constexpr auto kTransitionMatrix = [] {
  std::array<std::array<Edge, kOrderStatusCount>, kOrderStatusCount> m{};
  for (auto [from, to, mover] : kLegalTransitions) {
    m[status_index(from)][status_index(to)] = {true, mover != Mover::kWorker};
  }
  return m;
}();

bool equals_ignore_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view status_name(OrderStatus s) { return kNames[status_index(s)]; }

std::optional<OrderStatus> parse_status(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (equals_ignore_case(name, kNames[i])) return static_cast<OrderStatus>(i);
  }
  for (auto [alias, status] : kAliases) {
    if (equals_ignore_case(name, alias)) return status;
  }
  return std::nullopt;
}

bool is_legal_transition(OrderStatus from, OrderStatus to) {
  return kTransitionMatrix[status_index(from)][status_index(to)].legal;
}

bool is_client_transition(OrderStatus from, OrderStatus to) {
  return kTransitionMatrix[status_index(from)][status_index(to)].by_client;
}

std::vector<OrderStatus> client_next_statuses(OrderStatus from) {
  std::vector<OrderStatus> next;
  for (std::size_t to = 0; to < kOrderStatusCount; ++to) {
    if (kTransitionMatrix[status_index(from)][to].by_client) {
      next.push_back(static_cast<OrderStatus>(to));
    }
  }
  return next;
}

bool is_terminal(OrderStatus s) {
  for (const Edge& edge : kTransitionMatrix[status_index(s)]) {
    if (edge.legal) return false;
  }
  return true;
}

StockEffect stock_effect(OrderStatus from, OrderStatus to) {
  if (!is_legal_transition(from, to)) return StockEffect::kNone;
  switch (to) {
    case S::kCompleted:
      return StockEffect::kConsume;
    case S::kRejected:
      return StockEffect::kRelease;
    case S::kCancelled:
      return is_in_flight(from) ? StockEffect::kRelease : StockEffect::kGiveBack;
    case S::kReturned:
      return StockEffect::kGiveBack;
    case S::kPending:
    case S::kProcessing:
    case S::kShipped:
    case S::kDelivered:
      break;
  }
  return StockEffect::kNone;
}

}  // namespace orderd
