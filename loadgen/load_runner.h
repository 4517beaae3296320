// Runs a whole orderload run: connect, seed orders if the workload reads
// them, warm up, measure, and hand back the result. Blocks the calling thread,
// which reports each second of the measured part while the run's own threads
// drive the connections.
#pragma once

#include <atomic>
#include <functional>
#include <stdexcept>
#include <string_view>

#include "loadgen/run_options.h"
#include "loadgen/run_result.h"

namespace orderd::loadgen {

// The run could not be carried out: the server cannot be reached, or the
// orders a status run reads could not be created.
class RunFailed : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunObserver {
  // "connecting", "seeding", "warm-up", "measuring", "draining".
  std::function<void(std::string_view phase)> on_phase;
  // About once a second of the measured part, and once for the last part.
  std::function<void(const IntervalSample&)> on_interval;
};

// `options` must pass validate(). Setting *stop (from any thread, e.g. a
// signal handler) ends the run early: no new requests, the ones in flight
// are awaited, and the result says interrupted. Throws RunFailed.
RunResult run_load(RunOptions options, const std::atomic<bool>* stop = nullptr,
                   const RunObserver& observer = {});

}  // namespace orderd::loadgen
