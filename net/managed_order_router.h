// The URL layout of the managed-order routes (seeds 001 and 003), matched
// for router.cc:
//
//   POST   /api/v1/orders, /api/v1/orders/    create
//   GET    /api/v1/orders, /api/v1/orders/    the listing (read models)
//   GET    /api/v1/orders/export              the listing as JSON lines or CSV
//   GET    /api/v1/orders/my-orders           the caller's orders
//   GET    /api/v1/orders/customers/{customer_id}/orders
//   GET    /api/v1/orders/health/stock-check  the catalog's stock report
//   GET    /api/v1/orders/number/{number}     by order number
//   GET, PUT, DELETE /api/v1/orders/{id}      read, update, delete (Pending only)
//   POST   /api/v1/orders/{id}/cancel
//   PUT    /api/v1/orders/{id}/status
//   GET    /api/v1/orders/{id}/events         the order's history
//
// Pure; thread-safe.
#pragma once

#include <string_view>

#include "net/http_message.h"
#include "net/router.h"

namespace orderd::net {

// True if `path` (no query) is one of the paths above; `out` then holds the
// route (or kMethodNotAllowed with the path's methods) and the {id} or
// {number} segment, still percent-encoded.
bool match_managed_order_path(HttpMethod method, std::string_view path, RouteMatch& out);

}  // namespace orderd::net
