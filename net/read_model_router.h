// The URL layout of the history and analytics routes outside
// /api/v1/orders (managed_order_router.h has those), matched for router.cc:
//
//   GET /api/customers/{customer_id}/orders          seed 000
//   GET /api/customers/{customer_id}/order-history   seed 000
//   GET /api/orders/analytics/summary                seed 000
//   GET /order_history/{customer_id}                 seed 002
//   GET /api/v1/analytics/daily, /orders/status, /customers/top,
//       /customers/{customer_id}, /summary, /revenue/trends,
//       /quick/today, /quick/week, /quick/month      seed 003
//
// Pure; thread-safe.
#pragma once

#include <string_view>

#include "net/http_message.h"
#include "net/router.h"

namespace orderd::net {

// True if `path` (no query) is one of the paths above; `out` then holds the
// route (or kMethodNotAllowed) and the {customer_id} segment, still
// percent-encoded.
bool match_read_model_path(HttpMethod method, std::string_view path, RouteMatch& out);

}  // namespace orderd::net
