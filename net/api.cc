#include "net/api.h"

#include <algorithm>
#include <bit>
#include <cctype>
#include <chrono>
#include <optional>

#include "metrics/prometheus_writer.h"
#include "net/admin_routes.h"
#include "net/analytics_routes.h"
#include "net/auth_gate.h"
#include "net/auth_routes.h"
#include "net/catalog_routes.h"
#include "net/customer_history_routes.h"
#include "net/customer_routes.h"
#include "net/home_page.h"
#include "net/managed_order_routes.h"
#include "net/metrics_page.h"
#include "net/order_listing_routes.h"
#include "net/order_routes.h"
#include "net/order_status_routes.h"
#include "net/request_context.h"
#include "net/router.h"
#include "net/shop_routes.h"

namespace orderd::net {

Api::Api(Engine& engine, ApiLimits limits, ServerInfo info)
    : engine_(engine), limits_(limits), info_(std::move(info)) {
  if (limits_.rate_limit.enabled()) {
    rate_limiter_ = std::make_unique<RateLimiter>(limits_.rate_limit);
    rate_limiter_by_subject_ = std::make_unique<RateLimiter>(limits_.rate_limit);
  }
}

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

namespace {

HandleOutcome run_route(RequestContext& ctx, HttpRequest& request, const RouteMatch& match) {
  HttpResponse& response = *ctx.response;
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
      return register_customer(ctx, request);
    case Route::kPlaceOrder:
      place_order(ctx, request);
      break;
    case Route::kPatchOrderStatus:
      patch_order_status(ctx, request);
      break;
    case Route::kCreateCustomer:
      return create_customer(ctx, request);
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
      delete_managed_order(ctx, request, match.id);
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
    case Route::kManagedOrderStatistics:
      managed_order_statistics(ctx, match.id);
      break;
    case Route::kGetOrderByNumber:
      get_order_by_number(ctx, match.id);
      break;
    case Route::kStockCheck:
      return stock_check(ctx, request);
    case Route::kListManagedOrders:
      return list_managed_orders(ctx, request, match);
    case Route::kExportOrders:
      return export_orders(ctx, request, match);
    case Route::kMyOrders:
      return my_orders(ctx, request, match);
    case Route::kCustomerManagedOrders:
      return customer_managed_orders(ctx, request, match);
    case Route::kCustomerOrders:
      return customer_orders(ctx, request, match);
    case Route::kCustomerOrderHistory:
      return customer_order_history(ctx, request, match);
    case Route::kOrderAnalyticsSummary:
      return order_analytics_summary(ctx, request, match);
    case Route::kOrderHistoryStream:
      return order_history_stream(ctx, request, match);
    case Route::kAnalyticsDaily:
      return analytics_daily(ctx, request, match);
    case Route::kAnalyticsStatus:
      return analytics_status(ctx, request, match);
    case Route::kAnalyticsTopCustomers:
      return analytics_top_customers(ctx, request, match);
    case Route::kAnalyticsCustomer:
      return analytics_customer(ctx, request, match);
    case Route::kAnalyticsSummary:
      return analytics_summary(ctx, request, match);
    case Route::kAnalyticsRevenueTrends:
      return analytics_revenue_trends(ctx, request, match);
    case Route::kAnalyticsToday:
    case Route::kAnalyticsWeek:
    case Route::kAnalyticsMonth:
      return analytics_quick(ctx, request, match);
    case Route::kIssueToken:
      return issue_login_token(ctx, request);
    case Route::kRevokeToken:
      revoke_token(ctx, request);
      break;
    case Route::kLogout:
      log_out(ctx);
      break;
    case Route::kWhoAmI:
      who_am_i(ctx);
      break;
  }
  return HandleOutcome::kDone;
}

// Requests that may change something, on a route that exists, are the ones a
// key protects; a wrong path or method answers the same with or without one.
// POST, PUT, PATCH and DELETE: the methods that may change something.
bool is_write_method(HttpMethod method) {
  switch (method) {
    case HttpMethod::kPost:
    case HttpMethod::kPut:
    case HttpMethod::kPatch:
    case HttpMethod::kDelete:
      return true;
    default:
      return false;
  }
}

bool takes_idempotency_key(const HttpRequest& request, Route route) {
  if (!is_write_method(request.method)) return false;
  const bool has_key = request.has_idempotency_key || !request.idempotency_key.empty();
  return has_key && route != Route::kNotFound && route != Route::kMethodNotAllowed &&
         route != Route::kMalformed;
}

// Visible ASCII and spaces only: the key is compared as bytes, logged and
// later journaled, where control characters or encodings would only hide
// differences.
bool valid_idempotency_key(std::string_view key) {
  if (key.empty() || key.size() > kMaxIdempotencyKeyBytes) return false;
  for (char c : key) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u > 0x7E) return false;
  }
  return true;
}

