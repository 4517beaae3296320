// Customer order pages and seed 000's order analytics, over the read models:
//
//   GET /api/customers/{customer_id}/orders          seed 000: customer,
//       orders, analytics, pagination; status, sort_by, sort_order, page,
//       per_page (at most 100)
//   GET /api/customers/{customer_id}/order-history   seed 000: customer,
//       order_history (with delivery_days), customer_metrics, order_timeline
//   GET /order_history/{customer_id}                 seed 002: the
//       customer's orders, oldest first
//   GET /api/orders/analytics/summary                seed 000:
//       overall_statistics, monthly_trends, top_customers,
//       delivery_timeline, city_distribution
//
// See docs/api.md for every field.
#pragma once

#include "net/api.h"
#include "net/http_message.h"
#include "net/request_context.h"
#include "net/router.h"

namespace orderd::net {

HandleOutcome customer_orders(RequestContext& ctx, const HttpRequest& request,
                              const RouteMatch& match);
HandleOutcome customer_order_history(RequestContext& ctx, const HttpRequest& request,
                                     const RouteMatch& match);
HandleOutcome order_history_stream(RequestContext& ctx, const HttpRequest& request,
                                   const RouteMatch& match);
HandleOutcome order_analytics_summary(RequestContext& ctx, const HttpRequest& request,
                                      const RouteMatch& match);

}  // namespace orderd::net
