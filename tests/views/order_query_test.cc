// Listings over more orders than a chunk holds, so that whole chunks are
// counted from their summaries, skipped by their key bounds and read
// through their amount indexes, against a brute-force listing.
#include "views/order_query.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "engine/engine.h"
#include "tests/views/brute_force_model.h"
#include "views/order_columns.h"
#include "views/order_views.h"

namespace orderd::views {
namespace {

using namespace testing;  // the brute-force model

constexpr std::size_t kOrders = 2 * kChunkRows + 5'000;  // two full chunks and a partial one

class OrderQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineConfig config;
    config.workers = 1;
    config.capacity = kOrders + 1;
    config.max_products = 8;
    engine = std::make_unique<Engine>(config);
    engine->set_event_sink(&views);
    for (ProductId id = 1; id <= 4; ++id) {
      engine->catalog().add(id, "product", 100 * id, std::int64_t{1} << 40);
    }
    std::mt19937_64 random(5);
    const Micros start = 1'700'000'000'000'000;
    for (std::size_t n = 0; n < kOrders; ++n) {
      OrderSnapshot o;
      o.user_id = 1 + random() % 50;
      o.items.push_back({1 + random() % 4, static_cast<std::uint32_t>(1 + random() % 5), 0});
      // Few distinct amounts, so ties are common and ordered by seq.
      o.client_total = static_cast<Cents>(100 * (random() % 40));
      // Mostly in order of creation, sometimes out of it.
      const Micros created = start + static_cast<Micros>(n) * 60'000'000 -
                             (random() % 50 == 0 ? static_cast<Micros>(random() % kDay) : 0);
      o.at[timestamp_index(OrderTimestamp::kCreated)] = created;
      if (random() % 3 != 0) {
        o.status = OrderStatus::kProcessing;
        o.at[timestamp_index(OrderTimestamp::kProcessingStarted)] = created + 1'000'000;
      }
      if (random() % 5 == 0 && o.status == OrderStatus::kProcessing) {
        o.status = OrderStatus::kCancelled;
        o.at[timestamp_index(OrderTimestamp::kCancelled)] = created + 2'000'000;
      }
      ASSERT_TRUE(engine->import_order(o).ok());
    }
    engine->start();
    engine->pause_workers();
  }
  void TearDown() override { engine->resume_workers(); }

  OrderViews views;  // outlives the engine that feeds it
  std::unique_ptr<Engine> engine;
};

TEST_F(OrderQueryTest, ListingsOverFullChunksMatchABruteForceListing) {
  const std::vector<ModelOrder> orders = model_of(*engine);
  std::mt19937_64 random(9);
  for (int i = 0; i < 40; ++i) {
    SCOPED_TRACE("request " + std::to_string(i));
    ListingRequest r = random_request(random, orders);
    r.limit = 1 + random() % 200;
    expect_listing_matches(views, orders, r);
  }
}

TEST_F(OrderQueryTest, AmountSortsAndFiltersUseEveryFullChunk) {
  const std::vector<ModelOrder> orders = model_of(*engine);
  for (bool descending : {true, false}) {
    for (Cents min : {Cents{0}, Cents{1500}}) {
      ListingRequest r;
      r.sort = SortKey::kTotalAmount;
      r.descending = descending;
      r.filter.min_amount = min;
      r.filter.max_amount = 3000;
      r.limit = 100;
      expect_listing_matches(views, orders, r);
      r.filter.statuses = StatusSet().set(status_index(OrderStatus::kCancelled));
      expect_listing_matches(views, orders, r);
      r.sort = SortKey::kCreatedAt;
      expect_listing_matches(views, orders, r);
    }
  }
}

TEST_F(OrderQueryTest, AChangedAmountInAFullChunkIsListedAtItsNewAmount) {
  ListingRequest r;
  r.sort = SortKey::kTotalAmount;
  r.limit = 50;
  (void)views.list(r);  // builds the indexes
  // A plain order that becomes managed is worth its items at catalog prices
  // from then on, not the total its client sent.
  const Cents before = views.row(7).amount;
  OrderDetails details;
  details.customer_email = "late@example.com";
  ASSERT_TRUE(engine->update_details(OrderKey::by_seq(7), details, "now managed").ok());
  const auto order = engine->get(OrderKey::by_seq(7));
  ASSERT_NE(views.row(7).amount, before);
  EXPECT_EQ(views.row(7).amount, order->grand_total());
  const std::vector<ModelOrder> orders = model_of(*engine);
  for (bool descending : {true, false}) {
    r.descending = descending;
    r.filter.min_amount = views.row(7).amount;
    r.filter.max_amount = views.row(7).amount;
    expect_listing_matches(views, orders, r);
    EXPECT_NE(std::find(views.list(r).seqs.begin(), views.list(r).seqs.end(), 7u),
              views.list(r).seqs.end());
  }
}

}  // namespace
}  // namespace orderd::views
