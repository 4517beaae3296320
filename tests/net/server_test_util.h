// An in-process server (engine, Api, HttpServer on a free port) for tests
// that talk to it over real sockets.
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "demo/demo_catalog.h"
#include "engine/engine.h"
#include "net/api.h"
#include "net/http_server.h"
#include "tests/net/raw_http_client.h"
#include "tests/support/wait_until.h"
#include "views/order_views.h"

namespace orderd::net::testing {

using orderd::testing::wait_until;

class ServerFixture : public ::testing::Test {
 protected:
  void TearDown() override { stop(); }

  void start(ServerOptions options = {}, EngineConfig config = {}) {
    if (config.workers == 0) config.workers = 1;
    config.max_products = 64;
    views = std::make_unique<views::OrderViews>();
    engine = std::make_unique<Engine>(config);
    demo::add_demo_catalog(engine->catalog(), {20, 1'000'000});
    engine->set_event_sink(views.get());
    engine->start();
    api = std::make_unique<Api>(*engine);
    api->attach_views(views.get());
    options.port = 0;
    if (options.io_threads == 0) options.io_threads = 2;
    server = std::make_unique<HttpServer>(*api, options);
    server->start();
  }

  void stop(std::chrono::milliseconds patience = std::chrono::seconds(5)) {
    if (server) server->stop(patience);
    server.reset();
    api.reset();
    engine.reset();
    views.reset();
  }

  std::unique_ptr<RawHttpClient> connect() {
    auto c = std::make_unique<RawHttpClient>(server->port());
    EXPECT_TRUE(c->connected());
    return c;
  }

  std::unique_ptr<views::OrderViews> views;  // outlives the engine that feeds it
  std::unique_ptr<Engine> engine;
  std::unique_ptr<Api> api;
  std::unique_ptr<HttpServer> server;
};

}  // namespace orderd::net::testing
