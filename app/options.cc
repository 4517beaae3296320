#include "app/options.h"

#include <CLI/CLI.hpp>

#include <string_view>
#include <utility>

#include "engine/processing_delay.h"

namespace orderd::app {
namespace {

// "10s", "500ms": a positive fixed duration in ProcessingDelay's syntax.
std::string parse_timeout(const std::string& text, std::chrono::milliseconds& out) {
  std::string error;
  auto parsed = ProcessingDelay::parse(text, &error);
  if (!parsed || parsed->min != parsed->max || parsed->min < 1000) {
    return "expected a duration of at least 1ms such as 500ms or 10s, got '" + text + "'";
  }
  out = std::chrono::milliseconds(parsed->min / 1000);
  return {};
}

// "0" (off) or a fixed duration such as 30s or 10m.
std::string parse_interval(const std::string& text, std::chrono::milliseconds& out) {
  if (text == "0") {
    out = std::chrono::milliseconds(0);
    return {};
  }
  std::string_view number = text;
  std::int64_t scale_ms = 0;
  for (auto [suffix, ms] : {std::pair{"ms", 1}, {"s", 1000}, {"m", 60'000}, {"h", 3'600'000}}) {
    if (number.ends_with(suffix)) {
      number.remove_suffix(std::string_view(suffix).size());
      scale_ms = ms;
      break;
    }
  }
  std::int64_t value = 0;
  const bool digits = !number.empty() && number.find_first_not_of("0123456789") == number.npos &&
                      number.size() <= 9;
  if (scale_ms == 0 || !digits) {
    return "expected 0 (off) or a duration such as 500ms, 30s, 10m or 1h, got '" + text + "'";
  }
  for (char c : number) value = value * 10 + (c - '0');
  out = std::chrono::milliseconds(value * scale_ms);
  return {};
}

std::string format_ms(std::chrono::milliseconds ms) {
  return ms.count() % 1000 == 0 ? std::to_string(ms.count() / 1000) + "s"
                                : std::to_string(ms.count()) + "ms";
}

}  // namespace

std::optional<int> parse_options(int argc, char** argv, Options& o) {
  CLI::App app{
      "orderd: an in-memory order processing engine behind an HTTP/1.1 API.\n"
      "Every option can also be set through the environment variable shown as Env:NAME.",
      "orderd"};
  app.get_formatter()->column_width(40);

  std::string processing_time = "0";
  std::string read_timeout = format_ms(o.server.read_timeout);
  std::string idle_timeout = format_ms(o.server.idle_timeout);
  std::string shutdown_timeout = format_ms(o.shutdown_timeout);
  std::string fsync = o.durability.fsync.to_string();
  std::string snapshot_interval =
      std::to_string(o.durability.snapshot_interval.count() / 1000) + "s";
  std::uint64_t snapshot_journal_mib = o.durability.snapshot_journal_bytes >> 20;
  std::uint64_t snapshot_mib_per_second = o.durability.snapshot_max_bytes_per_second >> 20;
  std::string log_level = "info";
  std::string log_format = "logfmt";

  auto* net = "HTTP server";
  app.add_option("--port", o.server.port, "TCP port; 0 picks a free one (printed at start)")
      ->envname("ORDERD_PORT")
      ->capture_default_str()
      ->group(net);
  app.add_option("--bind", o.server.bind_address, "Address to listen on")
      ->envname("ORDERD_BIND")
      ->capture_default_str()
      ->group(net);
  app.add_option("--threads", o.server.io_threads, "I/O threads; 0 = one per CPU")
      ->envname("ORDERD_THREADS")
      ->capture_default_str()
      ->group(net);
  app.add_option("--blocking-threads", o.server.blocking_threads,
                 "Threads for long requests (populate, order id listings)")
      ->envname("ORDERD_BLOCKING_THREADS")
      ->capture_default_str()
      ->check(CLI::Range(1u, 64u))
      ->group(net);
  app.add_option("--max-body-bytes", o.server.max_body_bytes, "Largest request body (else 413)")
      ->envname("ORDERD_MAX_BODY_BYTES")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 30))
      ->group(net);
  app.add_option("--max-header-bytes", o.server.max_header_bytes,
                 "Largest request line + headers (else 431)")
      ->envname("ORDERD_MAX_HEADER_BYTES")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{256}, std::size_t{1} << 20))
      ->group(net);
  app.add_option("--max-connections", o.server.max_connections,
                 "Most open connections (beyond: 503 and close)")
      ->envname("ORDERD_MAX_CONNECTIONS")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->group(net);
  app.add_option("--read-timeout", read_timeout,
                 "Longest time to receive one request or send one response")
      ->envname("ORDERD_READ_TIMEOUT")
      ->capture_default_str()
      ->group(net);
  app.add_option("--idle-timeout", idle_timeout, "Longest wait for a keep-alive request")
      ->envname("ORDERD_IDLE_TIMEOUT")
      ->capture_default_str()
      ->group(net);
  app.add_option("--shutdown-timeout", shutdown_timeout,
                 "Longest wait for requests in progress at SIGINT/SIGTERM")
      ->envname("ORDERD_SHUTDOWN_TIMEOUT")
      ->capture_default_str()
      ->group(net);

  auto* engine = "Engine";
  app.add_option("--workers", o.engine.workers, "Engine worker threads; 0 = one per CPU")
      ->envname("ORDERD_WORKERS")
      ->capture_default_str()
      ->group(engine);
  app.add_option("--capacity", o.engine.capacity, "Most orders Pending or Processing at once")
      ->envname("ORDERD_CAPACITY")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 32))
      ->group(engine);
  app.add_option("--processing-time", processing_time,
                 "Simulated processing time: 0, a duration (250ms) or a range (3s-7s)")
      ->envname("ORDERD_PROCESSING_TIME")
      ->capture_default_str()
      ->group(engine);
  app.add_option("--data-dir", o.data_dir, "Directory for the server's data (created if missing)")
      ->envname("ORDERD_DATA_DIR")
      ->capture_default_str()
      ->group(engine);
  app.add_option("--populate-max", o.api.populate_max_entries,
                 "Most orders one POST /orders/populate may create")
      ->envname("ORDERD_POPULATE_MAX")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}))
      ->group(engine);

  auto* durability = "Durability";
  app.add_option("--fsync", fsync,
                 "When an acknowledged change is on disk: always (before the response), "
                 "interval:<ms> (within that many ms) or never (when the OS writes it)")
      ->envname("ORDERD_FSYNC")
      ->capture_default_str()
      ->group(durability);
  app.add_option("--snapshot-interval", snapshot_interval,
                 "Take a snapshot this often if anything changed (0: never on a timer)")
      ->envname("ORDERD_SNAPSHOT_INTERVAL")
      ->capture_default_str()
      ->group(durability);
  app.add_option("--snapshot-journal-mib", snapshot_journal_mib,
                 "Take a snapshot once this many MiB were journaled since the last (0: off)")
      ->envname("ORDERD_SNAPSHOT_JOURNAL_MIB")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 20))
      ->group(durability);
  app.add_option("--snapshot-mib-per-second", snapshot_mib_per_second,
                 "Write snapshots at most this fast, so that they leave the disk and CPU to "
                 "requests (0: no limit)")
      ->envname("ORDERD_SNAPSHOT_MIB_PER_SECOND")
      ->capture_default_str()
      ->check(CLI::Range(std::uint64_t{0}, std::uint64_t{1} << 20))
      ->group(durability);
  app.add_flag("--snapshot-on-exit", o.durability.snapshot_on_close,
               "Write a snapshot at shutdown, so the next start replays less")
      ->envname("ORDERD_SNAPSHOT_ON_EXIT")
      ->group(durability);
  app.add_flag("--truncate-at-corruption", o.durability.truncate_at_corruption,
               "Recover up to the first damaged journal record and cut the journal there, "
               "discarding what follows, instead of refusing to start")
      ->envname("ORDERD_TRUNCATE_AT_CORRUPTION")
      ->group(durability);

  auto* logs = "Logging";
  app.add_option("--log-level", log_level, "debug, info, warn, error or off")
      ->envname("ORDERD_LOG_LEVEL")
      ->capture_default_str()
      ->group(logs);
  app.add_option("--log-format", log_format, "logfmt or json (one line per event, on stderr)")
      ->envname("ORDERD_LOG_FORMAT")
      ->capture_default_str()
      ->group(logs);
  app.add_flag("--access-log", o.server.access_log,
               "Log every request (method, path, status, duration); for debugging")
      ->envname("ORDERD_ACCESS_LOG")
      ->group(logs);

  auto* catalog = "Catalog";
  app.add_option("--max-products", o.engine.max_products, "Catalog capacity")
      ->envname("ORDERD_MAX_PRODUCTS")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{1}, std::size_t{1} << 24))
      ->group(catalog);
  app.add_option("--demo-products", o.demo_catalog.products,
                 "Demo products 1..N added at start (0: none)")
      ->envname("ORDERD_DEMO_PRODUCTS")
      ->capture_default_str()
      ->check(CLI::Range(std::size_t{0}, std::size_t{1} << 24))
      ->group(catalog);
  app.add_option("--demo-stock", o.demo_catalog.stock, "Units in stock per demo product")
      ->envname("ORDERD_DEMO_STOCK")
      ->capture_default_str()
      ->check(CLI::Range(std::int64_t{0}, Catalog::kMaxStock))
      ->group(catalog);

  try {
    app.parse(argc, argv);
    auto fail = [](const std::string& option, const std::string& why) {
      throw CLI::ValidationError(option, why);
    };
    std::string error;
    auto delay = ProcessingDelay::parse(processing_time, &error);
    if (!delay) fail("--processing-time", error);
    o.engine.processing_delay = *delay;
    if (auto why = parse_timeout(read_timeout, o.server.read_timeout); !why.empty()) {
      fail("--read-timeout", why);
    }
    if (auto why = parse_timeout(idle_timeout, o.server.idle_timeout); !why.empty()) {
      fail("--idle-timeout", why);
    }
    if (auto why = parse_timeout(shutdown_timeout, o.shutdown_timeout); !why.empty()) {
      fail("--shutdown-timeout", why);
    }
    auto policy = persistence::FsyncPolicy::parse(fsync, &error);
    if (!policy) fail("--fsync", error);
    o.durability.fsync = *policy;
    if (auto why = parse_interval(snapshot_interval, o.durability.snapshot_interval);
        !why.empty()) {
      fail("--snapshot-interval", why);
    }
    o.durability.snapshot_journal_bytes = snapshot_journal_mib << 20;
    o.durability.snapshot_max_bytes_per_second = snapshot_mib_per_second << 20;
    auto level = logging::parse_level(log_level);
    if (!level)
      fail("--log-level", "expected debug, info, warn, error or off, got '" + log_level + "'");
    o.log_level = *level;
    auto format = logging::parse_format(log_format);
    if (!format) fail("--log-format", "expected logfmt or json, got '" + log_format + "'");
    o.log_format = *format;
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  return std::nullopt;
}

}  // namespace orderd::app
