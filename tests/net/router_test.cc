#include "net/router.h"

#include <gtest/gtest.h>

#include <string>

namespace orderd::net {
namespace {

using M = HttpMethod;

Route route(M method, std::string_view target) { return match_route(method, target).route; }

TEST(RouterTest, OrderRoutes) {
  EXPECT_EQ(route(M::kPost, "/orders/"), Route::kCreateOrder);
  EXPECT_EQ(route(M::kPost, "/orders"), Route::kCreateOrder);
  EXPECT_EQ(route(M::kGet, "/orders/metrics"), Route::kOrderMetrics);
  EXPECT_EQ(route(M::kGet, "/orders/metrics?getOrderIds=true"), Route::kOrderMetrics);
  EXPECT_EQ(route(M::kPost, "/orders/populate"), Route::kPopulateOrders);
  auto m = match_route(M::kGet, "/orders/ORD003");
  EXPECT_EQ(m.route, Route::kGetOrder);
  EXPECT_EQ(m.id, "ORD003");
  EXPECT_EQ(route(M::kHead, "/orders/ORD003"), Route::kGetOrder);
}

TEST(RouterTest, CatalogAndHealthRoutes) {
  EXPECT_EQ(route(M::kPost, "/api/v1/products"), Route::kCreateProduct);
  EXPECT_EQ(route(M::kGet, "/api/v1/products"), Route::kListProducts);
  EXPECT_EQ(route(M::kGet, "/api/v1/products/?limit=5"), Route::kListProducts);
  auto m = match_route(M::kGet, "/api/v1/products/42");
  EXPECT_EQ(m.route, Route::kGetProduct);
  EXPECT_EQ(m.id, "42");
  m = match_route(M::kPost, "/api/v1/products/42/restock");
  EXPECT_EQ(m.route, Route::kRestockProduct);
  EXPECT_EQ(m.id, "42");
  EXPECT_EQ(route(M::kGet, "/health"), Route::kHealth);
  EXPECT_EQ(route(M::kGet, "/health/ready"), Route::kReady);
}

TEST(RouterTest, WrongMethodListsTheAllowedOnes) {
  auto m = match_route(M::kGet, "/orders/");
  EXPECT_EQ(m.route, Route::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "POST");
  m = match_route(M::kPost, "/orders/ORD003");
  EXPECT_EQ(m.route, Route::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD");
  m = match_route(M::kDelete, "/api/v1/products");
  EXPECT_EQ(m.route, Route::kMethodNotAllowed);
  EXPECT_EQ(m.allow, "GET, HEAD, POST");
  EXPECT_EQ(match_route(M::kGet, "/api/v1/products/1/restock").allow, "POST");
  EXPECT_EQ(match_route(M::kPut, "/health").allow, "GET, HEAD");
  EXPECT_EQ(route(M::kOther, "/orders/metrics"), Route::kMethodNotAllowed);
}

TEST(RouterTest, UnknownPathsAreNotFound) {
  for (const char* target :
       {"", "*", "/order", "/orders/a/b", "/orders//", "/ORDERS/", "/api/v1/products/1/2",
        "/api/v1/products/1/restock/x", "/api/v1/products//restock", "/health/", "/healthz"}) {
    EXPECT_EQ(route(M::kGet, target), Route::kNotFound) << target;
    EXPECT_EQ(route(M::kPost, target), Route::kNotFound) << target;
  }
}

TEST(RouterTest, SplitsTheQueryOff) {
  auto m = match_route(M::kGet, "/orders/metrics?getOrderIds=true&limit=5");
  EXPECT_EQ(m.query, "getOrderIds=true&limit=5");
  m = match_route(M::kGet, "/orders/ORD1?x=1");
  EXPECT_EQ(m.id, "ORD1");
}

TEST(RouterTest, MatchesAbsoluteFormByItsPath) {
  EXPECT_EQ(route(M::kPost, "http://127.0.0.1:5000/orders/"), Route::kCreateOrder);
  // No path at all is the root: seed 002's home page.
  EXPECT_EQ(route(M::kGet, "http://example.com"), Route::kHomePage);
}

TEST(PercentDecodeTest, DecodesEscapes) {
  std::string out;
  EXPECT_TRUE(percent_decode("a%2Fb%20c%e2%82%ac", out));
  EXPECT_EQ(out, "a/b c\xE2\x82\xAC");
  EXPECT_TRUE(percent_decode("plain+text", out));
  EXPECT_EQ(out, "plain+text");
  EXPECT_FALSE(percent_decode("%", out));
  EXPECT_FALSE(percent_decode("%4", out));
  EXPECT_FALSE(percent_decode("%zz", out));
}

TEST(QueryParamTest, FindsAndDecodesValues) {
  std::string v;
  EXPECT_TRUE(query_param("getOrderIds=true&limit=5", "limit", v));
  EXPECT_EQ(v, "5");
  EXPECT_TRUE(query_param("getOrderIds=%74rue", "getOrderIds", v));
  EXPECT_EQ(v, "true");
  EXPECT_TRUE(query_param("flag&x=1", "flag", v));
  EXPECT_EQ(v, "");
  EXPECT_FALSE(query_param("limit=5", "lim", v));
  EXPECT_FALSE(query_param("", "limit", v));
  EXPECT_FALSE(query_param("limit=%zz", "limit", v));
}

TEST(RouterTest, WellFormedEscapesAreTwoHexDigitsAfterEachPercent) {
  EXPECT_TRUE(well_formed_escapes(""));
  EXPECT_TRUE(well_formed_escapes("a=b&c=%20d%2C%2c"));
  EXPECT_FALSE(well_formed_escapes("sort_by=%zz"));
  EXPECT_FALSE(well_formed_escapes("a=%2"));
  EXPECT_FALSE(well_formed_escapes("a=%"));
  EXPECT_FALSE(well_formed_escapes("a=%%41"));
}

}  // namespace
}  // namespace orderd::net
