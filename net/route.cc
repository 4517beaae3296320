#include "net/route.h"

namespace orderd::net {

std::string_view route_label(Route r) {
  switch (r) {
    case Route::kNotFound:
      return "not_found";
    case Route::kMethodNotAllowed:
      return "method_not_allowed";
    case Route::kCreateOrder:
      return "POST /orders";
    case Route::kGetOrder:
      return "GET /orders/{order_id}";
    case Route::kOrderMetrics:
      return "GET /orders/metrics";
    case Route::kPopulateOrders:
      return "POST /orders/populate";
    case Route::kCreateProduct:
      return "POST /api/v1/products";
    case Route::kListProducts:
      return "GET /api/v1/products";
    case Route::kGetProduct:
      return "GET /api/v1/products/{id}";
    case Route::kRestockProduct:
      return "POST /api/v1/products/{id}/restock";
    case Route::kHealth:
      return "GET /health";
    case Route::kReady:
      return "GET /health/ready";
    case Route::kMetrics:
      return "GET /metrics";
    case Route::kSnapshot:
      return "POST /admin/snapshot";
    case Route::kUpdateOrder:
      return "PUT /api/orders/{order_id}";
    case Route::kBulkOrderStatus:
      return "PUT /api/orders/bulk/status";
    case Route::kHomePage:
      return "GET /";
    case Route::kRegisterCustomer:
      return "POST /register_customer";
    case Route::kPlaceOrder:
      return "POST /place_order";
    case Route::kPatchOrderStatus:
      return "PATCH /update_order_status";
    case Route::kCreateCustomer:
      return "POST /api/v1/customers";
    case Route::kListCustomers:
      return "GET /api/v1/customers";
    case Route::kGetCustomer:
      return "GET /api/v1/customers/{id}";
    case Route::kCreateManagedOrder:
      return "POST /api/v1/orders";
    case Route::kGetManagedOrder:
      return "GET /api/v1/orders/{id}";
    case Route::kUpdateManagedOrder:
      return "PUT /api/v1/orders/{id}";
    case Route::kDeleteManagedOrder:
      return "DELETE /api/v1/orders/{id}";
    case Route::kCancelManagedOrder:
      return "POST /api/v1/orders/{id}/cancel";
    case Route::kSetManagedOrderStatus:
      return "PUT /api/v1/orders/{id}/status";
    case Route::kManagedOrderEvents:
      return "GET /api/v1/orders/{id}/events";
    case Route::kManagedOrderStatistics:
      return "GET /api/v1/orders/{id}/statistics";
    case Route::kGetOrderByNumber:
      return "GET /api/v1/orders/number/{order_number}";
    case Route::kStockCheck:
      return "GET /api/v1/orders/health/stock-check";
    case Route::kListManagedOrders:
      return "GET /api/v1/orders";
    case Route::kExportOrders:
      return "GET /api/v1/orders/export";
    case Route::kMyOrders:
      return "GET /api/v1/orders/my-orders";
    case Route::kCustomerManagedOrders:
      return "GET /api/v1/orders/customers/{customer_id}/orders";
    case Route::kCustomerOrders:
      return "GET /api/customers/{customer_id}/orders";
    case Route::kCustomerOrderHistory:
      return "GET /api/customers/{customer_id}/order-history";
    case Route::kOrderAnalyticsSummary:
      return "GET /api/orders/analytics/summary";
    case Route::kOrderHistoryStream:
      return "GET /order_history/{customer_id}";
    case Route::kAnalyticsDaily:
      return "GET /api/v1/analytics/daily";
    case Route::kAnalyticsStatus:
      return "GET /api/v1/analytics/orders/status";
    case Route::kAnalyticsTopCustomers:
      return "GET /api/v1/analytics/customers/top";
    case Route::kAnalyticsCustomer:
      return "GET /api/v1/analytics/customers/{customer_id}";
    case Route::kAnalyticsSummary:
      return "GET /api/v1/analytics/summary";
    case Route::kAnalyticsRevenueTrends:
      return "GET /api/v1/analytics/revenue/trends";
    case Route::kAnalyticsToday:
      return "GET /api/v1/analytics/quick/today";
    case Route::kAnalyticsWeek:
      return "GET /api/v1/analytics/quick/week";
    case Route::kAnalyticsMonth:
      return "GET /api/v1/analytics/quick/month";
    case Route::kIssueToken:
      return "POST /api/v1/auth/token";
    case Route::kRevokeToken:
      return "POST /api/v1/auth/revoke";
    case Route::kLogout:
      return "POST /api/v1/auth/logout";
    case Route::kWhoAmI:
      return "GET /api/v1/auth/me";
    case Route::kMalformed:
      return "malformed";
  }
  return "unknown";
}

}  // namespace orderd::net
