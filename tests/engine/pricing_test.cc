#include "engine/pricing.h"

#include <gtest/gtest.h>

#include <vector>

namespace orderd {
namespace {

TEST(PricingTest, SumsUnitPriceTimesQuantity) {
  std::vector<OrderItem> items = {{1, 2, 1999}, {2, 3, 500}};
  Price p = price_items(items);
  EXPECT_EQ(p.subtotal, 2 * 1999 + 3 * 500);
  EXPECT_EQ(p.discount, 0);
  EXPECT_EQ(p.total(), p.subtotal);
}

TEST(PricingTest, TenUnitsGetNoDiscount) {
  std::vector<OrderItem> items = {{1, 10, 1000}};
  EXPECT_EQ(price_items(items).discount, 0);
}

TEST(PricingTest, MoreThanTenUnitsGetTenPercentOff) {
  std::vector<OrderItem> items = {{1, 5, 1000}, {2, 6, 1000}};
  Price p = price_items(items);
  EXPECT_EQ(p.subtotal, 11000);
  EXPECT_EQ(p.discount, 1100);
  EXPECT_EQ(p.total(), 9900);
}

TEST(PricingTest, DiscountRoundsDownToAWholeCent) {
  std::vector<OrderItem> items = {{1, 11, 1}};  // 11 cents, 10% = 1.1 cents
  Price p = price_items(items);
  EXPECT_EQ(p.discount, 1);
  EXPECT_EQ(p.total(), 10);
}

TEST(PricingTest, EmptyOrderCostsNothing) { EXPECT_EQ(price_items({}).total(), 0); }

}  // namespace
}  // namespace orderd
