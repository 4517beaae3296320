#include "engine/order_status.h"

#include <array>
#include <utility>

namespace orderd {
namespace {

using S = OrderStatus;

constexpr std::array<std::string_view, kOrderStatusCount> kNames = {
    "Pending", "Processing", "Completed", "Rejected", "Cancelled"};

constexpr std::pair<S, S> kLegalTransitions[] = {
    {S::kPending, S::kProcessing}, {S::kProcessing, S::kCompleted},
    {S::kPending, S::kCancelled},  {S::kProcessing, S::kCancelled},
    {S::kPending, S::kRejected},   {S::kProcessing, S::kRejected},
};

constexpr auto kTransitionMatrix = [] {
  std::array<std::array<bool, kOrderStatusCount>, kOrderStatusCount> m{};
  for (auto [from, to] : kLegalTransitions) m[status_index(from)][status_index(to)] = true;
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
  return std::nullopt;
}

bool is_legal_transition(OrderStatus from, OrderStatus to) {
  return kTransitionMatrix[status_index(from)][status_index(to)];
}

bool is_terminal(OrderStatus s) {
  for (bool legal : kTransitionMatrix[status_index(s)]) {
    if (legal) return false;
  }
  return true;
}

}  // namespace orderd
