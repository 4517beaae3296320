// The keys a listing sorts by, each one of an order's facts as an integer.
#pragma once

#include <cstddef>
#include <cstdint>

namespace orderd::views {

enum class SortKey : std::uint8_t {
  kCreatedAt,
  kTotalAmount,
  kStatus,  // lifecycle order: Pending, Processing, Completed, Rejected, ...
  kUpdatedAt,
  kUnits,
  kDeliveredAt,  // 0 (not delivered) sorts lowest
};
inline constexpr std::size_t kSortKeyCount = 6;

inline constexpr std::size_t key_index(SortKey k) { return static_cast<std::size_t>(k); }

}  // namespace orderd::views
