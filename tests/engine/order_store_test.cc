#include "engine/order_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace orderd {
namespace {

std::unique_ptr<Order> make_order(std::string id) {
  auto o = std::make_unique<Order>();
  o->client_id = std::move(id);
  return o;
}

TEST(OrderStoreTest, FindsWhatWasInserted) {
  OrderStore store(4);
  Order* a = store.insert(make_order("a"));
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(store.find("a"), a);
  EXPECT_EQ(store.find("b"), nullptr);
  EXPECT_EQ(store.size(), 1u);
}

TEST(OrderStoreTest, SecondInsertOfAnIdIsRefused) {
  OrderStore store;
  Order* first = store.insert(make_order("dup"));
  EXPECT_EQ(store.insert(make_order("dup")), nullptr);
  EXPECT_EQ(store.find("dup"), first);
  EXPECT_EQ(store.size(), 1u);
}

TEST(OrderStoreTest, ForEachVisitsAllAndCanStop) {
  OrderStore store(8);
  for (int i = 0; i < 100; ++i) store.insert(make_order("o" + std::to_string(i)));
  int seen = 0;
  store.for_each([&](const Order&) { return ++seen < 1000; });
  EXPECT_EQ(seen, 100);
  seen = 0;
  store.for_each([&](const Order&) { return ++seen < 10; });
  EXPECT_EQ(seen, 10);
}

TEST(OrderStoreTest, ConcurrentInsertsOfOneIdHaveExactlyOneWinner) {
  OrderStore store;
  constexpr int kThreads = 8, kIds = 2000 / ORDERD_TEST_SCALE_DIVISOR;
  std::atomic<int> winners{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIds; ++i) {
        if (store.insert(make_order("id" + std::to_string(i)))) winners.fetch_add(1);
        EXPECT_NE(store.find("id" + std::to_string(i)), nullptr);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(winners.load(), kIds);
  EXPECT_EQ(store.size(), static_cast<std::size_t>(kIds));
}

}  // namespace
}  // namespace orderd
