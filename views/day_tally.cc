#include "views/day_tally.h"

#include <algorithm>

namespace orderd::views {
namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;
std::uint32_t clamp_day(std::uint32_t day) { return std::min<std::uint32_t>(day, kDays - 1); }
}  // namespace

struct DayTally::Bucket {
  std::array<std::atomic<std::int64_t>, kOrderStatusCount> orders{};
  std::atomic<std::int64_t> units{0};
  std::array<std::atomic<Cents>, kCurrencySlots> revenue{};
  std::array<std::atomic<std::int64_t>, kCurrencySlots> revenue_orders{};
};

std::int64_t DayFigures::total_orders() const {
  std::int64_t n = 0;
  for (auto c : orders) n += c;
  return n;
}

DayFigures& DayFigures::operator+=(const DayFigures& other) {
  for (std::size_t i = 0; i < kOrderStatusCount; ++i) orders[i] += other.orders[i];
  units += other.units;
  for (std::size_t i = 0; i < kCurrencySlots; ++i) {
    revenue[i] += other.revenue[i];
    revenue_orders[i] += other.revenue_orders[i];
  }
  return *this;
}

DayTally::DayTally() : buckets_(new std::atomic<Bucket*>[kDays]) {
  for (std::size_t i = 0; i < kDays; ++i) buckets_[i].store(nullptr, kRelaxed);
}

DayTally::~DayTally() {
  for (std::size_t i = 0; i < kDays; ++i) delete buckets_[i].load(kRelaxed);
}

DayTally::Bucket* DayTally::bucket_for(std::uint32_t day) {
  Bucket* b = buckets_[day].load(std::memory_order_acquire);
  if (b != nullptr) return b;
  auto fresh = std::make_unique<Bucket>();
  if (buckets_[day].compare_exchange_strong(b, fresh.get(), std::memory_order_acq_rel)) {
    b = fresh.release();
  }
  std::uint32_t first = first_day_.load(kRelaxed);
  while (day < first && !first_day_.compare_exchange_weak(first, day, kRelaxed)) {
  }
  std::uint32_t last = last_day_.load(kRelaxed);
  while (day > last && !last_day_.compare_exchange_weak(last, day, kRelaxed)) {
  }
  return b;
}

void DayTally::apply(std::uint32_t day, const Change& c) {
  Bucket* b = bucket_for(clamp_day(day));
  if (!c.from_present || c.from != c.to) {
    if (c.from_present) b->orders[status_index(c.from)].fetch_sub(1, kRelaxed);
    b->orders[status_index(c.to)].fetch_add(1, kRelaxed);
  }
  if (c.units_delta != 0) b->units.fetch_add(c.units_delta, kRelaxed);
  const bool from_counted = c.from_present && c.from_counted;
  const bool to_counted = c.to_counted;
  if (from_counted == to_counted && c.from_currency == c.to_currency &&
      c.from_revenue == c.to_revenue) {
    return;
  }
  if (from_counted) {
    b->revenue[c.from_currency].fetch_sub(c.from_revenue, kRelaxed);
    b->revenue_orders[c.from_currency].fetch_sub(1, kRelaxed);
  }
  if (to_counted) {
    b->revenue[c.to_currency].fetch_add(c.to_revenue, kRelaxed);
    b->revenue_orders[c.to_currency].fetch_add(1, kRelaxed);
  }
}

DayFigures DayTally::day(std::uint32_t day) const {
  DayFigures f;
  const Bucket* b = buckets_[clamp_day(day)].load(std::memory_order_acquire);
  if (b == nullptr) return f;
  for (std::size_t i = 0; i < kOrderStatusCount; ++i) f.orders[i] = b->orders[i].load(kRelaxed);
  f.units = b->units.load(kRelaxed);
  for (std::size_t i = 0; i < kCurrencySlots; ++i) {
    f.revenue[i] = b->revenue[i].load(kRelaxed);
    f.revenue_orders[i] = b->revenue_orders[i].load(kRelaxed);
  }
  return f;
}

DayFigures DayTally::range(std::uint32_t first, std::uint32_t last) const {
  DayFigures sum;
  const auto [used_first, used_last] = days_used();
  first = std::max(first, used_first);
  last = std::min(clamp_day(last), used_last);
  for (std::uint32_t d = first; d <= last && d >= first; ++d) sum += day(d);
  return sum;
}

std::pair<std::uint32_t, std::uint32_t> DayTally::days_used() const {
  const std::uint32_t first = first_day_.load(kRelaxed);
  if (first == UINT32_MAX) return {1, 0};
  return {first, last_day_.load(kRelaxed)};
}

}  // namespace orderd::views
