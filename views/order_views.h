// The read models: every order's facts by sequence number (order_columns.h),
// figures per day of creation (day_tally.h), per customer
// (customer_tally.h), per shipping city, and delivery times. Fed by the
// engine's stream of changes (it is an EventSink, installed beside the
// journal) and, at start-up, by rebuild_from() over the recovered orders.
//
// Every figure is a function of the orders' current states, and every
// change is applied as "remove what the order contributed, add what it
// contributes now", so a model fed the live stream and one rebuilt from the
// same orders answer alike.
//
// Thread safety: every method may be called from any thread. Updates come
// with the order's lock held (event_sink.h) and take only striped locks;
// queries take none beyond a stripe or the city table briefly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "engine/engine.h"
#include "engine/event_sink.h"
#include "views/currency_table.h"
#include "views/customer_tally.h"
#include "views/day_tally.h"
#include "views/order_columns.h"
#include "views/order_query.h"

namespace orderd::views {

struct CityFigures {
  std::string city;
  std::int64_t orders = 0;
  std::int64_t units = 0;
  std::int64_t delivered = 0;
  friend bool operator==(const CityFigures&, const CityFigures&) = default;
};

// Creation to delivery, over every order that was delivered (also those
// returned since).
struct DeliveryFigures {
  std::int64_t orders = 0;
  Micros total = 0;
  Micros shortest = 0;
  Micros longest = 0;
  friend bool operator==(const DeliveryFigures&, const DeliveryFigures&) = default;
};

class OrderViews final : public EventSink {
 public:
  OrderViews();
  ~OrderViews() override;

  // --- Feeding ------------------------------------------------------------------
  DurableToken order_accepted(const Order& order) override REQUIRES(order.lock);
  DurableToken order_status_changed(const Order& order, OrderStatus from, bool by_client) override
      REQUIRES(order.lock);
  DurableToken order_updated(const Order& order) override REQUIRES(order.lock);
  DurableToken customer_added(const CustomerInfo&) override { return 0; }
  DurableToken product_added(const ProductInfo&) override { return 0; }
  DurableToken product_restocked(ProductId, std::int64_t, std::int64_t) override { return 0; }

  // Adds every order of `engine` as it is now, and builds the amount index
  // of every full chunk, on up to four threads. For start-up, before the
  // engine runs (live changes meanwhile are harmless: both take the
  // order's lock, and refreshing an order twice changes nothing).
  void rebuild_from(const Engine& engine);
  // Brings the views up to date with `order` (what each event does).
  void refresh(const Order& order) REQUIRES(order.lock);

  // --- Questions -----------------------------------------------------------------
  ListingPage list(const ListingRequest& request) const;
  // See next_matching and row_matches (order_query.h).
  OrderSeq next_matching(const OrderFilter& filter, OrderSeq after, std::size_t max,
                         std::size_t max_rows, std::vector<OrderSeq>& out) const {
    return views::next_matching(columns_, filter, after, max, max_rows, out);
  }
  bool matches(OrderSeq seq, const OrderFilter& filter) const {
    return row_matches(columns_, seq, filter);
  }
  RowFacts row(OrderSeq seq) const { return columns_.load(seq); }
  // The customer's orders, ascending seq, and its sums.
  std::vector<OrderSeq> orders_of(UserId customer) const { return customers_.orders_of(customer); }
  CustomerSums customer_sums(UserId customer) const { return customers_.sums_of(customer); }
  // Customers by `key` (descending, then id ascending), at most `limit`.
  enum class RankBy { kOrders, kRevenue };
  std::vector<std::pair<UserId, CustomerSums>> top_customers(RankBy key, std::size_t limit) const;
  DayFigures day(std::uint32_t d) const { return days_.day(d); }
  DayFigures days(std::uint32_t first, std::uint32_t last) const {
    return days_.range(first, last);
  }
  std::pair<std::uint32_t, std::uint32_t> days_used() const { return days_.days_used(); }
  // Every shipping city with orders, by orders descending then name.
  std::vector<CityFigures> cities() const EXCLUDES(city_mutex_);
  DeliveryFigures delivery() const EXCLUDES(delivery_mutex_);
  const CurrencyTable& currencies() const { return currencies_; }
  CurrencyTable& currencies() { return currencies_; }
  // Orders the views hold (every row stored).
  std::int64_t orders() const;

 private:
  // The id of a shipping city (interned on first sight); 0 for none.
  std::uint16_t city_id(std::string_view city) EXCLUDES(city_mutex_);
  void update_city(const RowFacts& before, const RowFacts& after) EXCLUDES(city_mutex_);

  CurrencyTable currencies_;
  OrderColumns columns_;
  DayTally days_;
  CustomerTally customers_;

  // Cities by id (id 0 unused: "none"); past kMaxCities, further cities
  // share the last id, reported as "(other)".
  static constexpr std::size_t kMaxCities = 65'535;
  mutable Mutex city_mutex_;
  std::map<std::string, std::uint16_t, std::less<>> city_ids_ GUARDED_BY(city_mutex_);
  std::vector<CityFigures> cities_ GUARDED_BY(city_mutex_);

  mutable Mutex delivery_mutex_;
  DeliveryFigures delivery_ GUARDED_BY(delivery_mutex_);
};

}  // namespace orderd::views
