#include "app/options.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <CLI/CLI.hpp>

#include <cctype>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string_view>

#include "base/decimal.h"
#include "base/duration.h"
#include "engine/processing_delay.h"

namespace orderd::app {
namespace {

using namespace std::chrono_literals;
using std::chrono::milliseconds;

// Timeouts are kept in milliseconds; beyond a day is surely a typo.
constexpr DurationLimits kTimeoutLimits{.min = 1ms, .max = 24h, .step = 1ms};
// 0 turns the timer off.
constexpr DurationLimits kSnapshotIntervalLimits{.step = 1ms};
// A write held longer than a minute would outlast most clients' patience.
constexpr DurationLimits kJournalWaitLimits{.min = 0ms, .max = 60s, .step = 1ms};
// Shorter than a second would expire replies before a retry arrives; beyond
// 30 days is surely a typo.
constexpr DurationLimits kIdempotencyTtlLimits{.min = 1s, .max = 720h};
// Held in whole seconds, as JWT times are.
constexpr DurationLimits kLeewayLimits{.min = 0s, .max = 1h, .step = 1s};
constexpr DurationLimits kTokenTtlLimits{.min = 1s, .max = 720h, .step = 1s};

// Thrown from a flag's conversion, so that a bad value ends parsing, with
// its message and exit code, the way a value CLI11 refuses itself does.
[[noreturn]] void refuse(const std::string& flag, const std::string& why) {
  throw CLI::ValidationError(flag, why);
}

// A duration flag (base/duration.h's grammar) setting `target`, which holds
// milliseconds or microseconds (`limits.step` keeps the value whole).
template <typename Duration>
CLI::Option* add_duration(CLI::App& app, const std::string& flag, Duration& target,
                          const DurationLimits& limits, const std::string& help) {
  auto convert = [&target, flag, limits](const std::string& text) {
    std::string why;
    const auto duration = parse_duration(text, &why, limits);
    if (!duration) refuse(flag, why);
    target = std::chrono::duration_cast<Duration>(*duration);
  };
  return app.add_option_function<std::string>(flag, convert, help)
      ->default_str(format_duration(target))
      ->type_name("DURATION");
}

// A size flag given in MiB setting `bytes`.
CLI::Option* add_mebibytes(CLI::App& app, const std::string& flag, std::uint64_t& bytes,
                           const std::string& help) {
  auto convert = [&bytes](std::uint64_t mib) { bytes = mib << 20; };
  return app.add_option_function<std::uint64_t>(flag, convert, help)
      ->default_str(std::to_string(bytes >> 20))
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 20));
}

std::string money_text(Cents cents) {
  if (cents == 0) return "0";
  char text[kMaxScaledDecimalChars];
  return std::string(text, format_scaled_decimal(cents, 2, text));
}

// An amount of money, such as 1000.00, read exactly and rounded to the cent
// the way prices are; 0 means no limit.
Cents parse_limit_amount(const std::string& flag, const std::string& text) {
  const std::string expected = "expected an amount such as 1000.00 (0: no limit), at most " +
                               money_text(kMaxClientTotal) + ", got '" + text + "'";
  const ScaledDecimal cents = parse_scaled_decimal(text, 2, kMaxClientTotal);
  if (cents.error != DecimalError::kNone) refuse(flag, expected);
  // Less than half a cent is not "no limit", though it rounds to 0.
  if (cents.value == 0 && parse_scaled_decimal(text, 9, kMaxClientTotal).value != 0) {
    refuse(flag, expected);
  }
  return cents.value;
}

