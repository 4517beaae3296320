#include "views/order_listing.h"

#include <gtest/gtest.h>

#include <string>

#include "tests/support/wait_until.h"

namespace orderd::views {
namespace {

class OrderListingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EngineConfig config;
    config.workers = 1;
    config.max_products = 8;
    engine = std::make_unique<Engine>(config);
    engine->catalog().add(1, "p", 100, 1'000'000);
    engine->start();
  }
  void submit(const std::string& id) {
    ItemRequest item{1, 1};
    ASSERT_TRUE(engine->submit({id, 1, {&item, 1}, 100}).ok());
  }
  static std::vector<std::string> ids(const OrderIdPage& page) {
    std::vector<std::string> out;
    for (const Order* o : page.orders) out.push_back(o->client_id);
    return out;
  }
  std::unique_ptr<Engine> engine;
};

TEST_F(OrderListingTest, ListsEachStatusInAcceptanceOrder) {
  for (int i = 0; i < 5; ++i) submit("C" + std::to_string(i));
  ASSERT_TRUE(testing::wait_until([&] { return engine->counters().completed == 5; }));
  engine->pause_workers();
  for (int i = 0; i < 3; ++i) submit("P" + std::to_string(i));
  StatusSet all;
  all.set();
  auto pages = list_order_ids(*engine, all, 0, 100);
  engine->resume_workers();
  EXPECT_EQ(ids(pages[status_index(OrderStatus::kCompleted)]),
            (std::vector<std::string>{"C0", "C1", "C2", "C3", "C4"}));
  EXPECT_EQ(ids(pages[status_index(OrderStatus::kPending)]),
            (std::vector<std::string>{"P0", "P1", "P2"}));
  EXPECT_FALSE(pages[status_index(OrderStatus::kCompleted)].more);
}

TEST_F(OrderListingTest, PagesWithTheLastSeqAsCursor) {
  for (int i = 0; i < 10; ++i) submit("O" + std::to_string(i));
  ASSERT_TRUE(testing::wait_until([&] { return engine->counters().completed == 10; }));
  StatusSet completed;
  completed.set(status_index(OrderStatus::kCompleted));
  std::vector<std::string> seen;
  OrderSeq after = 0;
  for (int page = 0; page < 10; ++page) {
    auto pages = list_order_ids(*engine, completed, after, 4);
    const auto& p = pages[status_index(OrderStatus::kCompleted)];
    for (const auto& id : ids(p)) seen.push_back(id);
    if (!p.more) break;
    EXPECT_EQ(p.orders.size(), 4u);
    after = p.orders.back()->seq;
  }
  ASSERT_EQ(seen.size(), 10u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(seen[i], "O" + std::to_string(i));
}

TEST_F(OrderListingTest, StatusesNotAskedForStayEmpty) {
  submit("A");
  ASSERT_TRUE(testing::wait_until([&] { return engine->counters().completed == 1; }));
  StatusSet pending;
  pending.set(status_index(OrderStatus::kPending));
  auto pages = list_order_ids(*engine, pending, 0, 10);
  for (const auto& p : pages) EXPECT_TRUE(p.orders.empty());
  EXPECT_TRUE(list_order_ids(*engine, StatusSet{}.set(), 0, 0)[2].orders.empty());
}

}  // namespace
}  // namespace orderd::views
