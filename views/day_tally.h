// Figures per UTC day of creation: orders per status, units ordered, and
// revenue per currency (order_facts.h: counts_as_revenue). Analytics over
// any range of days adds up at most one bucket per day, never an order.
//
// Lock-free: buckets are allocated on first use and updated with relaxed
// atomic adds; a reader sees every completed change (sums may be caught
// between the two halves of a status move for an instant).
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "engine/order_status.h"
#include "engine/types.h"
#include "views/currency_table.h"

namespace orderd::views {

// Days 0 .. kDays-1 after 1970-01-01: up to the year 2149; later days count
// in the last one.
inline constexpr std::size_t kDays = std::size_t{1} << 16;

struct DayFigures {
  std::array<std::int64_t, kOrderStatusCount> orders{};  // created that day, by status now
  std::int64_t units = 0;
  std::array<Cents, kCurrencySlots> revenue{};
  std::array<std::int64_t, kCurrencySlots> revenue_orders{};  // orders counted in revenue

  std::int64_t total_orders() const;
  DayFigures& operator+=(const DayFigures& other);
  friend bool operator==(const DayFigures&, const DayFigures&) = default;
};

class DayTally {
 public:
  DayTally();
  ~DayTally();
  DayTally(const DayTally&) = delete;
  DayTally& operator=(const DayTally&) = delete;

  // Moves one order of `day` from (`from`, revenue `from_revenue` in
  // `from_currency`) to the `to` equivalents; `from_present` false for a
  // new order. `units_delta` is added to the day's units.
  struct Change {
    bool from_present = false;
    OrderStatus from = OrderStatus::kPending;
    OrderStatus to = OrderStatus::kPending;
    std::uint8_t from_currency = 0, to_currency = 0;
    bool from_counted = false, to_counted = false;  // in revenue (counts_as_revenue)
    Cents from_revenue = 0, to_revenue = 0;
    std::int64_t units_delta = 0;
  };
  void apply(std::uint32_t day, const Change& change);

  // The figures of one day (zeros if it has none), and of days [first, last].
  DayFigures day(std::uint32_t day) const;
  DayFigures range(std::uint32_t first, std::uint32_t last) const;
  // The first and last day with any order, or {1, 0} if none.
  std::pair<std::uint32_t, std::uint32_t> days_used() const;

 private:
  struct Bucket;
  Bucket* bucket_for(std::uint32_t day);
  std::unique_ptr<std::atomic<Bucket*>[]> buckets_;
  std::atomic<std::uint32_t> first_day_{UINT32_MAX};
  std::atomic<std::uint32_t> last_day_{0};
};

}  // namespace orderd::views
