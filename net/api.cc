#include "net/api.h"

#include "metrics/prometheus_writer.h"
#include "net/admin_routes.h"
#include "net/catalog_routes.h"
#include "net/customer_routes.h"
#include "net/home_page.h"
#include "net/managed_order_routes.h"
#include "net/metrics_page.h"
#include "net/order_routes.h"
#include "net/order_status_routes.h"
#include "net/request_context.h"
#include "net/router.h"
#include "net/shop_routes.h"

namespace orderd::net {

Api::Api(Engine& engine, ApiLimits limits, ServerInfo info)
    : engine_(engine), limits_(limits), info_(std::move(info)) {}

void Api::begin_startup(std::string what) {
  {
    MutexLock lock(startup_mutex_);
    startup_work_ = std::move(what);
  }
  started_.store(false, std::memory_order_release);
}

void Api::end_startup() { started_.store(true, std::memory_order_release); }

std::string Api::not_ready_reason() const {
  if (!started()) {
    MutexLock lock(startup_mutex_);
    return startup_work_.empty() ? "starting" : startup_work_;
  }
  if (!ready_.load(std::memory_order_acquire)) return "not accepting connections (shutting down)";
  if (!engine_.running()) return "the engine is stopped";
  if (engine_.refusing_writes()) return "writes are refused: " + engine_.write_refusal_reason();
  if (const DurabilityWaiter* waiter = durability_waiter()) {
    if (std::string error = waiter->sticky_error(); !error.empty()) {
      return "the journal cannot write: " + error;
    }
  }
  return {};
}

DurableToken Api::last_durable_token() const {
  const DurabilityWaiter* waiter = durability_waiter();
  return waiter == nullptr ? 0 : waiter->last_token();
}

std::string Api::wait_durable(DurableToken token) const {
  DurabilityWaiter* waiter = durability_waiter();
  if (waiter == nullptr || token == 0) return {};
  return wait_until_durable(*waiter, token);
}

ApiHandler::ApiHandler(Api& api) : context_(std::make_unique<RequestContext>(api)) {}

ApiHandler::~ApiHandler() = default;

namespace {

// Liveness: the process answers. Whether it can take orders is readiness.
void health(RequestContext& ctx) {
  JsonWriter& w = ctx.begin(200);
  w.StartObject();
  write_key(w, "status");
  write_string(w, "ok");
  w.EndObject();
  ctx.end();
}

void readiness(RequestContext& ctx) {
  const std::string why = ctx.api.not_ready_reason();
  JsonWriter& w = ctx.begin(why.empty() ? 200 : 503);
  w.StartObject();
  write_key(w, "status");
  write_string(w, why.empty() ? "ready" : "not ready");
  if (!why.empty()) {
    write_key(w, "reason");
    write_string(w, why);
  }
  w.EndObject();
  ctx.end();
}

void metrics(RequestContext& ctx) {
  write_metrics_page(ctx.api, ctx.page);
  ctx.response->status = 200;
  ctx.response->content_type = metrics::kPrometheusContentType;
  ctx.response->body = ctx.page;
}

// Routes that read or change orders and products wait for startup
// (recovery) to finish: before that the state is incomplete.
bool needs_startup(Route route) {
  switch (route) {
    case Route::kNotFound:
    case Route::kMethodNotAllowed:
    case Route::kHealth:
    case Route::kReady:
    case Route::kMetrics:
    case Route::kMalformed:
    case Route::kHomePage:
      return false;
    default:
      return true;
  }
}

}  // namespace

HandleOutcome ApiHandler::handle(HttpRequest& request, HttpResponse& response) {
  RequestContext& ctx = *context_;
  response = HttpResponse{};
  ctx.response = &response;
  const RouteMatch match = match_route(request.method, request.target);
  response.route = match.route;
  if (needs_startup(match.route) && !ctx.api.started()) {
    ctx.message.assign("not ready: ");
    ctx.message.append(ctx.api.not_ready_reason());
    ctx.error(503, ctx.message);
    response.retry_after_seconds = 1;
    return HandleOutcome::kDone;
  }
  switch (match.route) {
    case Route::kNotFound:
    case Route::kMalformed:
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
      health(ctx);
      break;
    case Route::kReady:
      readiness(ctx);
      break;
    case Route::kMetrics:
      metrics(ctx);
      break;
    case Route::kSnapshot:
      return take_snapshot(ctx, request);
    case Route::kUpdateOrder:
      update_order(ctx, request, match.id);
      break;
    case Route::kBulkOrderStatus:
      bulk_order_status(ctx, request);
      break;
    case Route::kHomePage:
      home_page(ctx);
      break;
    case Route::kRegisterCustomer:
      register_customer(ctx, request);
      break;
    case Route::kPlaceOrder:
      place_order(ctx, request);
      break;
    case Route::kPatchOrderStatus:
      patch_order_status(ctx, request);
      break;
    case Route::kCreateCustomer:
      create_customer(ctx, request);
      break;
    case Route::kListCustomers:
      list_customers(ctx, match.query);
      break;
    case Route::kGetCustomer:
      get_customer(ctx, match.id);
      break;
    case Route::kCreateManagedOrder:
      create_managed_order(ctx, request);
      break;
    case Route::kGetManagedOrder:
      get_managed_order(ctx, match.id, match.query);
      break;
    case Route::kUpdateManagedOrder:
      update_managed_order(ctx, request, match.id);
      break;
    case Route::kDeleteManagedOrder:
      delete_managed_order(ctx, match.id);
      break;
    case Route::kCancelManagedOrder:
      cancel_managed_order(ctx, request, match.id);
      break;
    case Route::kSetManagedOrderStatus:
      set_managed_order_status(ctx, request, match.id);
      break;
    case Route::kManagedOrderEvents:
      managed_order_events(ctx, match.id);
      break;
    case Route::kGetOrderByNumber:
      get_order_by_number(ctx, match.id);
      break;
    case Route::kStockCheck:
      return stock_check(ctx, request);
  }
  return HandleOutcome::kDone;
}

}  // namespace orderd::net
