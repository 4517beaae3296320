// The outcome of an orderload run, and of each second of it.
#pragma once

#include <cstdint>

#include "loadgen/cpu_times.h"
#include "loadgen/request_stats.h"
#include "loadgen/run_options.h"

namespace orderd::loadgen {

struct RunResult {
  RunOptions options;           // as run: run_id filled in
  double measured_seconds = 0;  // from the end of the warm-up to the last counted answer
  // Open loop: requests due in the measured window. Closed loop: equals sent.
  std::uint64_t offered_requests = 0;
  std::uint64_t seeded_orders = 0;
  RequestStats stats;
  CpuTimes cpu;              // orderload's own, over the measured window
  bool interrupted = false;  // stopped early by a signal

  double achieved_rate() const { return per_second(stats.responses); }
  double ok_rate() const { return per_second(stats.ok); }
  // Due requests that were never sent because the run fell behind its schedule.
  std::uint64_t unsent() const {
    return offered_requests > stats.sent ? offered_requests - stats.sent : 0;
  }

 private:
  double per_second(std::uint64_t n) const {
    return measured_seconds > 0 ? static_cast<double>(n) / measured_seconds : 0;
  }
};

// One second (roughly) of the measured run, by the time answers arrived.
struct IntervalSample {
  double elapsed_seconds = 0;   // since the measured part began, at the end of the interval
  double interval_seconds = 0;  // length of this interval
  RequestStats stats;           // of this interval only
};

}  // namespace orderd::loadgen
