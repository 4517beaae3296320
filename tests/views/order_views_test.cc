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

namespace orderd::views {
namespace {

constexpr ProductId kProducts = 8;
constexpr Micros kDay = 86'400'000'000;

// --- The brute-force model ------------------------------------------------------

struct ModelOrder {
  OrderSeq seq;
  UserId customer;
  OrderStatus status;
  std::string currency;
  std::int64_t units;
  Cents amount;
  Micros created, updated, delivered;
  std::string city;
};

bool is_revenue(OrderStatus s) {
  return s != OrderStatus::kCancelled && s != OrderStatus::kRejected && s != OrderStatus::kReturned;
}

std::vector<ModelOrder> model_of(const Engine& engine) {
  std::vector<ModelOrder> out;
  engine.for_each_order([&](const Order& order) {
    const OrderSnapshot o = order.snapshot();
    ModelOrder m;
    m.seq = o.seq;
    m.customer = o.user_id;
    m.status = o.status;
    m.currency = o.details ? o.details->currency : "USD";
    m.units = static_cast<std::int64_t>(o.unit_count());
    m.amount = o.details ? o.grand_total() : o.client_total;
    m.created = o.timestamp(OrderTimestamp::kCreated);
    m.updated = o.updated_at();
    m.delivered = o.timestamp(OrderTimestamp::kDelivered);
    m.city = o.details ? o.details->shipping_address.city : "";
    out.push_back(m);
    return true;
  });
  std::sort(out.begin(), out.end(),
            [](const ModelOrder& a, const ModelOrder& b) { return a.seq < b.seq; });
  return out;
}

std::int64_t sort_key(const ModelOrder& o, SortKey key) {
  switch (key) {
    case SortKey::kCreatedAt:
      return o.created;
    case SortKey::kTotalAmount:
      return o.amount;
    case SortKey::kStatus:
      return static_cast<std::int64_t>(o.status);
    case SortKey::kUpdatedAt:
      return o.updated;
    case SortKey::kUnits:
      return o.units;
    case SortKey::kDeliveredAt:
      return o.delivered;
  }
  return 0;
}

// Every order the request's filter takes, in the listing's order.
std::vector<OrderSeq> brute_listing(const std::vector<ModelOrder>& orders,
                                    const ListingRequest& r) {
  std::vector<const ModelOrder*> hits;
  for (const ModelOrder& o : orders) {
    const OrderFilter& f = r.filter;
    if (!f.statuses[static_cast<std::size_t>(o.status)]) continue;
    if (f.customer && o.customer != *f.customer) continue;
    if (o.created < f.created_from || o.created > f.created_to) continue;
    if (o.amount < f.min_amount || o.amount > f.max_amount) continue;
    hits.push_back(&o);
  }
  std::sort(hits.begin(), hits.end(), [&](const ModelOrder* a, const ModelOrder* b) {
    const auto ka = std::make_pair(sort_key(*a, r.sort), a->seq);
    const auto kb = std::make_pair(sort_key(*b, r.sort), b->seq);
    return r.descending ? ka > kb : ka < kb;
  });
  std::vector<OrderSeq> seqs;
  for (const ModelOrder* o : hits) seqs.push_back(o->seq);
  return seqs;
}

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

ListingRequest random_request(std::mt19937_64& random, const std::vector<ModelOrder>& orders) {
  ListingRequest r;
  auto coin = [&](int in) { return static_cast<int>(random() % in) == 0; };
  if (coin(2)) r.filter.statuses = StatusSet(random() % 255 + 1);
  if (coin(3) && !orders.empty()) r.filter.customer = orders[random() % orders.size()].customer;
  if (coin(3) && !orders.empty()) {
    const Micros a = orders[random() % orders.size()].created;
    const Micros b = orders[random() % orders.size()].created;
    r.filter.created_from = std::min(a, b);
    r.filter.created_to = std::max(a, b);
  }
  if (coin(4)) r.filter.min_amount = static_cast<Cents>(random() % 5000);
  if (coin(4)) r.filter.max_amount = static_cast<Cents>(random() % 20000);
  r.sort = static_cast<SortKey>(random() % 6);
  r.descending = coin(2);
  r.offset = coin(2) ? 0 : random() % 20;
  r.limit = 1 + random() % 15;
  return r;
}

// One page by offset, then every page by position: each equals the slice of
// the brute-force listing, with the same exact total.
void expect_listing_matches(const OrderViews& views, const std::vector<ModelOrder>& orders,
                            ListingRequest r) {
  const std::vector<OrderSeq> want = brute_listing(orders, r);
  const ListingPage page = views.list(r);
  EXPECT_EQ(page.total, want.size());
  const std::size_t start = std::min(r.offset, want.size());
  const std::size_t end = std::min(start + r.limit, want.size());
  EXPECT_EQ(page.seqs, std::vector<OrderSeq>(want.begin() + start, want.begin() + end));
  EXPECT_EQ(page.next.has_value(), end < want.size() && end > start);

  r.offset = 0;
  r.after.reset();
  std::vector<OrderSeq> walked;
  for (int pages = 0; pages < 1000; ++pages) {
    const ListingPage p = views.list(r);
    EXPECT_EQ(p.total, want.size());
    walked.insert(walked.end(), p.seqs.begin(), p.seqs.end());
    if (!p.next) break;
    r.after = p.next;
  }
  EXPECT_EQ(walked, want);
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
