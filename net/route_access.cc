#include "net/route_access.h"

namespace orderd::net {

Access route_access(Route route) {
  switch (route) {
    // Nothing behind them to protect, or they come before any token exists.
    case Route::kNotFound:
    case Route::kMethodNotAllowed:
    case Route::kMalformed:
    case Route::kHealth:
    case Route::kReady:
    case Route::kHomePage:
    case Route::kRegisterCustomer:
    case Route::kCreateCustomer:
    case Route::kIssueToken:
      return Access::kPublic;

    case Route::kMetrics:
      return Access::kMetrics;

    // A customer's own orders and profile, the catalog, their token.
    case Route::kCreateOrder:
    case Route::kGetOrder:
    case Route::kListProducts:
    case Route::kGetProduct:
    case Route::kPlaceOrder:
    case Route::kGetCustomer:
    case Route::kCreateManagedOrder:
    case Route::kGetManagedOrder:
    case Route::kUpdateManagedOrder:
    case Route::kDeleteManagedOrder:
    case Route::kCancelManagedOrder:
    case Route::kManagedOrderEvents:
    case Route::kManagedOrderStatistics:
    case Route::kGetOrderByNumber:
    case Route::kStockCheck:
    case Route::kListManagedOrders:
    case Route::kExportOrders:
    case Route::kMyOrders:
    case Route::kCustomerManagedOrders:
    case Route::kCustomerOrders:
    case Route::kCustomerOrderHistory:
    case Route::kOrderHistoryStream:
    case Route::kAnalyticsCustomer:
    case Route::kLogout:
    case Route::kWhoAmI:
      return Access::kCustomer;

    // Status changes (seed 001: only admins move orders), the catalog and
    // stock, bulk work, storage, everyone's figures and ids, revocations.
    case Route::kOrderMetrics:
    case Route::kPopulateOrders:
    case Route::kCreateProduct:
    case Route::kRestockProduct:
    case Route::kSnapshot:
    case Route::kUpdateOrder:
    case Route::kBulkOrderStatus:
    case Route::kPatchOrderStatus:
    case Route::kListCustomers:
    case Route::kSetManagedOrderStatus:
    case Route::kOrderAnalyticsSummary:
    case Route::kAnalyticsDaily:
    case Route::kAnalyticsStatus:
    case Route::kAnalyticsTopCustomers:
    case Route::kAnalyticsSummary:
    case Route::kAnalyticsRevenueTrends:
    case Route::kAnalyticsToday:
    case Route::kAnalyticsWeek:
    case Route::kAnalyticsMonth:
    case Route::kRevokeToken:
      return Access::kAdmin;
  }
  return Access::kAdmin;  // unreachable: the switch names every route
}

std::string_view access_name(Access access) {
  switch (access) {
    case Access::kPublic:
      return "public";
    case Access::kCustomer:
      return "customer";
    case Access::kAdmin:
      return "admin";
    case Access::kMetrics:
      return "metrics";
  }
  return "admin";
}

}  // namespace orderd::net
