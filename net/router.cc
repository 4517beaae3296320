#include "net/router.h"

#include "net/managed_order_router.h"
#include "net/read_model_router.h"

namespace orderd::net {
namespace {

constexpr std::string_view kGetHead = "GET, HEAD";
constexpr std::string_view kPost = "POST";
constexpr std::string_view kGetHeadPost = "GET, HEAD, POST";
constexpr std::string_view kPut = "PUT";
constexpr std::string_view kPatch = "PATCH";

bool is_get(HttpMethod m) { return m == HttpMethod::kGet || m == HttpMethod::kHead; }

RouteMatch only(bool allowed, Route route, std::string_view allow) {
  return {allowed ? route : Route::kMethodNotAllowed, allow, {}, {}};
}

// True if `path` starts with `prefix` and what remains is a single
// non-empty segment (no further '/'); `segment` receives it.
bool one_segment_after(std::string_view path, std::string_view prefix, std::string_view& segment) {
  if (!path.starts_with(prefix) || path.size() == prefix.size()) return false;
  segment = path.substr(prefix.size());
  return segment.find('/') == std::string_view::npos;
}

RouteMatch match_path(HttpMethod method, std::string_view path) {
  const bool get = is_get(method);
  const bool post = method == HttpMethod::kPost;
  std::string_view segment;

  if (path == "/orders" || path == "/orders/") return only(post, Route::kCreateOrder, kPost);
  if (path == "/orders/metrics") return only(get, Route::kOrderMetrics, kGetHead);
  if (path == "/orders/populate") return only(post, Route::kPopulateOrders, kPost);
  if (one_segment_after(path, "/orders/", segment)) {
    RouteMatch m = only(get, Route::kGetOrder, kGetHead);
    m.id = segment;
    return m;
  }

  if (path == "/api/v1/products" || path == "/api/v1/products/") {
    if (get) return {Route::kListProducts, kGetHeadPost, {}, {}};
    if (post) return {Route::kCreateProduct, kGetHeadPost, {}, {}};
    return {Route::kMethodNotAllowed, kGetHeadPost, {}, {}};
  }
  constexpr std::string_view kProducts = "/api/v1/products/";
  if (one_segment_after(path, kProducts, segment)) {
    RouteMatch m = only(get, Route::kGetProduct, kGetHead);
    m.id = segment;
    return m;
  }
  constexpr std::string_view kRestock = "/restock";
  if (path.starts_with(kProducts) && path.ends_with(kRestock) &&
      one_segment_after(path.substr(0, path.size() - kRestock.size()), kProducts, segment)) {
    RouteMatch m = only(post, Route::kRestockProduct, kPost);
    m.id = segment;
    return m;
  }

  // Seed 000. The bulk path comes first: {order_id} must not shadow it.
  if (path == "/api/orders/bulk/status") {
    return only(method == HttpMethod::kPut, Route::kBulkOrderStatus, kPut);
  }
  if (one_segment_after(path, "/api/orders/", segment)) {
    RouteMatch m = only(method == HttpMethod::kPut, Route::kUpdateOrder, kPut);
    m.id = segment;
    return m;
  }

  // Seed 002.
  if (path == "/") return only(get, Route::kHomePage, kGetHead);
  if (path == "/register_customer") return only(post, Route::kRegisterCustomer, kPost);
  if (path == "/place_order") return only(post, Route::kPlaceOrder, kPost);
  if (path == "/update_order_status") {
    return only(method == HttpMethod::kPatch, Route::kPatchOrderStatus, kPatch);
  }

  if (path == "/api/v1/customers" || path == "/api/v1/customers/") {
    if (get) return {Route::kListCustomers, kGetHeadPost, {}, {}};
    if (post) return {Route::kCreateCustomer, kGetHeadPost, {}, {}};
    return {Route::kMethodNotAllowed, kGetHeadPost, {}, {}};
  }
  if (one_segment_after(path, "/api/v1/customers/", segment)) {
    RouteMatch m = only(get, Route::kGetCustomer, kGetHead);
    m.id = segment;
    return m;
  }
  if (RouteMatch m; match_managed_order_path(method, path, m)) return m;
  if (RouteMatch m; match_read_model_path(method, path, m)) return m;

  if (path == "/api/v1/auth/token") return only(post, Route::kIssueToken, kPost);
  if (path == "/api/v1/auth/revoke") return only(post, Route::kRevokeToken, kPost);
  if (path == "/api/v1/auth/logout") return only(post, Route::kLogout, kPost);
  if (path == "/api/v1/auth/me") return only(get, Route::kWhoAmI, kGetHead);

  if (path == "/health") return only(get, Route::kHealth, kGetHead);
  if (path == "/health/ready") return only(get, Route::kReady, kGetHead);
  if (path == "/metrics") return only(get, Route::kMetrics, kGetHead);
  if (path == "/admin/snapshot") return only(post, Route::kSnapshot, kPost);
  return {};
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

RouteMatch match_route(HttpMethod method, std::string_view target) {
  std::string_view path = target;
  std::string_view query;
  if (auto q = path.find('?'); q != std::string_view::npos) {
    query = path.substr(q + 1);
    path = path.substr(0, q);
  }
  for (std::string_view scheme : {"http://", "https://"}) {
    if (path.starts_with(scheme)) {
      auto slash = path.find('/', scheme.size());
      path = slash == std::string_view::npos ? std::string_view("/") : path.substr(slash);
      break;
    }
  }
  RouteMatch m = match_path(method, path);
  m.query = query;
  return m;
}

bool percent_decode(std::string_view text, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    if (i + 2 >= text.size()) return false;
    int hi = hex_value(text[i + 1]);
    int lo = hex_value(text[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool well_formed_escapes(std::string_view text) {
  for (std::size_t i = text.find('%'); i != std::string_view::npos; i = text.find('%', i + 3)) {
    if (i + 2 >= text.size() || hex_value(text[i + 1]) < 0 || hex_value(text[i + 2]) < 0) {
      return false;
    }
  }
  return true;
}

bool query_param(std::string_view query, std::string_view name, std::string& out) {
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    auto eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (key != name) continue;
    std::string_view value =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    return percent_decode(value, out);
  }
  return false;
}

}  // namespace orderd::net