void add_server_flags(CLI::App& app, net::ServerOptions& server, milliseconds& shutdown_timeout) {
  app.option_defaults()->group("HTTP server");
  app.add_option("--port", server.port, "TCP port; 0 picks a free one (printed at start)");
  app.add_option("--bind", server.bind_address, "Address to listen on");
  app.add_option("--threads", server.io_threads, "I/O threads; 0 = one per CPU");
  app.add_option("--blocking-threads", server.blocking_threads,
                 "Threads for long requests (populate, order id listings)")
      ->check(CLI::Range(1u, 64u));
  app.add_option("--max-body-bytes", server.max_body_bytes, "Largest request body (else 413)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30));
  app.add_option("--max-header-bytes", server.max_header_bytes,
                 "Largest request line + headers (else 431)")
      ->check(CLI::Range(std::size_t{256}, std::size_t{1} << 20));
  app.add_option("--max-connections", server.max_connections,
                 "Most open connections (beyond: 503 and close)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24));
  add_duration(app, "--read-timeout", server.read_timeout, kTimeoutLimits,
               "Longest time to receive one request or send one response");
  add_duration(app, "--idle-timeout", server.idle_timeout, kTimeoutLimits,
               "Longest wait for a keep-alive request");
  add_duration(app, "--shutdown-timeout", shutdown_timeout, kTimeoutLimits,
               "Longest wait for requests in progress at SIGINT/SIGTERM");
  app.add_option("--tls-cert", server.tls_cert_file,
                 "PEM certificate (then its chain) to serve HTTPS with, TLS 1.2 and 1.3 only; "
                 "needs --tls-key")
      ->type_name("PATH");
  app.add_option("--tls-key", server.tls_key_file, "PEM private key of --tls-cert (unencrypted)")
      ->type_name("PATH");
}

// Why the TLS flags cannot be used as given, or empty: one of the two files
// without the other. The files themselves are read when the server starts.
std::string tls_refusal(const net::ServerOptions& server) {
  if (server.tls_cert_file.empty() == server.tls_key_file.empty()) return {};
  const bool has_cert = !server.tls_cert_file.empty();
  return std::string("orderd: ") + (has_cert ? "--tls-cert" : "--tls-key") + " was given without " +
         (has_cert ? "--tls-key" : "--tls-cert") +
         ": serving HTTPS needs both the certificate and its private key (PEM files). Give "
         "both (or ORDERD_TLS_CERT and ORDERD_TLS_KEY), or neither to serve plain HTTP.";
}

void add_engine_flags(CLI::App& app, Options& o) {
  app.option_defaults()->group("Engine");
  app.add_option("--workers", o.engine.workers,
                 "Engine worker threads; 0 = one per four CPUs, at least one");
  app.add_option("--capacity", o.engine.capacity, "Most orders Pending or Processing at once")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 32));
  // One grammar for both simulated stages.
  auto add_delay_flag = [&app](const char* flag, ProcessingDelay& delay, const char* what) {
    auto set = [flag, &delay](const std::string& text) {
      std::string why;
      const auto parsed = ProcessingDelay::parse(text, &why);
      if (!parsed) refuse(flag, why);
      delay = *parsed;
    };
    app.add_option_function<std::string>(flag, set, what)
        ->default_str(delay.to_string())
        ->type_name("DURATION");
  };
  add_delay_flag("--pending-time", o.engine.pending_delay,
                 "Simulated time an order stays Pending before processing: 0, a duration (2s) or "
                 "a range (1s-3s)");
  add_delay_flag("--processing-time", o.engine.processing_delay,
                 "Simulated processing time: 0, a duration (250ms) or a range (3s-7s)");
  auto set_max_order_total = [&limit = o.engine.max_order_total](const std::string& text) {
    limit = parse_limit_amount("--max-order-total", text);
  };
  app.add_option_function<std::string>(
         "--max-order-total", set_max_order_total,
         "Orders whose total at catalog prices, after the volume discount, is above this amount "
         "are Rejected in processing (0: no limit)")
      ->default_str(money_text(o.engine.max_order_total))
      ->type_name("AMOUNT");
  add_duration(app, "--idempotency-ttl", o.engine.idempotency_ttl, kIdempotencyTtlLimits,
               "How long the reply to a request with an Idempotency-Key is kept and replayed");
  app.add_option("--idempotency-max-keys", o.engine.idempotency_max_keys,
                 "Most Idempotency-Keys held at once (beyond: 503)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
  app.add_option("--data-dir", o.data_dir, "Directory for the server's data (created if missing)");
  app.add_option("--populate-max", o.api.populate_max_entries,
                 "Most orders one POST /orders/populate may create")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
}

void add_durability_flags(CLI::App& app, persistence::DurabilityOptions& durability,
                          std::chrono::milliseconds& journal_wait) {
  app.option_defaults()->group("Durability");
  auto set_fsync = [&policy = durability.fsync](const std::string& text) {
    std::string why;
    const auto parsed = persistence::FsyncPolicy::parse(text, &why);
    if (!parsed) refuse("--fsync", why);
    policy = *parsed;
  };
  app.add_option_function<std::string>(
         "--fsync", set_fsync,
         "When an acknowledged change is on disk: always (before the response), "
         "interval:<duration> (within that long; a bare number is ms) or never (when the OS "
         "writes it)")
      ->default_str(durability.fsync.to_string())
      ->type_name("POLICY");
  add_duration(app, "--snapshot-interval", durability.snapshot_interval, kSnapshotIntervalLimits,
               "Take a snapshot this often if anything changed (0: never on a timer)");
  add_mebibytes(app, "--snapshot-journal-mib", durability.snapshot_journal_bytes,
                "Take a snapshot once this many MiB were journaled since the last (0: off)");
  add_mebibytes(app, "--snapshot-mib-per-second", durability.snapshot_max_bytes_per_second,
                "Write snapshots at most this fast, so that they leave the disk and CPU to "
                "requests (0: no limit)");
  add_mebibytes(app, "--journal-batch-mib", durability.max_batch_bytes,
                "Most bytes one group commit of the journal writes")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 10));
  add_mebibytes(app, "--journal-queue-mib", durability.max_queued_bytes,
                "When more than this many MiB of changes wait for the disk, writes wait "
                "(--journal-wait), then answer 503, while reads go on")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 20));
  add_duration(app, "--journal-wait", journal_wait, kJournalWaitLimits,
               "How long a write waits for room in the journal before it is refused with 503");
  app.add_flag("--snapshot-on-exit", durability.snapshot_on_close,
               "Write a snapshot at shutdown, so the next start replays less");
  app.add_flag("--truncate-at-corruption", durability.truncate_at_corruption,
               "Recover up to the first damaged journal record and cut the journal there, "
               "discarding what follows, instead of refusing to start");
}

