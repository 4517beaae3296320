#include "loadgen/command_line.h"

#include <CLI/CLI.hpp>

#include <ostream>

namespace orderd::loadgen {
namespace {

constexpr const char* kDescription =
    "orderload: a load generator for orderd's HTTP API with honest latency figures.\n"
    "\n"
    "Closed loop (no --rate): every connection sends its next request as soon as\n"
    "the previous answer arrives. Open loop (--rate R): requests are due at a\n"
    "constant R per second over all connections, and latency is measured from each\n"
    "request's due time, so a server stall shows up in the figures instead of\n"
    "silently lowering the load (coordinated omission). The latency measured from\n"
    "the actual send is printed beside it as 'uncorrected'.";

constexpr const char* kFooter =
    "Durations are 0 or a number with a unit, us, ms, s, m or h: 800us, 250ms, 1.5s,\n"
    "2m (a bare number is seconds).\n"
    "\n"
    "Output: offered and achieved request rates, counts by status code and error\n"
    "kind, latency p50/p90/p99/p99.9/p99.99/max (within 0.4%), and orderload's own\n"
    "CPU time. --json writes the same as one JSON object; --csv writes one row per\n"
    "second. Exit status: 0 when the run completed (its errors are in the figures),\n"
    "1 when it could not run (server unreachable, seeding failed), 2 on a bad flag.\n"
    "\n"
    "Examples:\n"
    "  orderload --url http://127.0.0.1:5000 --duration 30s\n"
    "  orderload --rate 20000 --connections 128 --json result.json\n"
    "  orderload --workload mixed --mix 80/20 --zipf 1.1 --requests 1000000";

// The help text states what matters about a value; a validator's own
// description would only repeat it after the type name.
template <class T>
CLI::Validator range(T low, T high) {
  return CLI::Range(low, high).description("");
}

CLI::Validator duration_validator() {
  return CLI::Validator(
      [](std::string& text) {
        std::string error;
        return parse_run_duration(text, &error) ? std::string() : error;
      },
      "");
}

}  // namespace

CommandLine parse_command_line(int argc, const char* const* argv, std::ostream& out,
                               std::ostream& err) {
  CommandLine result;
  RunOptions& o = result.options;
  CLI::App app{kDescription, "orderload"};
  app.footer(kFooter);
  app.get_formatter()->column_width(34);

  std::string url_text = "http://127.0.0.1:5000";
  std::string workload_text = "create";
  std::string mix_text;
  std::string duration_text = "10s";
  std::string warmup_text = "2s";
  std::string timeout_text = "10s";
  std::uint64_t requests = 0;
  std::uint64_t random_seed = 0;

  app.add_option("--url", url_text, "Server to load: http://HOST[:PORT][/PREFIX]")
      ->type_name("URL")
      ->capture_default_str();
  app.add_option("--workload", workload_text,
                 "create: POST /orders/ with new orders; status: GET /orders/{id} of orders "
                 "created first (--seed-orders); mixed: creates and status reads (--mix); "
                 "populate: POST /orders/populate")
      ->check(CLI::IsMember({"create", "status", "mixed", "populate"}))
      ->type_name("NAME")
      ->capture_default_str();
  auto* mix = app.add_option("--mix", mix_text,
                             "Percent of creates and of status reads in the mixed workload, "
                             "CREATE/STATUS [default: 80/20]")
                  ->type_name("C/S");
  app.add_option("-c,--connections", o.connections,
                 "Keep-alive connections, each with one request in flight")
      ->check(range(1u, 100'000u))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("-t,--threads", o.threads,
                 "Threads driving the connections (at most one per connection)")
      ->check(range(1u, 1024u))
      ->type_name("N")
      ->capture_default_str();
  auto* duration =
      app.add_option("-d,--duration", duration_text, "Length of the measured part of the run")
          ->check(duration_validator())
          ->type_name("DURATION")
          ->capture_default_str();
  app.add_option("-n,--requests", requests,
                 "Instead of --duration: stop after this many measured requests")
      ->check(range(std::uint64_t{1}, std::uint64_t{1} << 48))
      ->type_name("N")
      ->excludes(duration);
  app.add_option("-R,--rate", o.rate,
                 "Open loop: requests per second over all connections, latency measured from "
                 "each request's due time. Omitted or 0: closed loop")
      ->check(range(0.0, 1e9))
      ->type_name("PER_SECOND");
  app.add_option("--warmup", warmup_text, "Load applied before measuring, not counted (0 to skip)")
      ->check(duration_validator())
      ->type_name("DURATION")
      ->capture_default_str();
  app.add_option("--timeout", timeout_text,
                 "Longest wait for a response or a connect; a request past it counts as a "
                 "timeout error")
      ->check(duration_validator())
      ->type_name("DURATION")
      ->capture_default_str();
  app.add_option("--users", o.users, "Creates use user ids 1..N, uniformly")
      ->check(range(std::uint64_t{1}, std::uint64_t{1} << 53))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--products", o.products,
                 "Creates use item ids 1..N (orderd's demo catalog has 1..1000)")
      ->check(range(std::uint64_t{1}, std::uint64_t{1} << 53))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--items", o.items_per_order, "Item ids per created order (may repeat)")
      ->check(range(1u, 10'000u))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--zipf", o.zipf,
                 "Skew of item ids: P(id k) ~ 1/k^S. 0 is uniform; about 1 or more makes a few "
                 "low ids hot, to exercise contention on their stock")
      ->check(range(0.0, 100.0))
      ->type_name("S")
      ->capture_default_str();
  app.add_option("--seed-orders", o.seed_orders,
                 "Orders created before a status or mixed run; status reads pick among them")
      ->check(range(std::uint64_t{1}, std::uint64_t{1} << 40))
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--populate-entries", o.populate_entries, "total_entries of each populate request")
      ->check(range(std::uint64_t{1}, std::uint64_t{1} << 32))
      ->type_name("N")
      ->capture_default_str();
  auto* seed = app.add_option("--random-seed", random_seed,
                              "Seed for the request mix (users, items, reads); random if omitted")
                   ->type_name("N");
  app.add_option("--run-id", o.run_id,
                 "Prefix of this run's order ids ([0-9a-z]); random if omitted, so repeated runs "
                 "against one server never collide")
      ->type_name("ID");
  app.add_option("--authorization", o.authorization,
                 "Authorization header sent with every request, e.g. \"Bearer <token>\" for a "
                 "server with --auth jwt")
      ->type_name("VALUE");
  app.add_option("--json", o.json_path, "Write the result as JSON to FILE")->type_name("FILE");
  app.add_option("--csv", o.csv_path,
                 "Write one row per second (rate, errors, latency percentiles) to FILE")
      ->type_name("FILE");
  bool no_progress = false;
  app.add_flag("--no-progress", no_progress,
               "No progress line (it is shown only when standard output is a terminal)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    out << app.help();
    result.exit_code = 0;
    return result;
  } catch (const CLI::CallForAllHelp&) {
    out << app.help("", CLI::AppFormatMode::All);
    result.exit_code = 0;
    return result;
  } catch (const CLI::ParseError& e) {
    err << "orderload: " << e.what() << "\nRun 'orderload --help' for the flags.\n";
    result.exit_code = kExitUsage;
    return result;
  }

  auto usage_error = [&](const std::string& message) {
    err << "orderload: " << message << "\nRun 'orderload --help' for the flags.\n";
    result.exit_code = kExitUsage;
    return result;
  };

  std::string url_error;
  const auto url = parse_server_url(url_text, &url_error);
  if (!url) return usage_error("--url " + url_text + ": " + url_error);
  o.url = *url;
  o.workload = *parse_workload(workload_text);
  if (mix->count() > 0) {
    if (o.workload != Workload::kMixed)
      return usage_error("--mix applies to --workload mixed only");
    const auto percent = parse_create_percent(mix_text);
    if (!percent)
      return usage_error("--mix " + mix_text +
                         ": expected CREATE/STATUS adding to 100, such as 80/20");
    o.create_percent = *percent;
  }
  if (requests > 0) o.requests = requests;
  o.duration = *parse_run_duration(duration_text);
  o.warmup = *parse_run_duration(warmup_text);
  o.timeout = *parse_run_duration(timeout_text);
  if (seed->count() > 0) o.random_seed = random_seed;
  o.progress = !no_progress;
  if (o.threads > o.connections) o.threads = o.connections;
  if (const std::string problem = validate(o); !problem.empty()) return usage_error(problem);
  return result;
}

}  // namespace orderd::loadgen
