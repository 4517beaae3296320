// orderd's command line: every flag, its ORDERD_* environment variable and
// its default, gathered into the configs of the parts it starts.
#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>

#include "auth/token_verifier.h"
#include "demo/demo_catalog.h"
#include "demo/demo_shop.h"
#include "engine/engine.h"
#include "logging/log.h"
#include "net/api.h"
#include "net/http_server.h"
#include "persistence/durability.h"

namespace orderd::app {

// --auth and the keys tokens are verified with.
struct AuthOptions {
  bool jwt = false;            // --auth jwt; off by default
  auth::JwtConfig jwt_config;  // the secret and public key as read from their files
  net::AuthSettings settings;
};

struct Options {
  net::ServerOptions server;
  EngineConfig engine;
  net::ApiLimits api;
  demo::DemoCatalogOptions demo_catalog;
  bool demo_shop = false;
  demo::DemoShopOptions demo_shop_options;
  persistence::DurabilityOptions durability;
  std::string data_dir = "./data";
  // Listen on a non-loopback address although nothing authenticates the
  // requests (refused otherwise, see exposure_refusal).
  bool allow_unauthenticated = false;
  AuthOptions auth;
  std::chrono::milliseconds shutdown_timeout{10'000};
  logging::Level log_level = logging::Level::kInfo;
  logging::Format log_format = logging::Format::kLogfmt;
};

// Reads argv, falling back to the ORDERD_* variable named after each flag
// (--max-body-bytes: ORDERD_MAX_BODY_BYTES) and then to what `options`
// holds. Returns an exit code when the process should end now: 0 after
// --help (printed on `out`), non-zero for a bad flag or value (with a
// message on `err`). `options` may be partly set when an error is returned.
std::optional<int> parse_options(int argc, const char* const* argv, Options& options,
                                 std::ostream& out, std::ostream& err);

// Whether `address` (as --bind takes it) is a loopback address: 127.0.0.0/8,
// ::1 or "localhost".
bool is_loopback_address(const std::string& address);

// Why orderd must not start with these options, or empty: listening beyond
// loopback while nothing authenticates the requests (--auth off), unless
// --allow-unauthenticated says so (Redis's protected mode).
std::string exposure_refusal(const Options& options);

// Reads a secret or key from `path` into `out` (trailing newlines dropped,
// as `echo` and editors leave them); false with `error` set when it cannot.
bool read_key_file(const std::string& path, std::string& out, std::string& error);

// The same, printing on standard output and standard error.
std::optional<int> parse_options(int argc, char** argv, Options& options);

}  // namespace orderd::app
