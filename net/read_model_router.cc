#include "net/read_model_router.h"

namespace orderd::net {
namespace {

constexpr std::string_view kGetHead = "GET, HEAD";

RouteMatch only_get(HttpMethod method, Route route, std::string_view id = {}) {
  const bool get = method == HttpMethod::kGet || method == HttpMethod::kHead;
  return {get ? route : Route::kMethodNotAllowed, kGetHead, id, {}};
}

// `path` = prefix + one non-empty segment + suffix: the segment.
bool segment_between(std::string_view path, std::string_view prefix, std::string_view suffix,
                     std::string_view& segment) {
  if (!path.starts_with(prefix) || !path.ends_with(suffix) ||
      path.size() <= prefix.size() + suffix.size()) {
    return false;
  }
  segment = path.substr(prefix.size(), path.size() - prefix.size() - suffix.size());
  return segment.find('/') == std::string_view::npos;
}

bool match_analytics(HttpMethod method, std::string_view rest, RouteMatch& out) {
  struct Fixed {
    std::string_view path;
    Route route;
  };
  static constexpr Fixed kFixed[] = {
      {"daily", Route::kAnalyticsDaily},
      {"orders/status", Route::kAnalyticsStatus},
      {"customers/top", Route::kAnalyticsTopCustomers},
      {"summary", Route::kAnalyticsSummary},
      {"revenue/trends", Route::kAnalyticsRevenueTrends},
      {"quick/today", Route::kAnalyticsToday},
      {"quick/week", Route::kAnalyticsWeek},
      {"quick/month", Route::kAnalyticsMonth},
  };
  for (const Fixed& f : kFixed) {
    if (rest == f.path) {
      out = only_get(method, f.route);
      return true;
    }
  }
  std::string_view customer;
  if (segment_between(rest, "customers/", "", customer)) {
    out = only_get(method, Route::kAnalyticsCustomer, customer);
    return true;
  }
  return false;
}

}  // namespace

bool match_read_model_path(HttpMethod method, std::string_view path, RouteMatch& out) {
  std::string_view segment;
  if (path == "/api/orders/analytics/summary") {
    out = only_get(method, Route::kOrderAnalyticsSummary);
    return true;
  }
  if (segment_between(path, "/api/customers/", "/orders", segment)) {
    out = only_get(method, Route::kCustomerOrders, segment);
    return true;
  }
  if (segment_between(path, "/api/customers/", "/order-history", segment)) {
    out = only_get(method, Route::kCustomerOrderHistory, segment);
    return true;
  }
  if (segment_between(path, "/order_history/", "", segment)) {
    out = only_get(method, Route::kOrderHistoryStream, segment);
    return true;
  }
  constexpr std::string_view kAnalytics = "/api/v1/analytics/";
  if (path.starts_with(kAnalytics))
    return match_analytics(method, path.substr(kAnalytics.size()), out);
  return false;
}

}  // namespace orderd::net
