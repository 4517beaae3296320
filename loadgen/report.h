// orderload's human-readable output: the end-of-run summary, the one-line
// progress display, and the per-second CSV rows.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>

#include "loadgen/run_result.h"

namespace orderd::loadgen {

// "850us", "1.24ms", "2.31s": three significant digits, the unit a reader expects.
std::string format_latency(std::uint64_t nanoseconds);

void print_summary(std::ostream& out, const RunResult& result);

// What the progress line shows; `total` covers the measured part so far.
struct Progress {
  double elapsed_seconds = 0;
  double planned_seconds = 0;          // 0 when the run is bounded by a request count
  std::uint64_t planned_requests = 0;  // 0 when bounded by time
  const RequestStats* total = nullptr;
  const IntervalSample* last = nullptr;
};
std::string progress_line(const Progress& progress);

std::string csv_header();
std::string csv_row(const IntervalSample& sample);

}  // namespace orderd::loadgen
