#include "net/route.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace orderd::net {
namespace {

TEST(RouteTest, EveryRouteHasItsOwnLabel) {
  std::set<std::string> labels;
  for (std::size_t i = 0; i < kRouteCount; ++i) {
    const std::string label(route_label(static_cast<Route>(i)));
    EXPECT_FALSE(label.empty());
    EXPECT_NE(label, "unknown") << i;
    EXPECT_TRUE(labels.insert(label).second) << "duplicate label " << label;
  }
}

TEST(RouteTest, LabelsAreTemplatesNotPaths) {
  EXPECT_EQ(route_label(Route::kGetOrder), "GET /orders/{order_id}");
  EXPECT_EQ(route_label(Route::kCreateOrder), "POST /orders");
  EXPECT_EQ(route_label(Route::kRestockProduct), "POST /api/v1/products/{id}/restock");
  EXPECT_EQ(route_label(Route::kMalformed), "malformed");
}

}  // namespace
}  // namespace orderd::net
