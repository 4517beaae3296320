#include "net/managed_order_router.h"

namespace orderd::net {
namespace {

constexpr std::string_view kOrders = "/api/v1/orders";
constexpr std::string_view kOrdersSlash = "/api/v1/orders/";

constexpr std::string_view kGetHead = "GET, HEAD";
constexpr std::string_view kPost = "POST";
constexpr std::string_view kGetHeadPost = "GET, HEAD, POST";
constexpr std::string_view kPut = "PUT";
constexpr std::string_view kOrderMethods = "GET, HEAD, PUT, DELETE";

bool is_get(HttpMethod m) { return m == HttpMethod::kGet || m == HttpMethod::kHead; }

RouteMatch only(bool allowed, Route route, std::string_view allow, std::string_view id = {}) {
  return {allowed ? route : Route::kMethodNotAllowed, allow, id, {}};
}

}  // namespace

bool match_managed_order_path(HttpMethod method, std::string_view path, RouteMatch& out) {
  if (path == kOrders || path == kOrdersSlash) {
    if (method == HttpMethod::kPost) {
      out = {Route::kCreateManagedOrder, kGetHeadPost, {}, {}};
    } else {
      out = only(is_get(method), Route::kListManagedOrders, kGetHeadPost);
    }
    return true;
  }
  if (!path.starts_with(kOrdersSlash)) return false;
  const std::string_view rest = path.substr(kOrdersSlash.size());
  if (rest == "health/stock-check") {
    out = only(is_get(method), Route::kStockCheck, kGetHead);
    return true;
  }
  // Fixed names before {id}: they are never order ids.
  if (rest == "export") {
    out = only(is_get(method), Route::kExportOrders, kGetHead);
    return true;
  }
  if (rest == "my-orders") {
    out = only(is_get(method), Route::kMyOrders, kGetHead);
    return true;
  }
  constexpr std::string_view kCustomers = "customers/";
  constexpr std::string_view kOrdersTail = "/orders";
  if (rest.starts_with(kCustomers) && rest.ends_with(kOrdersTail) &&
      rest.size() > kCustomers.size() + kOrdersTail.size()) {
    const std::string_view customer =
        rest.substr(kCustomers.size(), rest.size() - kCustomers.size() - kOrdersTail.size());
    if (customer.find('/') == std::string_view::npos) {
      out = only(is_get(method), Route::kCustomerManagedOrders, kGetHead, customer);
      return true;
    }
  }
  const auto slash = rest.find('/');
  const std::string_view id = rest.substr(0, slash);
  if (id.empty()) return false;
  if (slash == std::string_view::npos) {
    switch (method) {
      case HttpMethod::kGet:
      case HttpMethod::kHead:
        out = {Route::kGetManagedOrder, kOrderMethods, id, {}};
        return true;
      case HttpMethod::kPut:
        out = {Route::kUpdateManagedOrder, kOrderMethods, id, {}};
        return true;
      case HttpMethod::kDelete:
        out = {Route::kDeleteManagedOrder, kOrderMethods, id, {}};
        return true;
      default:
        out = {Route::kMethodNotAllowed, kOrderMethods, {}, {}};
        return true;
    }
  }
  const std::string_view tail = rest.substr(slash + 1);
  if (tail.empty() || tail.find('/') != std::string_view::npos) return false;
  if (id == "number") {
    out = only(is_get(method), Route::kGetOrderByNumber, kGetHead, tail);
    return true;
  }
  if (tail == "cancel") {
    out = only(method == HttpMethod::kPost, Route::kCancelManagedOrder, kPost, id);
    return true;
  }
  if (tail == "status") {
    out = only(method == HttpMethod::kPut, Route::kSetManagedOrderStatus, kPut, id);
    return true;
  }
  if (tail == "events") {
    out = only(is_get(method), Route::kManagedOrderEvents, kGetHead, id);
    return true;
  }
  if (tail == "statistics") {
    out = only(is_get(method), Route::kManagedOrderStatistics, kGetHead, id);
    return true;
  }
  return false;
}

}  // namespace orderd::net
