#include "net/order_listing_routes.h"

#include "net/read_model_params.h"

namespace orderd::net {

HandleOutcome list_managed_orders(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome customer_managed_orders(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome my_orders(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

HandleOutcome export_orders(RequestContext& ctx, const HttpRequest&, const RouteMatch&) {
  if (require_views(ctx) == nullptr) return HandleOutcome::kDone;
  ctx.error(501, "not implemented yet");
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
