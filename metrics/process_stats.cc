#include "metrics/process_stats.h"

#include <dirent.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <ctime>

namespace orderd::metrics {
namespace {

std::int64_t count_open_fds() {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return 0;
  std::int64_t n = 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - 1;  // the descriptor opendir itself holds
}

// Seconds since boot at which this process started, from /proc/self/stat.
double start_time_since_boot() {
  std::FILE* f = std::fopen("/proc/self/stat", "r");
  if (f == nullptr) return 0;
  char buf[1024];
  std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  // The command name may contain spaces; fields resume after its ')'.
  const char* p = std::strrchr(buf, ')');
  if (p == nullptr) return 0;
  unsigned long long starttime = 0;
  // After ") " come fields 3.. ; starttime is field 22.
  int field = 2;
  for (const char* q = p + 1; *q != '\0'; ++q) {
    if (*q == ' ') {
      ++field;
      if (field == 22) {
        std::sscanf(q + 1, "%llu", &starttime);
        break;
      }
    }
  }
  long ticks = sysconf(_SC_CLK_TCK);
  return ticks > 0 ? static_cast<double>(starttime) / static_cast<double>(ticks) : 0;
}

double boot_time_seconds() {
  timespec real{}, boot{};
  clock_gettime(CLOCK_REALTIME, &real);
  clock_gettime(CLOCK_BOOTTIME, &boot);
  return static_cast<double>(real.tv_sec - boot.tv_sec) +
         static_cast<double>(real.tv_nsec - boot.tv_nsec) / 1e9;
}

}  // namespace

ProcessStats read_process_stats() {
  ProcessStats s;
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) == 0) {
    s.cpu_seconds = static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
                    static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
  }
  if (std::FILE* f = std::fopen("/proc/self/statm", "r")) {
    long long pages_virtual = 0, pages_resident = 0;
    if (std::fscanf(f, "%lld %lld", &pages_virtual, &pages_resident) == 2) {
      long page = sysconf(_SC_PAGESIZE);
      s.virtual_bytes = pages_virtual * page;
      s.resident_bytes = pages_resident * page;
    }
    std::fclose(f);
  }
  s.open_fds = count_open_fds();
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0) s.max_fds = static_cast<std::int64_t>(limit.rlim_cur);
  // Worked out once: the two clocks behind it are read at slightly
  // different instants, and a start time that wobbles from scrape to scrape
  // looks like a restart to Prometheus.
  static const double start_time = [] {
    const double since_boot = start_time_since_boot();
    return since_boot > 0 ? boot_time_seconds() + since_boot : 0.0;
  }();
  s.start_time_seconds = start_time;
  return s;
}

}  // namespace orderd::metrics
