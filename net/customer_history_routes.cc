#include "net/customer_history_routes.h"

#include "net/read_model_params.h"

namespace orderd::net {

HandleOutcome customer_orders(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome customer_order_history(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome order_history_stream(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome order_analytics_summary(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
