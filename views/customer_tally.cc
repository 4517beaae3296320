#include "views/customer_tally.h"

#include <algorithm>

namespace orderd::views {

CustomerTally::CustomerTally() : stripes_(new Stripe[kStripes]) {}
CustomerTally::~CustomerTally() = default;

CustomerTally::Stripe& CustomerTally::stripe_for(UserId customer) const {
  // Fibonacci hashing spreads consecutive ids over the stripes.
  return stripes_[(customer * 0x9E3779B97F4A7C15ull) >> 58];
}

std::uint32_t CustomerTally::Stripe::slot_for(UserId customer) {
  auto [it, added] = slot_of.try_emplace(customer, static_cast<std::uint32_t>(ids.size()));
  if (added) {
    ids.push_back(customer);
    sums.emplace_back();
    seqs.emplace_back();
  }
  return it->second;
}

void CustomerTally::add_order(UserId customer, OrderSeq seq, std::int64_t units) {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  const std::uint32_t slot = s.slot_for(customer);
  std::vector<std::uint32_t>& seqs = s.seqs[slot];
  const auto small = static_cast<std::uint32_t>(seq);
  if (seqs.empty() || seqs.back() < small) {
    seqs.push_back(small);
  } else {
    // Acceptances of one customer's orders may report out of order.
    seqs.insert(std::lower_bound(seqs.begin(), seqs.end(), small), small);
  }
  s.sums[slot].orders += 1;
  s.sums[slot].units += units;
}

void CustomerTally::adjust(UserId customer, std::int64_t units_delta, Cents revenue_delta,
                           std::int64_t revenue_orders_delta) {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  CustomerSums& sums = s.sums[s.slot_for(customer)];
  sums.units += units_delta;
  sums.revenue += revenue_delta;
  sums.revenue_orders += revenue_orders_delta;
}

std::vector<OrderSeq> CustomerTally::orders_of(UserId customer) const {
  Stripe& s = stripe_for(customer);
  std::vector<OrderSeq> out;
  MutexLock lock(s.lock);
  auto it = s.slot_of.find(customer);
  if (it == s.slot_of.end()) return out;
  out.assign(s.seqs[it->second].begin(), s.seqs[it->second].end());
  return out;
}

CustomerSums CustomerTally::sums_of(UserId customer) const {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  auto it = s.slot_of.find(customer);
  return it == s.slot_of.end() ? CustomerSums{} : s.sums[it->second];
}

std::size_t CustomerTally::customers() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < kStripes; ++i) {
    MutexLock lock(stripes_[i].lock);
    n += stripes_[i].ids.size();
  }
  return n;
}

}  // namespace orderd::views
