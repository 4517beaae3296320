// The authorization matrix: every route, sent with each kind of credential,
// answers the status this table says. The table has one row per route and
// the first test fails when a route has none, so a new route cannot be
// added without deciding who may call it.
#include "net/route_access.h"

#include <gtest/gtest.h>

#include <set>

#include "tests/net/auth_test_util.h"

namespace orderd::net {
namespace {

using testing::AuthFixture;
using testing::Reply;

enum Credential { kNone, kBadSignature, kExpired, kAlgNone, kCustomerA, kCustomerB, kAdmin };
constexpr Credential kCredentials[] = {kNone,      kBadSignature, kExpired, kAlgNone,
                                       kCustomerA, kCustomerB,    kAdmin};
constexpr const char* kCredentialNames[] = {"no token",   "bad signature", "expired", "alg none",
                                            "customer A", "customer B",    "admin"};

// A row: a request naming customer A's things, and what each caller gets.
// Without a valid token every non-public route answers 401.
struct Row {
  Route route;
  HttpMethod method;
  const char* target;  // "{number}": A's order number
  const char* body;
  unsigned a, b, admin;  // customer A (the owner), customer B, an admin
};

constexpr const char* kSeed004Create =
    R"({"user_id": 1, "order_id": "new-1", "item_ids": [1], "total_amount": 10})";
constexpr const char* kManagedCreate =
    R"({"customer_id": 1, "order_items": [{"product_id": 1, "quantity": 1}],
        "shipping_address_line1": "1 Main St", "shipping_city": "Seattle",
        "shipping_state": "WA", "shipping_postal_code": "98101", "shipping_country": "US"})";
constexpr const char* kNewCustomer = R"({"name": "Carol", "email": "carol@example.com"})";

