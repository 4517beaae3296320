// Seed 003's analytics, over the read models' per-day figures
// (views/day_tally.h) and per-customer sums; UTC days. Revenue counts every
// order that is not cancelled, rejected or returned, per currency.
//
//   GET /api/v1/analytics/daily              start_date, end_date (default
//       the last 30 days); every day listed, days without orders as zeros
//   GET /api/v1/analytics/orders/status      counts and percentages per status
//   GET /api/v1/analytics/customers/top      limit; by revenue
//   GET /api/v1/analytics/customers/{customer_id}
//   GET /api/v1/analytics/summary            the period against the one before
//   GET /api/v1/analytics/revenue/trends     days
//   GET /api/v1/analytics/quick/today, /quick/week, /quick/month
//
// See docs/api.md for every field.
#pragma once

#include "net/api.h"
#include "net/http_message.h"
#include "net/request_context.h"
#include "net/router.h"

namespace orderd::net {

HandleOutcome analytics_daily(RequestContext& ctx, const HttpRequest& request,
                              const RouteMatch& match);
HandleOutcome analytics_status(RequestContext& ctx, const HttpRequest& request,
                               const RouteMatch& match);
HandleOutcome analytics_top_customers(RequestContext& ctx, const HttpRequest& request,
                                      const RouteMatch& match);
HandleOutcome analytics_customer(RequestContext& ctx, const HttpRequest& request,
                                 const RouteMatch& match);
HandleOutcome analytics_summary(RequestContext& ctx, const HttpRequest& request,
                                const RouteMatch& match);
HandleOutcome analytics_revenue_trends(RequestContext& ctx, const HttpRequest& request,
                                       const RouteMatch& match);
// `match.route` tells which: kAnalyticsToday, kAnalyticsWeek or kAnalyticsMonth.
HandleOutcome analytics_quick(RequestContext& ctx, const HttpRequest& request,
                              const RouteMatch& match);

}  // namespace orderd::net
