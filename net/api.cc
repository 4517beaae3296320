#include "net/api.h"

#include "net/catalog_routes.h"
#include "net/order_routes.h"
#include "net/request_context.h"
#include "net/router.h"

namespace orderd::net {

Api::Api(Engine& engine, ApiLimits limits) : engine_(engine), limits_(limits) {}

ApiHandler::ApiHandler(Api& api) : context_(std::make_unique<RequestContext>(api)) {}

ApiHandler::~ApiHandler() = default;

namespace {

void status_response(RequestContext& ctx, unsigned status, std::string_view value) {
  JsonWriter& w = ctx.begin(status);
  w.StartObject();
  write_key(w, "status");
  write_string(w, value);
  w.EndObject();
  ctx.end();
}

}  // namespace

HandleOutcome ApiHandler::handle(HttpRequest& request, HttpResponse& response) {
  RequestContext& ctx = *context_;
  response = HttpResponse{};
  ctx.response = &response;
  const RouteMatch match = match_route(request.method, request.target);
  switch (match.route) {
    case Route::kNotFound:
      ctx.error(404, "Not found");
      break;
    case Route::kMethodNotAllowed:
      ctx.error(405, "Method not allowed");
      response.allow = match.allow;
      break;
    case Route::kCreateOrder:
      create_order(ctx, request);
      break;
    case Route::kGetOrder:
      get_order(ctx, match.id);
      break;
    case Route::kOrderMetrics:
      return order_metrics(ctx, request, match.query);
    case Route::kPopulateOrders:
      return populate(ctx, request);
    case Route::kCreateProduct:
      create_product(ctx, request);
      break;
    case Route::kListProducts:
      list_products(ctx, match.query);
      break;
    case Route::kGetProduct:
      get_product(ctx, match.id);
      break;
    case Route::kRestockProduct:
      restock_product(ctx, request, match.id);
      break;
    case Route::kHealth:
      status_response(ctx, 200, "ok");
      break;
    case Route::kReady:
      if (ctx.api.ready()) {
        status_response(ctx, 200, "ready");
      } else {
        ctx.error(503, "not ready");
      }
      break;
  }
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
