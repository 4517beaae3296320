#include "engine/catalog.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace orderd {
namespace {

void expect_invariant(const ProductInfo& p) {
  EXPECT_EQ(p.initial + p.restocked + p.returned, p.available + p.held + p.consumed)
      << "product " << p.id;
  EXPECT_GE(p.available, 0) << "product " << p.id;
}

TEST(CatalogTest, AddGetAndRefuseDuplicates) {
  Catalog c(8);
  EXPECT_EQ(c.add(1, "widget", 1999, 10), AddProductResult::kAdded);
  EXPECT_EQ(c.add(1, "again", 1, 1), AddProductResult::kAlreadyExists);
  auto p = c.get(1);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->name, "widget");
  EXPECT_EQ(p->price, 1999);
  EXPECT_EQ(p->available, 10);
  EXPECT_FALSE(c.get(2));
  EXPECT_EQ(c.size(), 1u);
}

TEST(CatalogTest, RefusesInvalidProductsAndAFullCatalog) {
  Catalog c(2);
  EXPECT_EQ(c.add(1, "a", -1, 1), AddProductResult::kInvalid);
  EXPECT_EQ(c.add(1, "a", 1, -1), AddProductResult::kInvalid);
  EXPECT_EQ(c.add(1, "a", 1, Catalog::kMaxStock + 1), AddProductResult::kInvalid);
  EXPECT_EQ(c.add(1, "a", 1, 1), AddProductResult::kAdded);
  EXPECT_EQ(c.add(2, "b", 1, 1), AddProductResult::kAdded);
  EXPECT_EQ(c.add(3, "c", 1, 1), AddProductResult::kCatalogFull);
}

TEST(CatalogTest, ListPagesInIdOrder) {
  Catalog c(100);
  for (ProductId id : {50, 3, 7, 20, 1}) c.add(id, "p", 100, 1);
  auto page = c.list(0, 3);
  ASSERT_EQ(page.size(), 3u);
  EXPECT_EQ(page[0].id, 1u);
  EXPECT_EQ(page[2].id, 7u);
  page = c.list(7, 10);
  ASSERT_EQ(page.size(), 2u);
  EXPECT_EQ(page[0].id, 20u);
  EXPECT_EQ(page[1].id, 50u);
}

TEST(CatalogTest, ReserveIsAllOrNothing) {
  Catalog c;
  c.add(1, "a", 100, 5);
  c.add(2, "b", 100, 1);
  std::vector<OrderItem> items = {{1, 3, 0}, {2, 2, 0}};
  std::vector<StockIssue> issues;
  EXPECT_FALSE(c.reserve(items, &issues));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].product_id, 2u);
  EXPECT_EQ(issues[0].requested, 2);
  EXPECT_EQ(issues[0].available, 1);
  EXPECT_FALSE(issues[0].unknown_product);
  EXPECT_EQ(c.get(1)->available, 5);  // nothing of product 1 was taken
  EXPECT_EQ(c.get(2)->available, 1);
}

TEST(CatalogTest, UnknownProductIsReportedAsSuch) {
  Catalog c;
  c.add(1, "a", 100, 5);
  std::vector<OrderItem> items = {{1, 1, 0}, {9, 1, 0}};
  std::vector<StockIssue> issues;
  EXPECT_FALSE(c.reserve(items, &issues));
  ASSERT_EQ(issues.size(), 1u);
  EXPECT_EQ(issues[0].product_id, 9u);
  EXPECT_TRUE(issues[0].unknown_product);
  EXPECT_EQ(c.get(1)->available, 5);
}

