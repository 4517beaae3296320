// The read models against a brute-force recomputation from the orders
// themselves, after random histories of creates, imports with a past,
// status moves, cancels, returns, updates and restarts from the journal.
// The model below is written from the orders' snapshots with its own code,
// not the read models'.
#include "views/order_views.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "demo/demo_shop.h"
#include "engine/engine.h"
#include "persistence/durability.h"
#include "tests/persistence/temp_dir.h"
#include "tests/support/wait_until.h"
#include "tests/views/brute_force_model.h"

namespace orderd::views {
namespace {

using namespace testing;  // the brute-force model

constexpr ProductId kProducts = 8;

// --- Comparing an OrderViews with the model ---------------------------------------

void expect_days_match(const OrderViews& views, const std::vector<ModelOrder>& orders) {
  struct Day {
    std::array<std::int64_t, kOrderStatusCount> orders{};
    std::int64_t units = 0;
    std::map<std::string, std::pair<Cents, std::int64_t>> revenue;
  };
  std::map<std::uint32_t, Day> days;
  for (const ModelOrder& o : orders) {
    Day& d = days[static_cast<std::uint32_t>(o.created / kDay)];
    d.orders[static_cast<std::size_t>(o.status)] += 1;
    d.units += o.units;
    if (is_revenue(o.status)) {
      d.revenue[o.currency].first += o.amount;
      d.revenue[o.currency].second += 1;
    }
  }
  for (const auto& [day, want] : days) {
    const DayFigures got = views.day(day);
    EXPECT_EQ(got.orders, want.orders) << "day " << day;
    EXPECT_EQ(got.units, want.units) << "day " << day;
    std::map<std::string, std::pair<Cents, std::int64_t>> got_revenue;
    for (std::uint8_t slot = 0; slot < kCurrencySlots; ++slot) {
      if (got.revenue_orders[slot] != 0) {
        got_revenue[views.currencies().code_of(slot)] = {got.revenue[slot],
                                                         got.revenue_orders[slot]};
      }
    }
    EXPECT_EQ(got_revenue, want.revenue) << "day " << day;
  }
  if (!days.empty()) {
    EXPECT_EQ(views.days_used(), std::make_pair(days.begin()->first, days.rbegin()->first));
  }
}

void expect_customers_match(const OrderViews& views, const std::vector<ModelOrder>& orders) {
  std::map<UserId, std::vector<OrderSeq>> seqs;
  std::map<UserId, CustomerSums> sums;
  for (const ModelOrder& o : orders) {
    seqs[o.customer].push_back(o.seq);
    CustomerSums& s = sums[o.customer];
    s.orders += 1;
    s.units += o.units;
    if (is_revenue(o.status) && o.currency == "USD") {
      s.revenue += o.amount;
      s.revenue_orders += 1;
    }
  }
  for (const auto& [customer, want] : seqs) {
    EXPECT_EQ(views.orders_of(customer), want) << "customer " << customer;
    EXPECT_EQ(views.customer_sums(customer), sums[customer]) << "customer " << customer;
  }
  for (auto by : {OrderViews::RankBy::kOrders, OrderViews::RankBy::kRevenue}) {
    std::vector<std::pair<UserId, CustomerSums>> want(sums.begin(), sums.end());
    auto value = [by](const CustomerSums& s) {
      return by == OrderViews::RankBy::kOrders ? s.orders : s.revenue;
    };
    std::sort(want.begin(), want.end(), [&](const auto& a, const auto& b) {
      return std::make_pair(-value(a.second), a.first) < std::make_pair(-value(b.second), b.first);
    });
    want.resize(std::min<std::size_t>(want.size(), 3));
    EXPECT_EQ(views.top_customers(by, 3), want);
  }
}

void expect_cities_and_delivery_match(const OrderViews& views,
                                      const std::vector<ModelOrder>& orders) {
  std::map<std::string, CityFigures> cities;
  DeliveryFigures delivery;
  for (const ModelOrder& o : orders) {
    if (!o.city.empty()) {
      CityFigures& c = cities[o.city];
      c.city = o.city;
      c.orders += 1;
      c.units += o.units;
      c.delivered += o.delivered != 0 ? 1 : 0;
    }
    if (o.delivered != 0) {
      const Micros took = o.delivered - o.created;
      delivery.shortest = delivery.orders == 0 ? took : std::min(delivery.shortest, took);
      delivery.longest = delivery.orders == 0 ? took : std::max(delivery.longest, took);
      delivery.orders += 1;
      delivery.total += took;
    }
  }
  std::vector<CityFigures> want;
  for (auto& [name, figures] : cities) want.push_back(figures);
  std::stable_sort(want.begin(), want.end(),
                   [](const CityFigures& a, const CityFigures& b) { return a.orders > b.orders; });
  EXPECT_EQ(views.cities(), want);
  EXPECT_EQ(views.delivery(), delivery);
}

void expect_views_match(const OrderViews& views, const Engine& engine, std::mt19937_64& random) {
  const std::vector<ModelOrder> orders = model_of(engine);
  EXPECT_EQ(views.orders(), static_cast<std::int64_t>(orders.size()));
  expect_days_match(views, orders);
  expect_customers_match(views, orders);
  expect_cities_and_delivery_match(views, orders);
  for (int i = 0; i < 60; ++i)
    expect_listing_matches(views, orders, random_request(random, orders));
}

// --- The engine, its journal and the read models ------------------------------------

class OrderViewsTest : public ::testing::Test {
 protected:
  void SetUp() override { open(); }
  void TearDown() override { close(); }

