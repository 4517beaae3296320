// Per customer: the sequence numbers of its orders (ascending) and running
// sums for ranking customers (orders, units, revenue in the default
// currency). A customer's page reads its own orders' rows; rankings read
// only these sums, one entry per customer.
//
// Thread safety: 64 stripes by customer id, each under its own lock, so
// orders of different customers rarely meet.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "engine/spin_lock.h"
#include "engine/types.h"

namespace orderd::views {

struct CustomerSums {
  std::int64_t orders = 0;
  std::int64_t units = 0;
  Cents revenue = 0;                // in the default currency (slot 0)
  std::int64_t revenue_orders = 0;  // orders counted in `revenue`

  friend bool operator==(const CustomerSums&, const CustomerSums&) = default;
};

class CustomerTally {
 public:
  CustomerTally();
  ~CustomerTally();
  CustomerTally(const CustomerTally&) = delete;
  CustomerTally& operator=(const CustomerTally&) = delete;

  // A new order of `customer`, with what it adds to the sums besides
  // counting one order (`added.orders` is ignored).
  void add_order(UserId customer, OrderSeq seq, const CustomerSums& added);
  // Adds the deltas to the customer's sums (it must have an order).
  void adjust(UserId customer, std::int64_t units_delta, Cents revenue_delta,
              std::int64_t revenue_orders_delta);

  // The customer's order seqs, ascending (empty if it has none), and sums.
  std::vector<OrderSeq> orders_of(UserId customer) const;
  CustomerSums sums_of(UserId customer) const;
  std::size_t customers() const;
  // Visits every customer with orders, a stripe at a time (its lock held:
  // `fn` must be quick), in no order.
  template <typename Fn>
  void for_each(Fn&& fn) const {
    for (std::size_t i = 0; i < kStripes; ++i) {
      const Stripe& s = stripes_[i];
      MutexLock lock(s.lock);
      for (const Entry& e : s.entries) fn(e.id, e.sums);
    }
  }

 private:
  // One customer: what a ranking reads and what its page reads, together,
  // so an order of a known customer touches one entry.
  struct Entry {
    UserId id = 0;
    CustomerSums sums;
    std::vector<std::uint32_t> seqs;  // ascending
  };
  // A stripe's customers side by side, so a ranking reads one contiguous
  // array.
  struct Stripe {
    mutable SpinLock lock;
    std::unordered_map<UserId, std::uint32_t> slot_of GUARDED_BY(lock);
    std::vector<Entry> entries GUARDED_BY(lock);
    Entry& entry_for(UserId customer) REQUIRES(lock);
  };
  static constexpr std::size_t kStripes = 64;
  Stripe& stripe_for(UserId customer) const;
  std::unique_ptr<Stripe[]> stripes_;
};

}  // namespace orderd::views
