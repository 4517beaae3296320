#include "views/order_views.h"

#include <algorithm>
#include <thread>
#include <vector>

namespace orderd::views {
namespace {

RowFacts row_of(const OrderFacts& f, std::uint16_t city) {
  RowFacts r;
  r.status = static_cast<std::uint8_t>(f.status);
  r.currency = f.currency;
  r.city = city;
  r.units = f.units;
  r.amount = f.amount;
  r.created_at = f.created_at;
  r.updated_at = f.updated_at;
  r.delivered_at = f.delivered_at;
  return r;
}

bool counted(const RowFacts& r) { return r.present() && counts_as_revenue(r.order_status()); }

}  // namespace

OrderViews::OrderViews() : cities_(1) {}
OrderViews::~OrderViews() = default;

DurableToken OrderViews::order_accepted(const Order& order) {
  refresh(order);
  return 0;
}

DurableToken OrderViews::order_status_changed(const Order& order, OrderStatus, bool) {
  refresh(order);
  return 0;
}

DurableToken OrderViews::order_updated(const Order& order) {
  refresh(order);
  return 0;
}

void OrderViews::rebuild_from(const Engine& engine) {
  // By ranges of whole chunks, one per thread: each thread writes its own
  // rows; days, customers and cities take their usual locks.
  const OrderSeq end = engine.next_seq();
  const std::size_t chunks = (end + kChunkRows - 1) / kChunkRows;
  const std::size_t threads = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 4);
  auto rebuild = [&](std::size_t part) {
    for (std::size_t c = part; c < chunks; c += threads) {
      const OrderSeq first = OrderColumns::seq_at(c, 0);
      engine.for_each_order_in(first, first + kChunkRows - 1, [this](const Order& order) {
        MutexLock lock(order.lock);
        refresh(order);
        return true;
      });
      // Built now, the first amount question after a restart costs what
      // the others do.
      (void)columns_.amount_index(c);
    }
  };
  std::vector<std::thread> helpers;
  for (std::size_t part = 1; part < std::min(threads, chunks); ++part) {
    helpers.emplace_back(rebuild, part);
  }
  rebuild(0);
  for (std::thread& t : helpers) t.join();
}

void OrderViews::refresh(const Order& order) {
  const OrderFacts facts = facts_of(order, currencies_);
  const RowFacts before = columns_.load(order.seq);
  const RowFacts after = row_of(facts, facts.city.empty() ? 0 : city_id(facts.city));
  if (!columns_.store(order.seq, before, after)) return;

  DayTally::Change change;
  change.from_present = before.present();
  change.from = before.order_status();
  change.to = after.order_status();
  change.from_currency = before.currency;
  change.to_currency = after.currency;
  change.from_counted = counted(before);
  change.to_counted = counted(after);
  change.from_revenue = before.revenue();
  change.to_revenue = after.revenue();
  change.units_delta = std::int64_t{after.units} - (before.present() ? before.units : 0);
  days_.apply(day_of(after.created_at), change);

  // Customer sums count revenue in the default currency only.
  const auto usd = [](const RowFacts& r) { return counted(r) && r.currency == 0; };
  const Cents revenue_delta = (usd(after) ? after.amount : 0) - (usd(before) ? before.amount : 0);
  const std::int64_t counted_delta = std::int64_t{usd(after)} - std::int64_t{usd(before)};
  if (!before.present()) {
    // One stripe lock for the whole new order.
    customers_.add_order(facts.customer, order.seq,
                         CustomerSums{0, after.units, revenue_delta, counted_delta});
  } else if (revenue_delta != 0 || counted_delta != 0 || before.units != after.units) {
    customers_.adjust(facts.customer, std::int64_t{after.units} - before.units, revenue_delta,
                      counted_delta);
  }

  if (after.city != 0 || before.city != 0) update_city(before, after);
  if (before.delivered_at == 0 && after.delivered_at != 0) {
    const Micros took = after.delivered_at - after.created_at;
    MutexLock lock(delivery_mutex_);
    delivery_.shortest = delivery_.orders == 0 ? took : std::min(delivery_.shortest, took);
    delivery_.longest = delivery_.orders == 0 ? took : std::max(delivery_.longest, took);
    delivery_.orders += 1;
    delivery_.total += took;
  }
}

