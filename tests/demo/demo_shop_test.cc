#include "demo/demo_shop.h"

#include <gtest/gtest.h>

#include <set>

#include "demo/demo_catalog.h"
#include "tests/engine/engine_test_util.h"

namespace orderd::demo {
namespace {

constexpr Micros kNow = 1'780'000'000'000'000;  // mid 2026
constexpr Micros kDay = 86'400'000'000;

struct DemoShopTest : ::testing::Test {
  void SetUp() override {
    EngineConfig config;
    config.workers = 1;
    config.max_products = 2048;
    engine = std::make_unique<Engine>(config);
    add_demo_catalog(engine->catalog(), {});
  }
  DemoShopResult load(std::size_t orders = 1000) {
    DemoShopOptions options;
    options.orders = orders;
    options.now = kNow;
    return load_demo_shop(*engine, options);
  }
  std::unique_ptr<Engine> engine;
};

TEST_F(DemoShopTest, HasTheCustomersAndOrdersTheSeedExamplesName) {
  DemoShopResult r = load();
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_EQ(r.customers, 200u);
  EXPECT_EQ(r.orders, 1000u);
  auto john = engine->customers().find_by_reference("cust_123");
  ASSERT_TRUE(john);
  EXPECT_EQ(john->id, 123u);
  EXPECT_EQ(john->name, "John Doe");
  EXPECT_TRUE(engine->customers().get(1));
  EXPECT_EQ(engine->get(OrderKey::by_seq(1))->status, OrderStatus::kCompleted);
  EXPECT_EQ(engine->get(OrderKey::by_seq(123))->status, OrderStatus::kCompleted);
  EXPECT_EQ(engine->get(OrderKey::by_seq(124))->status, OrderStatus::kShipped);
  EXPECT_EQ(engine->get(OrderKey::by_seq(125))->status, OrderStatus::kCompleted);
  auto order_789 = engine->get("order_789");
  ASSERT_TRUE(order_789);
  EXPECT_EQ(order_789->user_id, 123u);
  EXPECT_EQ(engine->catalog().find_sku("prod_456"), ProductId{456});
  EXPECT_EQ(engine->catalog().price_of(456), 2999);
}

TEST_F(DemoShopTest, OrdersSpanTheLastYearInEveryStatusWithConsistentStock) {
  ASSERT_TRUE(load(2000).error.empty());
  std::set<OrderStatus> statuses;
  Micros oldest = kNow;
  engine->for_each_order([&](const Order& order) {
    OrderSnapshot s = order.snapshot();
    statuses.insert(s.status);
    oldest = std::min(oldest, s.timestamp(OrderTimestamp::kCreated));
    EXPECT_LT(s.updated_at(), kNow);
    EXPECT_TRUE(s.details);
    return true;
  });
  EXPECT_EQ(statuses.size(), kOrderStatusCount);
  EXPECT_LT(oldest, kNow - 360 * kDay);
  orderd::testing::expect_stock_invariant(engine->catalog());
  orderd::testing::expect_counters_add_up(engine->counters());
}

TEST_F(DemoShopTest, IsTheSameShopForTheSameSeed) {
  ASSERT_TRUE(load().error.empty());
  const std::uint64_t first = engine->state_digest();
  SetUp();
  ASSERT_TRUE(load().error.empty());
  EXPECT_EQ(engine->state_digest(), first);
}

}  // namespace
}  // namespace orderd::demo
