#include "views/customer_tally.h"

#include <algorithm>

namespace orderd::views {

CustomerTally::CustomerTally() : stripes_(new Stripe[kStripes]) {}
CustomerTally::~CustomerTally() = default;

CustomerTally::Stripe& CustomerTally::stripe_for(UserId customer) const {
  // Fibonacci hashing spreads consecutive ids over the stripes.
  return stripes_[(customer * 0x9E3779B97F4A7C15ull) >> 58];
}

CustomerTally::Entry& CustomerTally::Stripe::entry_for(UserId customer) {
  auto [it, added] = slot_of.try_emplace(customer, static_cast<std::uint32_t>(entries.size()));
  if (added) entries.push_back(Entry{customer, {}, {}});
  return entries[it->second];
}

void CustomerTally::add_order(UserId customer, OrderSeq seq, const CustomerSums& added) {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  Entry& e = s.entry_for(customer);
  const auto small = static_cast<std::uint32_t>(seq);
  if (e.seqs.empty() || e.seqs.back() < small) {
    e.seqs.push_back(small);
  } else {
    // Acceptances of one customer's orders may report out of order.
    e.seqs.insert(std::lower_bound(e.seqs.begin(), e.seqs.end(), small), small);
  }
  e.sums.orders += 1;
  e.sums.units += added.units;
  e.sums.revenue += added.revenue;
  e.sums.revenue_orders += added.revenue_orders;
}

void CustomerTally::adjust(UserId customer, std::int64_t units_delta, Cents revenue_delta,
                           std::int64_t revenue_orders_delta) {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  CustomerSums& sums = s.entry_for(customer).sums;
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
  const std::vector<std::uint32_t>& seqs = s.entries[it->second].seqs;
  out.assign(seqs.begin(), seqs.end());
  return out;
}

CustomerSums CustomerTally::sums_of(UserId customer) const {
  Stripe& s = stripe_for(customer);
  MutexLock lock(s.lock);
  auto it = s.slot_of.find(customer);
  return it == s.slot_of.end() ? CustomerSums{} : s.entries[it->second].sums;
}

std::size_t CustomerTally::customers() const {
  std::size_t n = 0;
  for (std::size_t i = 0; i < kStripes; ++i) {
    MutexLock lock(stripes_[i].lock);
    n += stripes_[i].entries.size();
  }
  return n;
}

}  // namespace orderd::views