std::uint16_t OrderViews::city_id(std::string_view city) {
  MutexLock lock(city_mutex_);
  auto it = city_ids_.find(city);
  if (it != city_ids_.end()) return it->second;
  if (cities_.size() > kMaxCities) return static_cast<std::uint16_t>(kMaxCities);
  const auto id = static_cast<std::uint16_t>(cities_.size());
  const std::string name = cities_.size() == kMaxCities ? "(other)" : std::string(city);
  cities_.push_back(CityFigures{name, 0, 0, 0});
  if (id != kMaxCities) city_ids_.emplace(std::string(city), id);
  return id;
}

void OrderViews::update_city(const RowFacts& before, const RowFacts& after) {
  const bool delivered_before = before.delivered_at != 0;
  const bool delivered_after = after.delivered_at != 0;
  if (before.city == after.city && before.units == after.units &&
      delivered_before == delivered_after) {
    return;
  }
  MutexLock lock(city_mutex_);
  if (before.city != 0) {
    CityFigures& c = cities_[before.city];
    c.orders -= 1;
    c.units -= before.units;
    c.delivered -= delivered_before ? 1 : 0;
  }
  if (after.city != 0) {
    CityFigures& c = cities_[after.city];
    c.orders += 1;
    c.units += after.units;
    c.delivered += delivered_after ? 1 : 0;
  }
}

ListingPage OrderViews::list(const ListingRequest& request) const {
  return run_listing(columns_, customers_, request);
}

std::vector<std::pair<UserId, CustomerSums>> OrderViews::top_customers(RankBy key,
                                                                       std::size_t limit) const {
  using Ranked = std::pair<UserId, CustomerSums>;
  const auto value = [key](const CustomerSums& s) {
    return key == RankBy::kOrders ? s.orders : s.revenue;
  };
  // "a ranks before b"; the heap's top is the lowest ranked kept.
  const auto before = [&](const Ranked& a, const Ranked& b) {
    if (value(a.second) != value(b.second)) return value(a.second) > value(b.second);
    return a.first < b.first;
  };
  std::vector<Ranked> heap;
  if (limit == 0) return heap;
  customers_.for_each([&](UserId id, const CustomerSums& sums) {
    if (sums.orders == 0) return;
    Ranked r{id, sums};
    if (heap.size() < limit) {
      heap.push_back(r);
      std::push_heap(heap.begin(), heap.end(), before);
    } else if (before(r, heap.front())) {
      std::pop_heap(heap.begin(), heap.end(), before);
      heap.back() = r;
      std::push_heap(heap.begin(), heap.end(), before);
    }
  });
  std::sort_heap(heap.begin(), heap.end(), before);
  return heap;
}

std::vector<CityFigures> OrderViews::cities() const {
  std::vector<CityFigures> out;
  {
    MutexLock lock(city_mutex_);
    for (const CityFigures& c : cities_) {
      if (c.orders > 0) out.push_back(c);
    }
  }
  std::sort(out.begin(), out.end(), [](const CityFigures& a, const CityFigures& b) {
    return a.orders != b.orders ? a.orders > b.orders : a.city < b.city;
  });
  return out;
}

DeliveryFigures OrderViews::delivery() const {
  MutexLock lock(delivery_mutex_);
  return delivery_;
}

std::int64_t OrderViews::orders() const {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < columns_.chunk_count(); ++i) {
    if (const OrderChunk* c = columns_.chunk(i)) n += c->rows.load(std::memory_order_relaxed);
  }
  return n;
}

}  // namespace orderd::views
