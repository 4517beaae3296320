#include "tests/fuzz/api_harness.h"

#include <rapidjson/document.h>

#include <atomic>
#include <string>
#include <vector>

#include "demo/demo_catalog.h"
#include "demo/demo_shop.h"
#include "engine/engine.h"
#include "engine/event_tee.h"
#include "net/api.h"
#include "tests/fuzz/fuzz_check.h"
#include "views/order_views.h"

namespace orderd::fuzz {

namespace {

// Counts the changes the engine reports, as the journal would see them.
// A stored idempotency reply is not a change of state: a refused request
// sent with a key stores its refusal, by design.
class ChangeCounter final : public EventSink {
 public:
  std::uint64_t changes() const { return changes_.load(std::memory_order_relaxed); }

  DurableToken order_accepted(const Order&) override { return count(); }
  DurableToken order_status_changed(const Order&, OrderStatus, bool) override { return count(); }
  DurableToken order_updated(const Order&) override { return count(); }
  DurableToken customer_added(const CustomerInfo&) override { return count(); }
  DurableToken product_added(const ProductInfo&) override { return count(); }
  DurableToken product_restocked(ProductId, std::int64_t, std::int64_t) override { return count(); }
  DurableToken token_revoked(std::string_view, Micros) override { return count(); }

 private:
  DurableToken count() {
    changes_.fetch_add(1, std::memory_order_relaxed);
    return 0;
  }
  std::atomic<std::uint64_t> changes_{0};
};

// Orders beyond the demo shop's before the engine is rebuilt.
constexpr std::int64_t kRebuildAfterOrders = 5'000;
// A fixed clock for the digest, so an expiring revocation cannot change it.
constexpr Micros kDigestClock = 1'800'000'000'000'000;

std::string body_text(const net::HttpResponse& response) {
  std::string text(response.body);
  if (response.stream) {
    std::string piece;
    for (bool more = true; more;) {
      piece.clear();
      more = response.stream->next(piece);
      text += piece;
    }
  }
  return text;
}

}  // namespace

struct ApiHarness::State {
  State() {
    EngineConfig config;
    config.workers = 1;
    config.capacity = 1 << 16;
    config.order_shards = 8;
    config.max_products = 256;
    config.idempotency_max_keys = 4096;
    config.max_revoked_tokens = 4096;
    engine = std::make_unique<Engine>(config);
    demo::add_demo_catalog(engine->catalog(), {50, 1'000'000});
    tee = std::make_unique<EventTee>(changes, views);
    engine->set_event_sink(tee.get());
    engine->start();
    demo::DemoShopOptions shop;
    shop.customers = 20;
    shop.orders = 789;  // the fewest that hold every order the seeds name
    shop.now = 1'700'000'000'000'000;
    const demo::DemoShopResult loaded = demo::load_demo_shop(*engine, shop);
    FUZZ_CHECK(loaded.error.empty(), "demo shop: %s", loaded.error.c_str());
    engine->pause_workers();
    net::ApiLimits limits;
    limits.populate_max_entries = 200;
    api = std::make_unique<net::Api>(*engine, limits);
    api->attach_views(&views);
    api->set_ready(true);
    handler = std::make_unique<net::ApiHandler>(*api);
    base_orders = engine->counters().accepted;
  }
  ~State() {
    handler.reset();
    api.reset();
    engine->resume_workers();
    engine->stop();
  }

  ChangeCounter changes;
  views::OrderViews views;  // outlives the engine, which reports to it
  std::unique_ptr<EventTee> tee;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<net::Api> api;
  std::unique_ptr<net::ApiHandler> handler;
  std::int64_t base_orders = 0;
};

ApiHarness::ApiHarness(std::size_t digest_every) : digest_every_(digest_every) { rebuild(); }

ApiHarness::~ApiHarness() = default;

ApiHarness& ApiHarness::shared() {
  static ApiHarness harness(64);
  return harness;
}

void ApiHarness::rebuild() {
  state_.reset();
  state_ = std::make_unique<State>();
}

void ApiHarness::answer(net::HttpRequest request) {
  if (state_->engine->counters().accepted > state_->base_orders + kRebuildAfterOrders) rebuild();
  State& s = *state_;
  // The handler parses the body in place: keep the bytes for a second call.
  const std::string body(request.body.data(), request.body.size());
  std::string buffer = body;
  request.body = std::span<char>(buffer.data(), buffer.size());
  const bool check_digest = digest_every_ > 0 && client_errors_ % digest_every_ == 0;
  const std::uint64_t digest_before = check_digest ? s.engine->state_digest(kDigestClock) : 0;
  const std::uint64_t changes_before = s.changes.changes();

  net::HttpResponse response;
  if (s.handler->handle(request, response) == net::HandleOutcome::kNeedsBlockingThread) {
    buffer = body;
    request.body = std::span<char>(buffer.data(), buffer.size());
    request.may_block = true;
    FUZZ_CHECK(s.handler->handle(request, response) == net::HandleOutcome::kDone,
               "a blocking thread's call asked for a blocking thread again");
  }
  const std::string target(request.target);
  const std::string text = body_text(response);
  FUZZ_CHECK(response.status >= 100 && response.status < 600, "status %u", response.status);
  FUZZ_CHECK(response.status < 500 || response.status == 503, "%s %s answered %u: %s",
             std::string(net::http_method_name(request.method)).c_str(), target.c_str(),
             response.status, text.c_str());
  if (response.content_type == net::kJsonContentType && response.status != 204 && !text.empty()) {
    rapidjson::Document json;
    json.Parse(text.c_str(), text.size());
    FUZZ_CHECK(!json.HasParseError(), "%s answered %u with invalid JSON: %s", target.c_str(),
               response.status, text.c_str());
    if (response.status >= 400) {
      FUZZ_CHECK(json.IsObject() && json.HasMember("error") && json["error"].IsString(),
                 "%s answered %u without an error string: %s", target.c_str(), response.status,
                 text.c_str());
    }
  }
  if (response.status >= 400 && response.status < 500) {
    FUZZ_CHECK(s.changes.changes() == changes_before, "%s answered %u but changed the state: %s",
               target.c_str(), response.status, text.c_str());
    if (check_digest) {
      FUZZ_CHECK(s.engine->state_digest(kDigestClock) == digest_before,
                 "%s answered %u but the state digest moved: %s", target.c_str(), response.status,
                 text.c_str());
    }
    ++client_errors_;
  }
}

}  // namespace orderd::fuzz
