// orderd: the engine behind the HTTP API, with its state kept durable in
// the data directory.
//
// Start-up order matters: the server listens first, so /health/ready can
// say "recovering" while the data directory is read back into the engine;
// order routes answer 503 until recovery is done and the engine runs.
// SIGINT or SIGTERM shut it down gracefully (exit status 0): stop taking
// requests, answer those in progress, stop the engine, close the journal.
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <memory>

#include "app/options.h"
#include "app/service_notifier.h"
#include "app/token_command.h"
#include "auth/authenticator.h"
#include "base/duration.h"
#include "demo/demo_catalog.h"
#include "engine/engine.h"
#include "logging/log.h"
#include "net/api.h"
#include "net/http_server.h"
#include "persistence/durability.h"
#include "views/order_views.h"

namespace {

using namespace orderd;

logging::Level log_level_of(persistence::Severity severity) {
  switch (severity) {
    case persistence::Severity::kInfo:
      return logging::Level::kInfo;
    case persistence::Severity::kWarning:
      return logging::Level::kWarn;
    case persistence::Severity::kError:
      return logging::Level::kError;
  }
  return logging::Level::kError;
}

// A new data directory gets the demo shop; one with customers or orders
// keeps what it holds (a restart must not add a second shop).
bool load_demo_shop(const app::Options& options, Engine& engine,
                    persistence::Durability& durability) {
  if (engine.counters().accepted > 0 || engine.customers().size() > 0) {
    logging::info("demo shop skipped: the data directory already holds orders or customers");
    return true;
  }
  const demo::DemoShopResult shop = demo::load_demo_shop(engine, options.demo_shop_options);
  const persistence::Status stored = durability.wait_durable(durability.last_token());
  if (!shop.error.empty() || !stored.ok()) {
    logging::error("cannot add the demo shop",
                   {{"error", shop.error.empty() ? stored.to_string() : shop.error}});
    return false;
  }
  logging::info("demo shop added", {{"customers", shop.customers}, {"orders", shop.orders}});
  return true;
}

void log_configuration(const app::Options& o, const std::string& url) {
  logging::info("listening", {{"address", url},
                              {"version", ORDERD_VERSION},
                              {"data_dir", o.data_dir},
                              {"fsync", o.durability.fsync.to_string()},
                              {"io_threads", o.server.io_threads},
                              {"workers", o.engine.workers},
                              {"capacity", o.engine.capacity},
                              {"processing_time", o.engine.processing_delay.to_string()},
                              {"pending_time", o.engine.pending_delay.to_string()},
                              {"max_order_total_cents", o.engine.max_order_total},
                              {"idempotency_ttl", format_duration(o.engine.idempotency_ttl)},
                              {"idempotency_max_keys", o.engine.idempotency_max_keys},
                              {"snapshot_interval_ms", o.durability.snapshot_interval.count()},
                              {"snapshot_journal_mib", o.durability.snapshot_journal_bytes >> 20},
                              {"max_connections", o.server.max_connections},
                              {"auth", o.auth.jwt ? "jwt" : "off"},
                              {"access_log", o.server.access_log}});
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "token") == 0) {
    return app::run_token_command(argc - 1, argv + 1, std::cout, std::cerr);
  }
  app::Options options;
  if (auto exit_code = app::parse_options(argc, argv, options)) return *exit_code;
  logging::configure(options.log_level, options.log_format);

  // Signals are taken by sigwait() below; blocked here, before any thread
  // starts, so that every thread inherits the mask and none is interrupted.
  sigset_t shutdown_signals;
  sigemptyset(&shutdown_signals);
  sigaddset(&shutdown_signals, SIGINT);
  sigaddset(&shutdown_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &shutdown_signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);

  std::error_code fs_error;
  std::filesystem::create_directories(options.data_dir, fs_error);
  if (fs_error) {
    logging::error("cannot create the data directory",
                   {{"data_dir", options.data_dir}, {"error", fs_error.message()}});
    return 1;
  }

  Engine engine(options.engine);
  net::ServerInfo info{.version = ORDERD_VERSION,
                       .data_dir = options.data_dir,
                       .fsync_policy = options.durability.fsync.to_string(),
                       .started_at = wall_clock_micros()};
  net::Api api(engine, options.api, info);
  // Checked when the options were read; revocations are read through the
  // engine, which recovery fills before the first request is let in.
  std::unique_ptr<auth::Authenticator> authenticator;
  if (options.auth.jwt) {
    std::string error;
    authenticator = std::make_unique<auth::Authenticator>(
        auth::TokenVerifier::create(options.auth.jwt_config, &error), engine.revocations());
    api.attach_auth(authenticator.get(), options.auth.settings);
  }
  const app::ServiceNotifier service_manager;
  const std::string recovering = "recovering the data directory " + options.data_dir;
  api.begin_startup(recovering);
  service_manager.status(recovering);
  net::HttpServer server(api, options.server);
  try {
    server.start();
  } catch (const std::exception& e) {
    logging::error("cannot start the HTTP server", {{"error", e.what()}});
    return 1;
  }
  log_configuration(options, server.url());
  // Scripts wait for this line on stdout; logs go to stderr.
  std::printf("orderd listening on %s\n", server.url().c_str());
  std::fflush(stdout);

  options.durability.reporter = [](persistence::Severity severity, const std::string& message) {
    logging::write(log_level_of(severity), message, {{"component", "persistence"}});
  };
  // The read models: fed every change after the journal, and rebuilt from
  // the recovered orders below.
  views::OrderViews views;
  options.durability.downstream = &views;
  std::unique_ptr<persistence::Durability> durability;
  const persistence::Status opened =
      persistence::Durability::open(options.data_dir, options.durability, engine, &durability);
  if (!opened.ok()) {
    logging::error("cannot recover the data directory",
                   {{"data_dir", options.data_dir}, {"error", opened.to_string()}});
    server.stop(std::chrono::milliseconds(0));
    return 1;
  }

  {
    const auto began = std::chrono::steady_clock::now();
    views.rebuild_from(engine);
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - began);
    logging::info("read models rebuilt", {{"orders", views.orders()}, {"ms", took.count()}});
  }

  // A new data directory starts with the demo catalog; an existing one keeps
  // the catalog its journal holds, whatever the flags say now.
  if (engine.catalog().size() == 0 && options.demo_catalog.products > 0) {
    demo::add_demo_catalog(engine.catalog(), options.demo_catalog);
    const persistence::Status seeded = durability->wait_durable(durability->last_token());
    if (!seeded.ok()) {
      logging::error("cannot persist the demo catalog", {{"error", seeded.to_string()}});
      server.stop(std::chrono::milliseconds(0));
      (void)durability->close();  // the seeding failure is what gets reported
      return 1;
    }
    logging::info("demo catalog added", {{"products", options.demo_catalog.products},
                                         {"stock", options.demo_catalog.stock}});
  }
  if (options.demo_shop && !load_demo_shop(options, engine, *durability)) {
    server.stop(std::chrono::milliseconds(0));
    (void)durability->close();
    return 1;
  }
  api.attach_views(&views);
  engine.start();
  // Responses wait on it for their changes; snapshots and /metrics use it as storage.
  api.attach_durability(durability.get(), durability.get());
  api.end_startup();
  logging::info("ready", {{"address", server.url()}});
  service_manager.ready("serving on " + server.url());

  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  logging::info("shutting down", {{"signal", strsignal(signal_number)}});
  service_manager.stopping();
  server.stop(options.shutdown_timeout);
  engine.stop();
  // Before the server goes: responses still waiting on the journal are
  // completed here and hold references into the server's threads.
  const persistence::Status closed = durability->close();
  if (!closed.ok()) {
    logging::error("closing the journal failed", {{"error", closed.to_string()}});
    return 1;
  }
  logging::info("stopped");
  return 0;
}