// Waits for `token` through the connection, which holds the response until
// the change is durable (HttpResponse::durable_token) on whichever thread
// it was built, and answers 503 if it never is.
void wait_for(RequestContext& ctx, DurableToken token) {
  ctx.response->durable_token = std::max(ctx.response->durable_token, token);
}

// Abandons the key unless released: a request that ends in an exception
// leaves the key free for a retry instead of in progress for good.
class KeyInProgress {
 public:
  KeyInProgress(IdempotencyStore& store, std::string_view key) : store_(store), key_(key) {}
  ~KeyInProgress() {
    if (!key_.empty()) store_.abandon(key_);
  }
  KeyInProgress(const KeyInProgress&) = delete;
  KeyInProgress& operator=(const KeyInProgress&) = delete;
  void release() { key_ = {}; }

 private:
  IdempotencyStore& store_;
  std::string_view key_;
};

HandleOutcome run_with_key(RequestContext& ctx, HttpRequest& request, const RouteMatch& match) {
  HttpResponse& response = *ctx.response;
  const std::string_view key = request.idempotency_key;
  if (!valid_idempotency_key(key)) {
    ctx.error(400, "Idempotency-Key must be 1-255 printable characters");
    return HandleOutcome::kDone;
  }
  IdempotencyStore& store = ctx.engine.idempotency();
  // Before the route runs: it parses the body in place.
  const std::uint64_t fingerprint = idempotency_fingerprint(request, ctx.caller);
  BeginResult begun = store.begin(key, fingerprint, wall_clock_micros());
  switch (begun.outcome) {
    case BeginOutcome::kStarted:
      break;
    case BeginOutcome::kReplay:
      ctx.replay = std::move(begun.reply);
      response.status = ctx.replay.status;
      response.body = ctx.replay.body;
      response.etag = ctx.replay.etag;
      response.idempotent_replayed = true;
      // The first response may still be waiting for its change to be
      // durable; a token covering every change so far covers it too.
      wait_for(ctx, ctx.api.last_durable_token());
      return HandleOutcome::kDone;
    case BeginOutcome::kMismatch:
      ctx.error(422, "Idempotency-Key was used with a different request");
      return HandleOutcome::kDone;
    case BeginOutcome::kInProgress:
      ctx.error(409, "a request with this Idempotency-Key is in progress");
      return HandleOutcome::kDone;
    case BeginOutcome::kFull:
      ctx.error(503, "too many Idempotency-Keys are held, retry later");
      response.retry_after_seconds = 1;
      return HandleOutcome::kDone;
  }
  KeyInProgress in_progress(store, key);
  // A route that needs a blocking thread has done nothing yet: the key is
  // abandoned, and taken again when the request runs there.
  const HandleOutcome outcome = run_route(ctx, request, match);
  if (outcome == HandleOutcome::kNeedsBlockingThread) return outcome;
  // A server error may not recur: a retry should run again, not hear it again.
  if (response.status >= 500) return outcome;
  const DurableToken token =
      store.finish(key, response.status, response.body, response.etag, wall_clock_micros());
  in_progress.release();
  if (token != 0) wait_for(ctx, token);
  return outcome;
}

}  // namespace