const Row kRows[] = {
    // Public: the same for everyone.
    {Route::kNotFound, HttpMethod::kGet, "/no/such/path", "", 404, 404, 404},
    {Route::kMethodNotAllowed, HttpMethod::kDelete, "/health", "", 405, 405, 405},
    {Route::kHealth, HttpMethod::kGet, "/health", "", 200, 200, 200},
    {Route::kReady, HttpMethod::kGet, "/health/ready", "", 200, 200, 200},
    {Route::kHomePage, HttpMethod::kGet, "/", "", 200, 200, 200},
    {Route::kRegisterCustomer, HttpMethod::kPost, "/register_customer", kNewCustomer, 201, 201,
     201},
    {Route::kCreateCustomer, HttpMethod::kPost, "/api/v1/customers", kNewCustomer, 201, 201, 201},
    {Route::kIssueToken, HttpMethod::kPost, "/api/v1/auth/token",
     R"({"email": "alice@example.com", "password": "alice-password-1"})", 200, 200, 200},
    // Admins only.
    {Route::kMetrics, HttpMethod::kGet, "/metrics", "", 403, 403, 200},
    {Route::kOrderMetrics, HttpMethod::kGet, "/orders/metrics", "", 403, 403, 200},
    {Route::kPopulateOrders, HttpMethod::kPost, "/orders/populate", R"({"total_entries": 2})", 403,
     403, 201},
    {Route::kCreateProduct, HttpMethod::kPost, "/api/v1/products",
     R"({"id": 900, "name": "Gadget", "price": 5, "stock": 3})", 403, 403, 201},
    {Route::kRestockProduct, HttpMethod::kPost, "/api/v1/products/1/restock", R"({"quantity": 5})",
     403, 403, 200},
    // (409: this in-process API has no storage; the route was reached.)
    {Route::kSnapshot, HttpMethod::kPost, "/admin/snapshot", "", 403, 403, 409},
    {Route::kUpdateOrder, HttpMethod::kPut, "/api/orders/1", R"({"status": "cancelled"})", 403, 403,
     200},
    {Route::kBulkOrderStatus, HttpMethod::kPut, "/api/orders/bulk/status",
     R"({"orders": [{"order_id": 1, "status": "cancelled"}]})", 403, 403, 200},
    {Route::kPatchOrderStatus, HttpMethod::kPatch, "/update_order_status",
     R"({"order_id": 1, "status": "cancelled"})", 403, 403, 200},
    {Route::kListCustomers, HttpMethod::kGet, "/api/v1/customers", "", 403, 403, 200},
    {Route::kSetManagedOrderStatus, HttpMethod::kPut, "/api/v1/orders/3/status",
     R"({"status": "confirmed"})", 403, 403, 200},
    {Route::kOrderAnalyticsSummary, HttpMethod::kGet, "/api/orders/analytics/summary", "", 403, 403,
     200},
    {Route::kAnalyticsDaily, HttpMethod::kGet, "/api/v1/analytics/daily", "", 403, 403, 200},
    {Route::kAnalyticsStatus, HttpMethod::kGet, "/api/v1/analytics/orders/status", "", 403, 403,
     200},
    {Route::kAnalyticsTopCustomers, HttpMethod::kGet, "/api/v1/analytics/customers/top", "", 403,
     403, 200},
    {Route::kAnalyticsSummary, HttpMethod::kGet, "/api/v1/analytics/summary", "", 403, 403, 200},
    {Route::kAnalyticsRevenueTrends, HttpMethod::kGet, "/api/v1/analytics/revenue/trends", "", 403,
     403, 200},
    {Route::kAnalyticsToday, HttpMethod::kGet, "/api/v1/analytics/quick/today", "", 403, 403, 200},
    {Route::kAnalyticsWeek, HttpMethod::kGet, "/api/v1/analytics/quick/week", "", 403, 403, 200},
    {Route::kAnalyticsMonth, HttpMethod::kGet, "/api/v1/analytics/quick/month", "", 403, 403, 200},
    {Route::kRevokeToken, HttpMethod::kPost, "/api/v1/auth/revoke", R"({"jti": "some-token"})", 403,
     403, 200},
    // Anyone with a token; A's things are not there for B.
    {Route::kCreateOrder, HttpMethod::kPost, "/orders", kSeed004Create, 201, 403, 201},
    {Route::kGetOrder, HttpMethod::kGet, "/orders/a-1", "", 200, 404, 200},
    {Route::kListProducts, HttpMethod::kGet, "/api/v1/products", "", 200, 200, 200},
    {Route::kGetProduct, HttpMethod::kGet, "/api/v1/products/1", "", 200, 200, 200},
    {Route::kPlaceOrder, HttpMethod::kPost, "/place_order",
     R"({"customer_id": 1, "items": [{"product_id": 1, "quantity": 1}]})", 201, 403, 201},
    {Route::kGetCustomer, HttpMethod::kGet, "/api/v1/customers/1", "", 200, 404, 200},
    {Route::kCreateManagedOrder, HttpMethod::kPost, "/api/v1/orders", kManagedCreate, 201, 403,
     201},
    {Route::kGetManagedOrder, HttpMethod::kGet, "/api/v1/orders/3", "", 200, 404, 200},
    {Route::kUpdateManagedOrder, HttpMethod::kPut, "/api/v1/orders/3",
     R"({"customer_email": "alice.new@example.com"})", 200, 404, 200},
    {Route::kDeleteManagedOrder, HttpMethod::kDelete, "/api/v1/orders/3", "", 200, 404, 200},
    {Route::kCancelManagedOrder, HttpMethod::kPost, "/api/v1/orders/3/cancel", "", 200, 404, 200},
    {Route::kManagedOrderEvents, HttpMethod::kGet, "/api/v1/orders/3/events", "", 200, 404, 200},
    {Route::kManagedOrderStatistics, HttpMethod::kGet, "/api/v1/orders/3/statistics", "", 200, 404,
     200},
    {Route::kGetOrderByNumber, HttpMethod::kGet, "/api/v1/orders/number/{number}", "", 200, 404,
     200},
    {Route::kStockCheck, HttpMethod::kGet, "/api/v1/orders/health/stock-check", "", 200, 200, 200},
    {Route::kListManagedOrders, HttpMethod::kGet, "/api/v1/orders", "", 200, 200, 200},
    {Route::kExportOrders, HttpMethod::kGet, "/api/v1/orders/export", "", 200, 200, 200},
    {Route::kMyOrders, HttpMethod::kGet, "/api/v1/orders/my-orders", "", 200, 200, 200},
    {Route::kCustomerManagedOrders, HttpMethod::kGet, "/api/v1/orders/customers/1/orders", "", 200,
     404, 200},
    {Route::kCustomerOrders, HttpMethod::kGet, "/api/customers/1/orders", "", 200, 404, 200},
    {Route::kCustomerOrderHistory, HttpMethod::kGet, "/api/customers/1/order-history", "", 200, 404,
     200},
    {Route::kOrderHistoryStream, HttpMethod::kGet, "/order_history/1", "", 200, 404, 200},
    {Route::kAnalyticsCustomer, HttpMethod::kGet, "/api/v1/analytics/customers/1", "", 200, 404,
     200},
    {Route::kLogout, HttpMethod::kPost, "/api/v1/auth/logout", "", 200, 200, 200},
    {Route::kWhoAmI, HttpMethod::kGet, "/api/v1/auth/me", "", 200, 200, 200},
};