void add_logging_flags(CLI::App& app, Options& o) {
  app.option_defaults()->group("Logging");
  auto set_level = [&level = o.log_level](const std::string& text) {
    const auto parsed = logging::parse_level(text);
    if (!parsed)
      refuse("--log-level", "expected debug, info, warn, error or off, got '" + text + "'");
    level = *parsed;
  };
  app.add_option_function<std::string>("--log-level", set_level, "debug, info, warn, error or off")
      ->default_str("info")
      ->type_name("LEVEL");
  auto set_format = [&format = o.log_format](const std::string& text) {
    const auto parsed = logging::parse_format(text);
    if (!parsed) refuse("--log-format", "expected logfmt or json, got '" + text + "'");
    format = *parsed;
  };
  app.add_option_function<std::string>("--log-format", set_format,
                                       "logfmt or json (one line per event, on stderr)")
      ->default_str("logfmt")
      ->type_name("FORMAT");
  app.add_flag("--access-log", o.server.access_log,
               "Log every request (method, path, status, duration); for debugging");
}

void add_exposure_flags(CLI::App& app, Options& o) {
  app.option_defaults()->group("HTTP server");
  net::RateLimitOptions& limit = o.api.rate_limit;
  app.add_option("--rate-limit", limit.per_second,
                 "Requests per second per client address after its burst; 0 = no limit "
                 "(then 429 with Retry-After)")
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--rate-burst", limit.burst,
                 "Requests one client may send at once; 0 = one second's worth")
      ->check(CLI::Range(0.0, 1e9));
  app.add_option("--cors-origins", o.api.cors_origins,
                 "Origins whose browser scripts may call the API (CORS), comma-separated "
                 "(https://shop.example); * for any; none by default")
      ->delimiter(',');
  app.add_flag("--rate-limit-loopback", limit.on_loopback,
               "Limit clients on loopback addresses too (not limited by default)");
  app.add_option("--rate-limit-clients", limit.max_clients,
                 "Client addresses tracked at most (memory bound: about 100 bytes each)")
      ->check(CLI::Range(std::size_t{64}, std::size_t{100'000'000}));
  app.add_flag("--allow-unauthenticated", o.allow_unauthenticated,
               "Listen on a non-loopback --bind address although requests are not "
               "authenticated (refused otherwise)");
}

