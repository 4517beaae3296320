#include "net/analytics_routes.h"

#include "net/read_model_params.h"

namespace orderd::net {

HandleOutcome analytics_daily(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome analytics_status(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome analytics_top_customers(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome analytics_customer(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome analytics_summary(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome analytics_revenue_trends(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome analytics_quick(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
