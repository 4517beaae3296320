#include "loadgen/cpu_times.h"

#include <sys/resource.h>

namespace orderd::loadgen {
namespace {

double seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; }

}  // namespace

CpuTimes process_cpu_times() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return {};
  return {seconds(usage.ru_utime), seconds(usage.ru_stime)};
}

}  // namespace orderd::loadgen