// Where the JWT keys come from, resolved after parsing (files are read
// then, so that a bad path is one clear error).
struct KeySources {
  std::string secret_file, public_key_file;
};

void add_auth_flags(CLI::App& app, Options& o, KeySources& keys) {
  app.option_defaults()->group("Authentication");
  auto set_mode = [&jwt = o.auth.jwt](const std::string& text) {
    if (text != "off" && text != "jwt") refuse("--auth", "expected off or jwt, got '" + text + "'");
    jwt = text == "jwt";
  };
  app.add_option_function<std::string>(
         "--auth", set_mode,
         "off: every route is open (loopback only, unless --allow-unauthenticated); jwt: every "
         "route but /health and sign-up needs Authorization: Bearer <token>")
      ->default_str("off")
      ->type_name("MODE");
  auth::JwtConfig& jwt = o.auth.jwt_config;
  app.add_option("--jwt-secret", jwt.secret,
                 "HS256 secret, at least 32 bytes (prefer --jwt-secret-file or the environment: "
                 "a flag is visible to other local users)")
      ->default_str("");
  app.add_option("--jwt-secret-file", keys.secret_file, "File holding the HS256 secret");
  app.add_option("--jwt-public-key-file", keys.public_key_file,
                 "PEM public key of an identity provider whose RS256 (RSA) or ES256 (P-256) "
                 "tokens are accepted");
  app.add_option("--jwt-issuer", jwt.issuer, "Tokens must carry this \"iss\" (when set)");
  app.add_option("--jwt-audience", jwt.audience, "Tokens must name this \"aud\" (when set)");
  add_duration(app, "--jwt-leeway", jwt.leeway, kLeewayLimits,
               "Clock skew allowed when checking exp, nbf and iat");
  add_duration(app, "--token-ttl", o.auth.settings.login_ttl, kTokenTtlLimits,
               "Lifetime of the tokens POST /api/v1/auth/token issues");
  app.add_flag("--metrics-open", o.auth.settings.metrics_open,
               "Serve /metrics without a token, for scrapers (with --auth jwt)");
}

// Reads the key files and checks --auth jwt has what it needs; the message
// of what is wrong, or empty.
std::string resolve_auth(Options& o, const KeySources& keys) {
  auth::JwtConfig& jwt = o.auth.jwt_config;
  std::string error;
  if (!keys.secret_file.empty() && !read_key_file(keys.secret_file, jwt.secret, error)) {
    return "--jwt-secret-file: " + error;
  }
  if (!keys.public_key_file.empty() &&
      !read_key_file(keys.public_key_file, jwt.public_key_pem, error)) {
    return "--jwt-public-key-file: " + error;
  }
  if (!o.auth.jwt) return {};
  if (jwt.secret.empty() && jwt.public_key_pem.empty()) {
    return "--auth jwt needs --jwt-secret-file (or ORDERD_JWT_SECRET) with a secret of at least "
           "32 bytes (e.g. openssl rand -hex 32), or --jwt-public-key-file";
  }
  if (!auth::TokenVerifier::create(jwt, &error)) return "--auth jwt: " + error;
  return {};
}

