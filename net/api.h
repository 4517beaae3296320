// The HTTP API over the engine, free of any socket code: the connection
// layer hands an HttpRequest to an ApiHandler and writes back the
// HttpResponse it gets.
//
// Thread safety: Api is shared by all threads (its methods are
// thread-safe). ApiHandler is per thread: keep one on each I/O thread and
// each blocking thread, and never share it. It owns the thread's engine
// Producer and every scratch buffer, so the order hot path (create, get)
// reuses memory instead of allocating per request.
//
// Lifetimes: the Engine outlives the Api, the Api outlives its handlers.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "base/mutex.h"
#include "base/thread_annotations.h"
#include "engine/durability_waiter.h"
#include "engine/engine.h"
#include "net/http_message.h"
#include "net/http_metrics.h"
#include "net/rate_limiter.h"

namespace orderd::persistence {
class Durability;
}
namespace orderd::views {
class OrderViews;
}
namespace orderd::auth {
class Authenticator;
}

namespace orderd::net {

struct ApiLimits {
  std::size_t populate_max_entries = 1'000'000;  // most orders one populate call creates
  std::size_t populate_max_errors = 100;         // error strings listed per populate call
  std::size_t metrics_default_ids = 1'000;       // order ids listed per status by default
  std::size_t metrics_max_ids = 10'000;          // most order ids per status per call
  std::size_t products_default_page = 100;
  std::size_t products_max_page = 1'000;
  RateLimitOptions rate_limit;  // per client address; off by default
  // While the journal holds more than its cap of changes waiting for the
  // disk (DurabilityWaiter::has_room), how long after it arrived a write
  // may wait for room on a blocking thread before it is refused with 503.
  std::chrono::milliseconds journal_wait{1000};
  // Origins whose browser scripts may call the API (CORS), exactly as a
  // browser sends them ("https://shop.example"); "*" allows any. Empty: none.
  std::vector<std::string> cors_origins;
};

// Authentication (--auth jwt): see route_access.h for who may call what.
struct AuthSettings {
  bool metrics_open = false;             // /metrics without a token, for scrapers
  std::chrono::seconds login_ttl{3600};  // lifetime of tokens POST /api/v1/auth/token issues
  // How long a revocation that names no expiry is kept: longer than any
  // token this server accepts lives.
  std::chrono::seconds revocation_ttl{30 * 24 * 3600};
};

// Integers an API client sends or reads (user, product ids) are at most
// 2^53 - 1, so every JSON library, JavaScript's included, reads them exactly.
inline constexpr std::uint64_t kMaxJsonInteger = (std::uint64_t{1} << 53) - 1;

// What the server reports about itself in /health and /metrics.
struct ServerInfo {
  std::string version;  // the build's version
  std::string data_dir;
  std::string fsync_policy;  // "always", "interval:10", "never"; empty without durability
  Micros started_at = 0;     // wall clock, microseconds since the epoch
};

class Api {
 public:
  explicit Api(Engine& engine, ApiLimits limits = {}, ServerInfo info = {});

  Engine& engine() const { return engine_; }
  const ApiLimits& limits() const { return limits_; }
  const ServerInfo& info() const { return info_; }
  HttpMetrics& http_metrics() { return http_metrics_; }
  // Null when no rate limit is configured.
  RateLimiter* rate_limiter() { return rate_limiter_.get(); }
  const HttpMetrics& http_metrics() const { return http_metrics_; }

  // --- Readiness ---------------------------------------------------------------
  // Ready means: the server accepts connections (set_ready, by HttpServer),
  // startup work is over (end_startup), the engine runs, and the journal, if
  // any, can still write.

  void set_ready(bool ready) { ready_.store(ready, std::memory_order_release); }
  // Until end_startup(), order, catalog and admin routes answer 503 and
  // /health/ready names `what` (e.g. "recovering ./data").
  void begin_startup(std::string what) EXCLUDES(startup_mutex_);
  void end_startup();
  bool started() const { return started_.load(std::memory_order_acquire); }
  bool ready() const { return not_ready_reason().empty(); }
  // Why the server is not ready; empty when it is.
  std::string not_ready_reason() const EXCLUDES(startup_mutex_);

  // --- Durability ----------------------------------------------------------------
  // With a waiter attached, responses that report a change are sent only
  // once the waiter says the change is durable, and readiness includes its
  // health. `storage` is the same durability seen as storage, for what only
  // it does: snapshots (POST /admin/snapshot) and the journal section of
  // /metrics; it may be null (then those report that there is no storage).
  // Attach before end_startup(); both must outlive the server's requests.

