// The API's routes: what the router resolves a request to, and the label
// a route carries in metrics (its path template, never a raw path, so that
// order ids cannot blow up the number of time series).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace orderd::net {

enum class Route : std::uint8_t {
  kNotFound,          // no such path
  kMethodNotAllowed,  // the path exists; RouteMatch::allow lists its methods
  kCreateOrder,       // POST /orders, POST /orders/
  kGetOrder,          // GET /orders/{order_id}
  kOrderMetrics,      // GET /orders/metrics
  kPopulateOrders,    // POST /orders/populate
  kCreateProduct,     // POST /api/v1/products
  kListProducts,      // GET /api/v1/products
  kGetProduct,        // GET /api/v1/products/{id}
  kRestockProduct,    // POST /api/v1/products/{id}/restock
  kHealth,            // GET /health
  kReady,             // GET /health/ready
  kMetrics,           // GET /metrics (Prometheus)
  kSnapshot,          // POST /admin/snapshot
  kUpdateOrder,       // PUT /api/orders/{order_id} (seed 000)
  kBulkOrderStatus,   // PUT /api/orders/bulk/status (seed 000)
  kHomePage,          // GET / (seed 002)
  kRegisterCustomer,  // POST /register_customer (seed 002)
  kPlaceOrder,        // POST /place_order (seed 002)
  kPatchOrderStatus,  // PATCH /update_order_status (seed 002)
  kCreateCustomer,    // POST /api/v1/customers
  kListCustomers,     // GET /api/v1/customers
  kGetCustomer,       // GET /api/v1/customers/{id}
  // Managed orders (seeds 001 and 003): managed_order_router.h.
  kCreateManagedOrder,      // POST /api/v1/orders
  kGetManagedOrder,         // GET /api/v1/orders/{id}
  kUpdateManagedOrder,      // PUT /api/v1/orders/{id}
  kDeleteManagedOrder,      // DELETE /api/v1/orders/{id}
  kCancelManagedOrder,      // POST /api/v1/orders/{id}/cancel
  kSetManagedOrderStatus,   // PUT /api/v1/orders/{id}/status
  kManagedOrderEvents,      // GET /api/v1/orders/{id}/events
  kManagedOrderStatistics,  // GET /api/v1/orders/{id}/statistics
  kGetOrderByNumber,        // GET /api/v1/orders/number/{order_number}
  kStockCheck,              // GET /api/v1/orders/health/stock-check
  // Read models (views/): read_model_router.h.
  kListManagedOrders,       // GET /api/v1/orders
  kExportOrders,            // GET /api/v1/orders/export
  kMyOrders,                // GET /api/v1/orders/my-orders (seed 001)
  kCustomerManagedOrders,   // GET /api/v1/orders/customers/{customer_id}/orders (seed 003)
  kCustomerOrders,          // GET /api/customers/{customer_id}/orders (seed 000)
  kCustomerOrderHistory,    // GET /api/customers/{customer_id}/order-history (seed 000)
  kOrderAnalyticsSummary,   // GET /api/orders/analytics/summary (seed 000)
  kOrderHistoryStream,      // GET /order_history/{customer_id} (seed 002)
  kAnalyticsDaily,          // GET /api/v1/analytics/daily (seed 003, as the rest)
  kAnalyticsStatus,         // GET /api/v1/analytics/orders/status
  kAnalyticsTopCustomers,   // GET /api/v1/analytics/customers/top
  kAnalyticsCustomer,       // GET /api/v1/analytics/customers/{customer_id}
  kAnalyticsSummary,        // GET /api/v1/analytics/summary
  kAnalyticsRevenueTrends,  // GET /api/v1/analytics/revenue/trends
  kAnalyticsToday,          // GET /api/v1/analytics/quick/today
  kAnalyticsWeek,           // GET /api/v1/analytics/quick/week
  kAnalyticsMonth,          // GET /api/v1/analytics/quick/month
  // Authentication (auth/): auth_routes.h.
  kIssueToken,   // POST /api/v1/auth/token (log in)
  kRevokeToken,  // POST /api/v1/auth/revoke
  kLogout,       // POST /api/v1/auth/logout
  kWhoAmI,       // GET /api/v1/auth/me
  // Never returned by the router: requests the connection refused before
  // routing (malformed, too large, too slow).
  kMalformed,
};

inline constexpr std::size_t kRouteCount = static_cast<std::size_t>(Route::kMalformed) + 1;

inline constexpr std::size_t route_index(Route r) { return static_cast<std::size_t>(r); }

// The metrics label, unique per route: method and path template
// ("GET /orders/{order_id}"), or "not_found", "method_not_allowed",
// "malformed".
std::string_view route_label(Route r);

}  // namespace orderd::net