TEST(RouteAccess, EveryRouteHasARowInTheMatrix) {
  std::set<Route> covered;
  for (const Row& row : kRows) covered.insert(row.route);
  for (std::size_t i = 0; i < kRouteCount; ++i) {
    const auto route = static_cast<Route>(i);
    if (route == Route::kMalformed) continue;  // the connection's, never the router's
    EXPECT_TRUE(covered.contains(route)) << route_label(route) << " has no row";
  }
}

TEST(RouteAccess, NamesEveryLevel) {
  EXPECT_EQ(access_name(route_access(Route::kHealth)), "public");
  EXPECT_EQ(access_name(route_access(Route::kGetOrder)), "customer");
  EXPECT_EQ(access_name(route_access(Route::kSnapshot)), "admin");
  EXPECT_EQ(access_name(route_access(Route::kMetrics)), "metrics");
}

class AuthorizationMatrix : public AuthFixture, public ::testing::WithParamInterface<std::size_t> {
 protected:
  void SetUp() override {}  // each credential starts from fresh state

  std::string credential(Credential c) {
    switch (c) {
      case kNone:
        return "";
      case kBadSignature:
        return bad_signature();
      case kExpired:
        return expired();
      case kAlgNone:
        return alg_none();
      case kCustomerA:
        return customer_a();
      case kCustomerB:
        return customer_b();
      case kAdmin:
        return admin();
    }
    return "";
  }
};

TEST_P(AuthorizationMatrix, AnswersEachCallerAsTheTableSays) {
  const Row& row = kRows[GetParam()];
  for (Credential c : kCredentials) {
    start_authenticated();
    std::string target = row.target;
    if (const auto at = target.find("{number}"); at != std::string::npos) {
      target.replace(at, 8, number_a);
    }
    as(credential(c));
    const Reply r = call(row.method, target, row.body);
    EXPECT_EQ(r.route, row.route) << target;
    const bool public_route = route_access(row.route) == Access::kPublic;
    unsigned expected = c == kCustomerA ? row.a : c == kCustomerB ? row.b : row.admin;
    if (!public_route && c != kCustomerA && c != kCustomerB && c != kAdmin) expected = 401;
    EXPECT_EQ(r.status, expected) << route_label(row.route) << " as " << kCredentialNames[c] << ": "
                                  << r.body;
    if (r.status == 401) {
      EXPECT_TRUE(r.www_authenticate.starts_with("Bearer realm=\"orderd\"")) << r.www_authenticate;
    }
    if (r.status == 401 || r.status == 403 || r.status == 404) {
      EXPECT_FALSE(r.error().empty());
    }
  }
}

INSTANTIATE_TEST_SUITE_P(EveryRoute, AuthorizationMatrix,
                         ::testing::Range(std::size_t{0}, std::size(kRows)),
                         [](const ::testing::TestParamInfo<std::size_t>& info) {
                           std::string name(route_label(kRows[info.param].route));
                           for (char& ch : name) {
                             if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
                           }
                           return name + "_" + std::to_string(info.param);
                         });

}  // namespace
}  // namespace orderd::net