  void attach_durability(DurabilityWaiter* waiter, persistence::Durability* storage) {
    storage_.store(storage, std::memory_order_release);
    waiter_.store(waiter, std::memory_order_release);
  }
  DurabilityWaiter* durability_waiter() const { return waiter_.load(std::memory_order_acquire); }
  persistence::Durability* storage() const { return storage_.load(std::memory_order_acquire); }
  // A token covering every change made so far, for changes whose calls
  // return none (catalog); 0 without durability.
  DurableToken last_durable_token() const;
  // Blocks until `token` is durable; returns the error that prevents it,
  // empty on success (and at once without durability). For blocking threads.
  std::string wait_durable(DurableToken token) const;

  // --- Read models ---------------------------------------------------------------
  // The listings, histories and analytics routes answer from these (fed by
  // the engine's changes; see views/order_views.h); without them they
  // answer 503. Attach before end_startup(); must outlive the requests.
  void attach_views(const views::OrderViews* views) {
    views_.store(views, std::memory_order_release);
  }
  const views::OrderViews* views() const { return views_.load(std::memory_order_acquire); }

  // --- Authentication ---------------------------------------------------------
  // With an authenticator attached, every route but the public ones needs a
  // valid bearer token (route_access.h); without one, every route is open.
  // Attach before the server starts; it must outlive the requests.
  void attach_auth(const auth::Authenticator* authenticator, AuthSettings settings) {
    auth_settings_ = settings;
    authenticator_ = authenticator;
  }
  const auth::Authenticator* authenticator() const { return authenticator_; }
  const AuthSettings& auth_settings() const { return auth_settings_; }
  // Null unless a rate limit is configured and requests are authenticated:
  // the buckets per token subject.
  RateLimiter* subject_rate_limiter() {
    return authenticator_ ? rate_limiter_by_subject_.get() : nullptr;
  }

  // Long operations (populate) give up once this is set: a shutdown that
  // ran out of patience.
  void abort_long_operations() { abort_.store(true, std::memory_order_relaxed); }
  const std::atomic<bool>* abort_flag() const { return &abort_; }

 private:
  Engine& engine_;
  ApiLimits limits_;
  ServerInfo info_;
  HttpMetrics http_metrics_;
  std::unique_ptr<RateLimiter> rate_limiter_;
  std::unique_ptr<RateLimiter> rate_limiter_by_subject_;
  const auth::Authenticator* authenticator_ = nullptr;
  AuthSettings auth_settings_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> started_{true};
  std::atomic<bool> abort_{false};
  std::atomic<DurabilityWaiter*> waiter_{nullptr};
  std::atomic<persistence::Durability*> storage_{nullptr};
  std::atomic<const views::OrderViews*> views_{nullptr};
  mutable Mutex startup_mutex_;
  std::string startup_work_ GUARDED_BY(startup_mutex_);
};

// What makes two requests under one Idempotency-Key the same request: the
// method, the target as received (path and query), the If-Match header and
// the body bytes, and who sent it (`caller`: a token's role and subject,
// empty without authentication), hashed to 64 bits: so one customer's key
// never answers another with the first one's reply. Stable across builds
// and restarts.
std::uint64_t idempotency_fingerprint(const HttpRequest& request, std::string_view caller = {});

enum class HandleOutcome {
  kDone,                 // the response is ready
  kNeedsBlockingThread,  // nothing was done; call again with may_block = true off the I/O thread
};

struct RequestContext;

class ApiHandler {
 public:
  explicit ApiHandler(Api& api);
  ~ApiHandler();
  ApiHandler(const ApiHandler&) = delete;
  ApiHandler& operator=(const ApiHandler&) = delete;

  // Answers one request. The response's views (body, allow, etag) stay
  // valid until the next call on this handler. Never throws for anything a
  // client sends; request.body may be modified (JSON is parsed in place).
  //
  // A POST, PUT, PATCH or DELETE with an Idempotency-Key header, on a route
  // that exists, runs at most once per key (Engine::idempotency()): its
  // response, unless a server error (5xx), is stored and answered again to
  // a retry with the same key and the same request (idempotency_fingerprint),
  // with Idempotent-Replayed: true. A key reused for another request is
  // 422, a retry while the first still runs 409, a full key store 503 with
  // Retry-After. Other methods ignore the header.
  HandleOutcome handle(HttpRequest& request, HttpResponse& response);

 private:
  std::unique_ptr<RequestContext> context_;
};

}  // namespace orderd::net
