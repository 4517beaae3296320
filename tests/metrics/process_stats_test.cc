#include "metrics/process_stats.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <thread>
#include <vector>

namespace orderd::metrics {
namespace {

TEST(ProcessStatsTest, ReadsPlausibleValues) {
  ProcessStats s = read_process_stats();
  EXPECT_GT(s.resident_bytes, 0);
  EXPECT_GE(s.virtual_bytes, s.resident_bytes);
  EXPECT_GE(s.open_fds, 3);  // stdin, stdout, stderr at least
  EXPECT_GT(s.max_fds, 0);
  EXPECT_GT(s.cpu_seconds, 0);  // starting the process took some
  double now = static_cast<double>(std::time(nullptr));
  EXPECT_LE(s.start_time_seconds, now + 2);
  EXPECT_GT(s.start_time_seconds, now - 24 * 3600);  // started within a day
  // No more CPU time than every core could have given it since it started
  // (time() truncates, hence the second of slack).
  const double cores = std::max(1u, std::thread::hardware_concurrency());
  EXPECT_LE(s.cpu_seconds, (now + 1 - s.start_time_seconds) * cores);
}

TEST(ProcessStatsTest, StartTimeIsTheSameInEveryReading) {
  const double first = read_process_stats().start_time_seconds;
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(read_process_stats().start_time_seconds, first);
}

TEST(ProcessStatsTest, CountsNewlyOpenedDescriptors) {
  auto before = read_process_stats().open_fds;
  int fd = open("/dev/null", O_RDONLY);
  ASSERT_GE(fd, 0);
  EXPECT_EQ(read_process_stats().open_fds, before + 1);
  close(fd);
}

TEST(ProcessStatsTest, CpuTimeGrowsWithWork) {
  double before = read_process_stats().cpu_seconds;
  volatile double x = 0;
  auto start = std::clock();
  while (std::clock() - start < CLOCKS_PER_SEC / 5) x = x + 1;
  EXPECT_GT(read_process_stats().cpu_seconds, before + 0.1);
}

}  // namespace
}  // namespace orderd::metrics