TEST(CatalogTest, ReleaseConsumeAndRestockKeepTheInvariant) {
  Catalog c;
  c.add(1, "a", 100, 10);
  std::vector<OrderItem> a = {{1, 4, 0}};
  std::vector<OrderItem> b = {{1, 3, 0}};
  ASSERT_TRUE(c.reserve(a, nullptr));
  ASSERT_TRUE(c.reserve(b, nullptr));
  expect_invariant(*c.get(1));
  EXPECT_EQ(c.get(1)->held, 7);
  c.consume(a);
  c.release(b);
  EXPECT_EQ(c.restock(1, 5), RestockResult::kRestocked);
  auto p = *c.get(1);
  EXPECT_EQ(p.available, 11);
  EXPECT_EQ(p.consumed, 4);
  EXPECT_EQ(p.held, 0);
  EXPECT_EQ(p.restocked, 5);
  expect_invariant(p);
  EXPECT_EQ(c.restock(1, 0), RestockResult::kInvalid);
  EXPECT_EQ(c.restock(1, -3), RestockResult::kInvalid);
  EXPECT_EQ(c.restock(2, 1), RestockResult::kUnknownProduct);
}

TEST(CatalogTest, FillPricesUsesCurrentCatalogPrices) {
  Catalog c;
  c.add(1, "a", 250, 1);
  c.add(2, "b", 99, 1);
  std::vector<OrderItem> items = {{1, 2, 0}, {2, 1, 0}};
  c.fill_prices(items);
  EXPECT_EQ(items[0].unit_price, 250);
  EXPECT_EQ(items[1].unit_price, 99);
}

TEST(CatalogTest, OutOfStockCount) {
  Catalog c;
  c.add(1, "a", 1, 0);
  c.add(2, "b", 1, 1);
  EXPECT_EQ(c.out_of_stock_count(), 1u);
  std::vector<OrderItem> items = {{2, 1, 0}};
  ASSERT_TRUE(c.reserve(items, nullptr));
  EXPECT_EQ(c.out_of_stock_count(), 2u);
}

TEST(CatalogTest, LookupsWhileProductsAreAdded) {
  Catalog c(4096);
  std::atomic<bool> done{false};
  std::thread reader([&] {
    // At least one pass, and one after the last add, however late the
    // reader starts.
    bool last_pass = false;
    do {
      last_pass = done.load();
      for (ProductId id = 1; id <= 4096; id += 97) {
        auto p = c.get(id);
        if (p) {
          EXPECT_EQ(p->price, static_cast<Cents>(id));
        } else {
          EXPECT_FALSE(last_pass) << "product " << id << " missing after it was added";
        }
      }
    } while (!last_pass);
  });
  for (ProductId id = 1; id <= 4096; ++id) c.add(id, "p", static_cast<Cents>(id), 1);
  done = true;
  reader.join();
  EXPECT_EQ(c.size(), 4096u);
  for (ProductId id = 1; id <= 4096; ++id) ASSERT_TRUE(c.contains(id));
}

TEST(CatalogTest, RacingMultiItemReservationsSellExactlyTheStock) {
  // Three hot products; each order takes one of two of them, in either
  // pairing, so locks are contended from every direction.
  Catalog c;
  constexpr std::int64_t kStock = 3000 / ORDERD_TEST_SCALE_DIVISOR + 7;
  for (ProductId id = 1; id <= 3; ++id) c.add(id, "hot", 100, kStock);
  constexpr int kThreads = 8;
  std::atomic<std::int64_t> sold[4] = {};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      ProductId a = 1 + t % 3, b = 1 + (t + 1) % 3;
      std::vector<OrderItem> items = {{std::min(a, b), 1, 0}, {std::max(a, b), 2, 0}};
      for (int i = 0; i < 2 * kStock; ++i) {
        if (c.reserve(items, nullptr)) {
          sold[items[0].product_id] += 1;
          sold[items[1].product_id] += 2;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (ProductId id = 1; id <= 3; ++id) {
    auto p = *c.get(id);
    expect_invariant(p);
    EXPECT_EQ(p.held, sold[id].load());
    EXPECT_EQ(p.available + p.held, kStock) << id;
  }
}

}  // namespace
}  // namespace orderd
