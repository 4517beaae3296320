// The JSON form of a run's result (--json FILE). Latencies are in
// microseconds, in objects whose keys name the percentile plainly:
//   "latency_us": {"count", "min", "mean", "p50", "p90", "p99", "p99.9",
//                  "p99.99", "max"}
// "latency_us" is measured from each request's intended send time (corrected
// for coordinated omission); "latency_uncorrected_us" from the actual send.
// Rates are per second. docs/orderload.md lists every field.
#pragma once

#include <string>

#include "loadgen/run_result.h"

namespace orderd::loadgen {

std::string result_to_json(const RunResult& result);

}  // namespace orderd::loadgen