  void open() {
    views = std::make_unique<OrderViews>();
    EngineConfig config;
    config.workers = 1;
    config.max_products = 64;
    engine = std::make_unique<Engine>(config);
    persistence::DurabilityOptions options;
    options.fsync = persistence::FsyncPolicy::never();
    options.downstream = views.get();
    options.reporter = [](persistence::Severity, const std::string&) {};
    const persistence::Status s =
        persistence::Durability::open(dir.path(), options, *engine, &durability);
    ASSERT_TRUE(s.ok()) << s.to_string();
    views->rebuild_from(*engine);
    if (engine->catalog().size() == 0) {
      for (ProductId id = 1; id <= kProducts; ++id) {
        engine->catalog().add(id, "product " + std::to_string(id), 250 * id, 10'000'000);
      }
    }
    engine->start();
  }
  void close() {
    if (!engine) return;
    engine->stop();
    ASSERT_TRUE(durability->close().ok());
    durability.reset();
    engine.reset();
    views.reset();
  }
  void restart() {
    close();
    open();
  }
  void settle() {
    ASSERT_TRUE(orderd::testing::wait_until([&] { return engine->counters().in_flight == 0; }));
  }

  void random_step(std::mt19937_64& random) {
    const OrderSeq known = static_cast<OrderSeq>(engine->counters().accepted);
    switch (random() % 6) {
      case 0:
      case 1:
        submit(random);
        break;
      case 2:
      case 3:
        if (known > 0) move(random, 1 + random() % known);
        break;
      case 4:
        if (known > 0) (void)engine->cancel(OrderKey::by_seq(1 + random() % known), "test");
        break;
      case 5:
        if (known > 0) update(random, 1 + random() % known);
        break;
    }
  }