void add_catalog_flags(CLI::App& app, Options& o) {
  app.option_defaults()->group("Catalog");
  app.add_option("--max-products", o.engine.max_products, "Catalog capacity")
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24));
  app.add_option("--demo-products", o.demo_catalog.products,
                 "Demo products 1..N added at start (0: none)")
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 24));
  app.add_option("--demo-stock", o.demo_catalog.stock, "Units in stock per demo product")
      ->check(CLI::Range(std::int64_t{0}, Catalog::kMaxStock));
  app.add_flag("--demo-shop", o.demo_shop,
               "On a new data directory, also add demo customers and a year of orders in every "
               "status (the ids the API examples name)");
  app.add_option("--demo-shop-orders", o.demo_shop_options.orders, "Orders in the demo shop")
      ->check(CLI::Range(std::size_t{789}, std::size_t{10'000'000}));
  app.add_option("--demo-shop-customers", o.demo_shop_options.customers,
                 "Customers in the demo shop")
      ->check(CLI::Range(std::size_t{123}, std::size_t{1'000'000}));
}

// "--max-body-bytes" reads ORDERD_MAX_BODY_BYTES: one rule for every flag.
std::string environment_variable_of(const std::string& flag) {
  std::string name = "ORDERD_";
  for (char c : std::string_view(flag).substr(2)) {
    name += c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

void read_environment_for_every_flag(CLI::App& app) {
  for (CLI::Option* option : app.get_options()) {
    if (option != app.get_help_ptr()) option->envname(environment_variable_of(option->get_name()));
  }
}

}  // namespace

std::optional<int> parse_options(int argc, const char* const* argv, Options& o, std::ostream& out,
                                 std::ostream& err) {
  CLI::App app{
      "orderd: an in-memory order processing engine behind an HTTP/1.1 API.\n"
      "Every option can also be set through the environment variable shown as Env:NAME.",
      "orderd"};
  app.footer(
      "Durations are 0 or a number with a unit, us, ms, s, m or h, and may have a fraction: "
      "800us, 250ms, 1.5s, 10m.\n"
      "Tokens for operators (--auth jwt): the subcommand orderd token, whose own help lists its "
      "flags.");
  app.get_formatter()->column_width(40);
  app.option_defaults()->always_capture_default();
  app.set_version_flag("--version", std::string("orderd ") + ORDERD_VERSION);

  add_server_flags(app, o.server, o.shutdown_timeout);
  add_engine_flags(app, o);
  add_durability_flags(app, o.durability, o.api.journal_wait);
  add_logging_flags(app, o);
  add_catalog_flags(app, o);
  add_exposure_flags(app, o);
  KeySources keys;
  add_auth_flags(app, o, keys);
  read_environment_for_every_flag(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e, out, err);
  }
  if (const std::string problem = resolve_auth(o, keys); !problem.empty()) {
    err << "orderd: " << problem << "\n";
    return 2;
  }
  if (const std::string refusal = exposure_refusal(o); !refusal.empty()) {
    err << refusal << "\n";
    return 2;
  }
  if (const std::string refusal = tls_refusal(o.server); !refusal.empty()) {
    err << refusal << "\n";
    return 2;
  }
  return std::nullopt;
}

bool is_loopback_address(const std::string& address) {
  if (address == "localhost") return true;
  in_addr v4{};
  if (::inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  return ::inet_pton(AF_INET6, address.c_str(), &v6) == 1 && IN6_IS_ADDR_LOOPBACK(&v6);
}

std::string exposure_refusal(const Options& o) {
  if (o.auth.jwt || o.allow_unauthenticated || is_loopback_address(o.server.bind_address)) {
    return {};
  }
  return "orderd: refusing to listen on " + o.server.bind_address +
         ": requests are not authenticated (--auth off), so anyone who can reach that address "
         "could read and change every order, customer and product. Turn authentication on "
         "(--auth jwt with --jwt-secret-file), listen on 127.0.0.1 (the default) behind a "
         "proxy that authenticates, or pass --allow-unauthenticated "
         "(ORDERD_ALLOW_UNAUTHENTICATED=true) to accept that risk.";
}

bool read_key_file(const std::string& path, std::string& out, std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot read " + path;
    return false;
  }
  std::ostringstream text;
  text << in.rdbuf();
  out = text.str();
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  if (out.empty()) {
    error = path + " is empty";
    return false;
  }
  return true;
}

std::optional<int> parse_options(int argc, char** argv, Options& options) {
  return parse_options(argc, argv, options, std::cout, std::cerr);
}

}  // namespace orderd::app
