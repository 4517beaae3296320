#include "views/customer_tally.h"

#include <algorithm>

namespace orderd::views {

CustomerTally::CustomerTally() : stripes_(new Stripe[kStripes]) {}
CustomerTally::~CustomerTally() = default;

CustomerTally::Stripe& CustomerTally::stripe_for(UserId customer) const {
  // Fibonacci hashing spreads consecutive ids over the stripes.
  return stripes_[(customer * 0x9E3779B97F4A7C15ull) >> 58];
}

void CustomerTally::add_order(UserId customer, OrderSeq seq, std::int64_t units) {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  Entry& e = s.entries[customer];
  const auto small = static_cast<std::uint32_t>(seq);
  if (e.seqs.empty() || e.seqs.back() < small) {
    e.seqs.push_back(small);
  } else {
    // Acceptances of one customer's orders may report out of order.
    e.seqs.insert(std::lower_bound(e.seqs.begin(), e.seqs.end(), small), small);
  }
  e.sums.orders += 1;
  e.sums.units += units;
}

void CustomerTally::adjust(UserId customer, std::int64_t units_delta, Cents revenue_delta,
                           std::int64_t revenue_orders_delta) {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  CustomerSums& sums = s.entries[customer].sums;
  sums.units += units_delta;
  sums.revenue += revenue_delta;
  sums.revenue_orders += revenue_orders_delta;
}

std::vector<OrderSeq> CustomerTally::orders_of(UserId customer) const {
  Stripe& s = stripe_for(customer);
  std::vector<OrderSeq> out;
  MutexLock lock(s.lock);
  auto it = s.entries.find(customer);
  if (it == s.entries.end()) return out;
  out.assign(it->second.seqs.begin(), it->second.seqs.end());
  return out;
}

CustomerSums CustomerTally::sums_of(UserId customer) const {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  auto it = s.entries.find(customer);
  return it == s.entries.end() ? CustomerSums{} : it->second.sums;
}

std::size_t CustomerTally::customers() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < kStripes; ++i) {
    MutexLock lock(stripes_[i].lock);
    n += stripes_[i].entries.size();
  }
  return n;
}

void CustomerTally::for_each(const std::function<void(UserId, const CustomerSums&)>& fn) const {
  for (std::size_t i = 0; i < kStripes; ++i) {
    MutexLock lock(stripes_[i].lock);
    for (const auto& [id, entry] : stripes_[i].entries) fn(id, entry.sums);
  }
}

}  // namespace orderd::views