  void submit(std::mt19937_64& random) {
    std::vector<ItemRequest> items;
    for (ProductId id = 1; id <= kProducts; ++id) {
      if (random() % 3 == 0) items.push_back({id, static_cast<std::uint32_t>(1 + random() % 3)});
    }
    if (items.empty()) items.push_back({1, 1});
    OrderRequest request;
    request.user_id = 1 + random() % 7;
    request.items = items;
    request.client_total = static_cast<Cents>(random() % 10'000);
    OrderDetails details;
    const bool managed = random() % 2 == 0;
    if (managed) {
      static const char* kCurrencies[] = {"USD", "EUR", "GBP"};
      static const char* kCities[] = {"Seattle", "Paris", "", "Lyon"};
      details.currency = kCurrencies[random() % 3];
      details.tax = static_cast<Cents>(random() % 500);
      details.shipping = static_cast<Cents>(random() % 900);
      details.shipping_address.city = kCities[random() % 4];
      request.details = &details;
    }
    (void)engine->submit(request);
  }

  void move(std::mt19937_64& random, OrderSeq seq) {
    static constexpr OrderStatus kMoves[] = {OrderStatus::kShipped, OrderStatus::kDelivered,
                                             OrderStatus::kReturned, OrderStatus::kCompleted,
                                             OrderStatus::kCancelled};
    (void)engine->update_status(OrderKey::by_seq(seq), kMoves[random() % 5], "test move");
  }

  void update(std::mt19937_64& random, OrderSeq seq) {
    const auto order = engine->get(OrderKey::by_seq(seq));
    if (!order || !order->details) return;
    OrderDetails details = *order->details;
    static const char* kCities[] = {"Seattle", "Bordeaux", ""};
    details.shipping_address.city = kCities[random() % 3];
    (void)engine->update_details(OrderKey::by_seq(seq), details, "new address");
  }

  persistence::testing::TempDir dir;
  std::unique_ptr<OrderViews> views;  // outlives the engine that feeds it
  std::unique_ptr<Engine> engine;
  std::unique_ptr<persistence::Durability> durability;
};

TEST_F(OrderViewsTest, RandomHistoriesWithRestartsMatchABruteForceRecomputation) {
  for (std::uint64_t seed : {1u, 2u, 3u}) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 random(seed);
    if (seed == 1) {
      demo::DemoShopOptions shop;
      shop.customers = 6;
      shop.orders = 300;
      shop.seed = seed;
      const demo::DemoShopResult loaded = demo::load_demo_shop(*engine, shop);
      ASSERT_TRUE(loaded.error.empty()) << loaded.error;
    }
    for (int round = 0; round < 4; ++round) {
      for (int step = 0; step < 150; ++step) random_step(random);
      settle();
      expect_views_match(*views, *engine, random);
      restart();
      expect_views_match(*views, *engine, random);
    }
  }
}

TEST_F(OrderViewsTest, ViewsRebuiltFromTheOrdersAnswerLikeTheLiveOnes) {
  std::mt19937_64 random(7);
  for (int step = 0; step < 600; ++step) random_step(random);
  settle();
  OrderViews rebuilt;
  rebuilt.rebuild_from(*engine);
  const std::vector<ModelOrder> orders = model_of(*engine);
  for (std::uint32_t d = views->days_used().first; d <= views->days_used().second; ++d) {
    EXPECT_EQ(rebuilt.day(d), views->day(d));
  }
  for (UserId c = 1; c <= 7; ++c) {
    EXPECT_EQ(rebuilt.orders_of(c), views->orders_of(c));
    EXPECT_EQ(rebuilt.customer_sums(c), views->customer_sums(c));
  }
  EXPECT_EQ(rebuilt.cities(), views->cities());
  EXPECT_EQ(rebuilt.delivery(), views->delivery());
  for (int i = 0; i < 100; ++i) {
    const ListingRequest r = random_request(random, orders);
    const ListingPage a = rebuilt.list(r), b = views->list(r);
    EXPECT_EQ(a.seqs, b.seqs);
    EXPECT_EQ(a.total, b.total);
    EXPECT_EQ(a.next, b.next);
  }
}

TEST_F(OrderViewsTest, RefreshingAnUnchangedOrderChangesNothing) {
  std::mt19937_64 random(11);
  for (int step = 0; step < 200; ++step) random_step(random);
  settle();
  OrderViews twice;
  twice.rebuild_from(*engine);
  twice.rebuild_from(*engine);
  EXPECT_EQ(twice.orders(), views->orders());
  expect_views_match(twice, *engine, random);
}

}  // namespace
}  // namespace orderd::views
