// The order listings over the read models (views/order_query.h):
//
//   GET /api/v1/orders                 every order, filtered, sorted, paged
//   GET /api/v1/orders/customers/{customer_id}/orders   one customer's
//   GET /api/v1/orders/my-orders       the caller's (see docs/api.md)
//   GET /api/v1/orders/export?format=jsonl|csv   every matching order, oldest
//       first, streamed (order_export.h); the filter parameters only
//
// Parameters (all optional; a bad one is 400 naming it):
//   status       one or several, comma-separated or repeated
//   user_id, customer_id   an integer id or an external reference
//   start_date, end_date   a day (inclusive) or an ISO 8601 instant
//   min_amount, max_amount total_amount bounds, inclusive
//   sort_by      created_at (default), total_amount, status, updated_at
//   sort_order   desc (default) or asc
//   page + page_size (1-based), or skip + limit; at most kMaxListingPage rows
//   cursor       the previous answer's next_cursor: the page after it
//
// Answer: {"orders": [order documents], "total", "page", "page_size",
// "pages", "skip", "limit", "next_cursor"}: total is exact.
#pragma once

#include <cstddef>

#include "net/api.h"
#include "net/http_message.h"
#include "net/request_context.h"
#include "net/router.h"

namespace orderd::net {

inline constexpr std::size_t kDefaultListingPage = 50;
inline constexpr std::size_t kMaxListingPage = 1000;

HandleOutcome list_managed_orders(RequestContext& ctx, const HttpRequest& request,
                                  const RouteMatch& match);
HandleOutcome customer_managed_orders(RequestContext& ctx, const HttpRequest& request,
                                      const RouteMatch& match);
HandleOutcome my_orders(RequestContext& ctx, const HttpRequest& request, const RouteMatch& match);
// The body streams (order_export.h): the handler only reads the filter.
HandleOutcome export_orders(RequestContext& ctx, const HttpRequest& request,
                            const RouteMatch& match);

}  // namespace orderd::net
