// Everything that defines an orderload run, as plain data. The command line
// fills it (command_line.h); tests build it directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "loadgen/url.h"
#include "loadgen/workload.h"

namespace orderd::loadgen {

struct RunOptions {
  ServerUrl url{"127.0.0.1", "5000", ""};  // where orderd listens by default
  Workload workload = Workload::kCreate;
  unsigned create_percent = 80;  // kMixed only
  std::uint32_t connections = 64;
  std::uint32_t threads = 2;
  // Exactly one of duration and requests bounds the measured part of a run.
  std::chrono::nanoseconds duration = std::chrono::seconds(10);
  std::optional<std::uint64_t> requests;
  double rate = 0;  // requests per second; 0 runs a closed loop
  std::chrono::nanoseconds warmup = std::chrono::seconds(2);
  std::chrono::nanoseconds timeout = std::chrono::seconds(10);  // per request, and per connect
  std::uint64_t users = 1000;
  std::uint64_t products = 1000;
  std::uint32_t items_per_order = 3;
  double zipf = 0;
  std::uint64_t seed_orders = 10'000;  // created before status and mixed runs
  std::uint64_t populate_entries = 100;
  std::optional<std::uint64_t> random_seed;  // fixes the request mix; random if unset
  std::string run_id;                        // order id prefix; generated if empty
  std::string authorization;                 // sent as an Authorization header when set
  std::string json_path;
  std::string csv_path;
  bool progress = true;  // shown only when standard output is a terminal

  bool open_loop() const { return rate > 0; }
};

// The first problem found in `options` (a sentence), or "" if there is none.
std::string validate(const RunOptions& options);

// One of orderload's duration flags: base/duration.h's grammar ("10s",
// "250ms", "1.5s", "2m", "500us"), where a bare number is seconds, as
// orderload always read one. On failure returns nullopt and, when `error`
// is not null, says what was expected.
std::optional<std::chrono::nanoseconds> parse_run_duration(std::string_view text,
                                                           std::string* error = nullptr);

// Eight characters of [0-9a-z], different on every call in practice.
std::string make_run_id();

}  // namespace orderd::loadgen
