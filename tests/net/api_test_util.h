// Helpers for tests that drive the API without sockets: an engine with a
// small catalog, an Api, one ApiHandler, and call() returning the parsed
// JSON response.
#pragma once

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <memory>
#include <string>

#include "demo/demo_catalog.h"
#include "engine/engine.h"
#include "net/api.h"
#include "tests/support/wait_until.h"
#include "views/order_views.h"

namespace orderd::net::testing {

using orderd::testing::wait_until;

struct Reply {
  unsigned status = 0;
  std::string body;
  std::string allow;
  std::string etag;
  unsigned retry_after = 0;
  Route route = Route::kNotFound;
  std::string content_type;
  rapidjson::Document json;
  bool needs_blocking = false;
  bool streamed = false;  // the body came from a BodyStream
  std::string cors_origin;
  bool cors_preflight = false;
  std::string www_authenticate;

  // json[key] as a string ("" if absent or not a string).
  std::string str(const char* key) const {
    return json.IsObject() && json.HasMember(key) && json[key].IsString() ? json[key].GetString()
                                                                          : "";
  }
  std::string error() const { return str("error"); }
};

class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override { start({}); }

  // Restarts with `config` (workers 1 unless set) and a 20-product demo catalog.
  void start(EngineConfig config, ApiLimits limits = {},
             demo::DemoCatalogOptions catalog = {20, 1000}) {
    handler.reset();
    api.reset();
    engine.reset();
    views = std::make_unique<views::OrderViews>();
    if (config.workers == 0) config.workers = 1;
    if (config.max_products == EngineConfig{}.max_products) config.max_products = 64;
    engine = std::make_unique<Engine>(config);
    demo::add_demo_catalog(engine->catalog(), catalog);
    // The read models as orderd wires them, minus the journal in front.
    engine->set_event_sink(views.get());
    engine->start();
    api = std::make_unique<Api>(*engine, limits);
    api->attach_views(views.get());
    api->set_ready(true);
    handler = std::make_unique<ApiHandler>(*api);
  }

  // One request; a route that needs a blocking thread is run again with
  // may_block (as the server does), unless `allow_blocking` is false.
  Reply call(HttpMethod method, std::string target, std::string body = "",
             bool allow_blocking = true) {
    return send(method, std::move(target), std::move(body), "", allow_blocking);
  }
  // call() with an If-Match header.
  Reply call_if_match(HttpMethod method, std::string target, std::string if_match,
                      std::string body = "") {
    return send(method, std::move(target), std::move(body), std::move(if_match), true);
  }
  Reply send(HttpMethod method, std::string target, std::string body, std::string if_match,
             bool allow_blocking) {
    Reply r;
    std::string buffer = body;  // parsed in place
    HttpRequest request;
    request.method = method;
    request.target = target;
    request.if_match = if_match;
    request.content_type = content_type;
    request.origin = origin;
    request.authorization = authorization;
    request.body = std::span<char>(buffer.data(), buffer.size());
    HttpResponse response;
    if (handler->handle(request, response) == HandleOutcome::kNeedsBlockingThread) {
      r.needs_blocking = true;
      if (!allow_blocking) return r;
      buffer = body;
      request.body = std::span<char>(buffer.data(), buffer.size());
      request.may_block = true;
      EXPECT_EQ(handler->handle(request, response), HandleOutcome::kDone);
    }
    r.status = response.status;
    r.body.assign(response.body);
    if (response.stream) {
      // As the connection sends it: every piece, in order.
      r.streamed = true;
      std::string piece;
      for (bool more = true; more;) {
        piece.clear();
        more = response.stream->next(piece);
        r.body += piece;
      }
    }
    r.allow.assign(response.allow);
    r.etag.assign(response.etag);
    r.retry_after = response.retry_after_seconds;
    r.route = response.route;
    r.content_type.assign(response.content_type);
    r.cors_origin.assign(response.cors_origin);
    r.cors_preflight = response.cors_preflight;
    r.www_authenticate.assign(response.www_authenticate);
    if (response.content_type == kJsonContentType && response.status != 204) {
      r.json.Parse(r.body.c_str());
      EXPECT_FALSE(r.json.HasParseError()) << "response is not JSON: " << r.body;
    }
    return r;
  }
  Reply get(std::string target) { return call(HttpMethod::kGet, std::move(target)); }
  Reply post(std::string target, std::string body) {
    return call(HttpMethod::kPost, std::move(target), std::move(body));
  }

  // POST /orders with the seed's fields.
  Reply create(const std::string& order_id, const std::string& items = "[1, 2, 3]",
               const std::string& total = "59.99", const std::string& user = "1") {
    return post("/orders/", "{\"user_id\": " + user + ", \"order_id\": \"" + order_id +
                                "\", \"item_ids\": " + items + ", \"total_amount\": " + total +
                                "}");
  }

  bool order_has_status(const std::string& id, OrderStatus status) {
    auto s = engine->get(id);
    return s && s->status == status;
  }

  // Sent with every request of send(): the Content-Type, Origin and
  // Authorization headers.
  std::string content_type;
  std::string origin;
  std::string authorization;
  std::unique_ptr<views::OrderViews> views;  // declared before the engine: outlives it
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Api> api;
  std::unique_ptr<ApiHandler> handler;
};

}  // namespace orderd::net::testing
