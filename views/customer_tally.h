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
#include <functional>
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

  // A new order of `customer`.
  void add_order(UserId customer, OrderSeq seq, std::int64_t units);
  // Adds the deltas to the customer's sums (it must have an order).
  void adjust(UserId customer, std::int64_t units_delta, Cents revenue_delta,
              std::int64_t revenue_orders_delta);

  // The customer's order seqs, ascending (empty if it has none), and sums.
  std::vector<OrderSeq> orders_of(UserId customer) const;
  CustomerSums sums_of(UserId customer) const;
  std::size_t customers() const;
  // Visits every customer with orders, a stripe at a time, in no order.
  void for_each(const std::function<void(UserId, const CustomerSums&)>& fn) const;

 private:
  struct Entry {
    std::vector<std::uint32_t> seqs;  // ascending
    CustomerSums sums;
  };
  struct Stripe {
    mutable SpinLock lock;
    std::unordered_map<UserId, Entry> entries GUARDED_BY(lock);
  };
  static constexpr std::size_t kStripes = 64;
  Stripe& stripe_for(UserId customer) const;
  std::unique_ptr<Stripe[]> stripes_;
};

}  // namespace orderd::views
