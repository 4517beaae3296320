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
#include <cstddef>
#include <memory>

#include "engine/engine.h"
#include "net/http_message.h"

namespace orderd::net {

struct ApiLimits {
  std::size_t populate_max_entries = 1'000'000;  // most orders one populate call creates
  std::size_t populate_max_errors = 100;         // error strings listed per populate call
  std::size_t metrics_default_ids = 1'000;       // order ids listed per status by default
  std::size_t metrics_max_ids = 10'000;          // most order ids per status per call
  std::size_t products_default_page = 100;
  std::size_t products_max_page = 1'000;
};

// Integers an API client sends or reads (user, product ids) are at most
// 2^53 - 1, so every JSON library, JavaScript's included, reads them exactly.
inline constexpr std::uint64_t kMaxJsonInteger = (std::uint64_t{1} << 53) - 1;

class Api {
 public:
  explicit Api(Engine& engine, ApiLimits limits = {});

  Engine& engine() const { return engine_; }
  const ApiLimits& limits() const { return limits_; }

  // /health/ready answers 200 only while ready (set once the server accepts
  // connections, cleared when shutdown begins) and the engine runs.
  void set_ready(bool ready) { ready_.store(ready, std::memory_order_release); }
  bool ready() const { return ready_.load(std::memory_order_acquire) && engine_.running(); }

  // Long operations (populate) give up once this is set: a shutdown that
  // ran out of patience.
  void abort_long_operations() { abort_.store(true, std::memory_order_relaxed); }
  const std::atomic<bool>* abort_flag() const { return &abort_; }

 private:
  Engine& engine_;
  ApiLimits limits_;
  std::atomic<bool> ready_{false};
  std::atomic<bool> abort_{false};
};

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

  // Answers one request. The response's views (body, allow) stay valid until
  // the next call on this handler. Never throws for anything a client sends;
  // request.body may be modified (JSON is parsed in place).
  HandleOutcome handle(HttpRequest& request, HttpResponse& response);

 private:
  std::unique_ptr<RequestContext> context_;
};

}  // namespace orderd::net
