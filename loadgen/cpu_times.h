// orderload's own CPU time, so a result shows what the load generator cost
// next to what it measured.
#pragma once

namespace orderd::loadgen {

struct CpuTimes {
  double user_seconds = 0;
  double system_seconds = 0;
  double total_seconds() const { return user_seconds + system_seconds; }
};

// This process, all threads, since it started (getrusage(RUSAGE_SELF)).
CpuTimes process_cpu_times();

inline CpuTimes operator-(const CpuTimes& a, const CpuTimes& b) {
  return {a.user_seconds - b.user_seconds, a.system_seconds - b.system_seconds};
}

}  // namespace orderd::loadgen
