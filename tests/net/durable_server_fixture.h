// An in-process server backed by a Durability on a temporary directory, on
// a file system that tests can make fail: the way orderd itself is put
// together (recover, seed, start the engine, attach, serve).
#pragma once

#include <gtest/gtest.h>

#include <memory>

#include "demo/demo_catalog.h"
#include "engine/engine.h"
#include "net/api.h"
#include "net/http_server.h"
#include "persistence/durability.h"
#include "tests/net/raw_http_client.h"
#include "tests/persistence/fault_injection_file_system.h"
#include "tests/persistence/temp_dir.h"

namespace orderd::net::testing {

class DurableServerFixture : public ::testing::Test {
 protected:
  void TearDown() override { stop(); }

  void start(persistence::FsyncPolicy fsync = persistence::FsyncPolicy::always()) {
    EngineConfig config;
    config.workers = 1;
    config.max_products = 64;
    engine = std::make_unique<Engine>(config);
    persistence::DurabilityOptions options = durability_options;
    options.fsync = fsync;
    options.file_system = &fs;
    options.snapshot_interval = std::chrono::milliseconds(0);
    options.snapshot_journal_bytes = 0;
    options.reporter = [](persistence::Severity, const std::string&) {};
    ASSERT_TRUE(persistence::Durability::open(dir.path(), options, *engine, &durability).ok());
    api = std::make_unique<Api>(*engine, limits);
    api->begin_startup("recovering in a test");
    ServerOptions server_options;
    server_options.port = 0;
    server_options.io_threads = 2;
    server = std::make_unique<HttpServer>(*api, server_options);
    server->start();
    if (engine->catalog().size() == 0) demo::add_demo_catalog(engine->catalog(), {20, 1'000'000});
    ASSERT_TRUE(durability->wait_durable(durability->last_token()).ok());
    engine->start();
    api->attach_durability(durability.get(), durability.get());
    api->end_startup();
  }

  // The orderd shutdown order: server, engine, journal.
  void stop() {
    if (server) server->stop(std::chrono::seconds(5));
    if (engine) engine->stop();
    if (durability) (void)durability->close();
    server.reset();
    api.reset();
    durability.reset();
    engine.reset();
  }

  std::unique_ptr<RawHttpClient> connect() {
    auto c = std::make_unique<RawHttpClient>(server->port());
    EXPECT_TRUE(c->connected());
    return c;
  }

  // What start() uses; tests may change them first.
  persistence::DurabilityOptions durability_options;
  ApiLimits limits;
  persistence::testing::TempDir dir;
  persistence::testing::FaultInjectionFileSystem fs;
  std::unique_ptr<Engine> engine;
  std::unique_ptr<persistence::Durability> durability;
  std::unique_ptr<Api> api;
  std::unique_ptr<HttpServer> server;
};

}  // namespace orderd::net::testing