std::uint64_t idempotency_fingerprint(const HttpRequest& request, std::string_view caller) {
  // Stable across builds and restarts (it will be journaled), so spelled
  // out here rather than std::hash: each field is its length, then its
  // bytes, eight at a time, little-endian, each word mixed in with a
  // multiply and rotate, and the MurmurHash3 finalizer at the end.
  std::uint64_t h = 0x6A09E667F3BCC908ULL;
  auto add_word = [&h](std::uint64_t w) {
    h ^= w * 0x9E3779B97F4A7C15ULL;
    h = std::rotl(h, 31) * 0xC2B2AE3D27D4EB4FULL;
  };
  auto add = [&add_word](std::string_view bytes) {
    add_word(bytes.size());
    while (!bytes.empty()) {
      const std::size_t n = std::min<std::size_t>(bytes.size(), 8);
      std::uint64_t w = 0;
      for (std::size_t i = 0; i < n; ++i) {
        w |= std::uint64_t{static_cast<unsigned char>(bytes[i])} << (8 * i);
      }
      add_word(w);
      bytes.remove_prefix(n);
    }
  };
  add(http_method_name(request.method));
  add(request.target);
  add(request.if_match);
  add({request.body.data(), request.body.size()});
  // Only when there is one, so that keys stored without authentication
  // keep their fingerprints.
  if (!caller.empty()) add(caller);
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

namespace {

// The Origin to name in Access-Control-Allow-Origin, or empty when the
// request has none or it is not allowed.
std::string_view allowed_origin(const Api& api, std::string_view origin) {
  if (origin.empty()) return {};
  for (const std::string& allowed : api.limits().cors_origins) {
    if (allowed == "*" || allowed == origin) return origin;
  }
  return {};
}

// application/json, any case, with or without parameters (charset).
bool is_json_media_type(std::string_view content_type) {
  const std::string_view type = content_type.substr(0, content_type.find(';'));
  constexpr std::string_view kJson = "application/json";
  std::size_t begin = type.find_first_not_of(" \t");
  std::size_t end = type.find_last_not_of(" \t");
  if (begin == std::string_view::npos) return false;
  const std::string_view trimmed = type.substr(begin, end - begin + 1);
  return trimmed.size() == kJson.size() &&
         std::equal(trimmed.begin(), trimmed.end(), kJson.begin(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         });
}

// OPTIONS on a path: the methods it takes, and a CORS preflight's answer
// when the Origin is allowed.
void answer_options(RequestContext& ctx, const RouteMatch& match) {
  if (match.route != Route::kMethodNotAllowed) {
    ctx.error(404, "Not found");
    return;
  }
  ctx.response->status = 204;
  ctx.response->allow = match.allow;
  ctx.response->cors_preflight = !ctx.response->cors_origin.empty();
}

// Probes are never limited, nor (unless configured) loopback clients.
bool rate_limited(Api& api, const HttpRequest& request, Route route) {
  RateLimiter* limiter = api.rate_limiter();
  if (limiter == nullptr || route == Route::kHealth || route == Route::kReady) return false;
  return !request.client_loopback || limiter->options().on_loopback;
}

// The requests that make a change the journal must hold.
bool changes_state(const HttpRequest& request, Route route) {
  if (!is_write_method(request.method)) return false;
  switch (route) {
    case Route::kNotFound:
    case Route::kMethodNotAllowed:
    case Route::kMalformed:
    case Route::kIssueToken:  // logging in reads the customers, writes nothing
    case Route::kSnapshot:    // writes a file, not a change
      return false;
    default:
      return true;
  }
}

// While the disk has fallen behind (more changes wait for the journal than
// its cap), a write waits for room on a blocking thread until journal_wait
// after it arrived, then is refused with 503: memory stays bounded, and
// reads, which never wait here, go on. Nothing when there is room.
std::optional<HandleOutcome> hold_back_write(RequestContext& ctx, const HttpRequest& request) {
  DurabilityWaiter* waiter = ctx.api.durability_waiter();
  if (waiter == nullptr || waiter->has_room()) return std::nullopt;
  const std::chrono::milliseconds patience = ctx.api.limits().journal_wait;
  if (!request.may_block && patience.count() > 0) return HandleOutcome::kNeedsBlockingThread;
  const auto arrived = request.received_at == std::chrono::steady_clock::time_point{}
                           ? std::chrono::steady_clock::now()
                           : request.received_at;
  if (waiter->wait_for_room(arrived + patience)) return std::nullopt;
  ctx.error(503, "the disk has fallen behind: changes wait for the journal; retry shortly");
  ctx.response->retry_after_seconds = 1;
  return HandleOutcome::kDone;
}

void refuse_over_rate(RequestContext& ctx, const RateDecision& d, std::string_view from) {
  ctx.message.assign("rate limit exceeded: at most ");
  append_uint(ctx.message, d.limit);
  ctx.message.append(" requests at once from one ");
  ctx.message.append(from);
  ctx.message.append("; retry in ");
  append_uint(ctx.message, d.retry_after_seconds);
  ctx.message.append(" s");
  ctx.error(429, ctx.message);
  ctx.response->retry_after_seconds = static_cast<unsigned>(d.retry_after_seconds);
  ctx.response->rate_limit = HttpResponse::RateLimitHeaders{d.limit, d.remaining, d.reset_seconds};
}

}  // namespace

HandleOutcome ApiHandler::handle(HttpRequest& request, HttpResponse& response) {
  RequestContext& ctx = *context_;
  response = HttpResponse{};
  ctx.response = &response;
  const RouteMatch match = match_route(request.method, request.target);
  response.route = match.route;
  response.cors_origin = allowed_origin(ctx.api, request.origin);
  if (request.method == HttpMethod::kOptions) {
    answer_options(ctx, match);
    return HandleOutcome::kDone;
  }
  if (needs_startup(match.route) && !ctx.api.started()) {
    ctx.message.assign("not ready: ");
    ctx.message.append(ctx.api.not_ready_reason());
    ctx.error(503, ctx.message);
    response.retry_after_seconds = 1;
    return HandleOutcome::kDone;
  }
  if (!request.body.empty() && !request.content_type.empty() &&
      !is_json_media_type(request.content_type)) {
    ctx.error(415, "the body must be JSON: send Content-Type: application/json");
    return HandleOutcome::kDone;
  }
  if (!match.query.empty() && !well_formed_escapes(match.query)) {
    // Read leniently, a bad escape would silently drop its parameter.
    ctx.error(400, "the query string has a malformed %-escape");
    return HandleOutcome::kDone;
  }
  // Charged once, on the I/O thread: a rerun on a blocking thread is the
  // same request.
  std::optional<RateDecision> rate;
  if (!request.may_block && rate_limited(ctx.api, request, match.route)) {
    rate = ctx.api.rate_limiter()->admit(request.client_address, steady_clock_micros());
    if (!rate->allowed) {
      refuse_over_rate(ctx, *rate, "client");
      return HandleOutcome::kDone;
    }
  }
  if (!admit_caller(ctx, request, match.route)) return HandleOutcome::kDone;
  RateLimiter* by_subject = ctx.api.subject_rate_limiter();
  if (!request.may_block && by_subject != nullptr && !ctx.caller.empty()) {
    const RateDecision d = by_subject->admit(ctx.caller, steady_clock_micros());
    if (!d.allowed) {
      refuse_over_rate(ctx, d, "token subject");
      return HandleOutcome::kDone;
    }
    // The tighter of the two budgets is the one the client should pace by.
    if (!rate || d.remaining < rate->remaining) rate = d;
  }
  if (changes_state(request, match.route)) {
    if (const std::optional<HandleOutcome> held = hold_back_write(ctx, request)) return *held;
  }
  const HandleOutcome outcome = takes_idempotency_key(request, match.route)
                                    ? run_with_key(ctx, request, match)
                                    : run_route(ctx, request, match);
  // After the answer is built, so that a 201 shows the order as accepted.
  ctx.engine.finish_accepted(ctx.producer);
  if (rate)
    response.rate_limit =
        HttpResponse::RateLimitHeaders{rate->limit, rate->remaining, rate->reset_seconds};
  return outcome;
}

}  // namespace orderd::net
