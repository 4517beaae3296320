// orderd: the engine behind the HTTP API. Prints one line with the address
// once it accepts connections; SIGINT or SIGTERM shut it down gracefully
// (exit status 0).
#include <csignal>
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>

#include "app/options.h"
#include "engine/engine.h"
#include "net/api.h"
#include "net/demo_catalog.h"
#include "net/http_server.h"

int main(int argc, char** argv) {
  using namespace orderd;
  app::Options options;
  if (auto exit_code = app::parse_options(argc, argv, options)) return *exit_code;

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
    std::fprintf(stderr, "orderd: cannot create data directory %s: %s\n", options.data_dir.c_str(),
                 fs_error.message().c_str());
    return 1;
  }

  Engine engine(options.engine);
  net::add_demo_catalog(engine.catalog(), options.demo_catalog);
  engine.start();
  net::Api api(engine, options.api);
  net::HttpServer server(api, options.server);
  try {
    server.start();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "orderd: %s\n", e.what());
    engine.stop();
    return 1;
  }
  std::printf("orderd listening on %s\n", server.url().c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&shutdown_signals, &signal_number);
  std::fprintf(stderr, "orderd: %s, shutting down\n", strsignal(signal_number));
  server.stop(options.shutdown_timeout);
  engine.stop();
  std::fprintf(stderr, "orderd: stopped\n");
  return 0;
}
