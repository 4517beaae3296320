// The standard process_* metrics, read from /proc and getrusage on Linux.
#pragma once

#include <cstdint>

namespace orderd::metrics {

struct ProcessStats {
  double cpu_seconds = 0;  // user + system
  std::int64_t resident_bytes = 0;
  std::int64_t virtual_bytes = 0;
  std::int64_t open_fds = 0;
  std::int64_t max_fds = 0;
  double start_time_seconds = 0;  // since the Unix epoch
};

// Reads the current values; a figure that cannot be read stays 0. Costs a
// few small file reads and a directory scan: call it per scrape, not per
// request.
ProcessStats read_process_stats();

}  // namespace orderd::metrics
