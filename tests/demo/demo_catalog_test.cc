#include "demo/demo_catalog.h"

#include <gtest/gtest.h>

namespace orderd::demo {
namespace {

TEST(DemoCatalogTest, AddsProductsOneToNWithDocumentedPrices) {
  Catalog catalog(2000);
  EXPECT_EQ(add_demo_catalog(catalog, {}), 1000u);
  EXPECT_EQ(catalog.size(), 1000u);
  auto p = catalog.get(101);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->name, "Demo product 101");
  EXPECT_EQ(p->price, 199);
  EXPECT_EQ(p->available, 1'000'000'000);
  EXPECT_EQ(catalog.get(100)->price, 99);
  EXPECT_EQ(catalog.get(1000)->price, 99);
  EXPECT_FALSE(catalog.contains(1001));
  EXPECT_FALSE(catalog.contains(0));
}

TEST(DemoCatalogTest, SkipsExistingProductsAndStopsWhenFull) {
  Catalog catalog(5);
  catalog.add(2, "mine", 1, 1);
  EXPECT_EQ(add_demo_catalog(catalog, {10, 3}), 4u);
  EXPECT_EQ(catalog.get(2)->name, "mine");
  EXPECT_EQ(catalog.size(), 5u);
}

TEST(DemoCatalogTest, ZeroProductsAddsNothing) {
  Catalog catalog(4);
  EXPECT_EQ(add_demo_catalog(catalog, {0, 5}), 0u);
  EXPECT_EQ(catalog.size(), 0u);
}

}  // namespace
}  // namespace orderd::demo
